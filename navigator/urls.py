from __future__ import annotations

from django.urls import path

from . import views

app_name = "navigator"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("fasen/<slug:slug>/", views.fase_detail, name="fase"),
    path("sporen/<slug:slug>/", views.spoor_detail, name="spoor"),
    path("partijen/<slug:slug>/", views.partij_detail, name="partij"),
    path("knooppunten/<slug:slug>/", views.knooppunt_detail, name="knooppunt"),
    path("zoeken/", views.search, name="search"),
    path("begrippen/", views.begrippen, name="begrippen"),
    path("uit-de-praktijk/", views.praktijkverhalen, name="praktijkverhalen"),
    path("uit-de-praktijk/delen/", views.ervaring_delen, name="ervaring_delen"),
    path("uit-de-praktijk/<slug:slug>/", views.praktijkverhaal_detail, name="praktijkverhaal"),
]
