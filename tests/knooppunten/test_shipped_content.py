"""The content test: the kompas that ships in fixtures/kompas/ meets the numbers of issue 3 and
the rules of issue 14 (institutions as they stand, the 70% rule with its conditions, a glossary
that defines what the texts rely on, concrete tips with sources, and a balance of the sporen).

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

# Balance of the sporen (issue 14): spoor C (besluitvorming) only where deciding is the point,
# spoor B (zakelijke vastgoedeigenaren) well present in phases 2-4, and the technical track weighing
# at least as much as the social track in phase 6.
MAX_SHARE_SPOOR_C = 1 / 3
MAX_SHARE_SPOOR_C_PER_FASE = 1 / 2
MIN_SPOOR_B_PER_FASE = {2: 4, 3: 4, 4: 4}
TECHNICAL_AT_LEAST_SOCIAL_IN_FASE = 6

# The national support bodies before 2023. Since 2023 the Nationaal Programma Lokale
# Warmtetransitie (NPLW) does their work; a sentence may name them only as its predecessors.
FORMER_BODY = re.compile(r"Programma Aardgasvrije Wijken|\bPAW\b|Expertise\s?[Cc]entrum Warmte|\bECW\b")
AS_PREDECESSOR = re.compile(
    r"voorloper|voorganger|opgegaan|opgevolgd|vroegere|voormalige|tot 2023|vóór 2023|sinds 2023|\bNPLW\b"
    r"|Nationaal Programma Lokale Warmtetransitie",
    re.IGNORECASE,
)
FORMER_BODY_HOME_PAGES = {"https://www.aardgasvrijewijken.nl/", "https://www.expertisecentrumwarmte.nl/"}

# The renovation rule of BW 7:220: wherever a text puts 70% and tenants together, it also says
# that it is about a complex of at least 10 homes, that the proposal is *presumed* reasonable,
# and that a tenant can go to court within 8 weeks.
SEVENTY_PERCENT = re.compile(r"\b70\s*(%|procent)", re.IGNORECASE)
TENANTS = re.compile(r"huurder", re.IGNORECASE)
RULE_CONDITIONS = {
    "een complex van ten minste 10 woningen": re.compile(r"\b(10|tien)\b[^.]{0,40}woningen", re.IGNORECASE),
    "een vermoeden, geen bindende regel": re.compile(r"vermoed", re.IGNORECASE),
    "binnen 8 weken naar de rechter": re.compile(r"\b(8|acht) weken", re.IGNORECASE),
}

# A tip says what to do, read or ask; not merely that an organisation knows about something.
FILLER_TIP = re.compile(
    r"\b(heeft|hebben|deelt|delen|biedt|bieden|geeft|geven) (veel |ook |een )?"
    r"(kennis|informatie|uitleg|ervaringen|voorbeelden|overzicht)( van [a-z ]+)? (over|van|uit|met)\b",
    re.IGNORECASE,
)

# Terms the texts rely on: when a text uses one, the glossary defines it (by term or abbreviation).
RELIED_ON_TERMS = {
    "vastrecht": r"(?i)\bvastrecht",
    "nationaal programma lokale warmtetransitie": r"\bNPLW\b|(?i:nationaal programma lokale warmtetransitie)",
    "wet collectieve warmte": r"\bWcw\b|(?i:wet collectieve warmte)",
    "wet gemeentelijke instrumenten warmtetransitie": r"\bWgiw\b|(?i:wet gemeentelijke instrumenten warmtetransitie)",
    "warmteprogramma": r"(?i)warmteprogramma",
    "omgevingsplan": r"(?i)omgevingsplan",
    "omgevingswet": r"(?i)omgevingswet",
    "warmtekavel": r"(?i)warmtekavel",
    "acm-maximumtarief": r"(?i)maximumtarie|maximumprijs|maximale (warmte)?tarie",
    "isde": r"\bISDE\b|(?i:investeringssubsidie duurzame energie)",
    "prestatieafspraken": r"(?i)prestatieafspra",
    "overlegwet": r"(?i)overlegwet|wet op het overleg huurders",
    "sociaal plan": r"(?i)sociaal plan",
    "res": r"\bRES\b|(?i:regionale energiestrategie)",
    "natuurlijk moment": r"(?i)natuurlijke? momenten?\b",
    "transformatorhuisje": r"(?i)transformatorhuisje",
    "divergeren": r"(?i)\bdivergeren",
    "convergeren": r"(?i)\bconvergeren",
    "aansluitbijdrage": r"(?i)aansluitbijdrage",
    "isolatiestandaard": r"(?i)isolatiestandaard|standaard (en streefwaarden )?voor woningisolatie",
    "energielabel": r"(?i)energielabel",
    "startanalyse": r"(?i)startanalyse",
    "leidraad": r"(?i)\bleidraad\b",
    "netcongestie": r"(?i)netcongestie",
    "wko": r"\bWKO\b|(?i:warmte-koudeopslag)",
    "vve": r"\bVvE",
    "wup": r"\bWUP\b|(?i:wijkuitvoeringsplan)",
    "tvw": r"\bTVW\b|(?i:transitievisie warmte)",
    "energiearmoede": r"(?i)energiearmoede",
    "proeftuin": r"(?i)proeftuin",
    "nationaal warmtefonds": r"(?i)warmtefonds",
    "mjop": r"\bMJOP\b|(?i:meerjarenonderhoudsplan)",
    "spijtvrije maatregel": r"(?i)spijtvrij",
    "dna van de wijk": r"DNA van de wijk",
    "innovatiecoach": r"(?i)innovatiecoach",
    "creative producer": r"(?i)creative producer",
    "warmtewet": r"(?i)\bwarmtewet\b",
    "accounthouder": r"(?i)accounthouder",
    "hybride warmtepomp": r"(?i)hybride warmtepomp",
    "groen gas": r"(?i)groen gas",
    "aquathermie": r"(?i)aquathermie",
}
# Terms issue 14 found missing: the glossary has them whether or not a text uses them today.
REQUIRED_TERMS = [
    "vastrecht",
    "nplw",
    "wcw",
    "wgiw",
    "warmteprogramma",
    "omgevingsplan",
    "warmtekavel",
    "acm-maximumtarief",
    "isde",
    "prestatieafspraken",
    "overlegwet",
    "sociaal plan",
    "res",
    "natuurlijk moment",
    "transformatorhuisje",
    "divergeren",
    "convergeren",
]

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# The sentences of a text end at their punctuation, at a blank line or before a list item. A single
# newline inside a paragraph is only where the YAML source wraps a line; the sentence goes on.
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*(?:\d+\.|[-*+])\s)")
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


def texts_of(content) -> list[tuple[str, str]]:
    """Every piece of shipped text a reader sees, with where it comes from."""
    texts = []
    for f in content["fasen"]:
        texts += [
            (f"fase {f['number']} summary", f["summary"]),
            (f"fase {f['number']} key_question", f["key_question"]),
        ]
    for s in content["sporen"]:
        texts.append((f"spoor {s['letter']} description", s["description"]))
    for k in content["knooppunten"]:
        texts += [(f"{k['code']} {name}", k[name]) for name in ["title", "summary", "goal", "approach"]]
        texts += [(f"{k['code']} tip {i}", tip["text"]) for i, tip in enumerate(k["tips"], 1)]
        texts += [(f"{k['code']} bron {i}", f"{b['title']}. {b['publisher']}") for i, b in enumerate(k["bronnen"], 1)]
    for v in content["praktijkverhalen"]:
        texts += [(f"{v['slug']} title", v["title"]), (f"{v['slug']} story", v["story"])]
    for b in content["begrippen"]:
        texts.append((f"begrip {b['term']}", b["definition"]))
    return texts


def track_weights(knooppunten, track_of) -> dict[str, float]:
    """Each knooppunt weighs 1, split evenly over its sporen, summed per track."""
    weights = {"sociaal": 0.0, "technisch": 0.0}
    for k in knooppunten:
        for letter in k["sporen"]:
            weights[track_of[letter]] += 1 / len(k["sporen"])
    return weights


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


class TestBalanceOfTheSporen:
    def test_spoor_c_is_on_at_most_a_third_of_all_knooppunten(self, knooppunten):
        with_c = [k["code"] for k in knooppunten if "C" in k["sporen"]]
        assert len(with_c) <= MAX_SHARE_SPOOR_C * len(knooppunten), with_c

    def test_spoor_c_is_on_at_most_half_of_each_phase(self, content, knooppunten):
        too_many = {}
        for number in [f["number"] for f in content["fasen"]]:
            in_fase = [k for k in knooppunten if k["code"].startswith(f"{number}.")]
            with_c = [k["code"] for k in in_fase if "C" in k["sporen"]]
            if len(with_c) > MAX_SHARE_SPOOR_C_PER_FASE * len(in_fase):
                too_many[number] = with_c
        assert too_many == {}

    def test_spoor_b_is_on_at_least_four_knooppunten_in_phases_2_to_4(self, knooppunten):
        per_fase = Counter(int(k["code"].split(".")[0]) for k in knooppunten if "B" in k["sporen"])
        short = {number: per_fase[number] for number, least in MIN_SPOOR_B_PER_FASE.items() if per_fase[number] < least}
        assert short == {}

    def test_the_technical_track_weighs_at_least_as_much_as_the_social_track_in_phase_6(self, content, knooppunten):
        track_of = {s["letter"]: s["track"] for s in content["sporen"]}
        fase = TECHNICAL_AT_LEAST_SOCIAL_IN_FASE
        weights = track_weights([k for k in knooppunten if k["code"].startswith(f"{fase}.")], track_of)
        assert weights["technisch"] >= weights["sociaal"], weights


class TestInstitutionsAndLaws:
    def test_paw_and_ecw_are_named_only_as_predecessors_of_the_nplw(self, content):
        current = [
            f"{where}: {sentence}"
            for where, text in texts_of(content)
            for sentence in SENTENCE_SPLIT.split(text)
            if FORMER_BODY.search(sentence) and not AS_PREDECESSOR.search(sentence)
        ]
        assert current == []

    def test_a_sentence_wrapped_over_two_lines_is_checked_as_one_sentence(self):
        text = "Het NPLW volgt zijn voorganger op, het\nProgramma Aardgasvrije Wijken. Nu\n\nAlinea\n- Punt"
        assert SENTENCE_SPLIT.split(text) == [
            "Het NPLW volgt zijn voorganger op, het\nProgramma Aardgasvrije Wijken.",
            "Nu",
            "Alinea",
            "- Punt",
        ]

    def test_no_tip_or_source_sends_the_reader_to_the_home_page_of_a_former_body(self, knooppunten):
        urls = [(k["code"], tip["url"]) for k in knooppunten for tip in k["tips"]]
        urls += [(k["code"], bron["url"]) for k in knooppunten for bron in k["bronnen"]]
        assert [(code, url) for code, url in urls if url in FORMER_BODY_HOME_PAGES] == []

    def test_the_70_percent_rule_is_stated_with_its_conditions(self, content):
        incomplete = {
            where: [name for name, pattern in RULE_CONDITIONS.items() if not pattern.search(text)]
            for where, text in texts_of(content)
            if SEVENTY_PERCENT.search(text) and TENANTS.search(text)
        }
        assert {where: missing for where, missing in incomplete.items() if missing} == {}

    def test_no_tip_only_says_that_an_organisation_knows_about_something(self, knooppunten):
        filler = [
            f"{k['code']}: {tip['text']}" for k in knooppunten for tip in k["tips"] if FILLER_TIP.search(tip["text"])
        ]
        assert filler == []

    def test_every_knooppunt_has_a_source(self, knooppunten):
        assert [k["code"] for k in knooppunten if not k["bronnen"]] == []


class TestGlossaryCoverage:
    @staticmethod
    def defined(content) -> set[str]:
        return {b["term"].lower() for b in content["begrippen"]} | {
            b["abbreviation"].lower() for b in content["begrippen"] if b["abbreviation"]
        }

    def test_every_term_the_texts_rely_on_is_in_the_glossary(self, content):
        defined = self.defined(content)
        texts = [(where, text) for where, text in texts_of(content) if not where.startswith("begrip ")]
        used = {term for term, pattern in RELIED_ON_TERMS.items() for _, text in texts if re.search(pattern, text)}
        assert sorted(used - defined) == []

    def test_the_glossary_has_the_terms_issue_14_found_missing(self, content):
        assert sorted(set(REQUIRED_TERMS) - self.defined(content)) == []


class TestKnooppuntText:
    def test_required_fields_are_filled(self, knooppunten):
        required = ["title", "summary", "goal", "approach", "sporen"]
        empty = [f"{k['code']} {name}" for k in knooppunten for name in required if not k[name]]
        empty += [f"{k['code']} tip {i}" for k in knooppunten for i, tip in enumerate(k["tips"], 1) if not tip["text"]]
        assert empty == []

    def test_doel_has_2_to_4_sentences(self, knooppunten):
        wrong = {k["code"]: sentences(k["goal"]) for k in knooppunten if sentences(k["goal"]) not in DOEL_SENTENCES}
        assert wrong == {}

    def test_aanpak_has_3_to_7_numbered_steps(self, knooppunten):
        steps = {k["code"]: len(NUMBERED_STEP.findall(k["approach"])) for k in knooppunten}
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
