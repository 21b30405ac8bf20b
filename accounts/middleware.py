from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffMFAMiddleware:
    """Staff change what every municipality reads: /beheer/ needs two-factor login.

    A staff member without an authenticator app is sent to set one up first. Everyone
    else may turn it on in their account, but does not have to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.must_set_up_mfa(request):
            messages.warning(
                request,
                _("Voor Beheer is inloggen in twee stappen verplicht. Stel dat eerst in met een app op uw telefoon."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def must_set_up_mfa(self, request: HttpRequest) -> bool:
        if not request.path.startswith(reverse("admin:index")) or request.path == reverse("admin:logout"):
            return False
        user = request.user
        return user.is_authenticated and user.is_staff and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
