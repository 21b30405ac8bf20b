"""A whole APK session in a real Chromium: the facilitator's big screen and three phones, each
in its own browser context, with axe-core on the facilitator's and the participants' views."""

from __future__ import annotations

import re
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from apk import services
from apk.models import ApkSession, Participant, State, Vote
from projects.models import EntryKind, Gemeente, LogboekEntry, Membership, Role
from projects.services import project_create

from .support import assert_accessible, check_at_both_widths, login, new_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "een-lang-wachtwoord-1"
PHONE = {"locale": "nl-NL", "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREEN = {"locale": "nl-NL", "viewport": {"width": 1366, "height": 900}}
LONG_QUESTION = "Werken gemeente, corporatie en bewonersinitiatief goed samen bij het plannen van de avonden?"
# The words in table cells that the browser broke over two lines ("Gr/oe/n"): a word whose text
# range has more than one box.
BROKEN_WORDS = """
[...document.querySelectorAll(selector)].flatMap((cell) => {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (range.getClientRects().length > 1) broken.push(match[0]);
    }
  }
  return broken;
})
"""


@pytest.fixture
def bloemenbuurt(kompas, django_user_model):
    kompas.add_knooppunt(1, 4, title="Bewoners informeren", sporen="A")
    fenna = django_user_model.objects.create_user(email="fenna@example.org", password=PASSWORD, first_name="Fenna")
    tim = django_user_model.objects.create_user(email="tim@example.org", password=PASSWORD, first_name="Tim")
    EmailAddress.objects.create(user=fenna, email=fenna.email, verified=True, primary=True)
    project = project_create(gemeente=Gemeente.objects.create(name="Voorbeeldstad"), name="Bloemenbuurt", by=tim)
    Membership.objects.create(project=project, user=fenna, role=Role.TEAMLID, is_facilitator=True)
    return project, fenna, tim


def phone_joins(browser, live_server, code: str, name: str = "", party: str = "", errors: list[str] | None = None):
    page = new_page(browser, errors, **PHONE)
    page.goto(live_server.url + "/apk/")
    page.get_by_label("Code van de sessie").fill(code.lower())
    page.get_by_role("button", name="Verder").click()
    if name:
        page.get_by_label("Uw naam").fill(name)
    if party:
        page.get_by_label("Namens wie bent u hier?").select_option(label=party)
    page.get_by_role("button", name="Doe mee").click()
    expect(page.get_by_role("heading", name="Even wachten")).to_be_visible()
    return page


def vote(page, score: str, trend: str, comment: str = "") -> None:
    page.get_by_label(score).check()
    page.get_by_label(trend).check()
    if comment:
        page.get_by_label("Toelichting").fill(comment)
    page.get_by_role("button", name=re.compile("Stem (versturen|wijzigen)")).click()
    expect(page.get_by_text("Uw stem is binnen")).to_be_visible()


def test_a_facilitator_runs_an_apk_session_with_three_phones(browser, live_server, bloemenbuurt, axe):
    project, fenna, tim = bloemenbuurt
    screen = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900}).new_page()
    screen.set_default_timeout(10_000)
    console_errors: list[str] = []  # a Content-Security-Policy violation shows up here
    screen.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    login(screen, live_server, "fenna@example.org", PASSWORD)

    # Fenna prepares the session from the project's APK tab.
    screen.goto(f"{live_server.url}/projecten/{project.pk}/")
    screen.get_by_role("link", name="APK", exact=True).click()
    screen.get_by_role("link", name="Nieuwe sessie voorbereiden").click()
    screen.get_by_label("Titel").fill("APK voorjaar")
    screen.get_by_label("Datum").fill("2026-03-10")
    screen.get_by_role("button", name="Sessie klaarzetten").click()
    expect(screen.get_by_text("De sessie is klaargezet.")).to_be_visible()
    questions = screen.locator("#questions li")
    expect(questions).to_have_count(6)
    # Dropping a question asks first.
    screen.get_by_role("link", name=re.compile(r"^Weghalen\W+Spoor F: Energienetwerk")).click()
    expect(screen.get_by_role("heading", name="Deze vraag weghalen?")).to_be_visible()
    assert_accessible(axe, screen)
    screen.get_by_role("button", name="Ja, haal de vraag weg").click()
    expect(questions).to_have_count(5)
    screen.get_by_label("Nieuwe vraag").fill("Hoe gaat de samenwerking met de corporatie?")
    screen.get_by_role("button", name="Vraag toevoegen").click()
    expect(questions.last).to_contain_text("Hoe gaat de samenwerking met de corporatie?")
    assert_accessible(axe, screen)

    # Opening leads to the big screen, with the code and the QR code.
    screen.get_by_role("button", name="Sessie openen").click()
    expect(screen.get_by_role("heading", name="Pak uw telefoon en doe mee")).to_be_visible()
    session = ApkSession.objects.get()
    assert session.state == State.OPEN
    expect(screen.locator(".stage__qr svg")).to_be_visible()
    expect(screen.locator(".screen__join")).to_contain_text(session.display_code)
    assert_accessible(axe, screen)

    # Three people join on their phones: two with a name, one anonymously.
    anna = phone_joins(browser, live_server, session.code, "Anna", "Bewoners")
    anna.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    assert_accessible(axe, anna)
    ben = phone_joins(browser, live_server, session.code)
    cor = phone_joins(browser, live_server, session.code, "Cor", "Gemeente")
    expect(screen.locator("#vote-count")).to_contain_text("3 deelnemers", timeout=2_000)

    # The first round: every phone shows the question within 3 seconds.
    screen.get_by_role("button", name="Eerste vraag").click()
    expect(screen.get_by_role("heading", name=re.compile("Spoor A: Bewoners doen mee"))).to_be_visible()
    for phone in (anna, ben, cor):
        expect(phone.get_by_role("heading", name=re.compile("Spoor A: Bewoners doen mee"))).to_be_visible(timeout=3_000)
    assert_accessible(axe, anna)

    vote(anna, "Oranje: let op", "Blijft gelijk")
    vote(ben, "Rood: hier moet iets gebeuren", "Gaat slechter", "Over de kosten horen we niets.")
    vote(cor, "Oranje: let op", "Blijft gelijk")
    vote(anna, "Groen: gaat goed", "Gaat beter", "Goede opkomst bij de bewonersavond.")  # she changes her mind
    assert_accessible(axe, anna)
    # The big screen counts the votes within 2 seconds, and shows no result yet.
    expect(screen.locator("#vote-count")).to_contain_text("3 van 3 gestemd", timeout=2_000)
    expect(screen.get_by_text("Goede opkomst bij de bewonersavond.")).to_have_count(0)
    assert Vote.objects.count() == 3

    # The reveal: the distribution, the split vote and the comments; the phones point to the screen.
    screen.get_by_role("button", name="Toon de uitslag").click()
    expect(screen.get_by_text("Verdeeld!")).to_be_visible()
    expect(screen.locator(".distribution__caption")).to_contain_text("3 stemmen: 1 groen, 1 oranje, 1 rood")
    expect(screen.get_by_text("Goede opkomst bij de bewonersavond.")).to_be_visible()
    expect(screen.get_by_text("Anna (Bewoners)")).to_be_visible()
    expect(screen.get_by_text("Over de kosten horen we niets.")).to_be_visible()
    for phone in (anna, ben, cor):
        expect(phone.get_by_text("De uitslag staat op het grote scherm")).to_be_visible(timeout=3_000)
    assert_accessible(axe, screen)
    assert_accessible(axe, ben)

    # Fenna records an improvement point as an action, with an owner, a date and a knooppunt.
    screen.get_by_role("link", name="Regiepagina").click()
    screen.get_by_label("Verbeterpunt", exact=True).fill("Bewonersavond over de kosten")
    screen.get_by_label("Eigenaar").select_option(label="Tim")
    screen.get_by_label("Uiterlijk op").fill("2030-05-01")
    screen.get_by_label("Knooppunt").select_option(label="1.04 Bewoners informeren")
    screen.get_by_role("button", name="Actie vastleggen").click()
    expect(screen.locator("#actions .apk-actions")).to_contain_text("Bewonersavond over de kosten")
    expect(screen.get_by_role("status")).to_have_text("'Bewonersavond over de kosten' staat als actie in het logboek.")
    assert_accessible(axe, screen)

    # She closes the session: the phones stop and thank everyone; the report has the results.
    screen.get_by_role("link", name="Sessie sluiten").click()
    expect(screen.get_by_role("heading", name="Sessie 'APK voorjaar' sluiten?")).to_be_visible()
    assert_accessible(axe, screen)
    screen.get_by_role("button", name="Ja, sluit de sessie").click()
    expect(screen.get_by_role("heading", name="Rapport: APK voorjaar")).to_be_visible()
    for phone in (anna, ben, cor):
        expect(phone.get_by_role("heading", name="De sessie is afgelopen")).to_be_visible(timeout=3_000)
    expect(anna.locator("[hx-trigger]")).to_have_count(0)  # polling stopped
    results = screen.locator("table.apk-table").first
    row = results.get_by_role("row", name=re.compile("Spoor A"))
    expect(row).to_contain_text("verdeeld")
    expect(row.get_by_role("cell")).to_have_text(["1", "1", "1", "50", "–", re.compile("nieuw")])
    expect(screen.get_by_text("Over de kosten horen we niets.")).to_be_visible()
    expect(screen.locator(".apk-actions")).to_contain_text("Bewonersavond over de kosten")
    expect(screen.locator(".apk-actions")).to_contain_text("Tim")
    assert_accessible(axe, screen)

    # The action is in the project's logbook.
    screen.get_by_role("link", name="Logboek").click()
    entry = LogboekEntry.objects.get(kind=EntryKind.ACTIE)
    expect(screen.locator(f"#regel-{entry.pk}")).to_contain_text("Bewonersavond over de kosten")
    expect(screen.locator(f"#regel-{entry.pk}")).to_contain_text("Eigenaar: Tim.")
    assert Participant.objects.filter(display_name="Anna").exists()
    assert console_errors == []

    # Half a year later a second APK of the same project shows the trend against the first.
    second = services.apk_session_create(
        project=project, title="APK najaar", date=date(2026, 10, 1), variant="apk", by=tim
    )
    second = services.apk_session_open(session=second, by=tim)
    question = services.apk_round_open(question=second.questions.first(), by=tim)
    for _ in range(3):
        participant = services.apk_participant_join(session=second)
        services.apk_vote_cast(participant=participant, question_id=question.pk, score="groen", trend="beter")
    services.apk_session_close(session=second, by=tim)
    screen.goto(f"{live_server.url}/apk/sessie/{second.pk}/rapport/")
    expect(screen.get_by_text("Vergeleken met de vorige APK: APK voorjaar van 10 maart 2026.")).to_be_visible()
    expect(screen.locator("table.apk-table").first.get_by_role("row", name=re.compile("Spoor A"))).to_contain_text(
        "▲ beter (+50)"
    )
    assert_accessible(axe, screen)


