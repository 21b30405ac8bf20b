"""Personas and sessions for the APK tests.

The Bloemenbuurt team of Voorbeeldstad: Lotte leads the project, Fenna is a teamlid who
facilitates workshops, Tim is a teamlid without that role, Mila reads along. Otto leads a
project in another municipality and facilitates there: he must see nothing of Lotte's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apk import services
from apk.models import ApkSession, Participant, Question, Variant
from projects.models import Gemeente, Membership, Project, Role
from projects.services import project_create


@dataclass
class Team:
    project: Project
    other_project: Project
    leider: object
    facilitator: object
    teamlid: object
    meelezer: object
    outsider: object

    def client_for(self, user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def fresh_cache():
    """The throttle counts wrong codes in the cache: every test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def team(kompas, django_user_model) -> Team:
    def person(first_name: str):
        return django_user_model.objects.create_user(
            email=f"{first_name.lower()}@example.org", password="een-lang-wachtwoord-1", first_name=first_name
        )

    leider, facilitator, teamlid, meelezer, outsider = (
        person("Lotte"),
        person("Fenna"),
        person("Tim"),
        person("Mila"),
        person("Otto"),
    )
    project = project_create(gemeente=Gemeente.objects.create(name="Voorbeeldstad"), name="Bloemenbuurt", by=leider)
    Membership.objects.create(project=project, user=facilitator, role=Role.TEAMLID, is_facilitator=True)
    Membership.objects.create(project=project, user=teamlid, role=Role.TEAMLID)
    Membership.objects.create(project=project, user=meelezer, role=Role.MEELEZER)
    other_project = project_create(gemeente=Gemeente.objects.create(name="Andersdorp"), name="Dijkwijk", by=outsider)
    Membership.objects.filter(project=other_project, user=outsider).update(is_facilitator=True)
    return Team(project, other_project, leider, facilitator, teamlid, meelezer, outsider)


@pytest.fixture
def prepared(team) -> ApkSession:
    """A session with the default questions for the six sporen, not opened yet."""
    return services.apk_session_create(
        project=team.project, title="APK voorjaar", date=date(2026, 3, 10), variant=Variant.APK, by=team.leider
    )


@pytest.fixture
def opened(prepared, team) -> ApkSession:
    return services.apk_session_open(session=prepared, by=team.leider)


@pytest.fixture
def running(opened, team) -> Question:
    """The first question of an open session, open for votes."""
    return services.apk_round_open(question=opened.questions.first(), by=team.leider)


def join(session: ApkSession, *, name: str = "", party: str = "") -> tuple[Client, Participant]:
    """A phone that joined the session through the join form (and so holds the signed cookie)."""
    phone = Client()
    response = phone.post(
        reverse("apk:ballot", args=[session.code]), {"display_name": name, "party": party}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return phone, Participant.objects.filter(session=session).latest("pk")


@pytest.fixture
def phone_factory():
    return join
