"""The plan in the project's JSON export and import (projects/exchange.py calls these through
its SECTIONS hook; projects never imports plannen).

The data refers to a logboek entry by its place in the export's "logboek" list. A quote's link
in a text (/projecten/<pk>/logboek/#regel-<id>) is written as (logboek:<place>) and turned back
into a link to the new entry on import, so a round trip keeps every quote working."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from projects.exchange import Reader, Section, email_of, register_section
from projects.models import Project

from .models import Citaat, Hoofdstuk, HoofdstukTekst, Plan, PlanVersie, VersieSoort

_LOGBOEK_LINK = re.compile(r"\(/projecten/(\d+)/logboek/#regel-(\d+)\)")
_PLACE = re.compile(r"\(logboek:(\d+)\)")


def _portable(text: str, project: Project, entry_index: dict[int, int]) -> str:
    def replace(match: re.Match) -> str:
        place = entry_index.get(int(match.group(2)))
        if int(match.group(1)) != project.pk or place is None:
            return match.group(0)
        return f"(logboek:{place})"

    return _LOGBOEK_LINK.sub(replace, text)


def _local(text: str, entries: list) -> str:
    def replace(match: re.Match) -> str:
        place = int(match.group(1))
        return f"({entries[place].get_absolute_url()})" if place < len(entries) else match.group(0)

    return _PLACE.sub(replace, text)


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def export_plan(project: Project, entry_index: dict[int, int]) -> dict | None:
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        return None
    teksten = plan.teksten.select_related("hoofdstuk", "updated_by").prefetch_related("citaten")
    return {
        "created_at": plan.created_at.isoformat(),
        "chapters": [
            {
                "title": t.hoofdstuk.title,
                "text": _portable(t.text, project, entry_index),
                "version": t.version,
                "updated_at": _moment(t.updated_at),
                "updated_by": email_of(t.updated_by),
                "quotes": [
                    {"logboek": entry_index[c.entry_id], "quoted_at": c.quoted_at.isoformat()}
                    for c in sorted(t.citaten.all(), key=lambda c: (c.quoted_at, c.pk))
                    if c.entry_id in entry_index
                ],
            }
            for t in sorted(teksten, key=lambda t: (t.hoofdstuk.order, t.hoofdstuk_id))
        ],
        "versions": [
            {
                "kind": v.kind,
                "frozen_at": v.frozen_at.isoformat(),
                "frozen_by": email_of(v.frozen_by),
                "chapters": [
                    {"title": c["title"], "text": _portable(c["text"], project, entry_index)} for c in v.chapters
                ],
            }
            for v in plan.versies.select_related("frozen_by")
        ],
    }


def _when(reader: Reader, node: dict, key: str, where: str, *, required: bool = False):
    value = node.get(key)
    if value is None and not required:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        reader.problem(where, _("'%(key)s' moet een moment zijn, zoals 2025-03-01T10:00:00+01:00.") % {"key": key})
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _count(reader: Reader, node: dict, key: str, where: str) -> int:
    value = node.get(key, 0)
    if type(value) is not int or value < 0:
        reader.problem(where, _("'%(key)s' moet een heel getal van 0 of meer zijn.") % {"key": key})
        return 0
    return value


def read_plan(value: Any, reader: Reader, where: str) -> dict | None:
    node = reader.as_dict(value, where)
    if node is None:
        return None
    chapters, versions = [], []
    for i, item in enumerate(reader.as_list(node, "chapters", where), start=1):
        spot = _("%(where)s, hoofdstuk %(n)s") % {"where": where, "n": i}
        item = reader.as_dict(item, spot)
        if item is None:
            continue
        quotes = []
        for quote in reader.as_list(item, "quotes", spot):
            quote = reader.as_dict(quote, spot)
            if quote is not None:
                quotes.append((_count(reader, quote, "logboek", spot), _when(reader, quote, "quoted_at", spot)))
        chapters.append(
            {
                "title": reader.text(item, "title", spot, required=True),
                "text": reader.text(item, "text", spot),
                "version": _count(reader, item, "version", spot),
                "updated_at": _when(reader, item, "updated_at", spot),
                "updated_by": reader.email(item, "updated_by", spot),
                "quotes": quotes,
            }
        )
    for i, item in enumerate(reader.as_list(node, "versions", where), start=1):
        spot = _("%(where)s, versie %(n)s") % {"where": where, "n": i}
        item = reader.as_dict(item, spot)
        if item is None:
            continue
        kind = reader.text(item, "kind", spot, required=True)
        if kind and kind not in VersieSoort.values:
            reader.problem(spot, _("'kind' moet inspraak of vastgesteld zijn."))
        snapshot = []
        for part in reader.as_list(item, "chapters", spot):
            part = reader.as_dict(part, spot)
            if part is not None:
                snapshot.append({"title": reader.text(part, "title", spot), "text": reader.text(part, "text", spot)})
        versions.append(
            {
                "kind": kind,
                "frozen_at": _when(reader, item, "frozen_at", spot, required=True),
                "frozen_by": reader.email(item, "frozen_by", spot),
                "chapters": snapshot,
            }
        )
    titles = {c["title"] for c in chapters}
    missing = sorted(titles - set(Hoofdstuk.objects.filter(title__in=titles).values_list("title", flat=True)))
    if missing:
        reader.problem(
            where,
            _("Deze hoofdstukken bestaan niet in deze installatie: %(titles)s. Maak ze eerst aan in het beheer.")
            % {"titles": ", ".join(missing)},
        )
    return {"created_at": _when(reader, node, "created_at", where), "chapters": chapters, "versions": versions}


def write_plan(project: Project, data: dict, entries: list, users: dict) -> None:
    plan = Plan.objects.create(project=project, created_at=data["created_at"] or timezone.now())
    hoofdstukken = {h.title: h for h in Hoofdstuk.objects.all()}
    for chapter in data["chapters"]:
        tekst = HoofdstukTekst.objects.create(
            plan=plan,
            hoofdstuk=hoofdstukken[chapter["title"]],
            text=_local(chapter["text"], entries),
            version=chapter["version"],
            updated_at=chapter["updated_at"],
            updated_by=users.get(chapter["updated_by"]),
        )
        for place, quoted_at in chapter["quotes"]:
            if place >= len(entries):
                raise ValidationError(
                    _("Een citaat in hoofdstuk %(title)s verwijst naar een logboekregel die niet in de export staat.")
                    % {"title": chapter["title"]}
                )
            Citaat.objects.create(tekst=tekst, entry=entries[place], quoted_at=quoted_at or timezone.now())
    for version in data["versions"]:
        snapshot = [
            {
                "hoofdstuk": hoofdstukken[c["title"]].pk if c["title"] in hoofdstukken else f"titel:{c['title']}",
                "title": c["title"],
                "text": _local(c["text"], entries),
            }
            for c in version["chapters"]
        ]
        PlanVersie.objects.create(
            plan=plan,
            kind=version["kind"],
            frozen_at=version["frozen_at"],
            frozen_by=users.get(version["frozen_by"]),
            chapters=snapshot,
        )


def register() -> None:
    register_section("plan", Section(export=export_plan, read=read_plan, write=write_plan))
