from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import VersieSoort


class ChapterForm(forms.Form):
    text = forms.CharField(
        label=_("Tekst van dit hoofdstuk"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("U kunt Markdown gebruiken: **vet**, *schuin*, lijstjes met - en citaten met >."),
    )
    # The version the writer started from: a save from an older version is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class FreezeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Welke versie legt u vast?"), choices=VersieSoort.choices)
