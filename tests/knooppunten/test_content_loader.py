"""load_kompas: loading by natural key, edits by editors kept, loading twice a no-op."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from knooppunten.content import load_kompas
from knooppunten.models import Begrip, Knooppunt, Praktijkverhaal

BASIS = """
fasen:
  - {nummer: 1, slug: samen-starten, naam: Samen starten, samenvatting: Start., kernvraag: "Wie doet mee?"}
  - {nummer: 2, slug: karakteriseren, naam: Karakteriseren, samenvatting: Kijk., kernvraag: "Wat is er?"}
sporen:
  - {letter: A, slug: bewoners-doen-mee, naam: Bewoners doen mee, track: sociaal, beschrijving: Bewoners.}
  - {letter: D, slug: betaalbaar, naam: Betaalbaar, track: technisch, beschrijving: Geld.}
partijen:
  - {slug: gemeente, naam: Gemeente, beschrijving: De regie.}
koppelkansen:
  - {slug: klimaatadaptatie, naam: Klimaatadaptatie, beschrijving: Water en hitte.}
"""

FASE_1 = """
knooppunten:
  - code: "1.01"
    slug: gemeente-neemt-regie
    titel: De gemeente neemt de regie
    samenvatting: De gemeente pakt haar rol.
    sporen: [A]
    partijen: [gemeente]
    bestuurlijk_gevoelig: true
    koppelkansen: []
    raakvlakken: []
    doel: |
      De gemeente weet wat haar rol is.
    aanpak: |
      1. Praat met het college.
      2. Leg de rol vast.
    tips:
      - tekst: Begin klein.
      - tekst: Lees de leidraad.
        url: https://www.expertisecentrumwarmte.nl/
    bronnen: []
"""

FASE_2 = """
knooppunten:
  - code: "2.01"
    slug: wijk-in-beeld
    titel: De wijk in beeld
    samenvatting: Breng de wijk in kaart.
    sporen: [A, D]
    partijen: [gemeente]
    koppelkansen: [klimaatadaptatie]
    raakvlakken: ["1.01"]
    doel: Het team kent de wijk.
    aanpak: "1. Loop door de wijk."
    tips:
      - tekst: Ga op pad met bewoners.
      - tekst: Gebruik open data.
"""

VERHALEN = """
praktijkverhalen:
  - slug: schouw-in-de-wijk
    titel: Een schouw in de wijk
    plaats: Voorbeeldwijk (illustratief)
    illustratief: true
    verhaal: Bewoners liepen mee.
    knooppunten: ["2.01"]
"""

BEGRIPPEN = """
begrippen:
  - term: Wijkuitvoeringsplan
    afkorting: WUP
    definitie: Het plan voor de uitvoering in een wijk.
"""


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    for name, text in [
        ("basis.yaml", BASIS),
        ("fase-1.yaml", FASE_1),
        ("fase-2.yaml", FASE_2),
        ("praktijkverhalen.yaml", VERHALEN),
        ("begrippen.yaml", BEGRIPPEN),
    ]:
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


@pytest.mark.django_db
class TestLoadKompas:
    def test_it_loads_everything_by_natural_key(self, content_dir):
        report = load_kompas(directory=content_dir)
        knooppunt = Knooppunt.objects.get(code="2.01")
        assert knooppunt.fase.number == 2
        assert [s.letter for s in knooppunt.sporen.all()] == ["A", "D"]
        assert list(knooppunt.raakvlakken.values_list("code", flat=True)) == ["1.01"]
        assert Knooppunt.objects.get(code="1.01").tips.count() == 2
        assert Praktijkverhaal.objects.get().knooppunten.get() == knooppunt
        assert Begrip.objects.get().abbreviation == "WUP"
        assert "knooppunt 1.01" in report.created

    def test_loading_twice_changes_nothing(self, content_dir):
        load_kompas(directory=content_dir)
        history_rows = Knooppunt.history.count()
        report = load_kompas(directory=content_dir)
        assert report.created == report.updated == report.skipped == []
        assert len(report.unchanged) > 0
        assert Knooppunt.history.count() == history_rows

    def test_a_shipped_update_reaches_unedited_content(self, content_dir):
        load_kompas(directory=content_dir)
        path = content_dir / "fase-1.yaml"
        path.write_text(path.read_text().replace("De gemeente neemt de regie", "De gemeente pakt de regie"))
        report = load_kompas(directory=content_dir)
        assert report.updated == ["knooppunt 1.01"]
        assert Knooppunt.objects.get(code="1.01").title == "De gemeente pakt de regie"

    def test_an_editors_change_is_kept_and_reported(self, content_dir):
        load_kompas(directory=content_dir)
        Knooppunt.objects.filter(code="1.01").update(title="Door de redactie verbeterd")
        path = content_dir / "fase-1.yaml"
        path.write_text(path.read_text().replace("Begin klein.", "Begin heel klein."))
        report = load_kompas(directory=content_dir)
        assert report.skipped == ["knooppunt 1.01"]
        assert Knooppunt.objects.get(code="1.01").title == "Door de redactie verbeterd"

    def test_an_editors_tip_change_also_counts_as_an_edit(self, content_dir):
        load_kompas(directory=content_dir)
        Knooppunt.objects.get(code="1.01").tips.first().delete()
        report = load_kompas(directory=content_dir)
        assert report.skipped == ["knooppunt 1.01"]

    def test_force_overwrites_an_editors_change(self, content_dir):
        load_kompas(directory=content_dir)
        Knooppunt.objects.filter(code="1.01").update(title="Door de redactie verbeterd")
        report = load_kompas(directory=content_dir, force=True)
        assert report.updated == ["knooppunt 1.01"]
        assert Knooppunt.objects.get(code="1.01").title == "De gemeente neemt de regie"

    def test_the_command_says_what_it_skipped(self, content_dir, capsys):
        call_command("load_kompas", directory=content_dir)
        Knooppunt.objects.filter(code="2.01").update(summary="Anders")
        call_command("load_kompas", directory=content_dir)
        output = capsys.readouterr().out
        assert "Skipped knooppunt 2.01" in output
        assert "1 skipped" in output

    def test_a_broken_raakvlak_stops_the_load_and_writes_nothing(self, content_dir):
        path = content_dir / "fase-2.yaml"
        path.write_text(path.read_text().replace('["1.01"]', '["9.99"]'))
        with pytest.raises(CommandError, match="9.99"):
            call_command("load_kompas", directory=content_dir)
        assert not Knooppunt.objects.exists()

    def test_a_raakvlak_to_itself_stops_the_load(self, content_dir):
        path = content_dir / "fase-2.yaml"
        path.write_text(path.read_text().replace('["1.01"]', '["2.01"]'))
        with pytest.raises(CommandError, match="2.01 has a raakvlak to itself"):
            call_command("load_kompas", directory=content_dir)
        assert not Knooppunt.objects.exists()
