"""The logboek and the team page in a real Chromium, on a phone and on a laptop: a 200-character
word does not widen the page, Markdown shows as text with working links, an action without owner
and date is refused with the error summary, and removing a team member is confirmed first."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from projects.models import EntryKind, Gemeente, LogboekEntry, Membership, Role
from projects.services import project_create

from .support import check_at_both_widths, login, new_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "een-lang-wachtwoord-1"
LONG_WORD = "warmtetransitie" * 13 + "wijk" * 5  # 215 characters without a space


@pytest.fixture
def project(kompas, django_user_model):
    kompas.add_knooppunt(1, 1, title="Besluit om te starten", sporen="C")
    lotte = django_user_model.objects.create_user(email="lotte@example.org", password=PASSWORD, first_name="Lotte")
    tim = django_user_model.objects.create_user(
        email="tim.van.der.heijden-de-vries@een-lange-gemeentenaam.example.org", password=PASSWORD, first_name="Tim"
    )
    for user in (lotte, tim):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    project = project_create(gemeente=Gemeente.objects.create(name="Voorbeeldstad"), name="Bloemenbuurt", by=lotte)
    Membership.objects.create(project=project, user=tim, role=Role.TEAMLID)
    LogboekEntry.objects.create(
        project=project,
        kind=EntryKind.NOTITIE,
        title="Verslag van de bewonersavond",
        body=f"Zie **het verslag** op [de site](https://example.org/verslag).\n\n{LONG_WORD}",
        created_by=lotte,
    )
    LogboekEntry.objects.create(
        project=project,
        kind=EntryKind.ACTIE,
        title=f"Actie met een lange link {LONG_WORD[:150]}",  # a title holds at most 200 characters
        owner=tim,
        due_date="2027-01-15",
        url=f"https://example.org/{LONG_WORD}",
        created_by=lotte,
    )
    return project


def test_the_logboek_on_a_phone_and_a_laptop(browser, live_server, project, axe):
    errors: list[str] = []
    page = new_page(browser, errors, locale="nl-NL", viewport={"width": 390, "height": 844})
    login(page, live_server, "lotte@example.org", PASSWORD)
    page.goto(f"{live_server.url}/projecten/{project.pk}/logboek/")

    # Markdown is text, its link can be followed.
    expect(page.locator(".log-entry strong", has_text="het verslag")).to_be_visible()
    expect(page.get_by_role("link", name="de site")).to_have_attribute("href", "https://example.org/verslag")
    expect(page.get_by_text("Uiterlijk op: 15 januari 2027.")).to_be_visible()
    # The form comes first.
    form_top = page.locator("#nieuw").bounding_box()["y"]
    assert form_top < page.locator(".logboek").bounding_box()["y"]
    check_at_both_widths(page, axe, "logboek")

    # An action without owner and date: the error summary names both, nothing is written.
    page.get_by_label("Soort", exact=True).select_option("actie")
    page.get_by_label("Titel", exact=True).fill("Bel de netbeheerder")
    page.get_by_role("button", name="Vastleggen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Kies wie de actie uitvoert.")
    expect(summary).to_contain_text("Vul in wanneer de actie uiterlijk klaar moet zijn.")
    expect(page.locator("#id_owner")).to_have_attribute("aria-invalid", "true")
    assert LogboekEntry.objects.filter(title="Bel de netbeheerder").count() == 0
    check_at_both_widths(page, axe, "logboek-fout")
    assert errors == []


def test_the_team_page_on_a_phone_and_a_laptop(browser, live_server, project, axe):
    errors: list[str] = []
    page = new_page(browser, errors, locale="nl-NL", viewport={"width": 390, "height": 844})
    login(page, live_server, "lotte@example.org", PASSWORD)
    page.goto(f"{live_server.url}/projecten/{project.pk}/leden/")
    check_at_both_widths(page, axe, "team")

    # Removing someone asks first; going back keeps them.
    page.get_by_role("button", name="Verwijderen Tim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tim uit het team halen?")
    check_at_both_widths(page, axe, "team-verwijderen")
    page.get_by_role("link", name="Nee, terug naar het team").click()
    assert Membership.objects.filter(project=project, user__first_name="Tim").exists()

    page.get_by_role("button", name="Verwijderen Tim").click()
    page.get_by_role("button", name="Ja, haal uit het team").click()
    expect(page.get_by_text("Tim is geen lid meer van het project.")).to_be_visible()
    assert not Membership.objects.filter(project=project, user__first_name="Tim").exists()
    assert errors == []


def test_the_report_lists_the_work_under_way_on_a_phone_and_a_laptop(browser, live_server, project, kompas, axe):
    from projects.models import Status
    from projects.services import status_set

    lotte = project.memberships.get(role=Role.PROJECTLEIDER).user
    knooppunt = kompas.add_knooppunt(1, 2, title="Bewoners aan tafel", sporen="A")
    status_set(project=project, knooppunt=knooppunt, status=Status.GEPAUZEERD, note=f"Wacht op {LONG_WORD}", by=lotte)
    LogboekEntry.objects.create(
        project=project, kind=EntryKind.BESLUIT, title="We starten", body="Zie [het besluit](https://example.org/b)."
    )
    errors: list[str] = []
    page = new_page(browser, errors, locale="nl-NL", viewport={"width": 390, "height": 844})
    login(page, live_server, "lotte@example.org", PASSWORD)
    page.goto(f"{live_server.url}/projecten/{project.pk}/rapport/")
    expect(page.get_by_role("heading", name="Gepauzeerd (1)")).to_be_visible()
    expect(page.get_by_role("link", name="het besluit")).to_be_visible()
    check_at_both_widths(page, axe, "rapport")
    assert errors == []
