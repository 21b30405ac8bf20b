"""A project's data leaving Wijkkompas and coming back: CSV for spreadsheets, JSON for a move
to another installation or a backup of one project.

CSV files are written for Dutch Excel: UTF-8 with a byte order mark (so Excel reads the
accents right) and a semicolon between cells (the list separator of Dutch Windows, where the
comma is the decimal sign). A cell that a spreadsheet would run as a formula gets a quote in
front of it.

The JSON export holds everything of a project and its sub-projects: members, statuses, the
whole status history, and the logbook with its documents embedded in base64. People are
named by email address. An import links them to the accounts of the target installation by
that address; it never creates accounts. Someone without an account there loses the link
(the history keeps the fact, not the name), and the importer is told who that was.
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from knooppunten.models import Knooppunt

from .documents import check_document
from .models import (
    EntryKind,
    Gemeente,
    GemeenteMembership,
    GemeenteRole,
    KnooppuntStatus,
    LogboekEntry,
    Membership,
    Project,
    Role,
    StatusChange,
)

FORMAT = "wijkkompas-project"
VERSION = 1
# A file uploaded on the import page may be this large (documents in base64 grow by a third).
# The import_project command has no limit.
MAX_IMPORT_MB = 100
# A longer list of problems helps nobody: the first ones show what is wrong with the file.
MAX_PROBLEMS = 20
MAX_DEPTH = 10  # levels of sub-projects


# CSV


def safe_cell(value: Any) -> str:
    """The text of a cell, with a quote in front of anything a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def write_csv(out: IO[str], header: list[str], rows: Iterable[list[Any]]) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])


