from __future__ import annotations

from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from projects.models import Project


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

    def clean(self) -> dict:
        if self.handover:
            names = ", ".join(project.name for project in self.handover)
            raise forms.ValidationError(
                _("U bent de enige projectleider van: %(names)s. Maak eerst iemand anders projectleider.")
                % {"names": names}
            )
        return super().clean()
