from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunten.kompas import Kompas
from knooppunten.models import Knooppunt, Track

MAX_QUERY_LENGTH = 200


class KompasFilterForm(forms.Form):
    """The filters of the kompas overview, with the choices of the kompas the visitor sees. A
    value that does not exist is ignored, with a notice."""

    spoor = forms.ChoiceField(required=False, label=gettext_lazy("Spoor"))
    track = forms.ChoiceField(
        choices=[("", gettext_lazy("Beide tracks")), *Track.choices], required=False, label=gettext_lazy("Track")
    )
    partij = forms.ChoiceField(required=False, label=gettext_lazy("Partij"))

    def __init__(self, data, *, kompas: Kompas) -> None:
        super().__init__(data)
        self.kompas = kompas
        self.fields["spoor"].choices = [
            ("", gettext_lazy("Alle sporen")),
            *((spoor.letter, f"{spoor.letter}. {spoor.name}") for spoor in kompas.sporen),
        ]
        self.fields["partij"].choices = [
            ("", gettext_lazy("Alle partijen")),
            *((partij.slug, partij.name) for partij in kompas.partijen),
        ]
        self.is_valid()
        self.notices = [
            _("Het filter '%(label)s' met waarde '%(value)s' bestaat niet. We tonen alles voor dit filter.")
            % {"label": self.fields[name].label, "value": str(self.data.get(name, ""))[:50]}
            for name in self.errors
        ]

    @property
    def chosen(self) -> tuple[str, ...]:
        """The filters in force: what the page shows depends on these alone."""
        return tuple(self.cleaned_data.get(name, "") for name in self.fields)

    @property
    def is_filtered(self) -> bool:
        return any(self.chosen)

    def select(self) -> list[Knooppunt]:
        spoor, track, partij = self.chosen
        return self.kompas.select(
            spoor=next((s for s in self.kompas.sporen if s.letter == spoor), None),
            track=track,
            partij=next((p for p in self.kompas.partijen if p.slug == partij), None),
        )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Zoek in het kompas"))

    def query(self) -> str:
        """The cleaned search text: no control characters, at most MAX_QUERY_LENGTH long."""
        raw = self.data.get("q", "")
        cleaned = "".join(ch for ch in str(raw) if ch.isprintable()).strip()
        return cleaned[:MAX_QUERY_LENGTH]
