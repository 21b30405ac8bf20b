"""A gemeente as a closed workspace, in a real Chromium at 390 px and 1366 px wide: a programme
manager approves a medewerker, starts a project and makes a partner its projectleider; the
partner sees the project but not the portfolio; an outsider who types the gemeente's name gets
nothing; the portfolio sorts, filters and exports; the digest mails each person their overdue
actions once."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import (
    EntryKind,
    Gemeente,
    GemeenteMembership,
    GemeenteRole,
    LogboekEntry,
    Membership,
    Project,
    Role,
)
from projects.services import project_create

from .support import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "een-lang-wachtwoord-1"
WIDTHS = [390, 1366]


@pytest.fixture
def people(kompas, django_user_model):
    kompas.add_knooppunt(1, 1, title="Besluit om te starten", sporen="C")
    kompas.add_knooppunt(1, 2, title="Bewoners aan tafel", sporen="A")
    kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", sporen="DF")
    made = {}
    for first_name in ("Petra", "Mark", "Paula", "Otto"):
        user = django_user_model.objects.create_user(
            email=f"{first_name.lower()}@example.org", password=PASSWORD, first_name=first_name
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        made[first_name] = user
    voorbeeldstad = Gemeente.objects.create(name="Voorbeeldstad")
    GemeenteMembership.objects.create(gemeente=voorbeeldstad, user=made["Petra"], role=GemeenteRole.PROGRAMMAMANAGER)
    return made


def new_page(browser, width: int):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def fits(page) -> None:
    """Nothing makes the page wider than the window (wide tables scroll inside their region)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert overflow <= 1, f"{page.url} is {overflow}px too wide: {wide}"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_programme_manager_steers_a_closed_gemeente(browser, live_server, people, axe, width):
    voorbeeldstad = Gemeente.objects.get(name="Voorbeeldstad")
    portfolio_url = f"{live_server.url}/projecten/gemeenten/{voorbeeldstad.pk}/"

    # Mark asks to join Voorbeeldstad.
    mark = new_page(browser, width)
    login(mark, live_server, "mark@example.org", PASSWORD)
    mark.get_by_role("link", name="Mijn gemeente").click()
    mark.get_by_label("Gemeente", exact=True).select_option(label="Voorbeeldstad")
    mark.get_by_label("Toelichting voor de programmamanager").fill("Ik werk aan de wijkaanpak.")
    mark.get_by_role("button", name="Toegang vragen").click()
    expect(mark.get_by_text("Uw verzoek voor Voorbeeldstad is verstuurd.")).to_be_visible()
    assert_accessible(axe, mark)
    fits(mark)
    assert mail.outbox[-1].to == ["petra@example.org"]

    # Petra approves; Mark gets an email.
    petra = new_page(browser, width)
    login(petra, live_server, "petra@example.org", PASSWORD)
    petra.goto(portfolio_url)
    petra.get_by_role("link", name="Leden en verzoeken").click()
    expect(petra.get_by_text("Ik werk aan de wijkaanpak.")).to_be_visible()
    assert_accessible(axe, petra)
    fits(petra)
    petra.get_by_role("button", name="Goedkeuren Mark").click()
    expect(petra.get_by_text("Mark is nu medewerker van de gemeente.")).to_be_visible()
    assert mail.outbox[-1].to == ["mark@example.org"] and "goedgekeurd" in mail.outbox[-1].body

    # Petra starts a project for a wijk and makes Paula, of the housing corporation, its projectleider.
    petra.goto(f"{live_server.url}/projecten/nieuw/")
    petra.get_by_label("Gemeente", exact=True).select_option(label="Voorbeeldstad")
    petra.get_by_label("Naam van de wijk of buurt").fill("Bloemenbuurt")
    petra.get_by_role("button", name="Opslaan").click()
    expect(petra.get_by_text("Het project Bloemenbuurt is aangemaakt.")).to_be_visible()
    bloemenbuurt = Project.objects.get(name="Bloemenbuurt")
    petra.get_by_role("link", name="Team").click()
    petra.get_by_label("E-mailadres").fill("paula@example.org")
    petra.get_by_label("Rol", exact=True).select_option("projectleider")
    petra.get_by_role("button", name="Toevoegen of uitnodigen").click()
    expect(petra.get_by_text("paula@example.org is toegevoegd aan het project.")).to_be_visible()
    assert Membership.objects.get(project=bloemenbuurt, user=people["Paula"]).role == Role.PROJECTLEIDER
    assert mail.outbox[-1].to == ["paula@example.org"] and "projectleider" in mail.outbox[-1].body

    # Paula sees her project, not the portfolio.
    paula = new_page(browser, width)
    login(paula, live_server, "paula@example.org", PASSWORD)
    paula.goto(f"{live_server.url}/projecten/")
    paula.get_by_role("link", name="Bloemenbuurt").first.click()
    expect(paula.get_by_role("heading", name="Bloemenbuurt").first).to_be_visible()
    response = paula.request.get(portfolio_url)
    assert response.status == 404

    # Otto, from elsewhere, types the gemeente's name and gets nothing.
    otto = new_page(browser, width)
    login(otto, live_server, "otto@example.org", PASSWORD)
    otto.goto(f"{live_server.url}/projecten/nieuw/")
    expect(otto.get_by_text("U bent nog geen lid van een gemeente.")).to_be_visible()
    otto.goto(f"{live_server.url}/projecten/gemeenten/")
    otto.get_by_label("Naam van de gemeente").fill("voorbeeld stad")
    otto.get_by_role("button", name="Gemeente aanvragen").click()
    expect(otto.locator(".errorlist").get_by_text("bestaat al in Wijkkompas")).to_be_visible()
    assert_accessible(axe, otto)
    for path in ("", "portfolio.csv", "heatmap/", "leden/"):
        assert otto.request.get(portfolio_url + path).status == 404, path
    assert not GemeenteMembership.objects.filter(user=people["Otto"]).exists()

    # A second wijk, with an overdue action for Paula and one for Mark.
    havenkwartier = project_create(gemeente=voorbeeldstad, name="Havenkwartier", by=people["Mark"])
    Membership.objects.create(project=havenkwartier, user=people["Paula"], role=Role.TEAMLID)
    for project, owner in ((bloemenbuurt, people["Paula"]), (havenkwartier, people["Mark"])):
        LogboekEntry.objects.create(
            project=project,
            kind=EntryKind.ACTIE,
            title=f"Bewonersavond {project.name}",
            owner=owner,
            due_date=timezone.localdate() - timedelta(days=2),
            created_by=people["Petra"],
        )

    # Mark, now a medewerker, sorts, filters and exports the portfolio.
    mark.goto(portfolio_url)
    expect(mark.get_by_role("heading", name="Portfolio van Voorbeeldstad")).to_be_visible()
    assert_accessible(axe, mark)
    fits(mark)
    screenshot(mark, f"portfolio-{width}")
    names = mark.locator("#portfolio-table tbody th[scope=row]")
    expect(names.first).to_contain_text("Bloemenbuurt")
    mark.get_by_role("link", name=re.compile("^Project")).click()  # by name, the other way round
    expect(mark.locator("#portfolio-table th[aria-sort=descending]")).to_contain_text("Project")
    expect(names.first).to_contain_text("Havenkwartier")
    assert "sort=-naam" in mark.url
    mark.get_by_label("Met achterstallige acties").check()
    mark.get_by_label("Fase", exact=True).select_option("1")
    mark.get_by_role("button", name="Filteren").click()
    # The page before the filter has these two rows too: wait for the filtered page itself, or
    # the next click lands on a page that is being left.
    expect(mark).to_have_url(re.compile(r"[?&]fase=1"))
    mark.wait_for_load_state()
    expect(names).to_have_count(2)
    with mark.expect_download() as download:
        mark.get_by_role("link", name="Download als CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "project" and [row[0] for row in rows[1:]] == ["Havenkwartier", "Bloemenbuurt"]
    mark.get_by_role("link", name="Heatmap: projecten per fase").click()
    expect(mark.get_by_role("table")).to_contain_text("Havenkwartier")
    assert_accessible(axe, mark)
    fits(mark)

    # The digest: one mail per person, with their own overdue action; a second run sends nothing.
    mail.outbox.clear()
    call_command("send_digest", stdout=io.StringIO())
    by_person = {message.to[0]: message.body for message in mail.outbox}
    assert len(by_person) == len(mail.outbox)

    def overdue(body: str) -> str:
        return body.split("ACHTERSTALLIGE ACTIES")[1].split("UW OPEN ACTIES")[0]

    assert "Bewonersavond Bloemenbuurt" in overdue(by_person["paula@example.org"])
    assert "Bewonersavond Havenkwartier" not in overdue(by_person["paula@example.org"])
    assert "Bewonersavond Havenkwartier" in overdue(by_person["mark@example.org"])
    sent = len(mail.outbox)
    call_command("send_digest", stdout=io.StringIO())
    assert len(mail.outbox) == sent
