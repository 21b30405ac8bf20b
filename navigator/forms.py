from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunten.models import Fase, Knooppunt, KnooppuntQuerySet, Partij, Spoor, Track
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


# "Deel uw ervaring": a practice story from a logged-in user, for the editors' queue.

MIN_STORY_LENGTH = 40
MAX_KNOOPPUNTEN = 6


class CreditChoice:
    NAAM = "naam"
    ANONIEM = "anoniem"


class ErvaringForm(forms.Form):
    """The knooppunten to choose from are those of the published kompas in memory, so showing
    and checking the form costs no query. `website` is a honeypot: hidden from people by CSS,
    filled in by bots that fill in every field."""

    title = forms.CharField(
        label=gettext_lazy("Titel van uw verhaal"), max_length=200,
        error_messages={"required": gettext_lazy("Geef uw verhaal een titel.")},
    )  # fmt: skip
    place = forms.CharField(
        label=gettext_lazy("Plaats of wijk"), max_length=200,
        help_text=gettext_lazy("Bijvoorbeeld de naam van de wijk en de gemeente."),
        error_messages={"required": gettext_lazy("Vul in in welke plaats of wijk het gebeurde.")},
    )  # fmt: skip
    story = forms.CharField(
        label=gettext_lazy("Wat gebeurde er?"), max_length=10_000, min_length=MIN_STORY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Wie deden mee, wat deed u, en hoe liep het?"),
        error_messages={
            "required": gettext_lazy("Vertel wat er gebeurde."),
            "min_length": gettext_lazy("Vertel iets meer over wat er gebeurde: schrijf minstens %(limit_value)d tekens."),
            "max_length": gettext_lazy("Uw verhaal is te lang: gebruik hoogstens %(limit_value)d tekens."),
        },
    )  # fmt: skip
    lessons = forms.CharField(
        label=gettext_lazy("Wat heeft u ervan geleerd?"), max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Wat zou u een andere wijk aanraden, of juist afraden?"),
        error_messages={
            "required": gettext_lazy("Schrijf op wat u ervan heeft geleerd."),
            "max_length": gettext_lazy("Dit deel is te lang: gebruik hoogstens %(limit_value)d tekens."),
        },
    )  # fmt: skip
    knooppunten = forms.MultipleChoiceField(
        label=gettext_lazy("Bij welke knooppunten hoort uw verhaal?"),
        error_messages={
            "required": gettext_lazy("Kies minstens één knooppunt waar uw verhaal bij hoort."),
            "invalid_choice": gettext_lazy("Knooppunt %(value)s bestaat niet. Kies een knooppunt uit de lijst."),
        },
    )  # fmt: skip
    credit = forms.ChoiceField(
        label=gettext_lazy("Hoe mag uw verhaal op de site staan?"),
        choices=[
            (CreditChoice.NAAM, gettext_lazy("Met mijn naam")),
            (CreditChoice.ANONIEM, gettext_lazy("Zonder naam (anoniem)")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Kies of uw verhaal met of zonder naam op de site mag staan."),
            "invalid_choice": gettext_lazy("Kies 'met mijn naam' of 'zonder naam'."),
        },
    )  # fmt: skip
    author_name = forms.CharField(
        label=gettext_lazy("Uw naam bij het verhaal"), max_length=150, required=False,
        help_text=gettext_lazy("Alleen nodig als uw verhaal met uw naam op de site mag staan."),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Ik geef de redactie toestemming om mijn verhaal te bewerken en op Wijkkompas te zetten."
        ),
        error_messages={"required": gettext_lazy("Zonder uw toestemming kan de redactie uw verhaal niet plaatsen.")},
    )  # fmt: skip
    website = forms.CharField(label=gettext_lazy("Laat dit veld leeg"), required=False)

    max_knooppunten = MAX_KNOOPPUNTEN

    def __init__(self, *args, kompas: PublishedKompas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kompas = kompas
        self.fields["knooppunten"].choices = [(k.code, f"{k.code} {k.title}") for k in kompas.knooppunten]

    def clean_knooppunten(self) -> list[str]:
        codes = self.cleaned_data["knooppunten"]
        if len(codes) > MAX_KNOOPPUNTEN:
            raise forms.ValidationError(
                _("Kies hoogstens %(limit)s knooppunten: de knooppunten waar uw verhaal het meest over gaat.")
                % {"limit": MAX_KNOOPPUNTEN}
            )
        return codes

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.data.get("website"):
            raise forms.ValidationError(
                _("Uw verhaal is niet verstuurd: het controleveld moet leeg blijven. Probeer het opnieuw.")
            )
        if cleaned.get("credit") == CreditChoice.NAAM and not cleaned.get("author_name"):
            self.add_error(
                "author_name", _("Vul de naam in die bij uw verhaal mag staan, of kies 'Zonder naam (anoniem)'.")
            )
        return cleaned

    def submission(self) -> dict:
        """The arguments for knooppunten.services.verhaal_submit."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "place": data["place"],
            "story": data["story"],
            "lessons": data["lessons"],
            "knooppunten": [self.kompas.by_code[code] for code in data["knooppunten"]],
            "author_name": data["author_name"] if data["credit"] == CreditChoice.NAAM else "",
        }

    def knooppunt_groups(self) -> list[tuple[Fase, list[tuple[Knooppunt, bool]]]]:
        """Per phase, its knooppunten and whether each is chosen, for the grouped checkboxes."""
        chosen = set(self["knooppunten"].value() or [])
        return [
            (fase, [(knooppunt, knooppunt.code in chosen) for knooppunt in knooppunten])
            for fase, knooppunten in self.kompas.columns
        ]
