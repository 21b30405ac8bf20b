"""What every project page shows around its own content: the project header, the switcher
between the user's projects and the tabs (templates/projects/project_base.html). The APK pages
of a project use it too."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Project


def project_page(request: HttpRequest, template: str, project: Project, **context) -> HttpResponse:
    """Render a project page. `project` comes from access.get_project_for, with the user's
    membership and the projects of the switcher. The gemeente links to its portfolio only for
    its own members (`membership.in_gemeente`): a partner who is only in the project would get
    a 404 there."""
    return render(request, template, {"project": project, "switcher": project.switcher, **context})
