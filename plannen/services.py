"""Changes to a plan that touch several rows: quoting a decision, freezing a version."""

from __future__ import annotations

from django.db import transaction
from django.utils import formats

from projects.models import LogboekEntry

from .models import Citaat, Hoofdstuk, HoofdstukTekst, Plan, PlanVersie


def quote_markdown(entry: LogboekEntry) -> str:
    """The Markdown a quote adds: the entry's title, its kind and date, linked to the logboek."""
    date = formats.date_format(entry.created_at, "j F Y")
    return f"> {entry.title} ([{entry.get_kind_display().lower()} van {date}]({entry.get_absolute_url()}))"


@transaction.atomic
def chapter_quote(*, tekst: HoofdstukTekst, text: str, entry: LogboekEntry, seen_version: int, by) -> bool:
    """Save `text`, the chapter as the writer has it now, with a quote of the entry at the end,
    and track the quote for the appendix. False (and nothing changed) when someone saved the
    chapter since `seen_version`."""
    text = text.rstrip()
    # No newline at the end: the chapter form strips it, and a comparison would count it.
    text = f"{text}\n\n{quote_markdown(entry)}" if text else quote_markdown(entry)
    if not tekst.save_text(text, seen_version=seen_version, by=by):
        return False
    Citaat.objects.get_or_create(tekst=tekst, entry=entry)
    return True


@transaction.atomic
def plan_freeze(*, plan: Plan, kind: str, by) -> PlanVersie:
    """Freeze the current texts of all chapters as a version of `kind`."""
    texts = {t.hoofdstuk_id: t.text for t in plan.teksten.all()}
    chapters = [
        {"hoofdstuk": h.pk, "title": h.title, "text": texts.get(h.pk, "")}
        for h in Hoofdstuk.objects.order_by("order", "id")
    ]
    return PlanVersie.objects.create(plan=plan, kind=kind, frozen_by=by, chapters=chapters)
