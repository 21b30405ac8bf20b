from __future__ import annotations

from django.urls import path

from . import views

app_name = "knooppunten"

urlpatterns = [
    path("markdown-voorbeeld/", views.markdown_preview, name="markdown_preview"),
]