def local_datetime(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def person(user) -> str:
    return str(user) if user else ""


STATUS_HEADER = ["code", "titel", "fase", "sporen", "status", "toelichting", "gewijzigd op", "gewijzigd door"]


def status_rows(project: Project) -> Iterator[list[Any]]:
    """Every published knooppunt with this project's status; niet gestart where nothing was recorded."""
    statuses = {row.knooppunt_id: row for row in project.statuses.select_related("changed_by")}
    for knooppunt in Knooppunt.objects.published().for_cards().order_by("code"):
        row = statuses.get(knooppunt.pk) or KnooppuntStatus(changed_at=None)
        yield [
            knooppunt.code,
            knooppunt.title,
            f"{knooppunt.fase.number}. {knooppunt.fase.name}",
            ", ".join(spoor.letter for spoor in knooppunt.sporen.all()),
            row.get_status_display(),
            row.note,
            local_datetime(row.changed_at),
            person(row.changed_by),
        ]


LOGBOEK_HEADER = [
    "soort",
    "titel",
    "toelichting",
    "knooppunt",
    "gemaakt op",
    "gemaakt door",
    "eigenaar",
    "uiterlijk klaar op",
    "klaar",
    "link",
    "bestandsnaam",
]


def logboek_rows(project: Project) -> Iterator[list[Any]]:
    entries = LogboekEntry.objects.filter(project=project).for_list().order_by("created_at", "id")
    for entry in entries:
        is_action = entry.kind == EntryKind.ACTIE
        yield [
            entry.get_kind_display(),
            entry.title,
            entry.body,
            entry.knooppunt.code if entry.knooppunt else "",
            local_datetime(entry.created_at),
            person(entry.created_by),
            person(entry.owner),
            entry.due_date.isoformat() if entry.due_date else "",
            (_("ja") if entry.is_done else _("nee")) if is_action else "",
            entry.url,
            entry.file_name,
        ]


# JSON export


def email_of(user) -> str | None:
    return user.email if user else None


def name_of(user) -> str | None:
    """For people reading the export; an import links people by email only."""
    return user.display_name if user else None


@dataclass
class Section:
    """A part of a project that another app owns (plannen: the Wijkuitvoeringsplan). That app
    registers it from its AppConfig.ready(), so this module never imports it.

    export(project, entry_index) -> JSON data; entry_index maps a logboek entry's pk to its
        place in the export's "logboek" list, which is how the data refers to an entry.
    read(value, reader, where) -> checked data (unsaved), reporting problems through the reader.
    write(project, data, entries, users) after the project and its logboek (in export order)
        are written; users maps a lowercased email to this installation's account.
    """

    export: Any
    read: Any
    write: Any


SECTIONS: dict[str, Section] = {}


def register_section(key: str, section: Section) -> None:
    SECTIONS[key] = section


def project_export(project: Project) -> dict:
    """The whole project and its sub-projects as plain JSON data (see project_import)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "project": _project_data(project),
    }


def _project_data(project: Project) -> dict:
    members = project.memberships.select_related("user").order_by("joined_at", "id")
    statuses = project.statuses.select_related("knooppunt", "changed_by").order_by("knooppunt__code")
    history = project.status_changes.select_related("knooppunt", "changed_by").order_by("changed_at", "id")
    entries = list(project.logboek_entries.for_list().order_by("created_at", "id"))
    entry_index = {entry.pk: i for i, entry in enumerate(entries)}
    return {
        "name": project.name,
        "description": project.description,
        "start_date": project.start_date.isoformat(),
        "created_at": project.created_at.isoformat(),
        "gemeente": {"name": project.gemeente.name, "cbs_code": project.gemeente.cbs_code},
        "members": [
            {
                "email": m.user.email,
                "name": m.user.display_name,
                "role": m.role,
                "is_facilitator": m.is_facilitator,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in members
        ],
        "statuses": [
            {
                "knooppunt": s.knooppunt.code,
                "status": s.status,
                "note": s.note,
                "changed_at": s.changed_at.isoformat(),
                "changed_by": email_of(s.changed_by),
                "changed_by_name": name_of(s.changed_by),
            }
            for s in statuses
        ],
        "history": [
            {
                "knooppunt": c.knooppunt.code,
                "old_status": c.old_status,
                "new_status": c.new_status,
                "note": c.note,
                "changed_at": c.changed_at.isoformat(),
                "changed_by": email_of(c.changed_by),
                "changed_by_name": name_of(c.changed_by),
            }
            for c in history
        ],
        "logboek": [_entry_data(entry) for entry in entries],
        **{key: section.export(project, entry_index) for key, section in SECTIONS.items()},
        "subprojects": [
            _project_data(sub) for sub in project.subprojects.select_related("gemeente").order_by("created_at", "id")
        ],
    }


def _entry_data(entry: LogboekEntry) -> dict:
    document = None
    if entry.file:
        with entry.file.open("rb") as handle:
            content = handle.read()
        document = {"name": entry.file_name, "size": len(content), "content": base64.b64encode(content).decode()}
    return {
        "kind": entry.kind,
        "title": entry.title,
        "body": entry.body,
        "knooppunt": entry.knooppunt.code if entry.knooppunt else None,
        "created_at": entry.created_at.isoformat(),
        "created_by": email_of(entry.created_by),
        "created_by_name": name_of(entry.created_by),
        "owner": email_of(entry.owner),
        "owner_name": name_of(entry.owner),
        "due_date": entry.due_date.isoformat() if entry.due_date else None,
        "is_done": entry.is_done,
        "url": entry.url,
        "document": document,
    }


# JSON import: read and check everything first, then write it all in one transaction.


@dataclass
class Document:
    name: str
    content: bytes


@dataclass
class ImportedProject:
    project: Project  # not saved yet; its gemeente is looked up or made when it is written
    gemeente: dict
    members: list[tuple[str, Membership]] = field(default_factory=list)
    statuses: list[tuple[str, str | None, KnooppuntStatus]] = field(default_factory=list)
    history: list[tuple[str, str | None, StatusChange]] = field(default_factory=list)
    # (knooppunt code, created_by email, owner email, entry, document)
    entries: list[tuple[str | None, str | None, str | None, LogboekEntry, Document | None]] = field(
        default_factory=list
    )
    subprojects: list[ImportedProject] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)  # checked data of the registered SECTIONS


class Reader:
    """Walks the JSON data, turns it into unsaved model objects and collects every problem
    with the place where it was found, so the importer can fix the file in one go.

    Each value is checked for its JSON type first; Django's field checks then judge the
    content (choices, lengths, dates, web addresses), without a query.
    """

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.codes: set[str] = set()
        self.emails: set[str] = set()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def as_dict(self, value: Any, where: str) -> dict | None:
        if not isinstance(value, dict):
            self.problem(where, _("hier hoort een object met velden ({...})."))
            return None
        return value

    def as_list(self, node: dict, key: str, where: str) -> list:
        value = node.get(key, [])
        if not isinstance(value, list):
            self.problem(where, _("'%(key)s' moet een lijst zijn ([...]).") % {"key": key})
            return []
        return value

    def text(self, node: dict, key: str, where: str, *, required: bool = False) -> str:
        value = node.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(where, _("'%(key)s' moet een tekst zijn.") % {"key": key})
            return ""
        return value

    def optional_text(self, node: dict, key: str, where: str) -> str | None:
        """A date or a moment as text (Django's field check reads it), or None when it is absent."""
        value = node.get(key)
        if value is not None and not isinstance(value, str):
            self.problem(where, _("'%(key)s' moet een datum als tekst zijn, zoals 2025-03-01.") % {"key": key})
            return None
        return value

    def flag(self, node: dict, key: str, where: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.problem(where, _("'%(key)s' moet true of false zijn.") % {"key": key})
            return False
        return value

    def email(self, node: dict, key: str, where: str, *, required: bool = False) -> str | None:
        value = node.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or "@" not in value or len(value) > 254:
            self.problem(where, _("'%(key)s' moet een e-mailadres zijn.") % {"key": key})
            return None
        self.emails.add(value.lower())
        return value.lower()

    def code(self, node: dict, key: str, where: str, *, required: bool = True) -> str | None:
        value = node.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value or len(value) > 20:
            self.problem(where, _("'%(key)s' moet de code van een knooppunt zijn.") % {"key": key})
            return None
        self.codes.add(value)
        return value

    def check(self, instance: models.Model, where: str, exclude: list[str]) -> None:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.problem(where, f"'{name}': {message}")
        for name in ("changed_at", "created_at", "joined_at"):
            moment = getattr(instance, name, None)
            if isinstance(moment, datetime) and timezone.is_naive(moment):
                setattr(instance, name, timezone.make_aware(moment))

    def project(self, value: Any, where: str, *, depth: int = 0) -> ImportedProject | None:
        node = self.as_dict(value, where)
        if node is None:
            return None
        if depth > MAX_DEPTH:
            self.problem(where, _("deelprojecten gaan hoogstens %(n)s lagen diep.") % {"n": MAX_DEPTH})
            return None
        gemeente = self.as_dict(node.get("gemeente"), f"{where}, gemeente") or {}
        gemeente = {
            "name": " ".join(self.text(gemeente, "name", f"{where}, gemeente", required=True).split())[:120],
            "cbs_code": self.text(gemeente, "cbs_code", f"{where}, gemeente").strip()[:10],
        }
        project = Project(
            name=self.text(node, "name", where, required=True),
            description=self.text(node, "description", where),
            start_date=self.optional_text(node, "start_date", where),
            created_at=self.optional_text(node, "created_at", where),
        )
        self.check(project, where, exclude=["gemeente", "parent"])
        name = project.name or where
        imported = ImportedProject(project=project, gemeente=gemeente)
        self.members(node, name, imported)
        self.statuses(node, name, imported)
        self.history(node, name, imported)
        self.entries(node, name, imported)
        for key, section in SECTIONS.items():
            if node.get(key) is not None:  # an export without it (older, or from elsewhere) is fine
                imported.sections[key] = section.read(node[key], self, f"{name}, {key}")
        for i, sub in enumerate(self.as_list(node, "subprojects", name), start=1):
            child = self.project(sub, _("deelproject %(n)s van %(name)s") % {"n": i, "name": name}, depth=depth + 1)
            if child:
                imported.subprojects.append(child)
        return imported

    def members(self, node: dict, name: str, imported: ImportedProject) -> None:
        seen = set()
        for i, value in enumerate(self.as_list(node, "members", name), start=1):
            where = _("%(name)s, lid %(n)s") % {"name": name, "n": i}
            member = self.as_dict(value, where)
            if member is None:
                continue
            email = self.email(member, "email", where, required=True)
            if email and email in seen:
                self.problem(where, _("%(email)s staat twee keer in het team.") % {"email": email})
            seen.add(email)
            membership = Membership(
                role=self.text(member, "role", where, required=True),
                is_facilitator=self.flag(member, "is_facilitator", where),
                joined_at=self.optional_text(member, "joined_at", where) or timezone.now(),
            )
            self.check(membership, where, exclude=["project", "user"])
            if email:
                imported.members.append((email, membership))

    def statuses(self, node: dict, name: str, imported: ImportedProject) -> None:
        seen = set()
        for i, value in enumerate(self.as_list(node, "statuses", name), start=1):
            where = _("%(name)s, status %(n)s") % {"name": name, "n": i}
            status = self.as_dict(value, where)
            if status is None:
                continue
            code = self.code(status, "knooppunt", where)
            if code and code in seen:
                self.problem(where, _("knooppunt %(code)s heeft twee statussen.") % {"code": code})
            seen.add(code)
            row = KnooppuntStatus(
                status=self.text(status, "status", where, required=True),
                note=self.text(status, "note", where),
                changed_at=self.optional_text(status, "changed_at", where),
            )
            self.check(row, where, exclude=["project", "knooppunt", "changed_by"])
            by = self.email(status, "changed_by", where)
            if code:
                imported.statuses.append((code, by, row))

    def history(self, node: dict, name: str, imported: ImportedProject) -> None:
        for i, value in enumerate(self.as_list(node, "history", name), start=1):
            where = _("%(name)s, statuswijziging %(n)s") % {"name": name, "n": i}
            change = self.as_dict(value, where)
            if change is None:
                continue
            code = self.code(change, "knooppunt", where)
            row = StatusChange(
                old_status=self.text(change, "old_status", where, required=True),
                new_status=self.text(change, "new_status", where, required=True),
                note=self.text(change, "note", where),
                changed_at=self.optional_text(change, "changed_at", where),
            )
            self.check(row, where, exclude=["project", "knooppunt", "changed_by"])
            by = self.email(change, "changed_by", where)
            if code:
                imported.history.append((code, by, row))

    def entries(self, node: dict, name: str, imported: ImportedProject) -> None:
        for i, value in enumerate(self.as_list(node, "logboek", name), start=1):
            where = _("%(name)s, logboekregel %(n)s") % {"name": name, "n": i}
            item = self.as_dict(value, where)
            if item is None:
                continue
            code = self.code(item, "knooppunt", where, required=False)
            entry = LogboekEntry(
                kind=self.text(item, "kind", where, required=True),
                title=self.text(item, "title", where, required=True),
                body=self.text(item, "body", where),
                created_at=self.optional_text(item, "created_at", where),
                due_date=self.optional_text(item, "due_date", where),
                is_done=self.flag(item, "is_done", where),
                url=self.text(item, "url", where),
            )
            self.check(entry, where, exclude=["project", "knooppunt", "created_by", "owner", "file"])
            created_by = self.email(item, "created_by", where)
            owner = self.email(item, "owner", where)
            document = self.document(item.get("document"), where)
            imported.entries.append((code, created_by, owner, entry, document))

    def document(self, value: Any, where: str) -> Document | None:
        if value is None:
            return None
        where = f"{where}, document"
        node = self.as_dict(value, where)
        if node is None:
            return None
        file_name = self.text(node, "name", where, required=True)
        content = node.get("content")
        try:
            if not isinstance(content, str):
                raise ValueError
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            self.problem(where, _("de inhoud is geen geldige base64-tekst."))
            return None
        if node.get("size") != len(data):
            self.problem(where, _("het bestand is niet compleet: de grootte klopt niet."))
            return None
        try:
            check_document(SimpleUploadedFile(file_name or "document", data))
        except ValidationError as error:
            for message in error.messages:
                self.problem(where, message)
            return None
        return Document(name=file_name[:255], content=data)


def read_export(data: Any) -> tuple[ImportedProject, set[str]]:
    """Check an export completely, without writing. Raises a ValidationError listing what is wrong."""
    reader = Reader()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(_("Dit is geen projectexport van Wijkkompas."))
    version = data.get("version")
    if type(version) is not int:
        raise ValidationError(_("Het versienummer van deze export ontbreekt of is geen getal."))
    if version != VERSION:
        raise ValidationError(
            _("Deze export heeft versie %(found)s. Deze installatie kan versie %(version)s lezen.")
            % {"found": version, "version": VERSION}
        )
    imported = reader.project(data.get("project"), _("project"))
    known = set(Knooppunt.objects.filter(code__in=reader.codes).values_list("code", flat=True))
    unknown = sorted(reader.codes - known)
    if unknown:
        reader.problem(
            "",
            _("Deze knooppunten bestaan niet in deze installatie: %(codes)s. Laad eerst dezelfde kompasinhoud.")
            % {"codes": ", ".join(unknown)},
        )
    if reader.problems or imported is None:
        problems = reader.problems[:MAX_PROBLEMS]
        if len(reader.problems) > MAX_PROBLEMS:
            problems.append(_("En nog %(n)s andere problemen.") % {"n": len(reader.problems) - MAX_PROBLEMS})
        raise ValidationError(problems or [_("Er staat geen project in deze export.")])
    return imported, reader.emails


@transaction.atomic
def project_import(*, data: Any, by) -> Project:
    """Create a new project (with its sub-projects) from a project_export.

    Nothing is written when anything in the data is wrong. The importer becomes projectleider
    of every imported project. The returned project has `unlinked_emails`: the people in the
    export who have no account in this installation.
    """
    imported, emails = read_export(data)
    users = {
        user.email_lower: user
        for user in get_user_model().objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    knooppunten = dict(Knooppunt.objects.filter(code__in=_codes_in(imported)).values_list("code", "pk"))
    stored: list[str] = []
    try:
        project = _write(imported, parent=None, by=by, users=users, knooppunten=knooppunten, stored=stored)
    except Exception:
        # The transaction undoes the rows; the documents already stored must go as well.
        for name in stored:
            LogboekEntry.file.field.storage.delete(name)
        raise
    project.unlinked_emails = sorted(emails - set(users))
    return project


def _codes_in(imported: ImportedProject) -> set[str]:
    codes = {code for code, _by, _row in imported.statuses} | {code for code, _by, _row in imported.history}
    codes |= {entry[0] for entry in imported.entries if entry[0]}
    for sub in imported.subprojects:
        codes |= _codes_in(sub)
    return codes


def _gemeente(data: dict, *, by) -> Gemeente:
    """The same municipality in this installation: by CBS code, then by name (case and spaces
    ignored). The importer must be a member of it: naming a gemeente gives no way into it. One
    that is missing is made as a request of the importer (unverified, see services.gemeente_request)."""
    found = None
    if data["cbs_code"]:
        found = Gemeente.objects.filter(cbs_code__iexact=data["cbs_code"]).first()
    found = found or Gemeente.objects.named_like(data["name"])
    if found is None:
        found = Gemeente.objects.create(
            name=data["name"], cbs_code=data["cbs_code"], is_verified=False, requested_by=by
        )
        GemeenteMembership.objects.create(gemeente=found, user=by, role=GemeenteRole.PROGRAMMAMANAGER)
    elif not GemeenteMembership.objects.filter(gemeente=found, user=by).exists():
        raise ValidationError(
            _("Dit project hoort bij de gemeente %(name)s, en daar bent u geen lid van. Vraag eerst toegang aan.")
            % {"name": found.name}
        )
    return found


def _write(
    imported: ImportedProject, *, parent: Project | None, by, users: dict, knooppunten: dict, stored: list[str]
) -> Project:
    project = imported.project
    project.gemeente = _gemeente(imported.gemeente, by=by)
    project.parent = parent
    if Project.objects.filter(gemeente=project.gemeente, name=project.name).exists():
        # Read in beside the project it came from: a name that tells the two apart in Mijn
        # projecten and the portfolio.
        suffix = _(" (ingelezen op %(date)s)") % {"date": date_format(timezone.localdate(), "j F Y")}
        project.name = project.name[: Project._meta.get_field("name").max_length - len(suffix)] + suffix
    created_at = project.created_at
    project.save()
    if created_at:  # auto_now_add ignores the given value on save
        Project.objects.filter(pk=project.pk).update(created_at=created_at)
        project.created_at = created_at

    memberships = []
    for email, membership in imported.members:
        user = users.get(email)
        if user is None or user == by:
            continue
        membership.project, membership.user = project, user
        memberships.append(membership)
    mine = next((m for email, m in imported.members if users.get(email) == by), None)
    memberships.append(
        Membership(
            project=project,
            user=by,
            role=Role.PROJECTLEIDER,
            is_facilitator=mine.is_facilitator if mine else False,
            joined_at=mine.joined_at if mine else timezone.now(),
        )
    )
    joined = {m.user_id: m.joined_at for m in memberships}
    Membership.objects.bulk_create(memberships)
    for user_id, joined_at in joined.items():
        Membership.objects.filter(project=project, user_id=user_id).update(joined_at=joined_at)

    for code, email, row in imported.statuses:
        row.project, row.knooppunt_id, row.changed_by = project, knooppunten[code], users.get(email)
    KnooppuntStatus.objects.bulk_create([row for _code, _email, row in imported.statuses])
    for code, email, row in imported.history:
        row.project, row.knooppunt_id, row.changed_by = project, knooppunten[code], users.get(email)
    StatusChange.objects.bulk_create([row for _code, _email, row in imported.history])

    entries = []
    for code, created_by, owner, entry, document in imported.entries:
        entry.project = project
        entry.knooppunt_id = knooppunten[code] if code else None
        entry.created_by, entry.owner = users.get(created_by), users.get(owner)
        if document:
            entry.file.save(document.name, ContentFile(document.content), save=False)
            stored.append(entry.file.name)
            entry.file_name, entry.file_size = document.name, len(document.content)
        entries.append(entry)
    LogboekEntry.objects.bulk_create(entries)
    for key, data in imported.sections.items():
        if data is not None:
            SECTIONS[key].write(project, data, entries, users)

    for sub in imported.subprojects:
        _write(sub, parent=project, by=by, users=users, knooppunten=knooppunten, stored=stored)
    return project


def parse_json(raw: bytes) -> Any:
    """The data in an uploaded export, or a ValidationError in plain Dutch."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError(_("Dit bestand is geen tekst. Kies het .json-bestand van een projectexport.")) from None
    except (json.JSONDecodeError, RecursionError):
        raise ValidationError(
            _("Dit bestand is geen geldig JSON-bestand. Kies een projectexport van Wijkkompas.")
        ) from None
