from __future__ import annotations

from django.urls import path

from . import views

app_name = "plannen"

# Mounted under /projecten/<int:pk>/plan/ (wijkkompas/urls.py): every view gets the project pk.
urlpatterns = [
    path("", views.overview, name="overview"),
    path("hoofdstuk/<int:hoofdstuk_pk>/", views.chapter, name="chapter"),
    path("hoofdstuk/<int:hoofdstuk_pk>/citeren/<int:entry_pk>/", views.quote, name="quote"),
    path("vastleggen/", views.freeze, name="freeze"),
    path("vergelijken/", views.compare, name="compare"),
    path("afdrukken/", views.print_page, name="print"),
    path("wijkuitvoeringsplan.docx", views.docx, name="docx"),
]
