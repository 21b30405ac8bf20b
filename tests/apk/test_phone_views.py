"""The participants' side: joining by code without an account, and voting on a phone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apk import services
from apk.access import cookie_name
from apk.models import Participant, Vote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def ballot_url(session, **query) -> str:
    url = reverse("apk:ballot", args=[session.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def vote_url(session) -> str:
    return reverse("apk:vote", args=[session.code])


def ballot(question, score="groen", trend="gelijk", comment="") -> dict:
    return {"question": question.pk, "score": score, "trend": trend, "comment": comment}


class TestJoinByCode:
    def test_the_join_page_asks_for_the_code(self, client, db):
        html = client.get(reverse("apk:join")).content.decode()
        assert 'name="code"' in html
        assert "U heeft geen account nodig" in html

    def test_a_right_code_leads_to_the_session(self, client, opened):
        typed = f"{opened.code[:3].lower()} {opened.code[3:]}"
        response = client.post(reverse("apk:join"), {"code": typed})
        assert response.status_code == 302 and response["Location"] == ballot_url(opened)

    def test_a_wrong_code_gets_a_friendly_message(self, client, opened):
        response = client.post(reverse("apk:join"), {"code": "ZZZZZZ" if opened.code != "ZZZZZZ" else "YYYYYY"})
        assert response.status_code == 404
        assert "Deze code kennen we niet" in response.content.decode()

    def test_a_code_of_the_wrong_length_is_explained(self, client, db):
        response = client.post(reverse("apk:join"), {"code": "AB"})
        assert response.status_code == 200
        assert "Een code heeft zes tekens" in response.content.decode()

    def test_a_prepared_or_closed_session_cannot_be_joined(self, client, opened, team):
        code = opened.code
        services.apk_session_close(session=opened, by=team.leider)
        response = client.get(reverse("apk:ballot", args=[code]))
        assert response.status_code == 404
        assert "Deze code kennen we niet, of de sessie is al voorbij" in response.content.decode()

    def test_guessing_codes_is_slowed_down(self, client, opened, settings):
        settings.APK_WRONG_CODES_PER_10_MIN = 3
        wrong = ["AAAAAA", "BBBBBB", "CCCCCC"]
        for code in wrong:
            assert client.post(reverse("apk:join"), {"code": code}).status_code == 404
        response = client.post(reverse("apk:join"), {"code": opened.code})
        assert response.status_code == 429
        assert "te vaak een verkeerde code" in response.content.decode()
        # Guessing through the address is counted and blocked just the same.
        assert client.get(reverse("apk:ballot", args=[opened.code])).status_code == 429
        # Someone else in another place is not affected.
        other = Client(REMOTE_ADDR="192.0.2.77")
        assert other.post(reverse("apk:join"), {"code": opened.code}).status_code == 302

    def test_behind_a_proxy_each_client_address_counts_apart(self, client, opened, settings):
        settings.APK_WRONG_CODES_PER_10_MIN = 1
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        guesser = client.post(reverse("apk:join"), {"code": "AAAAAA"}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
        assert guesser.status_code == 404
        blocked = client.post(reverse("apk:join"), {"code": opened.code}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
        assert blocked.status_code == 429
        neighbour = client.post(reverse("apk:join"), {"code": opened.code}, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
        assert neighbour.status_code == 302

    def test_a_participant_who_joined_is_never_slowed_down(self, opened, settings, phone_factory):
        phone, _participant = phone_factory(opened)
        settings.APK_WRONG_CODES_PER_10_MIN = 1
        phone.post(reverse("apk:join"), {"code": "AAAAAA"}, REMOTE_ADDR="10.0.0.9")
        assert phone.get(ballot_url(opened), REMOTE_ADDR="10.0.0.9").status_code == 200


class TestJoinForm:
    def test_it_asks_for_an_optional_name_and_party(self, client, opened, kompas):
        html = client.get(ballot_url(opened)).content.decode()
        assert 'name="display_name"' in html
        assert "Zeg ik liever niet" in html
        assert '<option value="netbeheerder">Netbeheerder</option>' in html

    def test_each_field_says_once_that_it_is_optional(self, client, opened, kompas):
        html = client.get(ballot_url(opened)).content.decode()
        assert html.lower().count("niet verplicht") == 2  # the name and the party, in their labels
        assert 'Uw naam <span class="muted">(niet verplicht)</span>' in html
        assert "Zonder naam doet u anoniem mee." in html

    def test_joining_sets_a_signed_cookie(self, client, opened, kompas):
        response = client.post(ballot_url(opened), {"display_name": " Anna ", "party": "bewoners"})
        assert response.status_code == 302
        participant = Participant.objects.get()
        assert (participant.display_name, participant.party, participant.session) == ("Anna", "bewoners", opened)
        cookie = response.cookies[cookie_name(opened.code)]
        assert cookie["httponly"] and cookie["path"] == "/apk/" and cookie["samesite"] == "Lax"
        assert participant.token in cookie.value and cookie.value != participant.token  # signed

    def test_anonymous_joining_is_fine(self, client, opened):
        client.post(ballot_url(opened), {})
        assert Participant.objects.get().display_name == ""

    def test_an_unknown_party_is_refused(self, client, opened, kompas):
        response = client.post(ballot_url(opened), {"party": "geheime-dienst"})
        assert response.status_code == 200
        assert "Kies een partij uit de lijst." in response.content.decode()
        assert not Participant.objects.exists()

    def test_a_forged_cookie_is_ignored(self, client, opened, phone_factory):
        _phone, participant = phone_factory(opened)
        client.cookies[cookie_name(opened.code)] = participant.token  # unsigned
        html = client.get(ballot_url(opened)).content.decode()
        assert 'name="display_name"' in html  # asked to join, not taken for the participant


class TestBallot:
    def test_before_the_first_question_the_phone_waits(self, opened, phone_factory):
        phone, _p = phone_factory(opened)
        html = phone.get(ballot_url(opened)).content.decode()
        assert "Even wachten" in html
        assert f'hx-get="{ballot_url(opened, seen=opened.version)}"' in html
        assert 'hx-trigger="every 2s"' in html

    def test_the_poll_answers_no_content_while_nothing_changes(self, opened, phone_factory):
        phone, _p = phone_factory(opened)
        response = phone.get(ballot_url(opened, seen=opened.version), **HTMX)
        assert response.status_code == 204
        assert response.content == b""

    def test_the_poll_brings_the_new_question(self, opened, team, phone_factory):
        phone, _p = phone_factory(opened)
        seen = opened.version
        question = services.apk_round_open(question=opened.questions.first(), by=team.leider)
        response = phone.get(ballot_url(opened, seen=seen), **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert question.text in html
        assert 'name="score"' in html and 'name="trend"' in html
        assert "Stem versturen" in html

    def test_the_full_page_shows_the_question_too(self, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        html = phone.get(ballot_url(opened)).content.decode()
        assert "<html" in html and running.text in html
        assert 'id="ballot"' in html and 'aria-live="polite"' in html

    def test_after_the_reveal_the_phone_points_to_the_screen(self, running, opened, team, phone_factory):
        phone, participant = phone_factory(opened)
        phone.post(vote_url(opened), ballot(running, "rood", "slechter"))
        services.apk_round_reveal(question=running, by=team.leider)
        html = phone.get(ballot_url(opened), **HTMX).content.decode()
        assert "De uitslag staat op het grote scherm. Straks komt de volgende vraag." in html
        assert "Uw stem: Rood: hier moet iets gebeuren, gaat slechter." in html
        assert 'name="score"' not in html

    def test_after_the_last_question_the_phone_promises_no_next_one(self, opened, team, phone_factory):
        phone, _p = phone_factory(opened)
        for question in opened.questions.all():
            services.apk_round_open(question=question, by=team.leider)
            services.apk_round_reveal(question=question, by=team.leider)
        html = phone.get(ballot_url(opened), **HTMX).content.decode()
        assert "Dit was de laatste vraag. Dank u wel voor het stemmen!" in html
        assert "Straks komt de volgende vraag" not in html
        assert 'hx-trigger="every 2s"' in html  # it still learns when the session closes

    def test_a_closed_session_stops_the_polling(self, opened, team, phone_factory):
        phone, _p = phone_factory(opened)
        services.apk_session_close(session=opened, by=team.leider)
        response = phone.get(ballot_url(opened, seen=1), **HTMX)
        assert response.status_code == 286
        html = response.content.decode()
        assert "De sessie is afgelopen" in html and "hx-trigger" not in html

    def test_a_deleted_session_stops_the_polling_without_counting_guesses(self, opened, settings, phone_factory):
        phone, _p = phone_factory(opened)
        code = opened.code
        services.apk_session_delete(session=opened)
        settings.APK_WRONG_CODES_PER_10_MIN = 2
        for _ in range(3):
            response = phone.get(reverse("apk:ballot", args=[code]) + "?seen=3", REMOTE_ADDR="10.0.0.9", **HTMX)
            assert response.status_code == 286
        assert "Deze sessie bestaat niet meer" in response.content.decode()
        assert phone.post(reverse("apk:join"), {"code": "AAAAAA"}, REMOTE_ADDR="10.0.0.9").status_code == 404

    def test_the_poll_writes_no_session(self, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        response = phone.get(ballot_url(opened, seen=0), **HTMX)
        assert "sessionid" not in response.cookies
        assert "Vary" in response and "HX-Request" in response["Vary"]


class TestVote:
    def test_a_vote_counts_and_the_phone_confirms_it(self, running, opened, phone_factory):
        phone, participant = phone_factory(opened)
        response = phone.post(vote_url(opened), ballot(running, "oranje", "beter", "Meer uitleg"), **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Uw stem is binnen: Oranje: let op, gaat beter." in html
        assert "Stem wijzigen" in html
        assert 'value="oranje" required checked' in html or ('value="oranje"' in html and "checked" in html)
        vote = Vote.objects.get()
        assert (vote.participant, vote.question, vote.score, vote.trend, vote.comment) == (
            participant,
            running,
            "oranje",
            "beter",
            "Meer uitleg",
        )

    def test_without_htmx_the_vote_redirects_back(self, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        response = phone.post(vote_url(opened), ballot(running))
        assert response.status_code == 302 and response["Location"] == ballot_url(opened)
        assert Vote.objects.count() == 1

    def test_a_double_submit_counts_once(self, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        phone.post(vote_url(opened), ballot(running, "rood"), **HTMX)
        phone.post(vote_url(opened), ballot(running, "rood"), **HTMX)
        assert Vote.objects.count() == 1

    def test_changing_the_answer_updates_it(self, running, opened, phone_factory):
        phone, _p = phone_factory(opened)
        phone.post(vote_url(opened), ballot(running, "rood"), **HTMX)
        phone.post(vote_url(opened), ballot(running, "groen", comment="Toch wel goed"), **HTMX)
        assert list(Vote.objects.values_list("score", "comment")) == [("groen", "Toch wel goed")]

    def test_a_vote_after_the_round_closed_is_refused_and_not_counted(self, running, opened, team, phone_factory):
        phone, _p = phone_factory(opened)
        phone.post(vote_url(opened), ballot(running, "groen"), **HTMX)
        services.apk_round_reveal(question=running, by=team.leider)
        response = phone.post(vote_url(opened), ballot(running, "rood"), **HTMX)
        html = response.content.decode()
        assert "Uw keuze kwam te laat: de uitslag is al getoond." in html
        assert 'role="alert"' in html
        assert list(Vote.objects.values_list("score", flat=True)) == ["groen"]
        full = phone.post(vote_url(opened), ballot(running, "rood"))
        assert full.status_code == 409
        assert "Uw keuze kwam te laat" in full.content.decode()

    def test_a_forged_question_id_changes_nothing(self, running, opened, team, phone_factory):
        phone, _p = phone_factory(opened)
        later = opened.questions.all()[3]
        response = phone.post(vote_url(opened), ballot(later, "rood"), **HTMX)
        assert "Deze vraag is nog niet aan de beurt." in response.content.decode()
        response = phone.post(vote_url(opened), {**ballot(running), "question": 987654}, **HTMX)
        assert "Deze vraag hoort niet bij deze sessie." in response.content.decode()
        assert not Vote.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("score", "paars", "Kies groen, oranje of rood."),
            ("score", "", "Kies groen, oranje of rood."),
            ("trend", "", "Kies of het beter gaat, gelijk blijft of slechter gaat."),
            ("comment", "x" * 501, "Uw toelichting is te lang"),
            ("question", "abc", "Deze vraag hoort niet bij deze sessie."),
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, running, opened, phone_factory, field, value, message):
        phone, _p = phone_factory(opened)
        response = phone.post(vote_url(opened), {**ballot(running), field: value})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Vote.objects.exists()

    def test_a_phone_that_did_not_join_is_sent_to_join(self, client, running, opened):
        response = client.post(vote_url(opened), ballot(running))
        assert response.status_code == 302 and response["Location"] == ballot_url(opened)
        response = client.post(vote_url(opened), ballot(running), **HTMX)
        assert response["HX-Redirect"] == ballot_url(opened)
        assert not Vote.objects.exists()

    def test_a_participant_of_another_session_cannot_vote_here(self, running, opened, team, phone_factory):
        other = services.apk_session_create(
            project=team.project, title="Tweede", date="2026-09-01", variant="apk", by=team.leider
        )
        other = services.apk_session_open(session=other, by=team.leider)
        phone, _p = phone_factory(other)
        response = phone.post(vote_url(opened), ballot(running))
        assert response.status_code == 302
        assert not Vote.objects.exists()
