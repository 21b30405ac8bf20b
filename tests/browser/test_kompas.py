"""Journeys through the public kompas in a real Chromium, with axe-core on every page type."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from knooppunten.models import Begrip, Tip
from tests.conftest import EDITOR_TOTP_SECRET, update_search_vectors

from .support import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def content(kompas):
    participatie = kompas.add_knooppunt(
        1, 1, title="Participatiestrategie kiezen", sporen="AC", slug="participatiestrategie",
        goal="Het team weet hoe bewoners meedoen aan het WUP.",
    )  # fmt: skip
    kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", sporen="DF", slug="warmtebronnen")
    kompas.add_knooppunt(3, 1, title="Netcapaciteit bepalen", sporen="F", slug="netcapaciteit")
    Tip.objects.create(knooppunt=participatie, text="Begin met een wijkwandeling.", url="https://vng.nl/")
    Begrip.objects.create(
        term="Wijkuitvoeringsplan", slug="wijkuitvoeringsplan", abbreviation="WUP", definition="Het plan voor de wijk."
    )
    update_search_vectors()
    return participatie


def test_a_visitor_filters_the_kompas_and_opens_a_knooppunt(page, live_server, content, axe):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Het kompas voor de wijkaanpak")
    assert_accessible(axe, page)

    page.get_by_label("Spoor").select_option("F")
    expect(page).to_have_url(re.compile(r"spoor=F"))
    kompas = page.locator("#kompas")
    expect(kompas.get_by_text("Netcapaciteit bepalen")).to_be_visible()
    expect(kompas.get_by_text("Participatiestrategie kiezen")).to_have_count(0)
    expect(page.locator(".kompas__status")).to_contain_text("2 van 3 knooppunten getoond.")

    # The filtered view survives a reload: the address is the state.
    page.reload()
    expect(page.get_by_label("Spoor")).to_have_value("F")
    expect(page.locator("#kompas").get_by_text("Participatiestrategie kiezen")).to_have_count(0)

    page.get_by_role("link", name=re.compile("Warmtebronnen verkennen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warmtebronnen verkennen")
    for heading in ["Doel", "Aanpak", "Tips", "Uit de praktijk"]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert_accessible(axe, page)


def test_the_kompas_works_by_keyboard(page, live_server, content):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#inhoud$"))


def test_a_visitor_searches_live_and_opens_a_result(page, live_server, content, axe):
    page.goto(live_server.url + "/zoeken/")
    page.get_by_label("Waar zoekt u naar?").press_sequentially("participatie", delay=20)
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=re.compile("Participatiestrategie kiezen"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=participatie"))
    assert_accessible(axe, page)

    results.get_by_role("link", name=re.compile("Participatiestrategie kiezen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participatiestrategie kiezen")
    # The glossary term in the text links to its definition.
    page.get_by_role("link", name="WUP").click()
    expect(page).to_have_url(re.compile(r"/begrippen/#wijkuitvoeringsplan$"))
    expect(page.get_by_text("Het plan voor de wijk.")).to_be_visible()
    assert_accessible(axe, page)


def test_search_works_without_javascript(browser, live_server, content):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Zoek in het kompas").fill("warmtebronnen")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#search-results").get_by_text("Warmtebronnen verkennen")).to_be_visible()
    context.close()


def test_an_editor_changes_a_knooppunt_and_the_public_page_shows_it(page, live_server, content, editor):
    login(page, live_server, "eva.redacteur@example.org", "geheim-wachtwoord-1", totp_secret=EDITOR_TOTP_SECRET)
    page.goto(f"{live_server.url}/beheer/knooppunten/knooppunt/{content.pk}/change/")
    page.get_by_label("Samenvatting:").fill("Kies samen met bewoners hoe zij meedoen.")
    page.get_by_role("button", name="Voorbeeld bekijken").first.click()
    expect(page.locator("#goal-preview")).to_contain_text("Het team weet hoe bewoners meedoen")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Het knooppunt")  # "het", and no "met succes"
    expect(page.locator(".messagelist")).to_contain_text("is gewijzigd")

    page.goto(live_server.url + content.get_absolute_url())
    expect(page.get_by_text("Kies samen met bewoners hoe zij meedoen.")).to_be_visible()
