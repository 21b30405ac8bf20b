"""Load the shipped kompas content (fixtures/kompas/*.yaml) into the database.

Every object is found by its natural key (number, letter, slug, code or term) and carries a
hash of the shipped text it was last loaded from. When the object in the database no longer
matches that hash, an editor changed it after loading: it is skipped unless `force` is set,
so an update of the shipped content never silently undoes an editor's work. Loading the
same content twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from .models import Begrip, Bron, Fase, Knooppunt, Koppelkans, Partij, Praktijkverhaal, Spoor, Tip

CONTENT_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "kompas"


class ContentError(Exception):
    """The shipped content cannot be loaded as it is; the message says where and why."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # changed by an editor since loading


# Knooppunt fields renamed in migration 0007; their hashes use the old names, so content loaded
# before the rename is still recognised as unchanged by an editor.
HASHED_AS = {"goal": "doel", "approach": "aanpak", "politically_sensitive": "bestuurlijk_gevoelig"}


def digest(data: dict) -> str:
    data = {HASHED_AS.get(key, key): value for key, value in data.items()}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def text(value) -> str:
    return str(value or "").strip()


def read_content(directory: Path = CONTENT_DIR) -> dict[str, list[dict]]:
    """All shipped content as plain dicts, in the shape of the database snapshots below."""
    try:
        basis = yaml.safe_load((directory / "basis.yaml").read_text(encoding="utf-8"))
        knooppunten = []
        for path in sorted(directory.glob("fase-*.yaml")):
            knooppunten += yaml.safe_load(path.read_text(encoding="utf-8"))["knooppunten"]
        verhalen_path = directory / "praktijkverhalen.yaml"
        begrippen_path = directory / "begrippen.yaml"
        verhalen = (
            yaml.safe_load(verhalen_path.read_text(encoding="utf-8"))["praktijkverhalen"]
            if verhalen_path.exists()
            else []
        )
        begrippen = (
            yaml.safe_load(begrippen_path.read_text(encoding="utf-8"))["begrippen"] if begrippen_path.exists() else []
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise ContentError(f"Cannot read the content in {directory}: {error}") from error

    try:
        return {
            "fasen": [
                {
                    "number": int(f["nummer"]),
                    "slug": text(f["slug"]),
                    "name": text(f["naam"]),
                    "summary": text(f["samenvatting"]),
                    "key_question": text(f["kernvraag"]),
                }
                for f in basis["fasen"]
            ],
            "sporen": [
                {
                    "letter": text(s["letter"]),
                    "slug": text(s["slug"]),
                    "name": text(s["naam"]),
                    "track": text(s["track"]),
                    "description": text(s["beschrijving"]),
                }
                for s in basis["sporen"]
            ],
            "partijen": [
                {
                    "slug": text(p["slug"]),
                    "name": text(p["naam"]),
                    "description": text(p.get("beschrijving")),
                    "order": order,
                }
                for order, p in enumerate(basis["partijen"])
            ],
            "koppelkansen": [
                {
                    "slug": text(k["slug"]),
                    "name": text(k["naam"]),
                    "description": text(k.get("beschrijving")),
                    "order": order,
                }
                for order, k in enumerate(basis["koppelkansen"])
            ],
            "knooppunten": [
                {
                    "code": text(k["code"]),
                    "slug": text(k["slug"]),
                    "title": text(k["titel"]),
                    "summary": text(k["samenvatting"]),
                    "goal": text(k.get("doel")),
                    "approach": text(k.get("aanpak")),
                    "politically_sensitive": bool(k.get("bestuurlijk_gevoelig", False)),
                    "sporen": sorted(text(s) for s in k.get("sporen") or []),
                    "partijen": sorted(text(p) for p in k.get("partijen") or []),
                    "koppelkansen": sorted(text(p) for p in k.get("koppelkansen") or []),
                    "raakvlakken": sorted(text(c) for c in k.get("raakvlakken") or []),
                    "tips": [{"text": text(t["tekst"]), "url": text(t.get("url"))} for t in k.get("tips") or []],
                    "bronnen": [
                        {"title": text(b["titel"]), "publisher": text(b.get("uitgever")), "url": text(b["url"])}
                        for b in k.get("bronnen") or []
                    ],
                }
                for k in knooppunten
            ],
            "praktijkverhalen": [
                {
                    "slug": text(v["slug"]),
                    "title": text(v["titel"]),
                    "place": text(v["plaats"]),
                    "story": text(v["verhaal"]),
                    "is_illustrative": bool(v.get("illustratief", False)),
                    "source_url": text(v.get("bron_url")),
                    "knooppunten": sorted(text(c) for c in v.get("knooppunten") or []),
                }
                for v in verhalen
            ],
            "begrippen": [
                {
                    "term": text(b["term"]),
                    "slug": slugify(text(b["term"])),
                    "abbreviation": text(b.get("afkorting")),
                    "definition": text(b["definitie"]),
                }
                for b in begrippen
            ],
        }
    except (KeyError, TypeError, ValueError) as error:
        raise ContentError(f"A required field is missing or wrong in {directory}: {error!r}") from error


# Snapshots: the database side of each shipped entry, in exactly the shape read_content gives.


def fields_of(obj, names: list[str]) -> dict:
    return {name: getattr(obj, name) for name in names}


def knooppunt_snapshot(knooppunt: Knooppunt) -> dict:
    return {
        **fields_of(knooppunt, ["code", "slug", "title", "summary", "goal", "approach", "politically_sensitive"]),
        "sporen": sorted(s.letter for s in knooppunt.sporen.all()),
        "partijen": sorted(p.slug for p in knooppunt.partijen.all()),
        "koppelkansen": sorted(k.slug for k in knooppunt.koppelkansen.all()),
        "raakvlakken": sorted(r.code for r in knooppunt.raakvlakken.all()),
        "tips": [{"text": t.text, "url": t.url} for t in knooppunt.tips.all()],
        "bronnen": [{"title": b.title, "publisher": b.publisher, "url": b.url} for b in knooppunt.bronnen.all()],
    }


def verhaal_snapshot(verhaal: Praktijkverhaal) -> dict:
    return {
        **fields_of(verhaal, ["slug", "title", "place", "story", "is_illustrative", "source_url"]),
        "knooppunten": sorted(k.code for k in verhaal.knooppunten.all()),
    }


SIMPLE_FIELDS = {
    Fase: ("number", ["number", "slug", "name", "summary", "key_question"]),
    Spoor: ("letter", ["letter", "slug", "name", "track", "description"]),
    Partij: ("slug", ["slug", "name", "description", "order"]),
    Koppelkans: ("slug", ["slug", "name", "description", "order"]),
    Begrip: ("term", ["term", "slug", "abbreviation", "definition"]),
}


class Loader:
    def __init__(self, *, force: bool) -> None:
        self.force = force
        self.report = LoadReport()

    def decide(self, label: str, obj, snapshot: dict | None, wanted: dict) -> bool:
        """Record what happens to one entry; True when the database should be written."""
        if obj is None:
            self.report.created.append(label)
            return True
        shipped_hash = digest(wanted)
        edited = obj.content_hash and digest(snapshot) != obj.content_hash
        if edited and not self.force:
            self.report.skipped.append(label)
            return False
        if not edited and obj.content_hash == shipped_hash:
            self.report.unchanged.append(label)
            return False
        self.report.updated.append(label)
        return True

    def load_simple(self, model, entries: list[dict]) -> None:
        key, names = SIMPLE_FIELDS[model]
        existing = {getattr(obj, key): obj for obj in model.objects.all()}
        for wanted in entries:
            obj = existing.get(wanted[key])
            snapshot = fields_of(obj, names) if obj else None
            if self.decide(f"{model._meta.verbose_name} {wanted[key]}", obj, snapshot, wanted):
                model.objects.update_or_create(
                    **{key: wanted[key]}, defaults={**wanted, "content_hash": digest(wanted)}
                )

    def load_knooppunten(self, entries: list[dict]) -> None:
        fasen = {f.number: f for f in Fase.objects.all()}
        sporen = {s.letter: s for s in Spoor.objects.all()}
        partijen = {p.slug: p for p in Partij.objects.all()}
        koppelkansen = {k.slug: k for k in Koppelkans.objects.all()}
        existing = {
            k.code: k
            for k in Knooppunt.objects.prefetch_related(
                "sporen", "partijen", "koppelkansen", "raakvlakken", "tips", "bronnen"
            )
        }
        to_link: list[tuple[Knooppunt, dict]] = []
        for wanted in entries:
            obj = existing.get(wanted["code"])
            snapshot = knooppunt_snapshot(obj) if obj else None
            if not self.decide(f"knooppunt {wanted['code']}", obj, snapshot, wanted):
                continue
            fase_number = int(wanted["code"].split(".")[0])
            try:
                fase = fasen[fase_number]
                values = {
                    "sporen": [sporen[s] for s in wanted["sporen"]],
                    "partijen": [partijen[p] for p in wanted["partijen"]],
                    "koppelkansen": [koppelkansen[k] for k in wanted["koppelkansen"]],
                }
            except KeyError as error:
                raise ContentError(
                    f"Knooppunt {wanted['code']} names an unknown phase, spoor, party or koppelkans: {error}"
                ) from error
            obj, _ = Knooppunt.objects.update_or_create(
                code=wanted["code"],
                defaults={
                    "fase": fase,
                    **{
                        name: wanted[name]
                        for name in ["slug", "title", "summary", "goal", "approach", "politically_sensitive"]
                    },
                    "content_hash": digest(wanted),
                },
            )
            for name, related in values.items():
                getattr(obj, name).set(related)
            # With history rows, so a revert in the admin knows these tips and bronnen came later.
            obj.tips.all().delete()
            bulk_create_with_history([Tip(knooppunt=obj, order=i, **tip) for i, tip in enumerate(wanted["tips"])], Tip)
            obj.bronnen.all().delete()
            bulk_create_with_history(
                [Bron(knooppunt=obj, order=i, **bron) for i, bron in enumerate(wanted["bronnen"])], Bron
            )
            to_link.append((obj, wanted))
        # Raakvlakken point at other knooppunten, so they are linked once all exist.
        by_code = {k.code: k for k in Knooppunt.objects.all()}
        for obj, wanted in to_link:
            if obj.code in wanted["raakvlakken"]:
                raise ContentError(f"Knooppunt {obj.code} has a raakvlak to itself")
            try:
                obj.raakvlakken.set([by_code[code] for code in wanted["raakvlakken"]])
            except KeyError as error:
                raise ContentError(f"Knooppunt {wanted['code']} has a raakvlak to unknown code {error}") from error

    def load_verhalen(self, entries: list[dict]) -> None:
        by_code = {k.code: k for k in Knooppunt.objects.all()}
        existing = {v.slug: v for v in Praktijkverhaal.objects.prefetch_related("knooppunten")}
        for wanted in entries:
            obj = existing.get(wanted["slug"])
            snapshot = verhaal_snapshot(obj) if obj else None
            if not self.decide(f"praktijkverhaal {wanted['slug']}", obj, snapshot, wanted):
                continue
            try:
                knooppunten = [by_code[code] for code in wanted["knooppunten"]]
            except KeyError as error:
                raise ContentError(f"Praktijkverhaal {wanted['slug']} links to unknown code {error}") from error
            fields = {name: value for name, value in wanted.items() if name != "knooppunten"}
            obj, _ = Praktijkverhaal.objects.update_or_create(
                slug=wanted["slug"], defaults={**fields, "content_hash": digest(wanted)}
            )
            obj.knooppunten.set(knooppunten)


@transaction.atomic
def load_kompas(*, directory: Path = CONTENT_DIR, force: bool = False) -> LoadReport:
    """Load or update all shipped content; nothing is written when any part fails."""
    content = read_content(directory)
    loader = Loader(force=force)
    loader.load_simple(Fase, content["fasen"])
    loader.load_simple(Spoor, content["sporen"])
    loader.load_simple(Partij, content["partijen"])
    loader.load_simple(Koppelkans, content["koppelkansen"])
    loader.load_knooppunten(content["knooppunten"])
    loader.load_verhalen(content["praktijkverhalen"])
    loader.load_simple(Begrip, content["begrippen"])
    # All of it, also what an editor changed: cheap, and a database from before the stored
    # search vectors gets them here.
    for model in (Knooppunt, Praktijkverhaal, Begrip):
        model.objects.all().update_search_vector()
    return loader.report
