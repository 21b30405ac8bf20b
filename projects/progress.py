"""Progress of a project through the kompas, and what to pick up next ("Wat nu?").

Everything here works on data the view has already loaded (the knooppunten with their
phase and sporen, and the project's statuses), so a page costs the same number of queries
whatever the size of the kompas. The published kompas itself is kept in memory
(`knooppunten.kompas`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from knooppunten.kompas import Kompas
from knooppunten.models import Fase, Knooppunt, Spoor, Track

from .models import KnooppuntStatus, Status

# The order of the statuses in the tables, the bars and their legend.
LEGEND = [
    Status.AFGEROND,
    Status.BEZIG,
    Status.GEPAUZEERD,
    Status.HERZIEN,
    Status.NIET_VAN_TOEPASSING,
    Status.NIET_GESTART,
]


def legend() -> list[tuple[str, str]]:
    """(status, label) in the order of the columns, the bars and their legend."""
    return [(status, Status(status).label) for status in LEGEND]


@dataclass
class Tally:
    """How many knooppunten have each status."""

    counts: Counter = field(default_factory=Counter)

    def add(self, status: str) -> None:
        self.counts[status] += 1

    @property
    def done(self) -> int:
        return self.counts[Status.AFGEROND]

    @property
    def nvt(self) -> int:
        return self.counts[Status.NIET_VAN_TOEPASSING]

    @property
    def busy(self) -> int:
        """Started and not finished: bezig, gepauzeerd or herzien."""
        return sum(self.counts[status] for status in Status.busy())

    @property
    def open(self) -> int:
        return self.counts[Status.NIET_GESTART]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def recorded(self) -> bool:
        """Has the team recorded anything here? Without it, no progress bar is drawn."""
        return self.counts[Status.NIET_GESTART] < self.total

    @property
    def applicable(self) -> int:
        return self.total - self.nvt

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 0

    def per_status(self) -> list[tuple[str, int]]:
        return [(status, self.counts[status]) for status in LEGEND]

    @property
    def key(self) -> str:
        """The counts in the order of the legend: the key of a cached progress row."""
        return " ".join(str(self.counts[status]) for status in LEGEND)

    def segments(self) -> list[tuple[str, float, float]]:
        """(status, x, width) for an SVG bar 100 units wide, in the order of the legend."""
        parts, x = [], 0.0
        for status, count in self.per_status():
            if count:
                width = 100 * count / self.total
                parts.append((status, round(x, 2), round(width, 2)))
                x += width
        return parts


@dataclass
class Progress:
    kompas_version: str = ""  # of the kompas measured: part of the key of a cached row
    overall: Tally = field(default_factory=Tally)
    fasen: list[tuple[Fase, Tally]] = field(default_factory=list)
    sporen: list[tuple[Spoor, Tally]] = field(default_factory=list)
    tracks: list[tuple[Track, Tally]] = field(default_factory=list)

    def rows_of(self, knooppunt: Knooppunt) -> dict[str, list]:
        """The rows a change of this knooppunt's status changes: its phase, sporen and tracks."""
        spoor_pks = {spoor.pk for spoor in knooppunt.sporen.all()}
        tracks = {spoor.track for spoor in knooppunt.sporen.all()}
        return {
            "fase": [row for row in self.fasen if row[0].pk == knooppunt.fase_id],
            "spoor": [row for row in self.sporen if row[0].pk in spoor_pks],
            "track": [row for row in self.tracks if row[0] in tracks],
        }


class StatusRow(NamedTuple):
    """What the navigator shows of a KnooppuntStatus, for less than loading the model costs."""

    status: str
    changed_at: datetime | None = None

    def get_status_display(self) -> str:
        return Status(self.status).label


# A project's statuses by knooppunt pk: models where a page shows more, such as the note.
Statuses = dict[int, KnooppuntStatus | StatusRow]


def project_statuses(project_pk: int, *, dates: bool = True) -> dict[int, StatusRow]:
    """The project's statuses as light rows. The progress needs no dates: without them the
    query costs half as much, for there are no timestamps to read."""
    rows = KnooppuntStatus.objects.filter(project_id=project_pk)
    if not dates:
        return {knooppunt_pk: StatusRow(status) for knooppunt_pk, status in rows.values_list("knooppunt_id", "status")}
    rows = rows.values_list("knooppunt_id", "status", "changed_at")
    return {knooppunt_pk: StatusRow(status, changed_at) for knooppunt_pk, status, changed_at in rows}


def status_of(pk: int, statuses: Statuses) -> str:
    row = statuses.get(pk)
    return row.status if row else Status.NIET_GESTART


def status_in(row: KnooppuntStatus | StatusRow | None) -> Status:
    """The status a project's row records, for a template (`status.label`); no row: not started."""
    return Status(row.status) if row else Status.NIET_GESTART


