from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .documents import check_document
from .exchange import MAX_IMPORT_MB, parse_json
from .models import EntryKind, Gemeente, LogEntry, Membership, Project, Role, Status

MAX_NOTE_LENGTH = 2000


class ProjectForm(forms.ModelForm):
    gemeente_name = forms.CharField(
        label=_("Gemeente"),
        max_length=120,
        help_text=_("De gemeente die de regie heeft. Bestaat ze nog niet in Wijkkompas, dan maken we haar aan."),
    )

    class Meta:
        model = Project
        fields = ["name", "description", "start_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["gemeente_name", "name", "description", "start_date"])
        if self.instance.pk:
            self.fields["gemeente_name"].initial = self.instance.gemeente.name

    def clean_gemeente_name(self) -> str:
        return " ".join(self.cleaned_data["gemeente_name"].split())

    def gemeente(self) -> Gemeente:
        name = self.cleaned_data["gemeente_name"]
        return Gemeente.objects.filter(name__iexact=name).first() or Gemeente.objects.create(name=name)


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


class LogEntryForm(forms.ModelForm):
    document = forms.FileField(label=_("Bestand"), required=False)

    class Meta:
        model = LogEntry
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

    def save(self, commit: bool = True) -> LogEntry:
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
