"""Personas of a project team, like healthchecks' alice and bob.

Lotte leads the Bloemenbuurt project of Voorbeeldstad, Tim is in her team, Mila reads along,
and Otto leads a project in another municipality: he must never see anything of Lotte's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from projects.models import Gemeente, Membership, Project, Role
from projects.services import project_create


@dataclass
class Team:
    project: Project
    other_project: Project
    leider: object
    teamlid: object
    meelezer: object
    outsider: object

    def client_for(self, user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def team(kompas, django_user_model) -> Team:
    def person(first_name: str):
        return django_user_model.objects.create_user(
            email=f"{first_name.lower()}@example.org", password="een-lang-wachtwoord-1", first_name=first_name
        )

    leider, teamlid, meelezer, outsider = person("Lotte"), person("Tim"), person("Mila"), person("Otto")
    project = project_create(gemeente=Gemeente.objects.create(name="Voorbeeldstad"), name="Bloemenbuurt", by=leider)
    Membership.objects.create(project=project, user=teamlid, role=Role.TEAMLID)
    Membership.objects.create(project=project, user=meelezer, role=Role.MEELEZER)
    other_project = project_create(gemeente=Gemeente.objects.create(name="Andersdorp"), name="Dijkwijk", by=outsider)
    return Team(project, other_project, leider, teamlid, meelezer, outsider)


@pytest.fixture
def knooppunt(kompas):
    return kompas.add_knooppunt(1, 1, title="Bewoners aan tafel", sporen="AC", slug="bewoners-aan-tafel")
