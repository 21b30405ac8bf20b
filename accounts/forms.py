from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, verwijder mijn account en mijn gegevens."),
        error_messages={"required": _("Zet een vinkje als u zeker weet dat u uw account wilt verwijderen.")},
    )
