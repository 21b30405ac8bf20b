"""The published kompas kept in memory: what the public overview and the project pages show
of it, loaded once per process and again only when the content changes."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Fase, Knooppunt, Spoor


def group_by_fase(fasen, knooppunten) -> list[tuple[Fase, list[Knooppunt]]]:
    by_fase: dict[int, list[Knooppunt]] = {fase.pk: [] for fase in fasen}
    for knooppunt in knooppunten:
        by_fase[knooppunt.fase_id].append(knooppunt)
    return [(fase, by_fase[fase.pk]) for fase in fasen]


def prerequisites_of(knooppunten: list[Knooppunt]) -> dict[int, set[int]]:
    """For each knooppunt, the raakvlakken with a lower code: the steps it builds on.

    A raakvlak is stored once but runs both ways, so both directions are read from one query
    on the link table.
    """
    by_pk = {k.pk: k for k in knooppunten}
    # All links, filtered here: the table is small, and two IN lists of every knooppunt cost more.
    links = Knooppunt.raakvlakken.through.objects.values_list("from_knooppunt_id", "to_knooppunt_id")
    result: dict[int, set[int]] = {}
    for a, b in links:
        if a not in by_pk or b not in by_pk:
            continue
        earlier, later = sorted((by_pk[a], by_pk[b]), key=lambda k: k.code)
        result.setdefault(later.pk, set()).add(earlier.pk)
    return result


@dataclass(frozen=True)
class PublishedKompas:
    """The published kompas as the public overview and the project pages use it. One copy is
    shared by all requests of a process: read it, never change it (copy a knooppunt to give it
    more, as projects.progress.with_status does)."""

    version: tuple
    knooppunten: list[Knooppunt]  # in code order, with fase and sporen, without the long texts
    fasen: list[Fase]  # the phases and sporen of these knooppunten
    sporen: list[Spoor]
    columns: list[tuple[Fase, list[Knooppunt]]]  # the knooppunten per phase
    prerequisites: dict[int, set[int]]
    by_pk: dict[int, Knooppunt]
    by_code: dict[str, Knooppunt]
    by_slug: dict[str, Knooppunt]
    links: dict[int, tuple[tuple[int, ...], frozenset[str]]]  # per knooppunt: its sporen and tracks
    partijen: dict[int, frozenset[int]]  # per knooppunt: its parties


_latest: PublishedKompas | None = None


def published_kompas() -> PublishedKompas:
    """The published kompas, loaded again only when its content version changes.

    The version is read first and on every call (one small query), so a saved knooppunt,
    phase or spoor shows at once, on every app instance. The admin and load_kompas save a
    knooppunt when its sporen, parties or raakvlakken change, so those show at once too.
    """
    global _latest
    version = Knooppunt.objects.content_version()
    kompas = _latest
    if kompas is None or kompas.version != version:
        kompas = _latest = load_published_kompas(version)
    return kompas


def load_published_kompas(version: tuple) -> PublishedKompas:
    knooppunten = list(Knooppunt.objects.published().for_cards().defer("doel", "aanpak"))
    fasen = sorted({k.fase_id: k.fase for k in knooppunten}.values(), key=lambda fase: fase.number)
    sporen = sorted({s.pk: s for k in knooppunten for s in k.sporen.all()}.values(), key=lambda s: s.letter)
    return PublishedKompas(
        version=version,
        knooppunten=knooppunten,
        fasen=fasen,
        sporen=sporen,
        columns=group_by_fase(fasen, knooppunten),
        prerequisites=prerequisites_of(knooppunten),
        by_pk={k.pk: k for k in knooppunten},
        by_code={k.code: k for k in knooppunten},
        by_slug={k.slug: k for k in knooppunten},
        links={
            k.pk: (tuple(s.pk for s in k.sporen.all()), frozenset(s.track for s in k.sporen.all())) for k in knooppunten
        },
        partijen=partijen_of(knooppunten),
    )


def partijen_of(knooppunten: list[Knooppunt]) -> dict[int, frozenset[int]]:
    pairs = Knooppunt.partijen.through.objects.values_list("knooppunt_id", "partij_id")
    by_knooppunt: dict[int, set[int]] = {k.pk: set() for k in knooppunten}
    for knooppunt_pk, partij_pk in pairs:
        if knooppunt_pk in by_knooppunt:
            by_knooppunt[knooppunt_pk].add(partij_pk)
    return {pk: frozenset(partijen) for pk, partijen in by_knooppunt.items()}