def measure(kompas: Kompas, statuses: Statuses) -> Progress:
    """Tally the statuses per phase, per spoor and per track."""
    by_fase = {fase.pk: Tally() for fase in kompas.fasen}
    by_spoor = {spoor.pk: Tally() for spoor in kompas.sporen}
    by_track = {track: Tally() for track in Track.values}
    overall = Tally()
    for knooppunt in kompas.knooppunten:
        status = status_of(knooppunt.pk, statuses)
        overall.add(status)
        by_fase[knooppunt.fase_id].add(status)
        sporen = kompas.sporen_of[knooppunt.pk]
        for spoor in sporen:
            by_spoor[spoor.pk].add(status)
        for track in {spoor.track for spoor in sporen}:
            by_track[track].add(status)
    return Progress(
        kompas_version=kompas.version,
        overall=overall,
        fasen=[(fase, by_fase[fase.pk]) for fase in kompas.fasen],
        sporen=[(spoor, by_spoor[spoor.pk]) for spoor in kompas.sporen],
        tracks=[(Track(track), by_track[track]) for track in Track.values],
    )


@dataclass
class Suggestions:
    """Each list holds (knooppunt, why it is suggested)."""

    ready: list[tuple[Knooppunt, str]]  # everything it builds on is done, and it has not started
    in_phase: list[tuple[Knooppunt, str]]  # not started, in the phase the team works in now
    stale: list[tuple[Knooppunt, str]]  # bezig without change for a long time
    current_fase: Fase | None

    def __bool__(self) -> bool:
        return bool(self.ready or self.in_phase or self.stale)


def current_fase(knooppunten: list[Knooppunt], statuses: Statuses) -> Fase | None:
    """The latest phase with work in progress; otherwise the first phase that is not finished."""
    busy = [k.fase for k in knooppunten if status_of(k.pk, statuses) in Status.busy()]
    if busy:
        return max(busy, key=lambda fase: fase.number)
    unfinished = [k.fase for k in knooppunten if status_of(k.pk, statuses) == Status.NIET_GESTART]
    return min(unfinished, key=lambda fase: fase.number) if unfinished else None


def suggest(
    knooppunten: list[Knooppunt], statuses: Statuses, prerequisites: dict[int, set[int]], *, today: date, limit=5
) -> Suggestions:
    """What to pick up next. `prerequisites` maps a knooppunt to the earlier knooppunten it builds on.

    Work counts as stale by the day it last changed, so what this shows changes only with the
    statuses and the date (the navigator caches it under both).
    """
    finished = {Status.AFGEROND, Status.NIET_VAN_TOEPASSING}
    codes = {k.pk: k.code for k in knooppunten}
    not_started = [k for k in knooppunten if status_of(k.pk, statuses) == Status.NIET_GESTART]
    ready = [
        (
            k,
            _("alles waarop het voortbouwt is klaar: %(codes)s")
            % {"codes": ", ".join(sorted(codes[pk] for pk in before))},
        )
        for k in not_started
        if (before := prerequisites.get(k.pk, set()) & codes.keys())
        and all(status_of(pk, statuses) in finished for pk in before)
    ]
    fase = current_fase(knooppunten, statuses)
    ready_pks = {k.pk for k, _reason in ready}
    in_phase = [
        (k, _("nog open in de fase waarin het team nu werkt"))
        for k in not_started
        if fase and k.fase_id == fase.pk and k.pk not in ready_pks
    ]
    stale_since = today - timedelta(weeks=settings.STALE_AFTER_WEEKS)
    stale = []
    for k in knooppunten:
        row = statuses.get(k.pk)
        if row and row.status == Status.BEZIG and (since := timezone.localdate(row.changed_at)) <= stale_since:
            weeks = (today - since).days // 7
            reason = ngettext(
                "al %(weeks)d week bezig zonder verandering", "al %(weeks)d weken bezig zonder verandering", weeks
            )
            stale.append((k, reason % {"weeks": weeks}))
    return Suggestions(ready=ready[:limit], in_phase=in_phase[:limit], stale=stale[:limit], current_fase=fase)


class Column(NamedTuple):
    """A phase of the kompas with a card per knooppunt: the shared knooppunt and this project's
    status, side by side, so no knooppunt of the kompas in memory is copied or changed."""

    fase: Fase
    cards: list[tuple[Knooppunt, Status]]

    @property
    def statuses(self) -> str:
        """The statuses of its cards in order: the key of the column's cached markup."""
        return " ".join(status for _knooppunt, status in self.cards)


@dataclass
class Board:
    """All that a project's voortgang page shows of its statuses."""

    legend: list[tuple[str, str]]  # (status, label) in the order of the bars
    progress: Progress
    suggestions: Suggestions
    columns: list[Column]


def board_of(kompas: Kompas, statuses: Statuses, *, today: date) -> Board:
    return Board(
        legend=legend(),
        progress=measure(kompas, statuses),
        suggestions=suggest(kompas.knooppunten, statuses, kompas.prerequisites, today=today),
        columns=[
            Column(fase, [(k, status_in(statuses.get(k.pk))) for k in knooppunten])
            for fase, knooppunten in kompas.columns
        ],
    )
