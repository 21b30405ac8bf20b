from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Wijkkompas beheer")
admin.site.site_title = _("Wijkkompas beheer")
admin.site.index_title = _("Inhoud en gebruikers")
# The admin has no login of its own: allauth's login applies its rate limits and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

handler500 = "wijkkompas.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include("navigator.urls")),
    path("projecten/", include("projects.urls")),
    path("projecten/<int:pk>/plan/", include("plannen.urls")),
    path("apk/", include("apk.urls")),
    path("beheer/kompas/", include("knooppunten.urls")),
    path("beheer/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
]
