"""What the plan pages read: the chapters with their feeding knooppunten and texts, the
project's statuses, and the evidence from the logboek, each in one query."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from knooppunten.models import Knooppunt
from projects.models import EntryKind, KnooppuntStatus, LogboekEntry, Project, Status

from .models import Citaat, Hoofdstuk, HoofdstukTekst, Plan

EVIDENCE_KINDS = [EntryKind.BESLUIT, EntryKind.ACTIE, EntryKind.DOCUMENT]
SETTLED = {Status.AFGEROND, Status.NIET_VAN_TOEPASSING}


def plan_for(project: Project) -> Plan:
    """The project's plan, made on the first visit."""
    plan, _created = Plan.objects.get_or_create(project=project)
    return plan


def chapters() -> list[Hoofdstuk]:
    """All chapters with their published knooppunten (two queries)."""
    published = Knooppunt.objects.published().order_by("fase__number", "code").only("id", "code", "title", "slug")
    return list(Hoofdstuk.objects.prefetch_related(Prefetch("knooppunten", queryset=published)))


@dataclass
class Chapter:
    hoofdstuk: Hoofdstuk
    tekst: HoofdstukTekst | None
    knooppunten: list = field(default_factory=list)  # (knooppunt, status or None)

    @property
    def open(self) -> list:
        return [k for k, status in self.knooppunten if status is None or status.status not in SETTLED]

    @property
    def text(self) -> str:
        return self.tekst.text if self.tekst else ""


def project_statuses(project_pk: int) -> dict[int, KnooppuntStatus]:
    return {s.knooppunt_id: s for s in KnooppuntStatus.objects.filter(project_id=project_pk)}


def plan_chapters(plan: Plan, statuses: dict[int, KnooppuntStatus] | None = None) -> list[Chapter]:
    """Every chapter of the plan with its text and the status of each feeding knooppunt."""
    if statuses is None:
        statuses = project_statuses(plan.project_id)
    texts = {t.hoofdstuk_id: t for t in plan.teksten.all()}
    return [Chapter(h, texts.get(h.pk), [(k, statuses.get(k.pk)) for k in h.knooppunten.all()]) for h in chapters()]


def evidence(project: Project, hoofdstuk: Hoofdstuk) -> list[LogboekEntry]:
    """Decisions, actions and documents of the project tied to the chapter's knooppunten."""
    knooppunt_pks = [k.pk for k in hoofdstuk.knooppunten.all()]
    return list(
        LogboekEntry.objects.filter(project=project, knooppunt_id__in=knooppunt_pks, kind__in=EVIDENCE_KINDS)
        .select_related("knooppunt")
        .order_by("-created_at", "-id")
    )


def quoted_decisions(plan: Plan) -> list[Citaat]:
    """The appendix: every quoted logboek entry, by date, with its chapter."""
    return list(
        Citaat.objects.filter(tekst__plan=plan)
        .select_related("entry", "tekst__hoofdstuk")
        .order_by("entry__created_at", "entry_id", "tekst__hoofdstuk__order")
    )


@dataclass
class Checklist:
    items: list[tuple[str, bool]]

    @property
    def ready(self) -> bool:
        return all(done for _label, done in self.items)


def checklist(chapter_list: list[Chapter], *, has_inspraak: bool, has_quotes: bool) -> Checklist:
    """Klaar voor de raad? It informs; nothing waits for it."""
    return Checklist(
        [
            (_("Elk hoofdstuk heeft tekst"), all(c.text.strip() for c in chapter_list)),
            (
                _("De knooppunten achter elk hoofdstuk zijn afgerond of niet van toepassing"),
                not any(c.open for c in chapter_list),
            ),
            (_("Het plan noemt besluiten uit het logboek"), has_quotes),
            (_("Er is een inspraakversie vastgelegd"), has_inspraak),
        ]
    )


# A word with the spaces after it, so that a change of two words in a row reads as one change; a
# line break on its own, so that the last word of a line matches the same word without one.
_WORDS = re.compile(r"\n|\S+[^\S\n]*|[^\S\n]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces, op one of "same", "del", "ins": what changed, word by word."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                pieces.append(("del", "".join(a[i1:i2])))
            if j2 > j1:
                pieces.append(("ins", "".join(b[j1:j2])))
    return pieces
