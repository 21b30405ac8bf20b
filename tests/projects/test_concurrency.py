"""Two members change the same knooppunt at the same moment: no lost update, no duplicate
row, and both changes in the timeline. Real concurrent requests, on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects.models import KnooppuntStatus, StatusChange

pytestmark = [
    # serialized_rollback like the other live tests: its flush then leaves content types alone.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter; CI runs this there"
    ),
]


def test_simultaneous_changes_are_applied_one_after_the_other(team, knooppunt):
    url = reverse("projects:status_change", args=[team.project.pk, knooppunt.code])
    people = [(team.leider, "bezig"), (team.teamlid, "afgerond")] * 4
    clients = []
    for user, _status in people:
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(people))
    results: list[int] = []

    def change(client: Client, status: str) -> None:
        barrier.wait()
        try:
            results.append(
                client.post(url, {f"{knooppunt.code}-status": status}, headers={"HX-Request": "true"}).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(c, s)) for c, (_u, s) in zip(clients, people, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results == [200] * len(people)
    assert KnooppuntStatus.objects.filter(project=team.project, knooppunt=knooppunt).count() == 1
    changes = list(StatusChange.objects.order_by("changed_at", "id"))
    assert len(changes) == len(people)
    # Every change starts from the status the one before it left behind: none was lost.
    assert changes[0].old_status == "niet_gestart"
    for before, after in zip(changes, changes[1:], strict=False):
        assert after.old_status == before.new_status
    assert KnooppuntStatus.objects.get().status == changes[-1].new_status
