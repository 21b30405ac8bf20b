from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .documents import check_document
from .exchange import MAX_IMPORT_MB, parse_json
from .models import EntryKind, Gemeente, GemeenteRole, LogboekEntry, Membership, Project, Role, Status

MAX_NOTE_LENGTH = 2000


class ProjectForm(forms.ModelForm):
    """The gemeente is chosen from the user's own gemeenten: naming one gives no way into it."""

    class Meta:
        model = Project
        fields = ["gemeente", "name", "description", "start_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        gemeenten = Gemeente.objects.filter(pk__in=Gemeente.objects.for_member(user).values("pk"))
        if self.instance.pk:
            # A projectleider from outside the gemeente keeps the project where it is.
            gemeenten = gemeenten | Gemeente.objects.filter(pk=self.instance.gemeente_id)
        field = self.fields["gemeente"]
        field.queryset = gemeenten.order_by("name")
        field.label_from_instance = lambda g: (
            g.name if g.is_verified else _("%(name)s (niet geverifieerd)") % {"name": g.name}
        )
        field.empty_label = None if self.instance.pk else _("Kies een gemeente")
        field.help_text = _("De gemeente die de regie heeft. U kiest uit de gemeenten waarvan u lid bent.")
        field.error_messages["invalid_choice"] = _(
            "Kies een gemeente uit de lijst. U kunt alleen kiezen uit uw eigen gemeenten."
        )
        field.error_messages["required"] = _("Kies de gemeente van dit project.")


class SubprojectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "description", "start_date"]
        labels = {"name": _("Naam van het deelproject")}
        help_texts = {"name": _("Bijvoorbeeld een thema, of een bewonersinitiatief in de wijk.")}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("De toelichting is te lang: gebruik hoogstens %(limit_value)d tekens.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["invalid_choice"] = _("Kies een status uit de lijst.")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == Status.NIET_VAN_TOEPASSING and not data.get("note", "").strip():
            self.add_error("note", _("Schrijf kort op waarom dit knooppunt niet van toepassing is."))
        return data


def validate_due_date(value: date) -> None:
    """An action is due today or later, in the logboek and at an APK alike: a date in the past is
    a typing error, or an action that is late before it starts."""
    if value < timezone.localdate():
        raise forms.ValidationError(_("Deze datum is al voorbij. Kies vandaag of een latere datum."), code="past")


class LogboekEntryForm(forms.ModelForm):
    document = forms.FileField(label=_("Bestand"), required=False)

    class Meta:
        model = LogboekEntry
        fields = ["kind", "title", "body", "knooppunt", "owner", "due_date", "url"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project: Project, knooppunten, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["knooppunt"].queryset = knooppunten
        self.fields["knooppunt"].label_from_instance = lambda k: f"{k.code} {k.title}"
        self.fields["knooppunt"].empty_label = _("Geen knooppunt")
        self.fields["owner"].queryset = get_user_model().objects.filter(memberships__project=project)
        self.fields["owner"].empty_label = _("Nog niemand")
        self.fields["kind"].error_messages["invalid_choice"] = _("Kies een soort uit de lijst.")
        self.fields["knooppunt"].error_messages["invalid_choice"] = _("Dit knooppunt bestaat niet.")
        self.fields["owner"].error_messages["invalid_choice"] = _("Kies een eigenaar uit het team.")
        self.fields["owner"].help_text = _("Nodig bij een actie.")
        self.fields["due_date"].help_text = _("Nodig bij een actie.")
        self.fields["due_date"].validators.append(validate_due_date)
        self.fields["document"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument of een afbeelding (PNG, JPG). Hoogstens %(mb)s MB."
        ) % {"mb": settings.MAX_UPLOAD_MB}

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            check_document(upload)
        return upload

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == EntryKind.DOCUMENT and not data.get("document") and "document" not in self.errors:
            self.add_error("document", _("Kies het bestand dat u wilt bewaren."))
        if kind == EntryKind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Vul de link in."))
        if kind == EntryKind.ACTIE:
            if not data.get("owner") and "owner" not in self.errors:
                self.add_error("owner", _("Kies wie de actie uitvoert."))
            if not data.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", _("Vul in wanneer de actie uiterlijk klaar moet zijn."))
        else:
            data["owner"], data["due_date"] = None, None
        return data

    def save(self, commit: bool = True) -> LogboekEntry:
        entry = super().save(commit=False)
        entry.project = self.project
        upload = self.cleaned_data.get("document")
        if upload and entry.kind == EntryKind.DOCUMENT:
            entry.file = upload
            entry.file_name = upload.name[:255]
            entry.file_size = upload.size
        if commit:
            entry.save()
        return entry


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices, initial=Role.TEAMLID)

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if Membership.objects.filter(project=self.project, user__email__iexact=email).exists():
            raise forms.ValidationError(_("Deze persoon is al lid van het project."))
        return email


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    is_facilitator = forms.BooleanField(label=_("Facilitator"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Projectexport (.json)"),
        help_text=_(
            "Het bestand dat u downloadde bij Rapport en export van een project, hier of in een andere installatie."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Dit bestand is te groot. Een export mag hier hoogstens %(mb)s MB zijn.") % {"mb": MAX_IMPORT_MB}
            )
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if data.get("file"):
            try:
                data["data"] = parse_json(data["file"].read())
            except forms.ValidationError as error:
                self.add_error("file", error)
        return data


class GemeenteRequestForm(forms.Form):
    name = forms.CharField(label=_("Naam van de gemeente"), max_length=120)
    cbs_code = forms.RegexField(
        label=_("CBS-code"),
        regex=r"^GM\d{4}$",
        required=False,
        help_text=_("GM en vier cijfers. Die vindt u bij het CBS."),
        error_messages={"invalid": _("Een CBS-code is GM met vier cijfers, zoals op de lijst van het CBS.")},
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        existing = Gemeente.objects.named_like(name)
        if existing:
            raise forms.ValidationError(
                _("De gemeente %(name)s bestaat al in Wijkkompas. Vraag toegang aan bij die gemeente.")
                % {"name": existing.name}
            )
        return name

    def clean_cbs_code(self) -> str:
        return self.cleaned_data["cbs_code"].upper()


class AccessRequestForm(forms.Form):
    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Gemeente.objects.none(), empty_label=_("Kies een gemeente")
    )
    message = forms.CharField(
        label=_("Toelichting voor de programmamanager"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Every verified gemeente: the names of municipalities are public, their projects are not.
        self.fields["gemeente"].queryset = Gemeente.objects.verified()
        self.fields["gemeente"].error_messages["invalid_choice"] = _("Kies een gemeente uit de lijst.")
        self.fields["gemeente"].error_messages["required"] = _("Kies de gemeente waar u bij wilt.")


class GemeenteMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(
        label=_("Rol in de gemeente"), choices=GemeenteRole.choices, initial=GemeenteRole.MEDEWERKER
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].error_messages["invalid_choice"] = _("Kies een rol uit de lijst.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _("Er is geen account met dit e-mailadres. Vraag de persoon een account te maken en toegang te vragen.")
            )
        self.user = user
        return email


class GemeenteRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol in de gemeente"), choices=GemeenteRole.choices)


class PortfolioFilterForm(forms.Form):
    fase = forms.TypedChoiceField(label=_("Fase"), required=False, coerce=int, empty_value=None)
    achterstallig = forms.BooleanField(label=_("Met achterstallige acties"), required=False)
    stil = forms.BooleanField(label=_("Lang niets veranderd"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, fasen, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fase"].choices = [("", _("Alle fasen"))] + [(f.number, f"{f.number}. {f.name}") for f in fasen]
