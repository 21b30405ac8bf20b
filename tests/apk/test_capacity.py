"""Capacity: forty phones vote within the same ten seconds while the big screen polls.

Against a live server with real threads, on SQLite (a file database, see settings) and on
PostgreSQL: not one vote may be lost or counted twice, and nothing may fail with "database
is locked". The phones are driven by scripts/apk_load.py, the load script in the repository.
"""

from __future__ import annotations

import pytest
from django.test import Client

from apk import services
from apk.models import Vote
from scripts.apk_load import run_load

# serialized_rollback: the data migrations (the Redacteur group) are back for the next tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARTICIPANTS = 40


def test_forty_participants_vote_at_once_and_every_vote_counts_once(live_server, team, opened):
    question = services.apk_round_open(question=opened.questions.first(), by=team.leider)
    screen = Client()
    screen.force_login(team.facilitator)

    report = run_load(
        live_server.url,
        opened.code,
        participants=PARTICIPANTS,
        window=10,
        session_pk=opened.pk,
        sessionid=screen.cookies["sessionid"].value,
        seed=5,
    )
    print("\n".join(report.lines()))

    assert report.errors == []
    # Every fifth phone double-tapped: 48 submissions, all answered "your vote is in".
    assert report.votes_accepted == PARTICIPANTS + PARTICIPANTS // 5
    assert Vote.objects.filter(question=question).count() == PARTICIPANTS
    assert Vote.objects.values("participant").distinct().count() == PARTICIPANTS
    assert report.screen_counts[-1] == (PARTICIPANTS, PARTICIPANTS)
    assert len(report.screen_poll) >= 10  # the screen kept polling through the whole window
