"""The portfolio of a gemeente: one row per project, for the programme manager to steer by.

The rows are built from four queries whatever the number of projects: the projects with their
annotations (`Project.objects.for_portfolio`), their statuses counted per phase, their closed
APK sessions and the people who made the last changes. The rest is arithmetic on what those
return. The page caches its table (wijkkompas/caching.py), so the rows are only built when a
project of the gemeente has changed since: `Portfolio.rows` is computed on first use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from hashlib import md5

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knooppunten.kompas import Kompas
from knooppunten.models import Fase

from .models import Gemeente, KnooppuntStatus, Membership, Project, Status
from .progress import Tally

# A difference in APK score smaller than this is "about the same" (as apk.results.TREND_THRESHOLD).
APK_TREND_THRESHOLD = 10

SORTS = {
    "naam": _("Project"),
    "fase": _("Fase"),
    "voortgang": _("Afgerond"),
    "gewijzigd": _("Laatste wijziging"),
    "open": _("Open acties"),
    "achterstallig": _("Achterstallig"),
    "apk": _("Laatste APK"),
}


@dataclass
class ApkResult:
    date: date
    score: int | None
    trend: str = ""  # beter, gelijk, slechter; empty without an earlier score

    @property
    def trend_label(self) -> str:
        return {"beter": _("beter"), "gelijk": _("gelijk"), "slechter": _("slechter")}.get(self.trend, "")


@dataclass
class Row:
    project: Project
    depth: int  # 0 for a main project, 1 for its sub-project, ...
    overall: Tally
    fasen: list[tuple[Fase, Tally]]
    current_fase: Fase | None
    last_change_at: datetime | None
    last_change_by: object | None
    apk: ApkResult | None
    children: list[Row] = field(default_factory=list)

    @property
    def open_actions(self) -> int:
        return self.project.open_actions

    @property
    def overdue_actions(self) -> int:
        return self.project.overdue_actions

    @property
    def counts(self) -> dict[str, int]:
        """The knooppunten of the published kompas per status, by the names the CSV uses."""
        counts = self.overall.counts
        return {
            "afgerond": counts[Status.AFGEROND],
            "bezig": counts[Status.BEZIG],
            "gepauzeerd": counts[Status.GEPAUZEERD],
            "herzien": counts[Status.HERZIEN],
            "nvt": counts[Status.NIET_VAN_TOEPASSING],
        }

    @property
    def percent_done(self) -> int:
        return self.overall.percent_done

    def is_quiet(self, today: date) -> bool:
        """Nothing changed for STALE_AFTER_WEEKS weeks (a project newer than that is not quiet)."""
        since = today - timedelta(weeks=settings.STALE_AFTER_WEEKS)
        moment = self.last_change_at or self.project.created_at
        return timezone.localdate(moment) <= since


def current_fase(fasen: list[tuple[Fase, Tally]]) -> Fase | None:
    """As projects.progress.current_fase: the latest phase with work in progress, otherwise the
    first phase with a knooppunt not started."""
    busy = [fase for fase, tally in fasen if tally.busy]
    if busy:
        return max(busy, key=lambda fase: fase.number)
    return next((fase for fase, tally in fasen if tally.open), None)


def apk_results(gemeente: Gemeente) -> dict[int, ApkResult]:
    """The last closed APK session of each project, with its trend against the one before."""
    sessions = defaultdict(list)
    for project_pk, _session_pk, held_on, closed_at, score in Project.objects.filter(gemeente=gemeente).apk_history():
        sessions[project_pk].append((held_on, closed_at, None if score is None else round(score)))
    results = {}
    for project_pk, held in sessions.items():
        held.sort(key=lambda s: (s[0], s[1] or timezone.now()))
        last_date, _closed, score = held[-1]
        trend = ""
        previous = held[-2][2] if len(held) > 1 else None
        if score is not None and previous is not None:
            delta = score - previous
            trend = (
                "beter" if delta >= APK_TREND_THRESHOLD else "slechter" if delta <= -APK_TREND_THRESHOLD else "gelijk"
            )
        results[project_pk] = ApkResult(last_date, score, trend)
    return results


def portfolio_rows(gemeente: Gemeente, kompas: Kompas) -> list[Row]:
    """Every project of the gemeente as a row; main projects carry their sub-projects as children."""
    projects = list(Project.objects.filter(gemeente=gemeente).for_portfolio().order_by())
    per_fase: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    # By project key, not through a join on the gemeente: PostgreSQL then reads the statuses
    # of these projects from the unique index instead of scanning all of them.
    statuses = KnooppuntStatus.objects.filter(
        project_id__in=[project.pk for project in projects], knooppunt_id__in=[k.pk for k in kompas.knooppunten]
    )
    for project_pk, fase_pk, status, n in statuses.per_fase():
        per_fase[project_pk][fase_pk][status] = n
    in_fase = {fase.pk: len(knooppunten) for fase, knooppunten in kompas.columns}
    apk = apk_results(gemeente)

    people = set()
    for project in projects:
        people.update(pk for pk in (project.last_status_by, project.last_entry_by) if pk)
    names = {user.pk: user for user in get_user_model().objects.filter(pk__in=people)}

    rows = {}
    for project in projects:
        fasen = []
        overall = Tally()
        for fase in kompas.fasen:
            counts = Counter(per_fase[project.pk][fase.pk])
            counts[Status.NIET_GESTART] = in_fase[fase.pk] - sum(
                count for status, count in counts.items() if status != Status.NIET_GESTART
            )
            tally = Tally(counts)
            fasen.append((fase, tally))
            overall.counts.update(counts)
        last_at, last_by = project.last_status_at, project.last_status_by
        if project.last_entry_at and (last_at is None or project.last_entry_at > last_at):
            last_at, last_by = project.last_entry_at, project.last_entry_by
        rows[project.pk] = Row(
            project=project,
            depth=0,
            overall=overall,
            fasen=fasen,
            current_fase=current_fase(fasen),
            last_change_at=last_at,
            last_change_by=names.get(last_by),
            apk=apk.get(project.pk),
        )
    tops = []
    for row in rows.values():
        parent = rows.get(row.project.parent_id)
        if parent is None:
            tops.append(row)
        else:
            parent.children.append(row)
    return tops


def sort_key(key: str):
    far_past = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    keys = {
        "naam": lambda row: row.project.name.casefold(),
        "fase": lambda row: row.current_fase.number if row.current_fase else 0,
        "voortgang": lambda row: row.percent_done,
        "gewijzigd": lambda row: row.last_change_at or far_past,
        "open": lambda row: row.open_actions,
        "achterstallig": lambda row: row.overdue_actions,
        "apk": lambda row: row.apk.date if row.apk else date.min,
    }
    return keys[key]


def arrange(tops: list[Row], *, sort: str) -> list[Row]:
    """The rows as a flat list in table order: sorted main projects, each followed by its own
    sub-projects (sorted the same way). Ties keep the order by name. `sort` is a key of SORTS,
    with a leading minus for the other direction."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "naam", False

    def ordered(rows: list[Row]) -> list[Row]:
        by_name = sorted(rows, key=sort_key("naam"))
        return sorted(by_name, key=sort_key(key), reverse=descending)

    flat: list[Row] = []

    def walk(rows: list[Row], depth: int) -> None:
        for row in ordered(rows):
            row.depth = depth
            flat.append(row)
            walk(row.children, depth + 1)

    walk(tops, 0)
    return flat


