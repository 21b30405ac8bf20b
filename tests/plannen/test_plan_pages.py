from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse
from docx import Document

from knooppunten.models import Knooppunt
from plannen.defaults import HOOFDSTUKKEN
from plannen.models import Citaat, Hoofdstuk, HoofdstukTekst, Plan, PlanVersie, VersieSoort
from plannen.readiness import word_diff
from projects.models import EntryKind, LogboekEntry

pytestmark = pytest.mark.django_db


def url(name: str, project, *args) -> str:
    return reverse(f"plannen:{name}", args=[project.pk, *args])


def save(client, plan_data, hoofdstuk, text: str, version: int):
    return client.post(url("chapter", plan_data.team.project, hoofdstuk.pk), {"text": text, "version": version})


class TestAccess:
    def pages(self, d):
        p = d.team.project
        return [
            ("get", url("overview", p), {}),
            ("get", url("chapter", p, d.gebied.pk), {}),
            ("post", url("chapter", p, d.gebied.pk), {"text": "x", "version": 0}),
            ("post", url("quote", p, d.gebied.pk, d.besluit.pk), {"version": 0}),
            ("post", url("freeze", p), {"kind": VersieSoort.INSPRAAK}),
            ("get", url("compare", p), {}),
            ("get", url("print", p), {}),
            ("get", url("docx", p), {}),
        ]

    def test_outsider_gets_404_on_every_url(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.outsider)
        for method, address, data in self.pages(plan_data):
            assert getattr(client, method)(address, data).status_code == 404, address
        assert not HoofdstukTekst.objects.filter(text="x").exists()
        assert not PlanVersie.objects.exists()

    def test_anonymous_is_sent_to_login(self, plan_data):
        response = plan_data.team.client_for(None).get(url("overview", plan_data.team.project))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_meelezer_reads_and_gets_403_on_changes(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.meelezer)
        for method, address, data in self.pages(plan_data):
            expected = 403 if method == "post" else 200
            assert getattr(client, method)(address, data).status_code == expected, address
        assert not Citaat.objects.exists() and not PlanVersie.objects.exists()
        page = client.get(url("chapter", plan_data.team.project, plan_data.gebied.pk)).content.decode()
        assert "Citeer in de tekst" not in page and "<textarea" not in page

    def test_only_a_projectleider_freezes(self, plan_data):
        teamlid = plan_data.team.client_for(plan_data.team.teamlid)
        assert teamlid.post(url("freeze", plan_data.team.project), {"kind": VersieSoort.INSPRAAK}).status_code == 403
        assert "Versie vastleggen" not in teamlid.get(url("overview", plan_data.team.project)).content.decode()
        leider = plan_data.team.client_for(plan_data.team.leider)
        assert leider.post(url("freeze", plan_data.team.project), {"kind": VersieSoort.INSPRAAK}).status_code == 302
        versie = PlanVersie.objects.get()
        assert versie.frozen_by == plan_data.team.leider
        versie.frozen_at = datetime(2026, 12, 2, 8, 32, tzinfo=UTC)
        assert str(versie) == "Inspraakversie (2 december 2026, 09:32)"  # Dutch time, as other dates

    def test_another_projects_entry_cannot_be_quoted(self, plan_data):
        other = LogboekEntry.objects.create(
            project=plan_data.team.other_project, kind=EntryKind.BESLUIT, title="Geheim"
        )
        client = plan_data.team.client_for(plan_data.team.teamlid)
        response = client.post(url("quote", plan_data.team.project, plan_data.gebied.pk, other.pk), {"version": 0})
        assert response.status_code == 404
        assert not Citaat.objects.exists()

    def test_an_unknown_chapter_is_404(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        assert client.get(url("chapter", plan_data.team.project, 999_999)).status_code == 404


class TestOverview:
    def test_the_plan_is_made_on_the_first_visit_with_readiness(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        assert not Plan.objects.exists()
        page = client.get(url("overview", plan_data.team.project)).content.decode()
        assert Plan.objects.get().project == plan_data.team.project
        assert "Het gebied" in page and "Besluitvorming" in page
        # Het gebied: one knooppunt afgerond and one n.v.t.; Besluitvorming: one still open.
        assert "Alle knooppunten afgerond of niet van toepassing" in page
        assert "1 knooppunt staat nog open" in page
        assert "Klaar voor de raad?" in page
        assert "Nog niet:</span>Elk hoofdstuk heeft tekst" in page

    def test_the_checklist_informs_and_never_blocks(self, plan_data):
        leider = plan_data.team.client_for(plan_data.team.leider)
        # Nothing is written, and the projectleider can still freeze.
        assert leider.post(url("freeze", plan_data.team.project), {"kind": VersieSoort.VASTGESTELD}).status_code == 302
        assert PlanVersie.objects.count() == 1

    def test_a_bad_version_kind_changes_nothing(self, plan_data):
        leider = plan_data.team.client_for(plan_data.team.leider)
        response = leider.post(url("freeze", plan_data.team.project), {"kind": "verzonnen"}, follow=True)
        assert "Kies welke versie u wilt vastleggen." in response.content.decode()
        assert not PlanVersie.objects.exists()


class TestChapter:
    def test_it_shows_the_evidence_statuses_and_nvt_reasons(self, plan_data):
        k1, k2, _k3 = plan_data.knooppunten
        for kind in (EntryKind.ACTIE, EntryKind.DOCUMENT, EntryKind.NOTITIE):
            LogboekEntry.objects.create(project=plan_data.team.project, kind=kind, title=f"Regel {kind}", knooppunt=k2)
        LogboekEntry.objects.create(
            project=plan_data.team.other_project, kind=EntryKind.BESLUIT, title="Van een ander", knooppunt=k1
        )
        page = plan_data.team.client_for(plan_data.team.meelezer).get(
            url("chapter", plan_data.team.project, plan_data.gebied.pk)
        )
        html = page.content.decode()
        assert "De grens volgt het spoor" in html and "Regel actie" in html and "Regel document" in html
        assert "Regel notitie" not in html and "Van een ander" not in html
        assert "Afgerond" in html and "Al bekend uit eerder onderzoek" in html
        assert "<strong>de wijk</strong>" in html  # the guide, as Markdown

    def test_only_a_writer_is_told_that_he_can_write(self, plan_data):
        address = url("chapter", plan_data.team.project, plan_data.besluiten.pk)  # 1 knooppunt open
        html = plan_data.team.client_for(plan_data.team.meelezer).get(address).content.decode()
        assert "1 knooppunt staat nog open." in html
        assert "U kunt toch al schrijven." not in html
        assert "U leest mee: u kunt deze tekst lezen, maar niet veranderen." in html
        html = plan_data.team.client_for(plan_data.team.teamlid).get(address).content.decode()
        assert "1 knooppunt staat nog open. U kunt toch al schrijven." in html
        assert "U leest mee" not in html

    def test_a_teamlid_saves_the_text_as_sanitised_markdown(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        response = save(client, plan_data, plan_data.gebied, "De wijk is **groen**.<script>alert(1)</script>", 0)
        assert response.status_code == 302
        tekst = HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied)
        assert tekst.version == 1 and tekst.updated_by == plan_data.team.teamlid
        html = client.get(url("chapter", plan_data.team.project, plan_data.gebied.pk)).content.decode()
        assert "De wijk is <strong>groen</strong>." in html and "<script>alert(1)" not in html

    def test_the_second_of_two_saves_gets_a_message_and_the_other_text(self, plan_data):
        tim = plan_data.team.client_for(plan_data.team.teamlid)
        lotte = plan_data.team.client_for(plan_data.team.leider)
        tim.get(url("chapter", plan_data.team.project, plan_data.gebied.pk))  # both start from version 0
        assert save(lotte, plan_data, plan_data.gebied, "De tekst van Lotte.", 0).status_code == 302
        response = save(tim, plan_data, plan_data.gebied, "De tekst van Tim.", 0)
        assert response.status_code == 409
        html = response.content.decode()
        assert "Iemand anders heeft dit hoofdstuk opgeslagen terwijl u schreef." in html
        assert "<pre>De tekst van Lotte.</pre>" in html  # the other's text
        assert "De tekst van Tim.</textarea>" in html  # his own text is not lost
        assert 'name="version" value="1"' in html  # a new save starts from Lotte's version
        assert HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text == "De tekst van Lotte."
        assert save(tim, plan_data, plan_data.gebied, "Samen.", 1).status_code == 302
        assert HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text == "Samen."

    def test_line_endings_from_a_browser_are_stored_as_newlines(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        save(client, plan_data, plan_data.gebied, "Een.\r\n\r\nTwee.", 0)
        assert HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text == "Een.\n\nTwee."

    def test_bad_input_changes_nothing(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        response = save(client, plan_data, plan_data.gebied, "x" * 50_001, 0)
        assert response.status_code == 200 and "Controleer wat u hebt ingevuld" in response.content.decode()
        response = client.post(url("chapter", plan_data.team.project, plan_data.gebied.pk), {"text": "Tekst"})
        assert "Controleer wat u hebt ingevuld" in response.content.decode()
        assert HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text == ""


def quote(client, plan_data, data: dict):
    return client.post(url("quote", plan_data.team.project, plan_data.gebied.pk, plan_data.besluit.pk), data)


class TestQuote:
    def test_the_quote_buttons_send_the_chapter_form(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        html = client.get(url("chapter", plan_data.team.project, plan_data.gebied.pk)).content.decode()
        action = url("quote", plan_data.team.project, plan_data.gebied.pk, plan_data.besluit.pk)
        assert '<form method="post" id="chapter-form"' in html
        assert f'<button type="submit" form="chapter-form" formaction="{action}"' in html

    def test_one_click_quotes_a_decision_with_a_link_to_the_logboek(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        save(client, plan_data, plan_data.gebied, "Eerste alinea.", 0)
        response = quote(client, plan_data, {"text": "Eerste alinea.", "version": 1})
        assert response.status_code == 302
        tekst = HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied)
        link = f"/projecten/{plan_data.team.project.pk}/logboek/#regel-{plan_data.besluit.pk}"
        assert tekst.text.startswith("Eerste alinea.\n\n> De grens volgt het spoor ([besluit van ")
        assert f"]({link}))" in tekst.text
        assert tekst.version == 2
        assert Citaat.objects.get().entry == plan_data.besluit
        html = client.get(url("chapter", plan_data.team.project, plan_data.gebied.pk)).content.decode()
        assert f'href="{link}"' in html and "<blockquote>" in html
        assert "Het citaat staat nu in de tekst." in html  # also right for an action or a document

    def test_the_text_typed_before_the_click_is_saved_with_the_quote(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        save(client, plan_data, plan_data.gebied, "Eerste alinea.", 0)
        response = quote(client, plan_data, {"text": "Eerste alinea.\r\n\r\nNog niet opgeslagen.", "version": 1})
        assert response.status_code == 302
        tekst = HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied)
        assert tekst.text.startswith("Eerste alinea.\n\nNog niet opgeslagen.\n\n> De grens volgt het spoor (")
        assert tekst.version == 2 and tekst.updated_by == plan_data.team.teamlid
        assert Citaat.objects.get().entry == plan_data.besluit

    def test_a_quote_after_another_save_keeps_the_typed_text_and_adds_nothing(self, plan_data):
        tim = plan_data.team.client_for(plan_data.team.teamlid)
        save(plan_data.team.client_for(plan_data.team.leider), plan_data, plan_data.gebied, "Van Lotte.", 0)
        response = quote(tim, plan_data, {"text": "Van Tim, niet opgeslagen.", "version": 0})
        assert response.status_code == 409
        html = response.content.decode()
        assert "Iemand anders heeft dit hoofdstuk opgeslagen terwijl u schreef." in html
        assert "Het citaat is nog niet toegevoegd." in html
        assert "<pre>Van Lotte.</pre>" in html
        assert "Van Tim, niet opgeslagen.</textarea>" in html  # his own text is not lost
        assert 'name="version" value="1"' in html
        assert HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text == "Van Lotte."
        assert not Citaat.objects.exists()

    def test_a_page_without_the_text_field_quotes_onto_the_stored_text(self, plan_data):
        # A page loaded before the quote buttons joined the chapter form sends only the version:
        # that must never empty the chapter.
        client = plan_data.team.client_for(plan_data.team.teamlid)
        save(client, plan_data, plan_data.gebied, "Opgeslagen.", 0)
        assert quote(client, plan_data, {"version": 1}).status_code == 302
        assert HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text.startswith("Opgeslagen.\n\n> De grens")

    def test_bad_input_changes_nothing(self, plan_data):
        client = plan_data.team.client_for(plan_data.team.teamlid)
        save(client, plan_data, plan_data.gebied, "Opgeslagen.", 0)
        for data in [{"text": "Getypt.", "version": "oud"}, {"text": "Getypt."}, {"text": "x" * 49_990, "version": 1}]:
            response = quote(client, plan_data, data)
            assert response.status_code == 200, data
            assert "Controleer wat u hebt ingevuld" in response.content.decode()
        assert "Met het citaat erbij wordt de tekst te lang." in response.content.decode()
        assert HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text == "Opgeslagen."
        assert not Citaat.objects.exists()


def write_and_freeze(plan_data) -> tuple[PlanVersie, PlanVersie]:
    tim = plan_data.team.client_for(plan_data.team.teamlid)
    lotte = plan_data.team.client_for(plan_data.team.leider)
    save(tim, plan_data, plan_data.gebied, "De wijk ligt aan de rivier.", 0)
    tim.post(url("quote", plan_data.team.project, plan_data.gebied.pk, plan_data.besluit.pk), {"version": 1})
    lotte.post(url("freeze", plan_data.team.project), {"kind": VersieSoort.INSPRAAK})
    text = HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text.replace("aan de rivier", "aan het kanaal")
    save(tim, plan_data, plan_data.gebied, text, 2)
    lotte.post(url("freeze", plan_data.team.project), {"kind": VersieSoort.VASTGESTELD})
    return tuple(PlanVersie.objects.order_by("pk"))


class TestVersions:
    def test_a_frozen_version_keeps_its_text_and_never_changes(self, plan_data):
        inspraak, vastgesteld = write_and_freeze(plan_data)
        assert inspraak.kind == VersieSoort.INSPRAAK and vastgesteld.kind == VersieSoort.VASTGESTELD
        assert [c["title"] for c in inspraak.chapters] == ["Het gebied", "Besluitvorming"]
        assert inspraak.chapters[0]["text"].startswith("De wijk ligt aan de rivier.")
        assert vastgesteld.chapters[0]["text"].startswith("De wijk ligt aan het kanaal.")
        inspraak.chapters = []
        with pytest.raises(ValueError):
            inspraak.save()
        assert PlanVersie.objects.get(pk=inspraak.pk).chapters[0]["text"].startswith("De wijk ligt aan de rivier.")

    def test_the_comparison_shows_the_change_word_by_word(self, plan_data):
        inspraak, vastgesteld = write_and_freeze(plan_data)
        client = plan_data.team.client_for(plan_data.team.meelezer)
        html = client.get(
            url("compare", plan_data.team.project), {"a": inspraak.pk, "b": vastgesteld.pk}
        ).content.decode()
        assert "<del>de rivier.</del><ins>het kanaal.</ins>" in html
        assert "Niets veranderd." in html  # Besluitvorming

    def test_a_changed_line_is_matched_with_its_old_self_not_with_a_removed_one(self):
        old = "- 70% huur\n- 30% koop\n\n> Een citaat."
        new = "- 65% huur\n- 35% koop"
        pieces = word_diff(old, new)
        assert ("del", "30% ") in pieces and pieces[pieces.index(("del", "30% ")) + 1] == ("ins", "35% ")
        assert pieces[-1] == ("del", "\n\n> Een citaat.")
        assert "".join(text for op, text in pieces if op != "ins") == old
        assert "".join(text for op, text in pieces if op != "del") == new

    def test_the_comparison_with_the_concept_and_a_bad_choice(self, plan_data):
        inspraak, _vastgesteld = write_and_freeze(plan_data)
        client = plan_data.team.client_for(plan_data.team.meelezer)
        html = client.get(url("compare", plan_data.team.project), {"a": inspraak.pk, "b": "concept"}).content.decode()
        assert "<ins>het kanaal.</ins>" in html
        html = client.get(url("compare", plan_data.team.project), {"a": "12345", "b": "x"}).content.decode()
        assert "Die versie bestaat niet." in html


class TestExport:
    def test_the_docx_has_the_gemeente_chapters_quotes_and_progress(self, plan_data):
        write_and_freeze(plan_data)
        response = plan_data.team.client_for(plan_data.team.meelezer).get(url("docx", plan_data.team.project))
        assert response["Content-Disposition"] == 'attachment; filename="wijkuitvoeringsplan-bloemenbuurt.docx"'
        doc = Document(io.BytesIO(response.content))
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
        assert headings == [
            "Wijkuitvoeringsplan Bloemenbuurt",
            "1. Het gebied",
            "2. Besluitvorming",
            "Bijlage: geciteerde besluiten",
            "Bijlage: voortgang per fase",
        ]
        texts = [p.text for p in doc.paragraphs]
        assert any("Gemeente Voorbeeldstad" in t for t in texts)
        assert "De wijk ligt aan het kanaal." in texts
        quote = next(p for p in doc.paragraphs if p.style.name == "Quote")
        assert quote.text.startswith("De grens volgt het spoor (besluit van ")
        assert any(t.endswith("De grens volgt het spoor (besluit, hoofdstuk Het gebied)") for t in texts)
        table = doc.tables[0]
        assert [c.text for c in table.rows[0].cells] == [
            "Fase",
            "Afgerond",
            "Bezig",
            "Niet gestart",
            "Niet van toepassing",
        ]
        assert [c.text for c in table.rows[1].cells][1:] == ["1", "0", "0", "0"]  # fase 1: 1.02 afgerond

    def test_the_print_page_has_the_chapters_and_appendices(self, plan_data):
        write_and_freeze(plan_data)
        html = (
            plan_data.team.client_for(plan_data.team.meelezer)
            .get(url("print", plan_data.team.project))
            .content.decode()
        )
        assert "css/report.css" in html and "css/plan.css" in html
        assert "1. Het gebied</h2>" in html and "2. Besluitvorming</h2>" in html
        assert "Dit hoofdstuk is nog niet geschreven." in html
        assert "Bijlage: geciteerde besluiten" in html and "De grens volgt het spoor" in html
        assert "Gemeente Voorbeeldstad" in html and "Per fase" in html


def freeze_then_change(plan_data) -> PlanVersie:
    """An inspraakversie with a quote, then a change to chapter 1 and a second quote: the concept
    is no longer what was frozen."""
    tim = plan_data.team.client_for(plan_data.team.teamlid)
    save(tim, plan_data, plan_data.gebied, "De wijk ligt aan de rivier.", 0)
    quote(tim, plan_data, {"text": "De wijk ligt aan de rivier.", "version": 1})
    plan_data.team.client_for(plan_data.team.leider).post(
        url("freeze", plan_data.team.project), {"kind": VersieSoort.INSPRAAK}
    )
    save(tim, plan_data, plan_data.gebied, "De wijk ligt aan zee.", 2)
    later = LogboekEntry.objects.create(
        project=plan_data.team.project,
        kind=EntryKind.BESLUIT,
        title="Later besluit",
        knooppunt=plan_data.knooppunten[2],
    )
    tim.post(url("quote", plan_data.team.project, plan_data.besluiten.pk, later.pk), {"text": "", "version": 0})
    return PlanVersie.objects.get()


def docx_texts(response) -> list[str]:
    return [p.text for p in Document(io.BytesIO(response.content)).paragraphs]


class TestExportOfAVersion:
    def test_the_printed_concept_never_claims_to_be_a_recorded_version(self, plan_data):
        freeze_then_change(plan_data)
        html = plan_data.team.client_for(plan_data.team.meelezer).get(url("print", plan_data.team.project))
        html = html.content.decode()
        assert "De wijk ligt aan zee." in html and "Later besluit" in html
        assert "vastgelegd op" not in html
        assert "<strong>Concept:</strong> de tekst van " in html and "Dit is geen vastgelegde versie." in html
        assert "De laatste vastgelegde versie is de inspraakversie van " in html
        assert "Daarna kan de tekst veranderd zijn." in html

    def test_a_printed_version_shows_its_own_text_and_quotes(self, plan_data):
        versie = freeze_then_change(plan_data)
        client = plan_data.team.client_for(plan_data.team.meelezer)
        html = client.get(url("print", plan_data.team.project), {"versie": versie.pk}).content.decode()
        assert "De wijk ligt aan de rivier." in html and "aan zee" not in html
        assert "<strong>Inspraakversie</strong>, vastgelegd op " in html and " door Lotte." in html
        assert "De grens volgt het spoor" in html
        assert "Later besluit" not in html  # quoted after the version was frozen
        assert "Dit hoofdstuk is nog niet geschreven." in html  # Besluitvorming, as it was then

    def test_the_docx_of_the_concept_and_of_a_version(self, plan_data):
        versie = freeze_then_change(plan_data)
        client = plan_data.team.client_for(plan_data.team.meelezer)
        concept = client.get(url("docx", plan_data.team.project))
        texts = docx_texts(concept)
        assert "De wijk ligt aan zee." in texts
        assert not any("vastgelegd op" in t for t in texts)
        assert any(t.startswith("Concept: de tekst van ") and "Dit is geen vastgelegde versie." in t for t in texts)
        assert any(t.startswith("De laatste vastgelegde versie is de inspraakversie van ") for t in texts)

        response = client.get(url("docx", plan_data.team.project), {"versie": versie.pk})
        texts = docx_texts(response)
        assert "De wijk ligt aan de rivier." in texts and "De wijk ligt aan zee." not in texts
        assert any(t.startswith("Inspraakversie, vastgelegd op ") and "door Lotte" in t for t in texts)
        assert not any("Later besluit" in t for t in texts)
        assert response["Content-Disposition"].startswith(
            'attachment; filename="wijkuitvoeringsplan-bloemenbuurt-inspraakversie-'
        )

    def test_the_overview_links_to_each_versions_print_and_docx(self, plan_data):
        versie = freeze_then_change(plan_data)
        html = plan_data.team.client_for(plan_data.team.meelezer).get(url("overview", plan_data.team.project))
        html = html.content.decode()
        assert f'href="{url("print", plan_data.team.project)}?versie={versie.pk}"' in html
        assert f'href="{url("docx", plan_data.team.project)}?versie={versie.pk}"' in html

    def test_an_unknown_version_is_404(self, plan_data):
        freeze_then_change(plan_data)
        other = PlanVersie.objects.create(
            plan=Plan.objects.create(project=plan_data.team.other_project), kind=VersieSoort.INSPRAAK
        )
        client = plan_data.team.client_for(plan_data.team.leider)
        for name in ("print", "docx"):
            for versie in ("abc", "999999", other.pk, "1.0"):
                assert client.get(url(name, plan_data.team.project), {"versie": versie}).status_code == 404


class TestQueries:
    @pytest.mark.parametrize("entries", [5, 500])
    def test_pages_make_a_fixed_number_of_queries(self, plan_data, entries, django_assert_max_num_queries):
        k1 = plan_data.knooppunten[0]
        LogboekEntry.objects.bulk_create(
            LogboekEntry(project=plan_data.team.project, kind=EntryKind.BESLUIT, title=f"Besluit {i}", knooppunt=k1)
            for i in range(entries)
        )
        client = plan_data.team.client_for(plan_data.team.teamlid)
        save(client, plan_data, plan_data.gebied, "Tekst.", 0)
        client.post(url("quote", plan_data.team.project, plan_data.gebied.pk, plan_data.besluit.pk), {"version": 1})
        plan_data.team.client_for(plan_data.team.leider).post(
            url("freeze", plan_data.team.project), {"kind": VersieSoort.INSPRAAK}
        )
        # Shows (and clears) the message of the last save, and loads the kompas into memory as
        # the first request of a process does (knooppunten.kompas keeps it there).
        client.get(url("print", plan_data.team.project))
        versie = PlanVersie.objects.get()
        pages = [("overview", [], {}), ("chapter", [plan_data.gebied.pk], {}), ("compare", [], {}), ("print", [], {})]
        for name, args, query in [*pages, ("print", [], {"versie": versie.pk}), ("docx", [], {"versie": versie.pk})]:
            with django_assert_max_num_queries(12):
                response = client.get(url(name, plan_data.team.project, *args), query)
            assert response.status_code == 200
        html = client.get(url("chapter", plan_data.team.project, plan_data.gebied.pk)).content.decode()
        assert html.count("Citeer in de tekst") == entries + 1


class TestDefaults:
    def test_the_migration_ships_nine_chapters_and_the_command_links_knooppunten(self, kompas):
        assert list(Hoofdstuk.objects.values_list("title", flat=True)) == [title for title, *_ in HOOFDSTUKKEN]
        assert not Hoofdstuk.objects.filter(knooppunten__isnull=False).exists()  # no kompas when it ran
        kompas.add_knooppunt(1, 2, title="Het gebied afbakenen")
        kompas.add_knooppunt(1, 11, title="Het doel")
        call_command("default_hoofdstukken", stdout=io.StringIO())
        gebied = Hoofdstuk.objects.get(title="Het gebied en zijn karakter")
        assert list(gebied.knooppunten.values_list("code", flat=True)) == ["1.02"]
        doel = Hoofdstuk.objects.get(title="Doel en toekomstbeeld")
        assert list(doel.knooppunten.values_list("code", flat=True)) == ["1.11"]
        assert Hoofdstuk.objects.count() == 9  # it adds no second set
        assert Knooppunt.objects.count() == 2


def test_a_chapter_a_team_wrote_in_cannot_be_deleted(plan_data):
    save(plan_data.team.client_for(plan_data.team.teamlid), plan_data, plan_data.gebied, "Onze tekst.", 0)
    with pytest.raises(ProtectedError):
        plan_data.gebied.delete()
    assert HoofdstukTekst.objects.get(hoofdstuk=plan_data.gebied).text == "Onze tekst."
