from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .richtext import render_markdown


@require_POST
@staff_member_required
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """Show an editor how the Markdown in one admin field will look on the site."""
    text = next((value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"), "")
    return render(request, "knooppunten/markdown_preview.html", {"html": render_markdown(text)})
