"""The reveal and the votes race: every vote is counted before the reveal or refused after it.

Real threads with their own database connections, on SQLite (a file database with IMMEDIATE
transactions, see settings) and on PostgreSQL (row locks on the question).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apk import services
from apk.models import Participant, Vote

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VOTERS = 20


def test_a_reveal_in_a_storm_of_votes_counts_each_vote_before_it_and_none_after(team, running, opened):
    participants = [Participant.objects.create(session=opened) for _ in range(VOTERS)]
    start = threading.Barrier(VOTERS + 1)
    told: dict[int, list[str]] = {p.pk: [] for p in participants}  # what each phone was told was counted
    errors: list[str] = []
    at_reveal: dict[int, str] = {}

    def voter(participant: Participant) -> None:
        try:
            start.wait()
            for score in ["groen", "oranje", "rood"] * 20:
                try:
                    services.apk_vote_cast(participant=participant, question_id=running.pk, score=score, trend="gelijk")
                except services.VoteRefused:
                    return
                told[participant.pk].append(score)
        except Exception as error:  # noqa: BLE001 - e.g. "database is locked" must fail the test
            errors.append(repr(error))
        finally:
            connection.close()

    def facilitator() -> None:
        try:
            start.wait()
            time.sleep(0.05)
            services.apk_round_reveal(question=running, by=team.leider)
            at_reveal.update(Vote.objects.filter(question=running).values_list("participant_id", "score"))
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=voter, args=(p,)) for p in participants]
    threads.append(threading.Thread(target=facilitator))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    running.refresh_from_db()
    assert running.revealed_at is not None
    stored = {vote.participant_id: vote for vote in Vote.objects.filter(question=running)}
    # What the big screen showed at the reveal is what stays: no vote slipped in afterwards.
    assert {pk: vote.score for pk, vote in stored.items()} == at_reveal
    for participant in participants:
        if told[participant.pk]:
            # The stored vote is the last one the phone was told was counted, and it came before the reveal.
            assert stored[participant.pk].score == told[participant.pk][-1]
            assert stored[participant.pk].updated_at <= running.revealed_at
        else:
            assert participant.pk not in stored
    assert len(stored) == sum(1 for scores in told.values() if scores)


@pytest.mark.parametrize("attempts", [2, 6])
def test_reopening_and_opening_the_next_question_at_once_leaves_one_round_running(team, running, opened, attempts):
    """Two facilitators' moves at the same moment (reopen question 1, open question 2): the
    session lock makes them take turns, so never two rounds run."""
    services.apk_round_reveal(question=running, by=team.leider)
    following = opened.questions.unopened().first()
    start = threading.Barrier(attempts)
    done: list[str] = []
    refused: list[str] = []
    errors: list[str] = []

    def move(kind: str) -> None:
        try:
            start.wait()
            if kind == "reopen":
                services.question_reopen(question=running, by=team.leider)
            else:
                services.apk_round_open(question=following, by=team.leider)
            done.append(kind)
        except ValidationError:
            refused.append(kind)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connection.close()

    kinds = ["reopen", "open"] * (attempts // 2)
    threads = [threading.Thread(target=move, args=(kind,)) for kind in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(done) == 1 and len(refused) == attempts - 1
    voting = [q for q in opened.questions.all() if q.is_voting]
    assert len(voting) == 1
    opened.refresh_from_db()
    assert opened.current_question_id == voting[0].pk