def test_an_apk_round_on_phones_and_the_big_screen_at_both_widths(browser, live_server, bloemenbuurt, axe):
    """A round with a choice that comes too late and a reopened question; every page at 390 and
    1366 px wide without overflow, console errors (CSP included) or axe violations."""
    project, fenna, tim = bloemenbuurt
    session = services.apk_session_create(
        project=project, title="APK najaar", date=date(2026, 10, 1), variant="apk", by=tim
    )
    for question in list(session.questions.all())[2:]:
        services.question_remove(question=question)
    services.question_add(session=session, text=LONG_QUESTION)
    session = services.apk_session_open(session=session, by=tim)
    errors: list[str] = []

    screen = new_page(browser, errors, **SCREEN)
    login(screen, live_server, "fenna@example.org", PASSWORD)
    screen.goto(f"{live_server.url}/apk/sessie/{session.pk}/scherm/")
    expect(screen.get_by_role("heading", name="Pak uw telefoon en doe mee")).to_be_visible()
    check_at_both_widths(screen, axe, "apk-scherm-start")

    join = new_page(browser, errors, **PHONE)
    join.goto(live_server.url + "/apk/")
    check_at_both_widths(join, axe, "apk-telefoon-code")
    anna = phone_joins(browser, live_server, session.code, "Anna", "Bewoners", errors=errors)
    ben = phone_joins(browser, live_server, session.code, errors=errors)
    expect(screen.locator("#vote-count")).to_contain_text("2 deelnemers", timeout=3_000)

    # Round 1. Anna votes; Ben chooses but does not send before the reveal.
    screen.get_by_role("button", name="Eerste vraag").click()
    for phone in (anna, ben):
        expect(phone.get_by_role("heading", name=re.compile("Spoor A"))).to_be_visible(timeout=4_000)
    check_at_both_widths(anna, axe, "apk-telefoon-vraag")
    vote(anna, "Oranje: let op", "Blijft gelijk")
    ben.get_by_label("Rood: hier moet iets gebeuren").check()
    ben.get_by_label("Gaat slechter").check()
    expect(screen.locator("#vote-count")).to_contain_text("1 van 2 gestemd", timeout=3_000)
    screen.get_by_role("button", name="Toon de uitslag").click()
    expect(screen.locator(".distribution__caption")).to_contain_text("1 stem: 0 groen, 1 oranje, 0 rood")

    # Ben's phone keeps his choice and says it came too late.
    expect(ben.get_by_text("Uw keuze kwam te laat: de uitslag is al getoond.")).to_be_visible(timeout=4_000)
    expect(ben.locator("#te-laat-score_2")).to_be_checked()
    expect(ben.locator("#te-laat-score_2")).to_be_disabled()
    expect(ben.locator("#te-laat-trend_2")).to_be_checked()
    check_at_both_widths(ben, axe, "apk-telefoon-te-laat")
    check_at_both_widths(screen, axe, "apk-scherm-uitslag")

    # Fenna reopens the question: the result is hidden, Anna's vote stays, Ben can vote now.
    screen.get_by_role("button", name="Heropen deze vraag").click()
    expect(screen.get_by_role("button", name="Toon de uitslag")).to_be_visible()
    expect(screen.locator(".distribution")).to_have_count(0)
    expect(screen.locator("#vote-count")).to_contain_text("1 van 2 gestemd", timeout=3_000)
    expect(anna.get_by_text("Uw stem is binnen: Oranje: let op, blijft gelijk.")).to_be_visible(timeout=4_000)
    expect(ben.get_by_role("button", name="Stem versturen")).to_be_visible(timeout=4_000)
    expect(ben.get_by_text("Uw keuze kwam te laat")).to_have_count(0)
    vote(ben, "Rood: hier moet iets gebeuren", "Gaat slechter", "Over de kosten horen we niets.")
    expect(screen.locator("#vote-count")).to_contain_text("2 van 2 gestemd", timeout=3_000)
    screen.get_by_role("button", name="Toon de uitslag").click()
    expect(screen.locator(".distribution__caption")).to_contain_text("2 stemmen: 0 groen, 1 oranje, 1 rood")

    # Two more rounds, the last one with a long question of the team's own.
    for heading, score in (
        (re.compile("Spoor B"), "Groen: gaat goed"),
        (re.compile("Werken gemeente"), "Rood: hier moet iets gebeuren"),
    ):
        screen.get_by_role("button", name="Volgende vraag").click()
        for phone in (anna, ben):
            expect(phone.get_by_role("heading", name=heading)).to_be_visible(timeout=4_000)
            vote(phone, score, "Gaat beter")
        expect(screen.locator("#vote-count")).to_contain_text("2 van 2 gestemd", timeout=3_000)
        screen.get_by_role("button", name="Toon de uitslag").click()
        expect(screen.locator(".distribution")).to_be_visible()
    assert Vote.objects.count() == 6
    expect(anna.get_by_text(re.compile("Dit was de laatste vraag"))).to_be_visible(timeout=4_000)

    # Closing asks first; then the report.
    screen.get_by_role("link", name="Leg de acties vast en sluit de sessie.").click()
    check_at_both_widths(screen, axe, "apk-regie")
    screen.get_by_role("link", name="Sessie sluiten").click()
    expect(screen.get_by_role("heading", name="Sessie 'APK najaar' sluiten?")).to_be_visible()
    check_at_both_widths(screen, axe, "apk-sluiten")
    screen.get_by_role("button", name="Ja, sluit de sessie").click()
    expect(screen.get_by_role("heading", name="Rapport: APK najaar")).to_be_visible()
    for phone in (anna, ben):
        expect(phone.get_by_role("heading", name="De sessie is afgelopen")).to_be_visible(timeout=4_000)

    # One bewoner and one anonymous participant: no group is shown apart.
    heatmap = screen.locator("table.apk-table").nth(1)
    expect(heatmap.get_by_role("row", name=re.compile("Bewoners doen mee"))).to_contain_text(
        "te weinig stemmen om te tonen"
    )
    # The long question's label wraps over lines inside the label column, nothing cut off.
    label = screen.locator(".apk-chart__label").nth(2)
    expect(label).to_have_text(
        re.compile(r"Vraag 3: Werken gemeente, corporatie en bewonersinitiatief goed samen .* avonden\?")
    )
    assert label.locator("tspan").count() >= 3
    assert label.evaluate("element => element.getBBox().width") <= 300
    expect(screen.get_by_role("cell", name="Niet gestart").first).to_be_visible()
    check_at_both_widths(screen, axe, "apk-rapport")
    # On a phone the tables scroll sideways and keep their words whole.
    screen.set_viewport_size({"width": 390, "height": 844})
    assert screen.evaluate(f"selector => {BROKEN_WORDS}", ".apk-report th, .apk-report td") == []
    screen.set_viewport_size({"width": 1366, "height": 900})
    check_at_both_widths(anna, axe, "apk-telefoon-einde")
    assert errors == [], "\n".join(errors)


