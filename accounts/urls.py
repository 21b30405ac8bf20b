from __future__ import annotations

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("mijn-account/", views.account, name="account"),
    path("mijn-account/gegevens/", views.export, name="export"),
    path("mijn-account/verwijderen/", views.delete, name="delete"),
]
