from __future__ import annotations

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from projects.models import GemeenteMembership, GemeenteRole, Project

from .models import User


class SignupForm(forms.Form):
    """What allauth's signup form asks besides email and password (ACCOUNT_SIGNUP_FORM_CLASS):
    a name, so that teams see who did what instead of an email address."""

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=150,
        error_messages={"required": _("Vul uw voornaam in. Uw team ziet die naam bij wat u doet.")},
    )
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "wants_digest"]
        labels = {"first_name": _("Voornaam"), "last_name": _("Achternaam")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["first_name"].error_messages["required"] = _("Vul uw voornaam in.")
        self.fields["wants_digest"].label = _("Stuur mij elke week een overzicht per e-mail")


class DeleteAccountForm(forms.Form):
    """Confirms the deletion. A project must never lose its last projectleider while others
    still work in it, so the form refuses until the user has handed over."""

    confirm = forms.BooleanField(
        label=_("Ja, verwijder mijn account en mijn gegevens."),
        error_messages={"required": _("Zet een vinkje als u zeker weet dat u uw account wilt verwijderen.")},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        led_alone = Project.objects.annotate(member_count=Count("memberships", distinct=True)).led_only_by(user)
        self.handover = [p for p in led_alone if p.member_count > 1]  # others still work in these
        self.deleted_with_account = [p for p in led_alone if p.member_count == 1]  # nobody else is in these
        # Gemeenten where the user is the only programmamanager while others work in them.
        managed = GemeenteMembership.objects.filter(user=user, role=GemeenteRole.PROGRAMMAMANAGER).values("gemeente")
        self.gemeenten_alone = [
            m.gemeente.name
            for m in GemeenteMembership.objects.filter(gemeente__in=managed, role=GemeenteRole.PROGRAMMAMANAGER)
            .select_related("gemeente")
            .annotate(
                managers=Count(
                    "gemeente__gemeente_memberships",
                    filter=Q(gemeente__gemeente_memberships__role=GemeenteRole.PROGRAMMAMANAGER),
                ),
                members=Count("gemeente__gemeente_memberships"),
            )
            .filter(user=user, managers=1, members__gt=1)
        ]

    def clean(self) -> dict:
        if self.handover:
            names = ", ".join(project.name for project in self.handover)
            raise forms.ValidationError(
                _("U bent de enige projectleider van: %(names)s. Maak eerst iemand anders projectleider.")
                % {"names": names}
            )
        if self.gemeenten_alone:
            raise forms.ValidationError(
                _("U bent de enige programmamanager van: %(names)s. Maak eerst iemand anders programmamanager.")
                % {"names": ", ".join(self.gemeenten_alone)}
            )
        return super().clean()
