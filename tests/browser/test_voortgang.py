"""The voortgang page in a real Chromium, on a phone and on a laptop: a choice saves at once,
says so and can be undone; n.v.t. asks for a reason; phases fold on a phone."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from projects.models import Gemeente, KnooppuntStatus, Membership, Role, StatusChange
from projects.services import project_create

from .support import check_at_both_widths, login, new_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "een-lang-wachtwoord-1"


@pytest.fixture
def project(kompas, django_user_model):
    kompas.add_knooppunt(1, 1, title="Besluit om te starten", sporen="C")
    kompas.add_knooppunt(1, 2, title="Bewoners aan tafel", sporen="A")
    kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", sporen="DF")
    kompas.add_knooppunt(3, 1, title="Strategieën kiezen", sporen="BE")
    lotte = django_user_model.objects.create_user(email="lotte@example.org", password=PASSWORD, first_name="Lotte")
    tim = django_user_model.objects.create_user(email="tim@example.org", password=PASSWORD, first_name="Tim")
    for user in (lotte, tim):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    project = project_create(gemeente=Gemeente.objects.create(name="Voorbeeldstad"), name="Bloemenbuurt", by=lotte)
    Membership.objects.create(project=project, user=tim, role=Role.TEAMLID)
    return project


def card(page, code: str):
    return page.locator(f"article:has(.card__code:text-is('{code}'))")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}])
def test_a_teamlid_changes_statuses_in_place(browser, live_server, project, axe, viewport):
    errors: list[str] = []
    page = new_page(browser, errors, locale="nl-NL", viewport=viewport)
    login(page, live_server, "tim@example.org", PASSWORD)
    page.goto(f"{live_server.url}/projecten/{project.pk}/")

    # A choice saves at once, says so, and the progress follows.
    card(page, "1.01").get_by_label("Status van 1.01").focus()
    card(page, "1.01").get_by_label("Status van 1.01").select_option("afgerond")
    expect(card(page, "1.01").locator(".status-saved")).to_contain_text("Opgeslagen.")
    expect(page.locator("#progress-summary")).to_contain_text("1 van 4 knooppunten afgerond")
    expect(page.locator("#status-announcer")).to_have_text("De status van 1.01 is nu: Afgerond.")
    expect(page.locator("#progress-fase-1 td").first).to_have_text("1")
    # Focus stays on the control that was used.
    expect(card(page, "1.01").get_by_label("Status van 1.01")).to_be_focused()

    # The change can be undone.
    card(page, "1.01").get_by_role("button", name="Ongedaan maken").click()
    expect(page.locator("#status-announcer")).to_have_text("De wijziging van 1.01 is ongedaan gemaakt.")
    expect(card(page, "1.01").get_by_label("Status van 1.01")).to_have_value("niet_gestart")
    expect(page.locator("#progress-summary")).to_contain_text("Nog niets vastgelegd")

    # N.v.t. asks for a reason and keeps the choice until it is given.
    card(page, "1.02").get_by_label("Status van 1.02").select_option("nvt")
    expect(card(page, "1.02").get_by_text("Schrijf kort op waarom")).to_be_visible()
    expect(card(page, "1.02").get_by_label("Status van 1.02")).to_have_value("nvt")
    card(page, "1.02").get_by_label("Toelichting bij 1.02").fill("Er zijn hier geen huurders.")
    card(page, "1.02").get_by_role("button", name="Opslaan 1.02").click()
    expect(card(page, "1.02").locator(".status-saved")).to_contain_text("Opgeslagen.")
    assert KnooppuntStatus.objects.get(project=project, knooppunt__code="1.02").note == "Er zijn hier geen huurders."
    assert StatusChange.objects.filter(project=project).count() == 3  # afgerond, undone, n.v.t.

    if viewport["width"] == 390:
        # On a phone only the phase the team works in is open; a jump link opens another.
        page.reload()
        expect(card(page, "1.01")).to_be_visible()
        expect(card(page, "2.01")).to_be_hidden()
        page.get_by_role("link", name="Fase 2", exact=True).click()
        expect(card(page, "2.01")).to_be_visible()

    # With the keyboard, the arrow keys step through a closed list; only the choice confirmed
    # with Enter is saved, as one step in the timeline.
    posts = []
    page.on("request", lambda request: request.method == "POST" and "/status/1.01/" in request.url and posts.append(1))
    steps_before = StatusChange.objects.filter(knooppunt__code="1.01").count()
    select = card(page, "1.01").get_by_label("Status van 1.01")
    select.focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value("afgerond")  # from niet gestart: bezig, gepauzeerd, afgerond
    page.keyboard.press("Enter")
    expect(card(page, "1.01").locator(".status-label")).to_have_text("Afgerond")
    expect(select).to_be_focused()
    assert posts == [1]
    assert StatusChange.objects.filter(knooppunt__code="1.01").count() == steps_before + 1

    check_at_both_widths(page, axe, "voortgang")

    # The knooppunt's own page in the project shows the status with its reason.
    card(page, "1.02").get_by_role("link").click()
    expect(page.locator(".project-status .status-label")).to_have_text(
        "Niet van toepassing — Er zijn hier geen huurders."
    )
    check_at_both_widths(page, axe, "project-knooppunt")
    assert errors == []
