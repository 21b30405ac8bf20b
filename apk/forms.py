from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knooppunten.models import Knooppunt, Partij
from projects.forms import validate_due_date
from projects.models import Project

from .models import CODE_LENGTH, Score, Trend, Variant, normalize_code

MAX_COMMENT_LENGTH = 500


class SessionForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"), max_length=150, initial=_("APK van de wijkaanpak"), help_text=_("Bijvoorbeeld: APK voorjaar.")
    )
    date = forms.DateField(
        label=_("Datum"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    variant = forms.ChoiceField(
        label=_("Soort sessie"),
        choices=Variant.choices,
        initial=Variant.APK,
        widget=forms.RadioSelect,
        help_text=_("De APK stelt per spoor een vraag. Stand van zaken past bij een wijk die net begint."),
    )
    with_fasen = forms.BooleanField(
        label=_("Ook een vraag per fase, tot en met de fase waarin het project nu zit"), required=False
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Nieuwe vraag"),
        max_length=300,
        error_messages={"required": _("Schrijf de vraag op."), "max_length": _("Houd de vraag korter dan 300 tekens.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code van de sessie"),
        max_length=20,
        help_text=_("Zes tekens. U ziet de code op het grote scherm."),
        error_messages={"required": _("Vul de code in die op het scherm staat.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(_("Een code heeft zes tekens. Kijk nog eens op het scherm."))
        return code


class JoinForm(forms.Form):
    display_name = forms.CharField(
        label=_("Uw naam"),
        max_length=60,
        required=False,
        help_text=_("Zonder naam doet u anoniem mee."),  # the label says "(niet verplicht)" already
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    party = forms.ChoiceField(label=_("Namens wie bent u hier?"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", _("Zeg ik liever niet")), *Partij.objects.values_list("slug", "name")]
        self.fields["party"].error_messages["invalid_choice"] = _("Kies een partij uit de lijst.")


class VoteForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.ChoiceField(
        label=_("Hoe staat het ervoor?"),
        choices=Score.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies groen, oranje of rood."),
            "invalid_choice": _("Kies groen, oranje of rood."),
        },
    )
    trend = forms.ChoiceField(
        label=_("Welke kant gaat het op?"),
        choices=Trend.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies of het beter gaat, gelijk blijft of slechter gaat."),
            "invalid_choice": _("Kies of het beter gaat, gelijk blijft of slechter gaat."),
        },
    )
    comment = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Uw toelichting is te lang: gebruik hoogstens %(limit_value)d tekens.")},
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Verbeterpunt"), max_length=200, help_text=_("Wat gaan we doen?"))
    owner = forms.ModelChoiceField(label=_("Eigenaar"), queryset=get_user_model().objects.none())
    due_date = forms.DateField(
        label=_("Uiterlijk op"),
        validators=[validate_due_date],
        error_messages={"required": _("Vul in wanneer de actie uiterlijk klaar moet zijn.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    knooppunt = forms.ModelChoiceField(
        label=_("Knooppunt"), queryset=Knooppunt.objects.none(), required=False, empty_label=_("Geen knooppunt")
    )
    note = forms.CharField(
        label=_("Toelichting"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(memberships__project=project)
        self.fields["owner"].empty_label = _("Kies iemand uit het team")
        self.fields["owner"].error_messages["invalid_choice"] = _("Kies een eigenaar uit het team.")
        self.fields["knooppunt"].queryset = Knooppunt.objects.published().only("pk", "code", "title")
        self.fields["knooppunt"].label_from_instance = lambda k: f"{k.code} {k.title}"
        self.fields["knooppunt"].error_messages["invalid_choice"] = _("Dit knooppunt bestaat niet.")
