"""A facilitator reopens a revealed question: the votes stay, the result is hidden again, and
everyone may change their vote until the next reveal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apk import services
from apk.models import Score, Trend, Vote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def cast(participant, question, score=Score.GROEN, trend=Trend.GELIJK):
    return services.apk_vote_cast(participant=participant, question_id=question.pk, score=score, trend=trend)


@pytest.fixture
def revealed(team, running, opened, phone_factory):
    """The first question revealed with two votes; the phone of the first voter."""
    phone, anna = phone_factory(opened, name="Anna")
    _p, ben = phone_factory(opened)
    cast(anna, running, Score.GROEN)
    cast(ben, running, Score.ROOD)
    services.apk_round_reveal(question=running, by=team.leider)
    running.refresh_from_db()
    return phone, anna, running


class TestService:
    def test_it_keeps_the_votes_and_hides_the_result(self, team, revealed, opened):
        _phone, _anna, question = revealed
        version = opened.__class__.objects.get(pk=opened.pk).version
        services.question_reopen(question=question, by=team.leider)
        question.refresh_from_db()
        opened.refresh_from_db()
        assert question.is_voting and not question.is_revealed
        assert opened.current_question_id == question.pk
        assert opened.version == version + 1  # screens and phones redraw
        assert sorted(Vote.objects.filter(question=question).values_list("score", flat=True)) == ["groen", "rood"]

    def test_votes_count_again_and_can_be_changed(self, team, revealed):
        _phone, anna, question = revealed
        services.question_reopen(question=question, by=team.leider)
        cast(anna, question, Score.ORANJE)
        assert Vote.objects.get(question=question, participant=anna).score == "oranje"
        assert Vote.objects.filter(question=question).count() == 2

    def test_a_question_without_a_result_cannot_be_reopened(self, team, running, opened):
        with pytest.raises(ValidationError, match="nog geen uitslag"):
            services.question_reopen(question=running, by=team.leider)
        unopened = opened.questions.unopened().first()
        with pytest.raises(ValidationError, match="nog geen uitslag"):
            services.question_reopen(question=unopened, by=team.leider)

    def test_not_while_another_round_runs(self, team, revealed, opened):
        _phone, _anna, question = revealed
        services.apk_round_open(question=opened.questions.unopened().first(), by=team.leider)
        with pytest.raises(ValidationError, match="Er loopt al een vraag"):
            services.question_reopen(question=question, by=team.leider)
        question.refresh_from_db()
        assert question.is_revealed

    def test_not_after_the_session_closed(self, team, revealed, opened):
        _phone, _anna, question = revealed
        services.apk_session_close(session=opened, by=team.leider)
        with pytest.raises(ValidationError, match="niet open"):
            services.question_reopen(question=question, by=team.leider)


class TestViews:
    def url(self, session, question) -> str:
        return reverse("apk:round_reopen", args=[session.pk, question.pk])

    def test_the_screen_offers_to_reopen_a_revealed_question(self, team, revealed, opened):
        html = team.client_for(team.facilitator).get(reverse("apk:screen", args=[opened.pk])).content.decode()
        assert self.url(opened, revealed[2]) in html and "Heropen deze vraag" in html

    def test_reopening_from_the_screen_hides_the_result(self, team, revealed, opened):
        _phone, _anna, question = revealed
        client = team.client_for(team.facilitator)
        response = client.post(self.url(opened, question), **HTMX)
        html = response.content.decode()
        assert "Toon de uitslag" in html and 'class="distribution"' not in html
        assert "2 van 2 gestemd" in html
        question.refresh_from_db()
        assert question.is_voting

    def test_without_javascript_it_goes_back_to_the_page_it_came_from(self, team, revealed, opened):
        client = team.client_for(team.facilitator)
        response = client.post(self.url(opened, revealed[2]), {"next": "sessie"})
        assert response.status_code == 302 and response["Location"] == reverse("apk:session", args=[opened.pk])

    def test_the_session_page_offers_it_for_revealed_questions(self, team, revealed, opened):
        html = team.client_for(team.facilitator).get(reverse("apk:session", args=[opened.pk])).content.decode()
        assert self.url(opened, revealed[2]) in html

    def test_the_session_page_does_not_offer_it_while_another_round_runs(self, team, revealed, opened):
        services.apk_round_open(question=opened.questions.unopened().first(), by=team.leider)
        html = team.client_for(team.facilitator).get(reverse("apk:session", args=[opened.pk])).content.decode()
        assert self.url(opened, revealed[2]) not in html

    def test_the_phone_shows_its_vote_to_change_again(self, team, revealed, opened):
        phone, _anna, question = revealed
        services.question_reopen(question=question, by=team.leider)
        html = phone.get(reverse("apk:ballot", args=[opened.code]) + "?seen=0", **HTMX).content.decode()
        assert "Uw stem is binnen: Groen: gaat goed" in html and "Stem wijzigen" in html

    def test_an_error_is_said_in_dutch(self, team, running, opened):
        client = team.client_for(team.facilitator)
        response = client.post(self.url(opened, running), follow=True)
        assert "Deze vraag heeft nog geen uitslag." in response.content.decode()

    @pytest.mark.parametrize("who", ["teamlid", "meelezer"])
    def test_only_a_facilitator_may_reopen(self, team, revealed, opened, who):
        response = team.client_for(getattr(team, who)).post(self.url(opened, revealed[2]))
        assert response.status_code == 403
        revealed[2].refresh_from_db()
        assert revealed[2].is_revealed

    def test_an_outsider_gets_404(self, team, revealed, opened):
        response = team.client_for(team.outsider).post(self.url(opened, revealed[2]))
        assert response.status_code == 404
