"""The kompas as the pages show it: its phases, sporen and knooppunten (without their long
texts), with the links between them, loaded in a few queries.

What a visitor sees is decided by `Knooppunt.objects.visible_to(user)`: editors also see drafts.
There are only two such kompassen (with and without drafts), so each is kept in memory per
process and loaded again only when the content version changes: one small query per request
(`Knooppunt.objects.content_version()`, which covers every content table and link table).
The version is also part of every cache key of rendered content (wijkkompas.caching).
"""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import md5

from django.contrib.auth.models import AnonymousUser

from .models import Fase, Knooppunt, Partij, Spoor, sees_drafts


@dataclass(frozen=True)
class Kompas:
    """One copy is shared by all requests of a process: read it, never change it (a page that
    shows more of a knooppunt keeps that beside it, as projects.progress.Column does)."""

    version: str  # a digest of (with drafts?, content version): part of every cache key
    knooppunten: list[Knooppunt]  # in code order, with fase and sporen, without the long texts
    fasen: list[Fase]  # every phase, also one without knooppunten
    sporen: list[Spoor]  # every spoor
    partijen: list[Partij]  # every party
    prerequisites: dict[int, set[int]]  # per knooppunt: the raakvlakken with a lower code
    partijen_of: dict[int, frozenset[int]]  # per knooppunt: the pks of its parties
    sporen_of: dict[int, tuple[Spoor, ...]]  # per knooppunt: its sporen (read often, so not through the ORM)

    @property
    def columns(self) -> list[tuple[Fase, list[Knooppunt]]]:
        return self.group(self.knooppunten)

    def group(self, knooppunten: list[Knooppunt]) -> list[tuple[Fase, list[Knooppunt]]]:
        """The knooppunten per phase, every phase included."""
        by_fase: dict[int, list[Knooppunt]] = {fase.pk: [] for fase in self.fasen}
        for knooppunt in knooppunten:
            by_fase[knooppunt.fase_id].append(knooppunt)
        return [(fase, by_fase[fase.pk]) for fase in self.fasen]

    def by_code(self, code: str) -> Knooppunt | None:
        return next((k for k in self.knooppunten if k.code == code), None)

    def by_slug(self, slug: str) -> Knooppunt | None:
        return next((k for k in self.knooppunten if k.slug == slug), None)

    def siblings(self, knooppunt: Knooppunt) -> tuple[Knooppunt | None, Knooppunt | None]:
        """The knooppunten before and after this one in its phase."""
        phase = dict(self.group(self.knooppunten))[knooppunt.fase]
        index = [k.pk for k in phase].index(knooppunt.pk)
        return (phase[index - 1] if index > 0 else None, phase[index + 1] if index + 1 < len(phase) else None)

    def select(self, *, spoor: Spoor | None = None, track: str = "", partij=None) -> list[Knooppunt]:
        """The knooppunten on a spoor, a track and with a party (each optional)."""
        return [
            k
            for k in self.knooppunten
            if (not spoor or any(s.pk == spoor.pk for s in self.sporen_of[k.pk]))
            and (not track or any(s.track == track for s in self.sporen_of[k.pk]))
            and (not partij or partij.pk in self.partijen_of[k.pk])
        ]


_kept: dict[bool, Kompas] = {}


def kompas_for(user) -> Kompas:
    """The kompas this user may see, kept in memory while its content stays the same."""
    drafts = sees_drafts(user)
    # A short string: it is part of many cache keys on one page.
    version = md5(repr((drafts, *Knooppunt.objects.content_version())).encode(), usedforsecurity=False).hexdigest()
    kompas = _kept.get(drafts)
    if kompas is None or kompas.version != version:
        kompas = _kept[drafts] = load(Knooppunt.objects.visible_to(user), version)
    return kompas


def published_kompas() -> Kompas:
    """The published kompas, for pages that never show drafts (a project's pages, its exports)."""
    return kompas_for(AnonymousUser())


def load(knooppunten, version: str) -> Kompas:
    knooppunten = list(knooppunten.for_cards().defer("goal", "approach", "search_vector"))
    pks = {k.pk for k in knooppunten}
    return Kompas(
        version=version,
        knooppunten=knooppunten,
        fasen=list(Fase.objects.all()),
        sporen=list(Spoor.objects.all()),
        partijen=list(Partij.objects.all()),
        prerequisites=prerequisites_of(knooppunten),
        partijen_of=links_of(Knooppunt.partijen.through.objects.values_list("knooppunt_id", "partij_id"), pks),
        sporen_of={k.pk: tuple(k.sporen.all()) for k in knooppunten},
    )


def links_of(pairs, pks: set[int]) -> dict[int, frozenset[int]]:
    by_knooppunt: dict[int, set[int]] = {pk: set() for pk in pks}
    for knooppunt_pk, other_pk in pairs:
        if knooppunt_pk in by_knooppunt:
            by_knooppunt[knooppunt_pk].add(other_pk)
    return {pk: frozenset(others) for pk, others in by_knooppunt.items()}


def prerequisites_of(knooppunten: list[Knooppunt]) -> dict[int, set[int]]:
    """For each knooppunt, the raakvlakken with a lower code: the steps it builds on.

    A raakvlak is stored once but runs both ways, so both directions are read from one query
    on the link table (all links, filtered here: the table is small).
    """
    by_pk = {k.pk: k for k in knooppunten}
    links = Knooppunt.raakvlakken.through.objects.values_list("from_knooppunt_id", "to_knooppunt_id")
    result: dict[int, set[int]] = {}
    for a, b in links:
        if a not in by_pk or b not in by_pk:
            continue
        earlier, later = sorted((by_pk[a], by_pk[b]), key=lambda k: k.code)
        result.setdefault(later.pk, set()).add(earlier.pk)
    return result
