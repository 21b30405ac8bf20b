"""Deel uw ervaring in a real Chromium, at phone and laptop width, with axe-core on every page:
a user shares a story from a knooppunt page, an editor edits and publishes it in the admin,
and it is public on its knooppunt; a refusal reaches the submitter with its reason."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from knooppunten import services
from knooppunten.models import Knooppunt, Praktijkverhaal, VerhaalStatus
from tests.conftest import EDITOR_TOTP_SECRET

from .support import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "een-lang-wachtwoord-1"
WIDTHS = [pytest.param((390, 844), id="390px"), pytest.param((1366, 900), id="1366px")]


@pytest.fixture
def lotte(kompas, django_user_model):
    kompas.add_knooppunt(1, 1, title="Bewoners aan tafel", sporen="A", slug="bewoners-aan-tafel")
    kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", sporen="DF", slug="warmtebronnen")
    user = django_user_model.objects.create_user(
        email="lotte@example.org", password=PASSWORD, first_name="Lotte", last_name="de Vries"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def new_page(browser, size):
    width, height = size
    return browser.new_context(locale="nl-NL", viewport={"width": width, "height": height}).new_page()


def assert_fits(page) -> None:
    """No horizontal scrolling at this width."""
    scroll_width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= viewport, f"{page.url} is {scroll_width}px wide in a {viewport}px viewport"


@pytest.mark.parametrize("size", WIDTHS)
def test_a_story_is_shared_published_and_public(browser, live_server, lotte, editor, axe, size):
    anonymous = size[0] == 390  # at phone width Lotte shares without her name
    page = new_page(browser, size)
    login(page, live_server, "lotte@example.org", PASSWORD)

    page.goto(live_server.url + reverse("navigator:knooppunt", args=["bewoners-aan-tafel"]))
    page.get_by_role("link", name="Deel uw ervaring met dit knooppunt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deel uw ervaring")
    expect(page.locator('input[name=knooppunten][value="1.01"]')).to_be_checked()
    assert_fits(page)
    assert_accessible(axe, page)

    # A story without what was learned is not sent; the summary says why.
    page.get_by_label("Titel van uw verhaal").fill("Een wijkschouw met twintig bewoners")
    page.get_by_label("Plaats of wijk").fill("Bloemenbuurt, Voorbeeldstad")
    page.get_by_label("Wat gebeurde er?").fill(
        "We liepen op een zaterdag met bewoners door de wijk en schreven op wat hen opviel."
    )
    page.get_by_role("button", name="Verhaal versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Schrijf op wat u ervan heeft geleerd.")
    assert not Praktijkverhaal.objects.exists()
    assert_fits(page)
    assert_accessible(axe, page)

    page.get_by_label("Wat heeft u ervan geleerd?").fill("Laat bewoners zelf de route kiezen.")
    page.get_by_label("Zonder naam (anoniem)" if anonymous else "Met mijn naam").check()
    expect(page.get_by_label("Uw naam bij het verhaal")).to_have_value("Lotte de Vries")
    page.get_by_label(re.compile("Ik geef de redactie toestemming")).check()
    page.get_by_role("button", name="Verhaal versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    expect(page.get_by_text(re.compile("Dank u wel. De redactie leest uw verhaal"))).to_be_visible()
    expect(page.locator(".shared-stories")).to_contain_text("Ingediend")
    assert_fits(page)
    assert_accessible(axe, page)
    verhaal = Praktijkverhaal.objects.get()
    assert verhaal.status == VerhaalStatus.INGEDIEND

    # Eva, an editor, finds it in the queue, shortens the title and publishes it.
    editor_page = new_page(browser, size)
    login(editor_page, live_server, editor.email, "geheim-wachtwoord-1", totp_secret=EDITOR_TOTP_SECRET)
    editor_page.goto(
        live_server.url + reverse("admin:knooppunten_praktijkverhaal_changelist") + "?status__exact=ingediend"
    )
    editor_page.get_by_role("link", name="Een wijkschouw met twintig bewoners").click()
    editor_page.get_by_label("Titel:").fill("Een wijkschouw met bewoners")
    editor_page.get_by_role("button", name="Opslaan en publiceren").click()
    expect(editor_page.get_by_text("'Een wijkschouw met bewoners' staat nu op de site.")).to_be_visible()
    verhaal.refresh_from_db()
    assert verhaal.status == VerhaalStatus.GEPUBLICEERD
    assert mail.outbox[-1].to == ["lotte@example.org"]
    assert verhaal.get_absolute_url() in mail.outbox[-1].body

    # Anyone sees it on its knooppunt, with a name only when Lotte allowed it.
    visitor = new_page(browser, size)
    visitor.goto(live_server.url + reverse("navigator:knooppunt", args=["bewoners-aan-tafel"]))
    story = visitor.locator("article.verhaal")
    expect(story).to_contain_text("Een wijkschouw met bewoners")
    expect(story).to_contain_text("Laat bewoners zelf de route kiezen.")
    if anonymous:
        expect(story).to_contain_text("Anoniem gedeeld")
        expect(story).not_to_contain_text("Lotte")
    else:
        expect(story).to_contain_text("Gedeeld door Lotte de Vries")
    assert_fits(visitor)
    assert_accessible(axe, visitor)


@pytest.mark.parametrize("size", WIDTHS)
def test_a_refusal_reaches_the_submitter(browser, live_server, lotte, editor, axe, size):
    verhaal = services.verhaal_submit(
        by=lotte, title="Onze buurtavond", place="Bloemenbuurt", story="Op de buurtavond kwamen veertig mensen.",
        lessons="Stuur de uitnodiging twee keer.", knooppunten=list(Knooppunt.objects.filter(code="1.01")),
    )  # fmt: skip
    editor_page = new_page(browser, size)
    login(editor_page, live_server, editor.email, "geheim-wachtwoord-1", totp_secret=EDITOR_TOTP_SECRET)
    editor_page.goto(live_server.url + reverse("admin:knooppunten_praktijkverhaal_change", args=[verhaal.pk]))
    editor_page.get_by_label("Reden van afwijzing:").fill("Er staan namen van bewoners in. Wilt u die weglaten?")
    editor_page.get_by_role("button", name="Opslaan en afwijzen (met reden)").click()
    expect(editor_page.get_by_text("'Onze buurtavond' is afgewezen.")).to_be_visible()
    assert "Er staan namen van bewoners in." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["lotte@example.org"]

    page = new_page(browser, size)
    login(page, live_server, "lotte@example.org", PASSWORD)
    page.goto(live_server.url + reverse("accounts:account"))
    stories = page.locator(".shared-stories")
    expect(stories).to_contain_text("Afgewezen")
    expect(stories).to_contain_text("Er staan namen van bewoners in. Wilt u die weglaten?")
    assert_fits(page)
    assert_accessible(axe, page)
    page.goto(live_server.url + verhaal.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Onze buurtavond")
