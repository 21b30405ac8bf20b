"""The Wijkuitvoeringsplan in a real Chromium: a team writes two chapters quoting decisions, the
projectleider freezes the inspraakversie, a chapter changes, the vastgestelde versie is frozen,
the comparison shows the change, the DOCX holds the headings and the quote, and the print page
makes a PDF. At 390 and 1366 px, with axe-core and without console errors."""

from __future__ import annotations

import io
import re

import pytest
from allauth.account.models import EmailAddress
from docx import Document
from playwright.sync_api import expect

from plannen.models import Hoofdstuk, PlanVersie
from projects.models import EntryKind, Gemeente, KnooppuntStatus, LogboekEntry, Membership, Role, Status
from projects.services import project_create

from .support import check_at_both_widths, login, new_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "een-lang-wachtwoord-1"


@pytest.fixture
def project(kompas, django_user_model):
    Hoofdstuk.objects.all().delete()
    k1 = kompas.add_knooppunt(1, 2, title="Het gebied afbakenen", sporen="C")
    k2 = kompas.add_knooppunt(4, 5, title="Gezamenlijk besluit over het concept", sporen="AC")
    gebied = Hoofdstuk.objects.create(title="Het gebied en zijn karakter", guide="Beschrijf de wijk.", order=1)
    gebied.knooppunten.set([k1])
    besluiten = Hoofdstuk.objects.create(title="Besluitvorming en planning", guide="Welke besluiten?", order=2)
    besluiten.knooppunten.set([k2])
    lotte = django_user_model.objects.create_user(email="lotte@example.org", password=PASSWORD, first_name="Lotte")
    tim = django_user_model.objects.create_user(email="tim@example.org", password=PASSWORD, first_name="Tim")
    for user in (lotte, tim):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    project = project_create(gemeente=Gemeente.objects.create(name="Voorbeeldstad"), name="Bloemenbuurt", by=lotte)
    Membership.objects.create(project=project, user=tim, role=Role.TEAMLID)
    KnooppuntStatus.objects.create(project=project, knooppunt=k1, status=Status.AFGEROND)
    LogboekEntry.objects.create(
        project=project, kind=EntryKind.BESLUIT, title="De grens volgt de spoorlijn", knooppunt=k1, created_by=lotte
    )
    LogboekEntry.objects.create(
        project=project,
        kind=EntryKind.BESLUIT,
        title="Het college stemt in met de aanpak",
        knooppunt=k2,
        created_by=lotte,
    )
    return project


def write_chapter(page, title: str, text: str, quote: str) -> None:
    page.get_by_role("link", name=title).click()
    page.get_by_label("Tekst van dit hoofdstuk").fill(text)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het hoofdstuk is opgeslagen.")).to_be_visible()
    page.get_by_role("button", name=re.compile(f"Citeer in de tekst.*{quote}")).click()
    expect(page.get_by_text("Het citaat staat nu in de tekst.")).to_be_visible()
    expect(page.locator(".plan-text blockquote a")).to_contain_text("besluit van")