def keep(rows: list[Row], *, fase: int | None, overdue: bool, quiet: bool, today: date) -> list[Row]:
    def wanted(row: Row) -> bool:
        if fase is not None and (row.current_fase is None or row.current_fase.number != fase):
            return False
        if overdue and not row.overdue_actions:
            return False
        return not (quiet and not row.is_quiet(today))

    return [row for row in rows if wanted(row)]


def heat(tally: Tally) -> str:
    """A colour band for a phase of a project in the heatmap (CSS classes heat--none, heat--0..4)."""
    if not tally.recorded:
        return "none"
    return str(min(4, tally.percent_done // 20))


@dataclass
class Portfolio:
    """The portfolio of a gemeente as one member asks for it: sorted and filtered."""

    gemeente: Gemeente
    kompas: Kompas
    user: object
    sort: str = "naam"
    fase: int | None = None
    overdue: bool = False
    quiet: bool = False
    today: date = field(default_factory=timezone.localdate)

    @cached_property
    def projects(self) -> list[tuple[int, int, bool]]:
        """(pk, cache version, is the user a member) of every project of the gemeente: one small
        query on every view, for the key of the cached table and for the links in it."""
        member = Membership.objects.filter(project=OuterRef("pk"), user=self.user)
        projects = Project.objects.filter(gemeente=self.gemeente).order_by("pk")
        return list(projects.values_list("pk", "cache_version", Exists(member)))

    @property
    def version(self) -> str:
        """Changes with every change to a project of the gemeente (each raises its cache
        version), with a project added or removed, and with the user's memberships."""
        return md5(repr(self.projects).encode(), usedforsecurity=False).hexdigest()

    @cached_property
    def mine(self) -> set[int]:
        return {pk for pk, _version, member in self.projects if member}

    @cached_property
    def rows(self) -> list[Row]:
        rows = arrange(portfolio_rows(self.gemeente, self.kompas), sort=self.sort)
        return keep(rows, fase=self.fase, overdue=self.overdue, quiet=self.quiet, today=self.today)