def test_the_big_screen_keeps_its_controls_in_view_with_long_comments(browser, live_server, bloemenbuurt, axe):
    """Six comments of the full 500 characters: on a projector the facilitator still reaches
    "Volgende vraag" without scrolling, at 1366x768 and at 1920x1080."""
    project, fenna, tim = bloemenbuurt
    session = services.apk_session_create(
        project=project, title="APK najaar", date=date(2026, 10, 1), variant="apk", by=tim
    )
    session = services.apk_session_open(session=session, by=tim)
    question = services.apk_round_open(question=session.questions.first(), by=tim)
    long_comment = ("Wij horen te weinig over de kosten voor bewoners en de planning van de avonden. " * 7)[:500]
    for number in range(6):
        participant = services.apk_participant_join(session=session, display_name=f"Deelnemer {number}")
        services.apk_vote_cast(
            participant=participant, question_id=question.pk, score="oranje", trend="gelijk", comment=long_comment
        )
    services.apk_round_reveal(question=question, by=tim)

    screen = new_page(browser, **SCREEN)
    login(screen, live_server, "fenna@example.org", PASSWORD)
    for width, height in ((1366, 768), (1920, 1080)):
        screen.set_viewport_size({"width": width, "height": height})
        screen.goto(f"{live_server.url}/apk/sessie/{session.pk}/scherm/")
        button = screen.get_by_role("button", name="Volgende vraag")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["y"] + box["height"] <= height, f"'Volgende vraag' is below the fold at {width}x{height}"
        assert screen.evaluate("document.documentElement.scrollHeight - window.innerHeight") <= 0
    assert_accessible(axe, screen)
