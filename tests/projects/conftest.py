"""Personas of a project team, like healthchecks' alice and bob.

Lotte leads the Bloemenbuurt project of Voorbeeldstad, Tim is in her team, Mila reads along,
and Otto leads a project in another municipality: he must never see anything of Lotte's.
One level up, Petra is programmamanager of Voorbeeldstad (she steers its portfolio) and Mark
is a medewerker there (he sees the portfolio and starts projects). Lotte, Tim and Mila are in
the project only: they do not see the gemeente's other projects.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from projects.models import Gemeente, GemeenteMembership, GemeenteRole, Membership, Project, Role
from projects.services import project_create


@dataclass
class Team:
    project: Project
    other_project: Project
    leider: object
    teamlid: object
    meelezer: object
    outsider: object
    programmamanager: object = None
    medewerker: object = None

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
    programmamanager, medewerker = person("Petra"), person("Mark")
    voorbeeldstad = Gemeente.objects.create(name="Voorbeeldstad")
    GemeenteMembership.objects.create(gemeente=voorbeeldstad, user=programmamanager, role=GemeenteRole.PROGRAMMAMANAGER)
    GemeenteMembership.objects.create(gemeente=voorbeeldstad, user=medewerker, role=GemeenteRole.MEDEWERKER)
    project = project_create(gemeente=voorbeeldstad, name="Bloemenbuurt", by=leider)
    Membership.objects.create(project=project, user=teamlid, role=Role.TEAMLID)
    Membership.objects.create(project=project, user=meelezer, role=Role.MEELEZER)
    andersdorp = Gemeente.objects.create(name="Andersdorp")
    GemeenteMembership.objects.create(gemeente=andersdorp, user=outsider, role=GemeenteRole.PROGRAMMAMANAGER)
    other_project = project_create(gemeente=andersdorp, name="Dijkwijk", by=outsider)
    return Team(project, other_project, leider, teamlid, meelezer, outsider, programmamanager, medewerker)


@pytest.fixture
def knooppunt(kompas):
    return kompas.add_knooppunt(1, 1, title="Bewoners aan tafel", sporen="AC", slug="bewoners-aan-tafel")
