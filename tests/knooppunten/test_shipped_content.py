"""The content test: the kompas that ships in fixtures/kompas/ meets the numbers of issue 3.

Every other test builds its own small kompas, so a content edit never breaks them; this
module is the one place that reads the shipped YAML. Each check collects every problem it
finds, so a content editor sees the whole list in one run, not one problem at a time.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.test import TestCase
from django.utils.html import escape

from knooppunten.content import CONTENT_DIR, load_kompas, read_content
from knooppunten.models import Begrip, Knooppunt, Praktijkverhaal

MIN_KNOOPPUNTEN = 90
PER_FASE = range(12, 21)
MIN_PER_SPOOR = 10
MIN_VERHALEN = 20
MIN_BEGRIPPEN = 40
DOEL_SENTENCES = range(2, 5)
AANPAK_STEPS = range(3, 8)
MIN_TIPS = 2

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
NUMBERED_STEP = re.compile(r"^\d+\.\s", re.MULTILINE)
is_https_url = URLValidator(schemes=["https"])


def sentences(text: str) -> int:
    """Roughly: sentence-ending punctuation followed by a space ends a sentence."""
    return len([part for part in SENTENCE_END.split(text.strip()) if part])


def duplicates(values) -> list:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def bad_url(url: str) -> bool:
    try:
        is_https_url(url)
    except ValidationError:
        return True
    return False


@pytest.fixture(scope="module")
def content() -> dict[str, list[dict]]:
    return read_content()


@pytest.fixture(scope="module")
def knooppunten(content) -> list[dict]:
    return content["knooppunten"]


@pytest.fixture(scope="module")
def fase_of_file(tmp_path_factory) -> dict[int, list[str]]:
    """The codes in each fase-N.yaml, read one file at a time through read_content."""
    codes = {}
    for path in sorted(CONTENT_DIR.glob("fase-*.yaml")):
        directory = tmp_path_factory.mktemp(path.stem)
        shutil.copy(CONTENT_DIR / "basis.yaml", directory)
        shutil.copy(path, directory)
        number = int(path.stem.removeprefix("fase-"))
        codes[number] = [k["code"] for k in read_content(Path(directory))["knooppunten"]]
    return codes


class TestNumbers:
    def test_there_are_at_least_90_knooppunten(self, knooppunten):
        assert len(knooppunten) >= MIN_KNOOPPUNTEN

    def test_every_phase_has_12_to_20_knooppunten(self, content, knooppunten):
        per_fase = Counter(k["code"].split(".")[0] for k in knooppunten)
        wrong = {f["number"]: per_fase[str(f["number"])] for f in content["fasen"]}
        assert {number: count for number, count in wrong.items() if count not in PER_FASE} == {}

    def test_every_spoor_is_on_at_least_10_knooppunten(self, content, knooppunten):
        per_spoor = Counter(letter for k in knooppunten for letter in k["sporen"])
        assert [s["letter"] for s in content["sporen"]] == list("ABCDEF")
        assert {letter: per_spoor[letter] for letter in "ABCDEF" if per_spoor[letter] < MIN_PER_SPOOR} == {}

    def test_every_phase_has_both_tracks(self, content, knooppunten):
        track_of = {s["letter"]: s["track"] for s in content["sporen"]}
        tracks = {f["number"]: set() for f in content["fasen"]}
        for k in knooppunten:
            tracks[int(k["code"].split(".")[0])] |= {track_of[letter] for letter in k["sporen"]}
        assert {number: found for number, found in tracks.items() if found != {"sociaal", "technisch"}} == {}

    def test_there_are_at_least_20_practice_stories(self, content):
        assert len(content["praktijkverhalen"]) >= MIN_VERHALEN

    def test_the_glossary_has_at_least_40_terms(self, content):
        assert len(content["begrippen"]) >= MIN_BEGRIPPEN


class TestKnooppuntText:
    def test_required_fields_are_filled(self, knooppunten):
        required = ["title", "summary", "doel", "aanpak", "sporen"]
        empty = [f"{k['code']} {name}" for k in knooppunten for name in required if not k[name]]
        empty += [f"{k['code']} tip {i}" for k in knooppunten for i, tip in enumerate(k["tips"], 1) if not tip["text"]]
        assert empty == []

    def test_doel_has_2_to_4_sentences(self, knooppunten):
        wrong = {k["code"]: sentences(k["doel"]) for k in knooppunten if sentences(k["doel"]) not in DOEL_SENTENCES}
        assert wrong == {}

    def test_aanpak_has_3_to_7_numbered_steps(self, knooppunten):
        steps = {k["code"]: len(NUMBERED_STEP.findall(k["aanpak"])) for k in knooppunten}
        assert {code: count for code, count in steps.items() if count not in AANPAK_STEPS} == {}

    def test_every_knooppunt_has_at_least_two_tips(self, knooppunten):
        assert {k["code"]: len(k["tips"]) for k in knooppunten if len(k["tips"]) < MIN_TIPS} == {}


class TestStoriesAndGlossary:
    def test_required_fields_are_filled(self, content):
        empty = [
            f"{v['slug']} {name}"
            for v in content["praktijkverhalen"]
            for name in ["title", "place", "story", "knooppunten"]
            if not v[name]
        ]
        empty += [f"{b['term']} definition" for b in content["begrippen"] if not b["definition"]]
        assert empty == []


class TestReferences:
    def test_every_raakvlak_resolves(self, knooppunten):
        codes = {k["code"] for k in knooppunten}
        broken = [f"{k['code']} -> {code}" for k in knooppunten for code in k["raakvlakken"] if code not in codes]
        broken += [f"{k['code']} -> itself" for k in knooppunten if k["code"] in k["raakvlakken"]]
        assert broken == []

    def test_every_practice_story_link_resolves(self, content, knooppunten):
        codes = {k["code"] for k in knooppunten}
        broken = [
            f"{v['slug']} -> {code}"
            for v in content["praktijkverhalen"]
            for code in v["knooppunten"]
            if code not in codes
        ]
        assert broken == []

    def test_sporen_parties_and_koppelkansen_exist(self, content, knooppunten):
        known = {
            "sporen": {s["letter"] for s in content["sporen"]},
            "partijen": {p["slug"] for p in content["partijen"]},
            "koppelkansen": {k["slug"] for k in content["koppelkansen"]},
        }
        unknown = [
            f"{k['code']} {name} {value}"
            for k in knooppunten
            for name, values in known.items()
            for value in k[name]
            if value not in values
        ]
        assert unknown == []


class TestUniqueness:
    def test_codes_are_unique(self, knooppunten):
        assert duplicates(k["code"] for k in knooppunten) == []

    def test_slugs_are_unique(self, content, knooppunten):
        assert duplicates(k["slug"] for k in knooppunten) == []
        assert duplicates(v["slug"] for v in content["praktijkverhalen"]) == []
        assert duplicates(b["slug"] for b in content["begrippen"]) == []

    def test_codes_have_the_form_phase_dot_two_digits(self, knooppunten):
        assert [k["code"] for k in knooppunten if not re.fullmatch(r"\d\.\d\d", k["code"])] == []

    def test_every_code_matches_the_phase_of_its_file(self, content, fase_of_file):
        assert sorted(fase_of_file) == [f["number"] for f in content["fasen"]]
        wrong = [
            f"{code} in fase-{number}.yaml"
            for number, codes in fase_of_file.items()
            for code in codes
            if code.split(".")[0] != str(number)
        ]
        assert wrong == []


class TestUrls:
    def test_every_tip_and_bron_url_is_a_well_formed_https_url(self, knooppunten):
        urls = [(k["code"], tip["url"]) for k in knooppunten for tip in k["tips"] if tip["url"]]
        urls += [(k["code"], bron["url"]) for k in knooppunten for bron in k["bronnen"]]
        assert [(code, url) for code, url in urls if bad_url(url)] == []

    def test_every_story_source_is_a_well_formed_https_url(self, content):
        stories = [(v["slug"], v["source_url"]) for v in content["praktijkverhalen"] if v["source_url"]]
        assert [(slug, url) for slug, url in stories if bad_url(url)] == []


class TestShippedContentInTheDatabase(TestCase):
    """Loads the shipped content once for the class; runs on SQLite and on PostgreSQL."""

    @classmethod
    def setUpTestData(cls):
        assert not Knooppunt.objects.exists(), "the test database should start empty"
        cls.content = read_content()
        cls.first = load_kompas()
        cls.history_rows = Knooppunt.history.count()
        cls.second = load_kompas()

    def test_the_fixtures_load_into_an_empty_database(self):
        assert self.first.updated == self.first.skipped == []
        assert Knooppunt.objects.published().count() == len(self.content["knooppunten"]) >= MIN_KNOOPPUNTEN
        assert Praktijkverhaal.objects.published().count() == len(self.content["praktijkverhalen"])
        assert Begrip.objects.count() == len(self.content["begrippen"])

    def test_loading_twice_is_a_no_op(self):
        assert self.second.created == self.second.updated == self.second.skipped == []
        assert len(self.second.unchanged) == len(self.first.created)
        assert Knooppunt.history.count() == self.history_rows

    def test_every_knooppunt_page_renders_with_all_its_sections(self):
        by_code = {k["code"]: k for k in self.content["knooppunten"]}
        stories_of = {code: [] for code in by_code}
        for verhaal in self.content["praktijkverhalen"]:
            for code in verhaal["knooppunten"]:
                stories_of[code].append(verhaal["title"])
        raakvlakken = {code: set(k["raakvlakken"]) for code, k in by_code.items()}
        for code, k in by_code.items():
            for other in k["raakvlakken"]:
                raakvlakken[other].add(code)  # shown on both knooppunten

        for knooppunt in Knooppunt.objects.published():
            with self.subTest(code=knooppunt.code):
                response = self.client.get(knooppunt.get_absolute_url())
                assert response.status_code == 200
                html = response.content.decode()
                for heading in ["Doel", "Aanpak", "Tips", "Uit de praktijk", "Raakvlakken"]:
                    assert f">{heading}</h2>" in html
                shipped = by_code[knooppunt.code]
                assert escape(shipped["title"]) in html
                assert html.count("<li>", html.index('id="aanpak"'), html.index('id="tips"')) >= AANPAK_STEPS.start
                for tip in shipped["tips"]:
                    assert escape(tip["text"]) in html
                for title in stories_of[knooppunt.code]:
                    assert escape(title) in html
                for other in raakvlakken[knooppunt.code]:
                    assert escape(by_code[other]["title"]) in html
