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

    def __init__(self, *args, quote: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Sent by a "Citeer in de tekst" button: this quote goes at the end of the text.
        self.quote = quote

    def clean_text(self) -> str:
        # Browsers send a textarea's lines ending in CRLF; stored texts (and quotes) use LF, so a
        # comparison of two versions shows only real changes.
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        if self.quote and len(text.rstrip()) + len("\n\n") + len(self.quote) > self.fields["text"].max_length:
            raise forms.ValidationError(_("Met het citaat erbij wordt de tekst te lang. Maak de tekst eerst korter."))
        return text


class FreezeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Welke versie legt u vast?"), choices=VersieSoort.choices)
