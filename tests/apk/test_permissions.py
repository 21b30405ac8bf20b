"""Who may do what, for every team URL of the APK.

Members see the sessions and reports; only facilitators and projectleiders prepare, run,
close and delete them. Outsiders get a 404 (they cannot tell a session exists), members
whose role is too low a 403, visitors without an account the login page. A refused request
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from apk import services
from apk.models import ApkSession, Question, Snapshot
from projects.models import LogboekEntry

pytestmark = pytest.mark.django_db

PERSONAS = ["leider", "facilitator", "teamlid", "meelezer", "outsider", "anonymous"]
MANAGE = {"leider": "ok", "facilitator": "ok", "teamlid": 403, "meelezer": 403, "outsider": 404, "anonymous": "login"}
READ = {"leider": "ok", "facilitator": "ok", "teamlid": "ok", "meelezer": "ok", "outsider": 404, "anonymous": "login"}


@dataclass
class World:
    team: object
    prepared: ApkSession
    opened: ApkSession
    running: Question

    def state(self) -> tuple:
        """Everything a refused request must leave alone."""
        return (
            list(ApkSession.objects.order_by("pk").values_list("pk", "state", "version", "code")),
            list(Question.objects.order_by("pk").values_list("pk", "order", "opened_at", "revealed_at")),
            LogboekEntry.objects.count(),
            Snapshot.objects.count(),
        )


@pytest.fixture
def world(team, running, opened) -> World:
    prepared = services.apk_session_create(
        project=team.project, title="Najaar", date=date(2026, 10, 1), variant="apk", by=team.leider
    )
    return World(team, prepared, opened, running)


def u(name: str, *args) -> str:
    return reverse(f"apk:{name}", args=args)


# (description, method, url, data, extra headers, expected per persona)
CASES = [
    ("APK tab", "get", lambda w: u("project", w.team.project.pk), {}, {}, READ),
    ("new session form", "get", lambda w: u("create", w.team.project.pk), {}, {}, MANAGE),
    (
        "create a session",
        "post",
        lambda w: u("create", w.team.project.pk),
        {"title": "Extra", "date": "2026-11-01", "variant": "apk"},
        {},
        MANAGE,
    ),
    ("session page", "get", lambda w: u("session", w.prepared.pk), {}, {}, MANAGE),
    ("add a question", "post", lambda w: u("question_add", w.prepared.pk), {"text": "Nieuw?"}, {}, MANAGE),
    (
        "move a question",
        "post",
        lambda w: u("question_change", w.prepared.pk, w.prepared.questions.last().pk),
        {"action": "up"},
        {},
        MANAGE,
    ),
    (
        "ask before dropping a question",
        "get",
        lambda w: u("question_remove", w.prepared.pk, w.prepared.questions.first().pk),
        {},
        {},
        MANAGE,
    ),
    (
        "drop a question",
        "post",
        lambda w: u("question_remove", w.prepared.pk, w.prepared.questions.first().pk),
        {"confirm": "ja"},
        {},
        MANAGE,
    ),
    ("open the session", "post", lambda w: u("open", w.prepared.pk), {}, {}, MANAGE),
    ("big screen", "get", lambda w: u("screen", w.opened.pk), {}, {}, MANAGE),
    ("big screen poll", "get", lambda w: u("screen", w.opened.pk) + "?seen=0", {}, {"HTTP_HX_REQUEST": "true"}, MANAGE),
    ("reveal a round", "post", lambda w: u("round_reveal", w.opened.pk, w.running.pk), {}, {}, MANAGE),
    (
        "open a round",
        "post",
        lambda w: u("round_open", w.opened.pk, w.opened.questions.all()[1].pk),
        {},
        {},
        MANAGE,
    ),
    (
        "record an action",
        "post",
        lambda w: u("action_add", w.opened.pk),
        {"title": "Actie", "due_date": "2030-06-01"},  # the owner is added in the test
        {},
        MANAGE,
    ),
    ("ask before closing", "get", lambda w: u("close", w.opened.pk), {}, {}, MANAGE),
    ("close the session", "post", lambda w: u("close", w.opened.pk), {"confirm": "ja"}, {}, MANAGE),
    (
        "reopen a round",
        "post",
        lambda w: u("round_reopen", w.opened.pk, w.running.pk),
        {},
        {},
        MANAGE,
    ),
    ("delete form", "get", lambda w: u("delete", w.opened.pk), {}, {}, MANAGE),
    ("delete the session", "post", lambda w: u("delete", w.opened.pk), {}, {}, MANAGE),
    ("report", "get", lambda w: u("report", w.opened.pk), {}, {}, READ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("what", "method", "make_url", "data", "headers", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_permission_matrix(world, persona, what, method, make_url, data, headers, expected):
    team = world.team
    user = None if persona == "anonymous" else getattr(team, persona)
    client = team.client_for(user)
    if what == "record an action":
        data = {**data, "owner": team.leider.pk}
    url = make_url(world)
    before = world.state()
    response = getattr(client, method)(url, data, **headers)
    outcome = expected[persona]
    if outcome == "ok":
        assert response.status_code in (200, 204, 302), (what, persona, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    elif outcome == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == outcome, (what, persona, response.status_code)
    if outcome != "ok" and method == "post":
        assert world.state() == before, f"{persona} changed something with '{what}'"


def test_an_outsider_who_facilitates_elsewhere_still_gets_404(world):
    """Facilitating your own project gives no rights on someone else's."""
    client = world.team.client_for(world.team.outsider)
    assert client.get(u("screen", world.opened.pk)).status_code == 404
    assert client.post(u("close", world.opened.pk), {"confirm": "ja"}).status_code == 404
    assert not Snapshot.objects.exists()


def test_a_session_that_does_not_exist_is_a_404(world):
    client = world.team.client_for(world.team.leider)
    assert client.get(u("session", 987654)).status_code == 404
    assert client.get(u("report", 987654)).status_code == 404
