from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunten.models import Knooppunt, KnooppuntQuerySet, Partij, Spoor, Track
from knooppunten.published import PublishedKompas

MAX_QUERY_LENGTH = 200


class KompasFilterForm(forms.Form):
    """The filters of the kompas overview. A value that does not exist is ignored, with a notice."""

    spoor = forms.ModelChoiceField(
        queryset=Spoor.objects.all(), to_field_name="letter", required=False,
        label=gettext_lazy("Spoor"), empty_label=gettext_lazy("Alle sporen"),
    )  # fmt: skip
    track = forms.ChoiceField(
        choices=[("", gettext_lazy("Beide tracks")), *Track.choices], required=False,
        label=gettext_lazy("Track"),
    )  # fmt: skip
    partij = forms.ModelChoiceField(
        queryset=Partij.objects.all(), to_field_name="slug", required=False,
        label=gettext_lazy("Partij"), empty_label=gettext_lazy("Alle partijen"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["spoor"].label_from_instance = lambda spoor: f"{spoor.letter}. {spoor.name}"
        self.notices: list[str] = []

    def check(self) -> None:
        """Validate, and explain each filter that is ignored because its value does not exist."""
        self.is_valid()
        for name in self.errors:
            self.notices.append(
                _("Het filter '%(label)s' met waarde '%(value)s' bestaat niet. We tonen alles voor dit filter.")
                % {"label": self.fields[name].label, "value": self.data.get(name, "")[:50]}
            )

    def select(self, kompas: PublishedKompas) -> list[Knooppunt]:
        """The knooppunten of the published kompas in memory that pass the filters: `apply`
        without a query."""
        self.check()
        spoor, track, partij = (self.cleaned_data.get(name) for name in ("spoor", "track", "partij"))
        return [
            knooppunt
            for knooppunt in kompas.knooppunten
            if (not spoor or spoor.pk in kompas.links[knooppunt.pk][0])
            and (not track or track in kompas.links[knooppunt.pk][1])
            and (not partij or partij.pk in kompas.partijen[knooppunt.pk])
        ]

    def apply(self, knooppunten: KnooppuntQuerySet) -> KnooppuntQuerySet:
        self.check()
        data = self.cleaned_data
        if data.get("spoor"):
            knooppunten = knooppunten.filter(sporen=data["spoor"])
        if data.get("track"):
            knooppunten = knooppunten.filter(sporen__track=data["track"]).distinct()
        if data.get("partij"):
            knooppunten = knooppunten.filter(partijen=data["partij"])
        return knooppunten

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Zoek in het kompas"))

    def query(self) -> str:
        """The cleaned search text: no control characters, at most MAX_QUERY_LENGTH long."""
        raw = self.data.get("q", "")
        cleaned = "".join(ch for ch in str(raw) if ch.isprintable()).strip()
        return cleaned[:MAX_QUERY_LENGTH]
