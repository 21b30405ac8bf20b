from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Wijkkompas beheer")
admin.site.site_title = _("Wijkkompas beheer")
admin.site.index_title = _("Inhoud en gebruikers")

urlpatterns = [
    path("", include("navigator.urls")),
    path("projecten/", include("projects.urls")),
    path("beheer/kompas/", include("knooppunten.urls")),
    path("beheer/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
]
