"""The team's pages: the APK tab, preparing, the big screen, actions, closing and the report."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apk import services
from apk.models import ApkSession, Participant, Question, Score, State, Trend, Vote
from projects.models import EntryKind, LogboekEntry
from tests.conftest import dutch_date

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args) -> str:
    return reverse(f"apk:{name}", args=args)


def cast(participant: Participant, question: Question, score: str, trend: str = Trend.GELIJK, comment: str = ""):
    return services.apk_vote_cast(
        participant=participant, question_id=question.pk, score=score, trend=trend, comment=comment
    )


class TestProjectTab:
    def test_it_lists_the_sessions_of_the_project(self, team, opened):
        response = team.client_for(team.meelezer).get(url("project", team.project.pk))
        html = response.content.decode()
        assert "APK voorjaar" in html
        assert 'aria-current="page">APK</a>' in html
        # A reader sees the sessions but is not offered to prepare one.
        assert url("create", team.project.pk) not in html

    def test_a_facilitator_is_offered_a_new_session(self, team):
        html = team.client_for(team.facilitator).get(url("project", team.project.pk)).content.decode()
        assert url("create", team.project.pk) in html
        assert "Er is nog geen APK-sessie" in html

    def test_the_project_tabs_link_to_the_apk(self, team):
        html = (
            team.client_for(team.meelezer).get(reverse("projects:voortgang", args=[team.project.pk])).content.decode()
        )
        assert url("project", team.project.pk) in html


class TestCreate:
    def test_it_shows_the_form(self, team):
        html = team.client_for(team.facilitator).get(url("create", team.project.pk)).content.decode()
        assert "Stand van zaken" in html
        assert 'name="with_fasen"' in html
        # A date input only keeps an ISO date; a Dutch "10-03-2026" would be dropped by the browser.
        assert re.search(r'type="date" name="date" value="\d{4}-\d{2}-\d{2}"', html)

    def test_it_prepares_a_session_with_default_questions(self, team):
        response = team.client_for(team.facilitator).post(
            url("create", team.project.pk), {"title": "APK najaar", "date": "2026-10-01", "variant": "apk"}
        )
        session = ApkSession.objects.get()
        assert response.status_code == 302 and response["Location"] == url("session", session.pk)
        assert (session.title, session.date, session.state) == ("APK najaar", date(2026, 10, 1), State.VOORBEREID)
        assert session.created_by == team.facilitator
        assert session.questions.count() == 6

    def test_bad_input_is_refused_with_a_message(self, team):
        response = team.client_for(team.facilitator).post(
            url("create", team.project.pk), {"title": "", "date": "morgen", "variant": "iets"}
        )
        assert response.status_code == 200
        assert not ApkSession.objects.exists()
        html = response.content.decode()
        assert "Dit veld is verplicht" in html
        assert "Voer een geldige datum in" in html


class TestSessionPage:
    def test_it_shows_the_questions_to_prepare(self, team, prepared):
        html = team.client_for(team.facilitator).get(url("session", prepared.pk)).content.decode()
        assert "Spoor A: Bewoners doen mee" in html
        assert "Sessie openen" in html
        assert url("question_remove", prepared.pk, prepared.questions.first().pk) in html

    def test_adding_a_question_answers_with_the_list(self, team, prepared):
        client = team.client_for(team.facilitator)
        response = client.post(url("question_add", prepared.pk), {"text": "Hoe gaat het samenwerken?"}, **HTMX)
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="questions"')
        assert "Hoe gaat het samenwerken?" in html
        assert "<html" not in html
        assert prepared.questions.last().text == "Hoe gaat het samenwerken?"

    def test_adding_a_question_without_htmx_redirects(self, team, prepared):
        response = team.client_for(team.facilitator).post(url("question_add", prepared.pk), {"text": "Nieuw?"})
        assert response.status_code == 302 and response["Location"].endswith("#vragen")
        assert prepared.questions.filter(text="Nieuw?").exists()

    def test_an_empty_question_is_refused(self, team, prepared):
        response = team.client_for(team.facilitator).post(url("question_add", prepared.pk), {"text": " "}, **HTMX)
        assert "Schrijf de vraag op." in response.content.decode()
        assert prepared.questions.count() == 6

    def test_questions_move_and_go(self, team, prepared):
        client = team.client_for(team.facilitator)
        first, second = list(prepared.questions.all())[:2]
        client.post(url("question_change", prepared.pk, second.pk), {"action": "up"}, **HTMX)
        assert list(prepared.questions.all())[:2] == [second, first]
        response = client.post(url("question_remove", prepared.pk, first.pk), {"confirm": "ja"})
        assert response.status_code == 302 and response["Location"] == url("session", prepared.pk) + "#vragen"
        assert not Question.objects.filter(pk=first.pk).exists()
        assert [q.order for q in prepared.questions.all()] == [1, 2, 3, 4, 5]

    def test_dropping_a_question_asks_first(self, team, prepared):
        client = team.client_for(team.facilitator)
        question = prepared.questions.first()
        html = client.get(url("question_remove", prepared.pk, question.pk)).content.decode()
        assert "Deze vraag weghalen?" in html and question.text in html
        assert 'name="confirm" value="ja"' in html and "Ja, haal de vraag weg" in html
        assert Question.objects.filter(pk=question.pk).exists()

    def test_a_post_without_the_confirmation_only_asks(self, team, prepared):
        client = team.client_for(team.facilitator)
        question = prepared.questions.first()
        response = client.post(url("question_remove", prepared.pk, question.pk))
        assert response.status_code == 200 and "Deze vraag weghalen?" in response.content.decode()
        assert Question.objects.filter(pk=question.pk).exists()

    def test_the_old_remove_action_does_not_drop_without_asking(self, team, prepared):
        question = prepared.questions.first()
        client = team.client_for(team.facilitator)
        response = client.post(url("question_change", prepared.pk, question.pk), {"action": "remove"})
        assert response.status_code == 400
        assert Question.objects.filter(pk=question.pk).exists()

    def test_a_question_of_an_open_session_cannot_be_dropped(self, team, opened):
        question = opened.questions.first()
        client = team.client_for(team.facilitator)
        response = client.post(url("question_remove", opened.pk, question.pk), {"confirm": "ja"})
        assert "De vragen liggen vast zodra de sessie open is." in response.content.decode()
        assert Question.objects.filter(pk=question.pk).exists()
        html = client.get(url("question_remove", opened.pk, question.pk)).content.decode()
        assert "De vragen liggen vast zodra de sessie open is." in html and 'name="confirm"' not in html

    def test_an_unknown_change_is_a_bad_request(self, team, prepared):
        question = prepared.questions.first()
        response = team.client_for(team.facilitator).post(
            url("question_change", prepared.pk, question.pk), {"action": "explode"}
        )
        assert response.status_code == 400

    def test_a_question_of_another_session_is_not_found(self, team, prepared):
        other = services.apk_session_create(
            project=team.project, title="Andere", date=date(2026, 1, 1), variant="apk", by=team.leider
        )
        response = team.client_for(team.facilitator).post(
            url("question_remove", prepared.pk, other.questions.first().pk), {"confirm": "ja"}
        )
        assert response.status_code == 404
        assert other.questions.count() == 6

    def test_opening_leads_to_the_big_screen(self, team, prepared):
        response = team.client_for(team.facilitator).post(url("open", prepared.pk))
        assert response.status_code == 302 and response["Location"] == url("screen", prepared.pk)
        prepared.refresh_from_db()
        assert prepared.is_open and prepared.code

    def test_an_open_session_page_shows_the_code_and_rounds(self, team, running, opened):
        html = team.client_for(team.leider).get(url("session", opened.pk)).content.decode()
        assert opened.display_code in html
        assert "Loopt nu, 0 stemmen." in html
        assert "Sessie sluiten" in html
        assert "/weghalen/" not in html  # the questions are fixed now


class TestBigScreen:
    def test_before_the_first_question_it_shows_how_to_join(self, team, opened, phone_factory):
        phone_factory(opened, name="Anna")
        response = team.client_for(team.facilitator).get(url("screen", opened.pk))
        html = response.content.decode()
        assert response["Cache-Control"].startswith("max-age=0")
        assert opened.display_code in html
        assert '<svg role="img" aria-label="QR-code om mee te doen: http://testserver/apk/' in html
        assert "data:" not in html
        assert "1 deelnemer" in html
        assert f"?seen={opened.version}" in html
        assert 'hx-trigger="every 1s"' in html
        assert "Eerste vraag" in html

    def test_the_poll_answers_with_the_vote_count_only(self, team, running, opened, phone_factory):
        _phone, anna = phone_factory(opened, name="Anna")
        phone_factory(opened)
        cast(anna, running, Score.GROEN)
        opened.refresh_from_db()
        response = team.client_for(team.facilitator).get(url("screen", opened.pk) + f"?seen={opened.version}", **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.strip().startswith('<p id="vote-count"')
        assert "1 van 2 gestemd" in html
        assert 'id="stage"' not in html

    def test_after_a_move_the_poll_brings_the_stage_out_of_band(self, team, running, opened):
        response = team.client_for(team.facilitator).get(url("screen", opened.pk) + "?seen=1", **HTMX)
        html = response.content.decode()
        assert '<section id="stage" class="stage" aria-live="polite" hx-swap-oob="true">' in html
        assert running.text in html

    def test_a_question_in_progress_hides_the_results(self, team, running, opened, phone_factory):
        _phone, anna = phone_factory(opened, name="Anna")
        cast(anna, running, Score.ROOD, comment="Geheim tot de onthulling")
        html = team.client_for(team.facilitator).get(url("screen", opened.pk)).content.decode()
        assert "Stem nu op uw telefoon" in html
        assert "Geheim tot de onthulling" not in html
        assert "Toon de uitslag" in html

    def test_the_reveal_shows_the_distribution_the_split_and_the_comments(
        self, team, running, opened, phone_factory, kompas
    ):
        _p, anna = phone_factory(opened, name="Anna", party="bewoners")
        _p, ben = phone_factory(opened)
        _p, cor = phone_factory(opened, party="gemeente")
        cast(anna, running, Score.GROEN, Trend.BETER, "Mooie opkomst")
        cast(ben, running, Score.ROOD, Trend.SLECHTER, "Te weinig geld")
        cast(cor, running, Score.ROOD)
        client = team.client_for(team.facilitator)
        response = client.post(url("round_reveal", opened.pk, running.pk), **HTMX)
        html = response.content.decode()
        assert 'id="vote-count"' in html and 'hx-swap-oob="true"' in html
        assert "Verdeeld!" in html
        assert "3 stemmen:" in html
        assert '<span class="apk-chip apk-chip--groen">1 groen</span>' in html
        assert '<span class="apk-chip apk-chip--rood">2 rood</span>' in html
        assert "Mooie opkomst" in html and "Anna (Bewoners)" in html
        assert "Te weinig geld" in html and "Anoniem" in html
        assert "Volgende vraag" in html
        running.refresh_from_db()
        assert running.is_revealed

    def test_the_screen_shows_the_last_three_comments_and_counts_the_rest(self, team, running, opened, phone_factory):
        for number in range(5):
            _p, participant = phone_factory(opened, name=f"Deelnemer {number}")
            cast(participant, running, Score.ORANJE, comment=f"Toelichting nummer {number}")
        services.apk_round_reveal(question=running, by=team.leider)
        html = team.client_for(team.facilitator).get(url("screen", opened.pk)).content.decode()
        assert "Toelichting nummer 0" not in html and "Toelichting nummer 1" not in html
        assert all(f"Toelichting nummer {number}" in html for number in (2, 3, 4))
        assert "En nog 2 toelichtingen. U leest ze straks in het rapport." in html

    def test_a_move_without_htmx_redirects_to_the_screen(self, team, opened):
        question = opened.questions.first()
        response = team.client_for(team.facilitator).post(url("round_open", opened.pk, question.pk))
        assert response.status_code == 302 and response["Location"] == url("screen", opened.pk)
        opened.refresh_from_db()
        assert opened.current_question == question

    def test_a_move_from_the_session_page_returns_there(self, team, opened):
        question = opened.questions.first()
        response = team.client_for(team.facilitator).post(url("round_open", opened.pk, question.pk), {"next": "sessie"})
        assert response["Location"] == url("session", opened.pk)

    def test_a_wrong_move_says_why(self, team, running, opened):
        second = opened.questions.all()[1]
        client = team.client_for(team.facilitator)
        html = client.post(url("round_open", opened.pk, second.pk), **HTMX).content.decode()
        assert "Er loopt al een vraag" in html
        response = client.post(url("round_open", opened.pk, second.pk))
        assert response.status_code == 302
        second.refresh_from_db()
        assert second.opened_at is None

    def test_a_closed_session_stops_the_polling(self, team, opened):
        services.apk_session_close(session=opened, by=team.leider)
        response = team.client_for(team.facilitator).get(url("screen", opened.pk) + "?seen=1", **HTMX)
        assert response.status_code == 286
        html = response.content.decode()
        assert "hx-trigger" not in html
        assert "De sessie is gesloten" in html


class TestActions:
    def test_an_action_lands_in_the_logbook(self, team, opened, kompas):
        knooppunt = kompas.add_knooppunt(1, 4, title="Bewoners informeren")
        response = team.client_for(team.facilitator).post(
            url("action_add", opened.pk),
            {"title": "Wijkkrant maken", "owner": team.teamlid.pk, "due_date": "2030-06-01", "knooppunt": knooppunt.pk},
            **HTMX,
        )
        html = response.content.decode()
        assert '<div id="actions">' in html
        assert '<p id="actions-announcement" hx-swap-oob="innerHTML">' in html
        assert "&#x27;Wijkkrant maken&#x27; staat als actie in het logboek." in html
        entry = LogboekEntry.objects.get(title="Wijkkrant maken")
        assert (entry.kind, entry.owner, entry.knooppunt, entry.created_by) == (
            EntryKind.ACTIE,
            team.teamlid,
            knooppunt,
            team.facilitator,
        )
        logboek = team.client_for(team.meelezer).get(reverse("projects:logboek", args=[team.project.pk]))
        assert "Wijkkrant maken" in logboek.content.decode()

    def test_without_htmx_it_redirects_to_the_actions(self, team, opened):
        response = team.client_for(team.leider).post(
            url("action_add", opened.pk), {"title": "Folder", "owner": team.leider.pk, "due_date": "2030-06-01"}
        )
        assert response.status_code == 302 and response["Location"].endswith("#acties")

    def test_an_action_without_a_date_is_told_what_to_fill_in_as_in_the_logboek(self, team, opened):
        data = {"title": "Folder", "owner": team.leider.pk, "due_date": ""}
        html = team.client_for(team.facilitator).post(url("action_add", opened.pk), data, **HTMX).content.decode()
        assert "Vul in wanneer de actie uiterlijk klaar moet zijn." in html
        assert not LogboekEntry.objects.filter(title="Folder").exists()

    def test_a_due_date_in_the_past_is_refused_as_in_the_logboek(self, team, opened):
        data = {"title": "Folder", "owner": team.leider.pk, "due_date": "2020-01-15"}
        client = team.client_for(team.facilitator)
        html = client.post(url("action_add", opened.pk), data, **HTMX).content.decode()
        assert 'id="id_due_date_error"' in html
        assert "Deze datum is al voorbij. Kies vandaag of een latere datum." in html
        assert not LogboekEntry.objects.filter(title="Folder").exists()
        data["due_date"] = (timezone.localdate() - timedelta(days=1)).isoformat()
        assert "Deze datum is al voorbij." in client.post(url("action_add", opened.pk), data).content.decode()
        data["due_date"] = timezone.localdate().isoformat()
        client.post(url("action_add", opened.pk), data)
        assert LogboekEntry.objects.get(title="Folder").due_date == timezone.localdate()

    def test_the_owner_must_be_in_the_team(self, team, opened):
        response = team.client_for(team.facilitator).post(
            url("action_add", opened.pk), {"title": "Folder", "owner": team.outsider.pk, "due_date": "2030-06-01"}
        )
        assert response.status_code == 200
        assert "Kies een eigenaar uit het team." in response.content.decode()
        assert not LogboekEntry.objects.filter(title="Folder").exists()


class TestClosingAndReport:
    def test_closing_leads_to_the_report(self, team, running, opened, phone_factory):
        _p, anna = phone_factory(opened, name="Anna", party="bewoners")
        cast(anna, running, Score.ORANJE, comment="Meer uitleg graag")
        response = team.client_for(team.facilitator).post(url("close", opened.pk), {"confirm": "ja"})
        assert response.status_code == 302 and response["Location"] == url("report", opened.pk)
        opened.refresh_from_db()
        assert opened.state == State.GESLOTEN

        html = team.client_for(team.meelezer).get(url("report", opened.pk)).content.decode()
        assert "Rapport: APK voorjaar" in html
        assert "Dit is de eerste APK van dit project" in html
        assert "Meer uitleg graag" in html and "Anna (Bewoners)" in html
        assert "Heatmap" in html
        assert '<th scope="col">Bewoners</th>' in html
        # One vote from the bewoners: too few to show apart (see test_privacy.py).
        assert (
            '<th scope="row">A. Bewoners doen mee</th><td>50</td>'
            '<td><span class="apk-too-few">te weinig stemmen om te tonen</span></td>'
        ) in html
        assert "Spoor A: Spoor A" not in html
        assert "data-apk-print" in html

    def test_the_report_says_which_actions_are_late(self, team, running, opened):
        action = services.apk_action_record(
            session=opened, title="Buurtavond plannen", owner=team.leider, by=team.facilitator,
            due_date=timezone.localdate(),
        )  # fmt: skip
        team.client_for(team.facilitator).post(url("close", opened.pk), {"confirm": "ja"})
        LogboekEntry.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - timedelta(days=1))
        html = team.client_for(team.meelezer).get(url("report", opened.pk)).content.decode()
        assert '<strong class="overdue">te laat</strong>' in html
        # The action says where it came from, with the day in words as everywhere.
        assert action.body.endswith(f"van {dutch_date(opened.date)}.")

    def test_closing_twice_says_so(self, team, opened):
        client = team.client_for(team.facilitator)
        client.post(url("close", opened.pk), {"confirm": "ja"})
        response = client.post(url("close", opened.pk), {"confirm": "ja"}, follow=True)
        assert "Deze sessie is al gesloten." in response.content.decode()

    def test_closing_asks_first_and_says_what_it_does(self, team, running, opened):
        client = team.client_for(team.facilitator)
        html = client.get(url("close", opened.pk)).content.decode()
        assert "Sessie 'APK voorjaar' sluiten?" in html
        assert "Er loopt nog een vraag." in html
        assert "5 vragen zijn nog niet gesteld." in html
        assert 'name="confirm" value="ja"' in html
        opened.refresh_from_db()
        assert opened.is_open

    def test_a_post_without_the_confirmation_only_asks(self, team, opened):
        response = team.client_for(team.facilitator).post(url("close", opened.pk))
        assert response.status_code == 200 and "Ja, sluit de sessie" in response.content.decode()
        opened.refresh_from_db()
        assert opened.is_open

    def test_the_session_page_links_to_the_confirmation(self, team, opened):
        html = team.client_for(team.facilitator).get(url("session", opened.pk)).content.decode()
        assert f'href="{url("close", opened.pk)}"' in html
        assert f'action="{url("close", opened.pk)}"' not in html

    def test_the_report_of_an_open_session_says_it_is_not_ready(self, team, opened):
        html = team.client_for(team.meelezer).get(url("report", opened.pk)).content.decode()
        assert "Het rapport komt er zodra de facilitator de sessie sluit." in html

    def test_the_report_shows_the_trend_against_the_previous_apk(self, team, phone_factory):
        def run(title: str, day: date, scores: list[str]) -> ApkSession:
            session = services.apk_session_create(
                project=team.project, title=title, date=day, variant="apk", by=team.leider
            )
            session = services.apk_session_open(session=session, by=team.leider)
            question = services.apk_round_open(question=session.questions.first(), by=team.leider)
            for score in scores:
                _p, participant = phone_factory(session)
                cast(participant, question, score)
            services.apk_session_close(session=session, by=team.leider)
            return session

        first = run("APK 2025", date(2025, 3, 1), ["rood", "rood"])
        second = run("APK 2026", date(2026, 3, 1), ["groen", "oranje"])
        html = team.client_for(team.meelezer).get(url("report", second.pk)).content.decode()
        assert "Vergeleken met de vorige APK: APK 2025" in html
        assert url("report", first.pk) in html
        assert "▲ beter (+75)" in html

    def test_names_removed_are_not_shown(self, team, running, opened, phone_factory):
        _p, anna = phone_factory(opened, name="Anna")
        cast(anna, running, Score.GROEN, comment="Fijn")
        services.apk_session_close(session=opened, by=team.leider)
        Participant.objects.update(display_name="")
        ApkSession.objects.update(names_removed_at="2026-01-01T00:00:00Z")
        html = team.client_for(team.leider).get(url("report", opened.pk)).content.decode()
        assert "Fijn" in html and "Anna" not in html
        assert "De namen van deelnemers zijn verwijderd." in html


class TestDelete:
    def test_it_asks_first(self, team, opened):
        html = team.client_for(team.leider).get(url("delete", opened.pk)).content.decode()
        assert "Ja, verwijder de sessie" in html
        assert ApkSession.objects.exists()

    def test_it_deletes_the_session_and_its_votes(self, team, running, opened, phone_factory):
        _p, anna = phone_factory(opened)
        cast(anna, running, Score.GROEN)
        response = team.client_for(team.leider).post(url("delete", opened.pk))
        assert response.status_code == 302 and response["Location"] == url("project", team.project.pk)
        assert not ApkSession.objects.exists() and not Vote.objects.exists()
