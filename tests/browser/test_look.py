"""The look on a phone (390x844) and a big screen (1366x900), in a real Chromium with the
Content-Security-Policy in force: every page type fits the window, passes axe-core, logs no
console error, and a card's summary stays inside its card. With `make screenshots` each page
is photographed into docs/screenshots/<page>-<width>.png for the README."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from knooppunten.models import Begrip, Praktijkverhaal
from tests.conftest import EDITOR_TOTP_SECRET, update_search_vectors

from .support import WIDTHS, assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_WORD = "Warmtetransitie" * 14  # a 210-character word, as pasted from a document


@pytest.fixture
def content(kompas):
    knooppunt = kompas.add_knooppunt(
        1, 1, title="Participatiestrategie kiezen", sporen="AC", slug="participatiestrategie",
        summary="Kies samen met bewoners hoe zij meedoen. " + LONG_WORD,
    )  # fmt: skip
    kompas.add_many(12)
    verhaal = Praktijkverhaal.objects.create(
        title="Een wijkwandeling", slug="wijkwandeling", place="Voorbeeldwijk", story="Een illustratief verhaal.",
        is_illustrative=True,
    )  # fmt: skip
    verhaal.knooppunten.add(knooppunt)
    Begrip.objects.create(term="Wijkuitvoeringsplan", slug="wup", abbreviation="WUP", definition="Het plan.")
    update_search_vectors()
    return knooppunt


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(message.text + str(message.location)) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def check(page, axe, name: str, width: int, errors: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} is {scroll_width} px wide in a {width} px window"
    assert errors == [], f"console errors on {name}: {errors}"
    assert_accessible(axe, page)
    # axe-core rebuilds @import-ed stylesheets as <style> elements to read them, which the CSP
    # blocks: those messages are the test tool's, so they are dropped after the axe run.
    errors.clear()
    tall = page.evaluate("document.documentElement.scrollHeight") > 2600
    screenshot(page, f"{name}-{width}", full_page=not tall)


def assert_summaries_inside_cards(page) -> None:
    outside = page.evaluate(
        """() => [...document.querySelectorAll('.card__summary')].filter(summary => {
            const card = summary.closest('.card');
            if (!card) return true;
            const s = summary.getBoundingClientRect(), c = card.getBoundingClientRect();
            return s.top < c.top || s.bottom > c.bottom + 0.5 || s.left < c.left || s.right > c.right + 0.5;
        }).length"""
    )
    assert outside == 0, f"{outside} card summaries fall outside their card"


@pytest.fixture(params=WIDTHS, ids=lambda size: f"{size[0]}px")
def sized_page(request, browser):
    width, height = request.param
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    yield context.new_page(), width
    context.close()


def test_public_and_account_pages_fit_and_pass_axe(sized_page, live_server, content, axe):
    page, width = sized_page
    errors = watch_console(page)
    pages = [
        ("kompas", "/"),
        ("fase", "/fasen/fase-1/"),
        ("spoor", "/sporen/bewoners-doen-mee/"),
        ("knooppunt", "/knooppunten/participatiestrategie/"),
        ("zoeken", "/zoeken/?q=participatiestrategie"),
        ("begrippen", "/begrippen/"),
        ("praktijk", "/uit-de-praktijk/"),
        ("inloggen", "/accounts/login/"),
        ("account-aanmaken", "/accounts/signup/"),
        ("wachtwoord-vergeten", "/accounts/password/reset/"),
    ]
    for name, path in pages:
        page.goto(live_server.url + path)
        if name in ("fase", "spoor", "zoeken"):
            expect(page.locator(".card__summary").first).to_be_visible()
            assert_summaries_inside_cards(page)
        check(page, axe, name, width, errors)


def test_a_login_form_with_errors_shows_a_dutch_summary(sized_page, live_server, content, axe):
    page, width = sized_page
    errors = watch_console(page)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Inloggen").click()  # empty: the server answers, not the browser
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Controleer wat u hebt ingevuld")
    expect(page.get_by_label("E-mail")).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("E-mail")).to_be_focused()
    # A console error for the 400 response itself is the browser's, not the page's.
    check(page, axe, "inloggen-fout", width, [e for e in errors if "status of 400" not in e])


def test_the_admin_fits_the_window_and_speaks_dutch(sized_page, live_server, content, editor, axe):
    page, width = sized_page
    EmailAddress.objects.filter(user=editor).update(verified=True)
    errors = watch_console(page)
    login(page, live_server, editor.email, "geheim-wachtwoord-1", EDITOR_TOTP_SECRET)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn projecten")  # LOGIN_REDIRECT_URL

    page.goto(live_server.url + "/beheer/knooppunten/knooppunt/")
    check(page, axe, "beheer-lijst", width, errors)

    page.goto(live_server.url + f"/beheer/knooppunten/knooppunt/{content.pk}/change/")
    english = page.evaluate("document.body.innerText").lower()
    for text in ("choose", "selecting them", "changed by", "revert"):
        assert text not in english, english[max(0, english.find(text) - 200) : english.find(text) + 200]
    page.locator("#id_title").fill("Participatiestrategie samen kiezen")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("Het knooppunt")
    check(page, axe, "beheer-bewerken", width, errors)

    page.goto(live_server.url + f"/beheer/knooppunten/knooppunt/{content.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("Gewijzigd door")
    expect(page.locator(".history-diff ins")).to_have_text("samen")
    check(page, axe, "beheer-geschiedenis", width, errors)


def test_the_example_theme_restyles_the_site_through_one_token_file(sized_page, live_server, content, axe, settings):
    page, width = sized_page
    settings.WIJKKOMPAS_THEME = "voorbeeldstad"
    errors = watch_console(page)
    page.goto(live_server.url + "/")
    header = page.locator(".site-header")
    expect(header).to_have_css("background-color", "rgb(15, 81, 50)")  # the example's green band
    expect(page.get_by_role("heading", level=1)).to_have_css("font-family", re.compile("Georgia"))
    check(page, axe, "voorbeeldstad-kompas", width, errors)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    check(page, axe, "voorbeeldstad-inloggen-fout", width, [e for e in errors if "status of 400" not in e])
