"""Query budgets of the busy views: the big screen polls every second, forty phones every two
seconds, and forty votes arrive at once. Measured with few and with many votes, so an N+1
fails the test."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apk import services
from apk.models import Participant

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(params=[1, 40], ids=["one vote", "forty votes"])
def voted(request, running, opened, phone_factory):
    """A running round with one or forty votes, and the phone of the first voter."""
    phone, first = phone_factory(opened, name="Anna")
    participants = [first] + [
        Participant.objects.create(session=opened, display_name=f"Deelnemer {i}") for i in range(request.param - 1)
    ]
    for i, participant in enumerate(participants):
        services.apk_vote_cast(
            participant=participant, question_id=running.pk, score=["groen", "rood", "oranje"][i % 3], trend="gelijk"
        )
    opened.refresh_from_db()
    return phone, opened


def screen_poll(client, session, seen):
    return client.get(reverse("apk:screen", args=[session.pk]) + f"?seen={seen}", **HTMX)


def test_the_screen_poll_costs_five_queries(team, voted, django_assert_num_queries):
    _phone, session = voted
    client = team.client_for(team.facilitator)
    # Auth session, user, APK session, membership, and one count of participants and votes.
    with django_assert_num_queries(5):
        response = screen_poll(client, session, session.version)
    assert response.status_code == 200


def test_the_screen_poll_after_a_reveal_stays_small(team, voted, running, django_assert_max_num_queries):
    _phone, session = voted
    services.apk_round_reveal(question=running, by=team.leider)
    client = team.client_for(team.facilitator)
    with django_assert_max_num_queries(9):
        response = screen_poll(client, session, 0)
    assert '<figure class="distribution">' in response.content.decode()


def test_the_phone_poll_costs_one_query_when_nothing_changed(voted, django_assert_num_queries):
    phone, session = voted
    with django_assert_num_queries(1):
        response = phone.get(reverse("apk:ballot", args=[session.code]) + f"?seen={session.version}", **HTMX)
    assert response.status_code == 204


def test_the_phone_poll_costs_two_queries_when_the_facilitator_moved(voted, django_assert_num_queries):
    phone, session = voted
    with django_assert_num_queries(2):
        response = phone.get(reverse("apk:ballot", args=[session.code]) + "?seen=0", **HTMX)
    assert response.status_code == 200


def test_a_vote_costs_six_queries(voted, running, django_assert_num_queries):
    phone, session = voted
    # The participant with the session, then in one transaction: the locked question, the vote
    # and its update. The answer shows the vote just written, without reading it again.
    with django_assert_num_queries(6):
        response = phone.post(
            reverse("apk:vote", args=[session.code]),
            {"question": running.pk, "score": "rood", "trend": "beter"},
            **HTMX,
        )
    assert "Uw stem is binnen" in response.content.decode()


@pytest.fixture(params=[1, 40], ids=["few", "many"])
def closed(request, team, running, opened, kompas):
    """A closed session with one or forty votes per question and as many knooppunten."""
    for i in range(request.param):
        kompas.add_knooppunt(1 + i % 6, 10 + i // 6)
        participant = Participant.objects.create(session=opened, party="bewoners" if i % 2 else "")
        services.apk_vote_cast(
            participant=participant, question_id=running.pk, score="groen", trend="gelijk", comment=f"Punt {i}"
        )
    services.apk_session_close(session=opened, by=team.leider)
    return opened


def test_the_report_costs_the_same_whatever_the_size(team, closed, django_assert_max_num_queries):
    client = team.client_for(team.meelezer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("apk:report", args=[closed.pk]))
    assert "Stand van de knooppunten bij het sluiten" in response.content.decode()


def test_the_confirmation_pages_stay_small(team, opened, prepared, django_assert_max_num_queries):
    client = team.client_for(team.leider)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("apk:close", args=[opened.pk])).status_code == 200
    question = opened.questions.first()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("apk:question_remove", args=[opened.pk, question.pk])).status_code == 200
