from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from knooppunten.models import Praktijkverhaal
from projects.models import Project

from .export import export_personal_data
from .forms import DeleteAccountForm, ProfileForm
from .services import user_delete


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if {"first_name", "last_name"} & set(form.changed_data):
            Project.objects.naming(request.user).changed()  # the portfolio shows who changed what last
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
        return redirect("accounts:account")
    verhalen = Praktijkverhaal.objects.submitted_by(request.user).only(
        "slug", "title", "status", "refusal_reason", "submitted_at"
    )
    context = {"mfa_enabled": is_mfa_enabled(request.user), "form": form, "verhalen": verhalen}
    return render(request, "accounts/account.html", context)


@login_required
@reauthentication_required
def export(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        export_personal_data(request.user),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = 'attachment; filename="wijkkompas-mijn-gegevens.json"'
    return response


@login_required
@reauthentication_required
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        user = request.user
        logout(request)
        user_delete(user=user)
        messages.success(request, _("Uw account en uw gegevens zijn verwijderd."))
        return redirect("navigator:overview")
    return render(request, "accounts/delete.html", {"form": form})
