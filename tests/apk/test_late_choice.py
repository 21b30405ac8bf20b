"""A choice not yet sent when the facilitator reveals is not lost without a word: the phone's
poll carries what is chosen on its form, and the answer keeps it on screen with "Uw keuze
kwam te laat". Without JavaScript the same happens when the phone sends its vote."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from apk import services
from apk.models import Vote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOO_LATE = "Uw keuze kwam te laat: de uitslag is al getoond."


def poll(phone, session, seen=0, **choice):
    url = reverse("apk:ballot", args=[session.code]) + "?" + urlencode({"seen": seen, **choice})
    return phone.get(url, **HTMX)


def checked(html: str) -> list[str]:
    """The values of the checked radio buttons in the answer."""
    return re.findall(r'<input type="radio" name="\w+" value="(\w+)"[^>]*checked', html)


class TestThePollCarriesTheChoice:
    def test_an_unsent_choice_at_the_reveal_is_kept_and_said_to_be_too_late(self, team, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        services.apk_round_reveal(question=running, by=team.leider)
        html = poll(
            phone, opened, question=running.pk, score="rood", trend="slechter", comment="Te duur"
        ).content.decode()
        assert TOO_LATE in html
        assert checked(html) == ["rood", "slechter"]  # the choice as the phone had it
        assert "Te duur" in html
        assert 'id="te-laat-score_2" required disabled checked' in html  # shown, switched off
        assert "De uitslag staat op het grote scherm" in html
        assert not Vote.objects.exists()

    def test_a_choice_that_was_sent_is_not_called_late(self, team, running, opened, phone_factory):
        phone, participant = phone_factory(opened)
        services.apk_vote_cast(participant=participant, question_id=running.pk, score="groen", trend="beter")
        services.apk_round_reveal(question=running, by=team.leider)
        html = poll(phone, opened, question=running.pk, score="groen", trend="beter").content.decode()
        assert TOO_LATE not in html
        assert "Uw stem: Groen: gaat goed, gaat beter." in html

    def test_a_changed_choice_not_sent_again_is_late_and_the_counted_vote_is_shown(
        self, team, running, opened, phone_factory
    ):
        phone, participant = phone_factory(opened)
        services.apk_vote_cast(participant=participant, question_id=running.pk, score="groen", trend="beter")
        services.apk_round_reveal(question=running, by=team.leider)
        html = poll(phone, opened, question=running.pk, score="rood", trend="beter").content.decode()
        assert TOO_LATE in html and checked(html) == ["rood", "beter"]
        assert "Uw stem: Groen: gaat goed, gaat beter." in html
        assert Vote.objects.get().score == "groen"

    def test_no_choice_means_no_message(self, team, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        services.apk_round_reveal(question=running, by=team.leider)
        html = poll(phone, opened).content.decode()
        assert TOO_LATE not in html and "U heeft op deze vraag niet gestemd." in html

    def test_when_the_next_question_is_already_open_the_old_choice_is_still_reported(
        self, team, running, opened, phone_factory
    ):
        phone, _p = phone_factory(opened)
        services.apk_round_reveal(question=running, by=team.leider)
        following = services.apk_round_open(question=opened.questions.unopened().first(), by=team.leider)
        html = poll(phone, opened, question=running.pk, score="oranje").content.decode()
        assert TOO_LATE in html and checked(html) == ["oranje"]
        assert following.text in html and "Stem versturen" in html  # and the new question can be answered

    def test_closing_the_session_reports_it_too(self, team, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        services.apk_session_close(session=opened, by=team.leider)
        response = poll(phone, opened, question=running.pk, score="groen", trend="gelijk")
        assert response.status_code == 286  # polling stops
        html = response.content.decode()
        assert TOO_LATE in html and "De sessie is afgelopen" in html

    def test_a_choice_for_the_running_round_stays_on_the_form(self, team, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        html = poll(phone, opened, question=running.pk, score="oranje").content.decode()
        assert TOO_LATE not in html and checked(html) == ["oranje"]

    def test_the_poll_sends_the_form_along(self, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        html = phone.get(reverse("apk:ballot", args=[opened.code])).content.decode()
        assert 'hx-include="#vote-choice"' in html and '<div id="vote-choice">' in html
        # The CSRF token stays out of the poll's address: it is outside #vote-choice.
        inside = html.split('<div id="vote-choice">', 1)[1].split("</div>\n              <button", 1)[0]
        assert "csrfmiddlewaretoken" not in inside


class TestSendingTooLate:
    def test_with_htmx_the_choice_is_kept(self, team, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        services.apk_round_reveal(question=running, by=team.leider)
        data = {"question": running.pk, "score": "rood", "trend": "slechter", "comment": "Te duur"}
        html = phone.post(reverse("apk:vote", args=[opened.code]), data, **HTMX).content.decode()
        assert TOO_LATE in html and checked(html) == ["rood", "slechter"] and "Te duur" in html
        assert not Vote.objects.exists()

    def test_without_javascript_the_page_keeps_the_choice(self, team, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        services.apk_round_reveal(question=running, by=team.leider)
        data = {"question": running.pk, "score": "oranje", "trend": "gelijk"}
        response = phone.post(reverse("apk:vote", args=[opened.code]), data)
        assert response.status_code == 409
        html = response.content.decode()
        assert "<html" in html and TOO_LATE in html and checked(html) == ["oranje", "gelijk"]
