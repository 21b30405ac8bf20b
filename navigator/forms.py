from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunten.kompas import Kompas
from knooppunten.models import Fase, Knooppunt, Track

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

    def __init__(self, *args, kompas: Kompas, **kwargs) -> None:
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
            "knooppunten": [self.kompas.by_code(code) for code in data["knooppunten"]],
            "author_name": data["author_name"] if data["credit"] == CreditChoice.NAAM else "",
        }

    def knooppunt_groups(self) -> list[tuple[Fase, list[tuple[Knooppunt, bool]]]]:
        """Per phase, its knooppunten and whether each is chosen, for the grouped checkboxes."""
        chosen = set(self["knooppunten"].value() or [])
        return [
            (fase, [(knooppunt, knooppunt.code in chosen) for knooppunt in knooppunten])
            for fase, knooppunten in self.kompas.columns
        ]
