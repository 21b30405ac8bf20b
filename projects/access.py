"""Who may see and change a project: the one place that decides it.

Outsiders get a 404, so they cannot even tell that a project exists. A member whose role is
too low for a change gets a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Membership, Project, Role


def get_membership(request: HttpRequest, project_pk: int, *, role: str = Role.MEELEZER) -> Membership:
    """The user's membership of the project, with the project and its gemeente loaded."""
    if not request.user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("project__gemeente", "project__parent")
        .filter(project_id=project_pk, user=request.user)
        .first()
    )
    if membership is None:
        raise Http404
    if not membership.can(role):
        raise PermissionDenied
    return membership


def get_project_for(request: HttpRequest, project_pk: int, *, role: str = Role.MEELEZER) -> Project:
    membership = get_membership(request, project_pk, role=role)
    project = membership.project
    project.membership = membership  # templates show or hide buttons by the role the view found
    return project
