"""The portfolio's cached table (wijkkompas/caching.py) follows every change of what it shows:
the programme manager sees the table once to fill the cache, something changes, and the next
view must show it. A medewerker of the same gemeente sees the same figures."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from apk import services as apk_services
from apk.models import Variant
from projects import services
from projects.models import EntryKind, LogboekEntry, Membership, Role, Status

pytestmark = pytest.mark.django_db


def row_of(html: str, name: str) -> str:
    """The table row of the project called `name`."""
    rows = re.findall(r'<tr class="portfolio__row.*?</tr>', html, flags=re.DOTALL)
    return next(row for row in rows if name in row)


def portfolio(team, user=None) -> str:
    client = team.client_for(user or team.programmamanager)
    return client.get(reverse("projects:portfolio", args=[team.project.gemeente_id])).content.decode()


def add_action(team, **fields) -> LogboekEntry:
    entry = LogboekEntry(project=team.project, kind=EntryKind.ACTIE, title="Buurtavond plannen", **fields)
    return services.log_entry_add(entry=entry, by=team.teamlid)


def close_an_apk(team) -> None:
    session = apk_services.apk_session_create(
        project=team.project, title="APK najaar", date=date(2026, 11, 3), variant=Variant.APK, by=team.leider
    )
    apk_services.apk_session_open(session=session, by=team.leider)
    apk_services.apk_session_close(session=session, by=team.leider)


def rename_project(team) -> None:
    client = team.client_for(team.leider)
    form = {
        "gemeente": team.project.gemeente_id,
        "name": "Bloemenbuurt-Noord",
        "description": "",
        "start_date": "2026-01-05",
    }
    response = client.post(reverse("projects:edit", args=[team.project.pk]), form)
    assert response.status_code == 302


def rename_person(team) -> None:
    client = team.client_for(team.teamlid)
    response = client.post(reverse("accounts:account"), {"first_name": "Timo", "last_name": "Bakker"})
    assert response.status_code == 302


# (what changes, how, what the project's row must then show)
CHANGES = [
    (
        "a status",
        lambda team, kn: services.status_set(project=team.project, knooppunt=kn, status=Status.AFGEROND, by=None),
        "1 afgerond, 0 bezig",
    ),
    ("an action", lambda team, kn: add_action(team), "Tim"),
    (
        "an overdue action",
        lambda team, kn: add_action(team, due_date=date.today() - timedelta(days=1)),
        '<strong class="overdue">1</strong>',
    ),
    ("an APK session closed", lambda team, kn: close_an_apk(team), "2026-11-03"),
    ("the project's name", lambda team, kn: rename_project(team), "Bloemenbuurt-Noord"),
    ("the name of the last one to change it", lambda team, kn: (add_action(team), rename_person(team)), "Timo Bakker"),
]


@pytest.mark.parametrize(("what", "change", "shown"), CHANGES, ids=[c[0] for c in CHANGES])
def test_the_portfolio_shows_every_change(team, knooppunt, what, change, shown):
    assert shown not in portfolio(team)
    change(team, knooppunt)
    assert shown in portfolio(team)
    assert shown in portfolio(team, team.medewerker)


def test_an_action_done_leaves_the_open_actions(team, knooppunt):
    entry = add_action(team)
    assert '<td class="number">1</td>' in row_of(portfolio(team), "Bloemenbuurt")
    services.action_done(entry=entry, done=True)
    assert '<td class="number">1</td>' not in row_of(portfolio(team), "Bloemenbuurt")


def test_a_new_project_and_a_new_membership_show_at_once(team, knooppunt):
    project_url = team.project.get_absolute_url()
    assert project_url not in portfolio(team)  # Petra is not in the project's team
    Membership.objects.create(project=team.project, user=team.programmamanager, role=Role.MEELEZER)
    assert project_url in portfolio(team)
    assert project_url not in portfolio(team, team.medewerker)

    services.project_create(gemeente=team.project.gemeente, name="Havenkwartier", by=team.medewerker)
    assert "Havenkwartier" in portfolio(team)


def test_a_renamed_phase_shows_in_the_portfolio(team, knooppunt, kompas):
    assert "1. Samen starten" in portfolio(team)
    kompas.fasen[0].name = "Samen beginnen"
    kompas.fasen[0].save()
    assert "1. Samen beginnen" in portfolio(team)


def test_every_change_that_the_portfolio_shows_raises_the_cache_version(team, knooppunt):
    """The services behind the pages raise the version; nothing else needs to know the key."""
    versions = [team.project.cache_version]
    for _what, change, _shown in CHANGES:
        change(team, knooppunt)
        team.project.refresh_from_db()
        versions.append(team.project.cache_version)
    assert versions == sorted(set(versions)), versions