def test_a_team_writes_freezes_compares_and_exports_its_plan(browser, live_server, project, axe, tmp_path):
    errors: list[str] = []
    page = new_page(browser, errors, locale="nl-NL", viewport={"width": 1366, "height": 900}, accept_downloads=True)
    login(page, live_server, "tim@example.org", PASSWORD)
    plan_url = f"{live_server.url}/projecten/{project.pk}/plan/"

    page.goto(plan_url)
    expect(page.get_by_role("heading", name="Klaar voor de raad?")).to_be_visible()
    write_chapter(
        page,
        "Het gebied en zijn karakter",
        "De wijk ligt tussen de rivier en het spoor.",
        "De grens volgt de spoorlijn",
    )
    check_at_both_widths(page, axe, "plan-hoofdstuk")
    page.get_by_role("link", name="Terug naar het plan").click()
    write_chapter(
        page, "Besluitvorming en planning", "Het college besloot in het voorjaar.", "Het college stemt in met de aanpak"
    )

    # Tim is a teamlid: he cannot freeze. Lotte, the projectleider, can.
    page.goto(plan_url)
    expect(page.get_by_role("button", name="Versie vastleggen")).to_have_count(0)
    page.context.clear_cookies()
    login(page, live_server, "lotte@example.org", PASSWORD)
    page.goto(plan_url)
    page.get_by_label("Welke versie legt u vast?").select_option("inspraak")
    page.get_by_role("button", name="Versie vastleggen").click()
    expect(page.get_by_text("De inspraakversie is vastgelegd.")).to_be_visible()
    check_at_both_widths(page, axe, "plan-overzicht")

    # A change after the inspraak, then the vastgestelde versie.
    page.get_by_role("link", name="Het gebied en zijn karakter").click()
    field = page.get_by_label("Tekst van dit hoofdstuk")
    field.fill(field.input_value().replace("de rivier", "het kanaal"))
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het hoofdstuk is opgeslagen.")).to_be_visible()
    page.get_by_role("link", name="Terug naar het plan").click()
    page.get_by_label("Welke versie legt u vast?").select_option("vastgesteld")
    page.get_by_role("button", name="Versie vastleggen").click()
    expect(page.get_by_text("De vastgestelde versie is vastgelegd.")).to_be_visible()
    assert PlanVersie.objects.count() == 2

    page.get_by_role("link", name="Versies vergelijken").click()
    # Only the changed words are marked: the line endings a browser sends are not a change.
    expect(page.locator(".plan-diff del")).to_have_text(["de rivier "])
    expect(page.locator(".plan-diff ins")).to_have_text(["het kanaal "])
    check_at_both_widths(page, axe, "plan-vergelijken")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als Word-bestand (DOCX)").click()
    path = tmp_path / "plan.docx"
    download_info.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Het gebied en zijn karakter" in headings and "2. Besluitvorming en planning" in headings
    assert any(p.style.name == "Quote" and "De grens volgt de spoorlijn" in p.text for p in doc.paragraphs)
    assert "De wijk ligt tussen het kanaal en het spoor." in [p.text for p in doc.paragraphs]

    page.get_by_role("link", name="Afdrukken", exact=True).click()
    expect(page.get_by_role("heading", name="Bijlage: geciteerde besluiten")).to_be_visible()
    # The concept never calls itself a recorded version; a recorded version prints its own text.
    expect(page.locator(".plan-which")).to_contain_text("Concept: de tekst van")
    expect(page.locator(".plan-which")).to_contain_text("De laatste vastgelegde versie is de vastgestelde versie")
    page.get_by_role("link", name=re.compile("^Inspraakversie")).click()
    expect(page.locator(".plan-which")).to_contain_text("Inspraakversie, vastgelegd op")
    expect(page.get_by_text("De wijk ligt tussen de rivier en het spoor.")).to_be_visible()
    check_at_both_widths(page, axe, "plan-afdrukken-versie")
    page.get_by_role("link", name="Het concept (de tekst van nu)").click()
    expect(page.get_by_text("De wijk ligt tussen het kanaal en het spoor.")).to_be_visible()
    check_at_both_widths(page, axe, "plan-afdrukken")
    page.emulate_media(media="print")
    expect(page.locator(".tabs")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    assert errors == []


def test_nothing_typed_is_lost_by_a_quote_or_by_leaving_the_chapter(browser, live_server, project):
    errors: list[str] = []
    page = new_page(browser, errors, locale="nl-NL", viewport={"width": 1366, "height": 900})
    login(page, live_server, "tim@example.org", PASSWORD)
    page.goto(f"{live_server.url}/projecten/{project.pk}/plan/")
    page.get_by_role("link", name="Het gebied en zijn karakter").click()
    chapter_url = page.url

    # Typed, not saved, then a quote: the typed text is saved with the quote after it.
    field = page.get_by_label("Tekst van dit hoofdstuk")
    field.fill("Getypt en niet opgeslagen.")
    page.get_by_role("button", name=re.compile("Citeer in de tekst.*De grens volgt de spoorlijn")).click()
    expect(page.get_by_text("Het citaat staat nu in de tekst.")).to_be_visible()
    expect(field).to_have_value(re.compile(r"^Getypt en niet opgeslagen\.\n\n> De grens volgt de spoorlijn \("))

    # Typed, not saved, then a link away: the browser asks first; staying keeps the text.
    field.press("Control+End")
    field.press_sequentially(" Nog meer.")
    dialogs: list[str] = []

    def answer(dialog, *, leave: bool) -> None:
        dialogs.append(dialog.type)
        dialog.accept() if leave else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, leave=False))
    page.get_by_role("link", name="Terug naar het plan").click()
    expect(field).to_have_value(re.compile(r"Nog meer\.$"))
    assert dialogs == ["beforeunload"] and page.url == chapter_url
    page.once("dialog", lambda dialog: answer(dialog, leave=True))
    page.get_by_role("link", name="Terug naar het plan").click()
    expect(page.get_by_role("heading", name="Klaar voor de raad?")).to_be_visible()
    assert dialogs == ["beforeunload", "beforeunload"]

    # A saved text leaves without a question.
    page.get_by_role("link", name="Het gebied en zijn karakter").click()
    page.get_by_label("Tekst van dit hoofdstuk").press_sequentially(" Opgeslagen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het hoofdstuk is opgeslagen.")).to_be_visible()
    page.get_by_role("link", name="Terug naar het plan").click()
    expect(page.get_by_role("heading", name="Klaar voor de raad?")).to_be_visible()
    assert len(dialogs) == 2 and errors == []
