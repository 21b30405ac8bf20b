"""A project team's journey in a real Chromium, with axe-core on the project pages."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from projects.models import (
    EntryKind,
    Gemeente,
    GemeenteMembership,
    GemeenteRole,
    KnooppuntStatus,
    LogboekEntry,
    Project,
    StatusChange,
)

from .support import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "een-lang-wachtwoord-1"


@pytest.fixture
def people(kompas, django_user_model, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    kompas.add_knooppunt(1, 1, title="Besluit om te starten", sporen="C")
    kompas.add_knooppunt(1, 2, title="Bewoners aan tafel", sporen="A")
    kompas.add_knooppunt(1, 3, title="Bedrijven aan tafel", sporen="B")
    kompas.add_knooppunt(2, 1, title="Warmtebronnen verkennen", sporen="DF")
    lotte = django_user_model.objects.create_user(email="lotte@example.org", password=PASSWORD, first_name="Lotte")
    otto = django_user_model.objects.create_user(email="otto@example.org", password=PASSWORD, first_name="Otto")
    for user in (lotte, otto):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    GemeenteMembership.objects.create(
        gemeente=Gemeente.objects.create(name="Voorbeeldstad"), user=lotte, role=GemeenteRole.PROGRAMMAMANAGER
    )
    return lotte, otto


def test_a_team_tracks_its_neighbourhood(browser, live_server, people, axe):
    lotte_page = browser.new_context(locale="nl-NL").new_page()
    login(lotte_page, live_server, "lotte@example.org", PASSWORD)

    # Lotte creates the project and invites a colleague who has no account yet.
    lotte_page.goto(live_server.url + "/projecten/")
    lotte_page.get_by_role("link", name="Nieuw project").click()
    lotte_page.get_by_label("Gemeente").select_option(label="Voorbeeldstad")
    lotte_page.get_by_label("Naam van de wijk of buurt").fill("Bloemenbuurt")
    lotte_page.get_by_role("button", name="Opslaan").click()
    expect(lotte_page.get_by_text("Het project Bloemenbuurt is aangemaakt.")).to_be_visible()
    project = Project.objects.get(name="Bloemenbuurt")
    assert_accessible(axe, lotte_page)

    lotte_page.get_by_role("link", name="Team").click()
    lotte_page.get_by_label("E-mailadres").fill("sanne@example.org")
    lotte_page.get_by_label("Rol", exact=True).select_option("teamlid")
    lotte_page.get_by_role("button", name="Toevoegen of uitnodigen").click()
    expect(lotte_page.get_by_text("We hebben een uitnodiging gestuurd naar sanne@example.org.")).to_be_visible()
    assert_accessible(axe, lotte_page)
    link = re.search(r"https?://\S+/projecten/uitnodiging/\S+/", mail.outbox[-1].body).group(0)

    # Sanne follows the link, signs up and joins.
    sanne_page = browser.new_context(locale="nl-NL").new_page()
    sanne_page.goto(link)
    sanne_page.get_by_role("link", name="Account aanmaken").click()
    sanne_page.get_by_label("Voornaam").fill("Sanne")
    sanne_page.get_by_label("E-mail").fill("sanne@example.org")
    sanne_page.get_by_label("Wachtwoord", exact=True).fill("sanne-haar-wachtwoord-9")  # labels have no colon
    sanne_page.get_by_label("Wachtwoord (bevestigen)").fill("sanne-haar-wachtwoord-9")
    sanne_page.get_by_role("button", name="Registreren").click()
    sanne_page.get_by_role("button", name="Uitnodiging aannemen").click()
    expect(sanne_page.get_by_text("Welkom in het project Bloemenbuurt.")).to_be_visible()
    # The message shows while the page is still loading; a choice made before htmx and the
    # page's script are ready would save nothing (as for a person on a slow connection).
    sanne_page.wait_for_load_state()

    # She marks three knooppunten in place: a choice saves at once; n.v.t. asks for a reason first.
    for code, status in [("1.01", "afgerond"), ("1.02", "bezig"), ("2.01", "nvt")]:
        card = sanne_page.locator(f"article:has(.card__code:text-is('{code}'))")
        card.get_by_label(f"Status van {code}").select_option(status)
        if status == "nvt":
            card.get_by_label(f"Toelichting bij {code}").fill("Er is geen warmtebron nodig in deze straat.")
            card.get_by_role("button", name=f"Opslaan {code}").click()
            # Focus stays on the button that was pressed.
            expect(card.get_by_role("button", name=f"Opslaan {code}")).to_be_focused()
        expect(card.locator(".status-label")).to_contain_text(
            {"afgerond": "Afgerond", "bezig": "Bezig", "nvt": "Niet van toepassing"}[status]
        )
    expect(sanne_page.locator("#status-announcer")).to_have_text("De status van 2.01 is nu: Niet van toepassing.")
    expect(sanne_page.locator("#progress")).to_contain_text("1 van 4 knooppunten afgerond")
    assert StatusChange.objects.filter(project=project).count() == 3
    assert KnooppuntStatus.objects.get(project=project, knooppunt__code="2.01").note.startswith("Er is geen")
    assert_accessible(axe, sanne_page)

    # She records a decision and uploads a document in the logbook.
    sanne_page.get_by_role("link", name="Logboek").click()
    sanne_page.get_by_label("Soort", exact=True).select_option("besluit")
    sanne_page.get_by_label("Titel").fill("Het college stemt in met de start")
    sanne_page.get_by_role("button", name="Vastleggen").click()
    expect(sanne_page.get_by_role("heading", name="Het college stemt in met de start")).to_be_visible()
    sanne_page.get_by_label("Soort", exact=True).select_option("document")
    sanne_page.get_by_label("Titel").fill("Verslag bewonersavond")
    sanne_page.get_by_label("Bestand").set_input_files(
        {"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 verslag"}
    )
    sanne_page.get_by_role("button", name="Vastleggen").click()
    expect(sanne_page.get_by_role("link", name=re.compile("Download verslag.pdf"))).to_be_visible()
    assert LogboekEntry.objects.filter(project=project, kind=EntryKind.DOCUMENT).exists()
    assert_accessible(axe, sanne_page)

    # Lotte opens the printable report.
    lotte_page.goto(live_server.url + f"/projecten/{project.pk}/rapport/")
    expect(lotte_page.get_by_text("Het college stemt in met de start")).to_be_visible()
    lotte_page.emulate_media(media="print")
    expect(lotte_page.locator(".tabs")).to_be_hidden()
    lotte_page.pdf()  # the browser makes a PDF of it without trouble
    lotte_page.emulate_media(media="screen")
    assert_accessible(axe, lotte_page)

    # Otto, from another municipality, knows the addresses but sees nothing.
    otto_page = browser.new_context(locale="nl-NL").new_page()
    login(otto_page, live_server, "otto@example.org", PASSWORD)
    document = LogboekEntry.objects.get(kind=EntryKind.DOCUMENT)
    for path in ["", "logboek/", "leden/", "rapport/", f"logboek/{document.pk}/document/", "export/project.json"]:
        response = otto_page.request.get(f"{live_server.url}/projecten/{project.pk}/{path}")
        assert response.status == 404, path
        assert "Bloemenbuurt" not in response.text()
