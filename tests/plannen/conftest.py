"""The team of tests/projects (Lotte leads, Tim writes, Mila reads, Otto is an outsider) and a
plan with two chapters of our own, so a change in the default chapters never breaks a test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from plannen.models import Hoofdstuk
from projects.models import EntryKind, KnooppuntStatus, LogboekEntry, Status
from tests.projects.conftest import Team, team  # noqa: F401 (the shared personas)


@dataclass
class PlanData:
    team: Team
    gebied: Hoofdstuk
    besluiten: Hoofdstuk
    knooppunten: list
    besluit: LogboekEntry


@pytest.fixture
def plan_data(team, kompas) -> PlanData:  # noqa: F811
    Hoofdstuk.objects.all().delete()  # the default set from the migration
    k1 = kompas.add_knooppunt(1, 2, title="Het gebied afbakenen")
    k2 = kompas.add_knooppunt(2, 1, title="Een sociale kaart")
    k3 = kompas.add_knooppunt(4, 5, title="Gezamenlijk besluit")
    gebied = Hoofdstuk.objects.create(title="Het gebied", guide="Beschrijf **de wijk**.", order=1)
    gebied.knooppunten.set([k1, k2])
    besluiten = Hoofdstuk.objects.create(title="Besluitvorming", guide="Welke besluiten?", order=2)
    besluiten.knooppunten.set([k3])
    KnooppuntStatus.objects.create(project=team.project, knooppunt=k1, status=Status.AFGEROND)
    KnooppuntStatus.objects.create(
        project=team.project, knooppunt=k2, status=Status.NIET_VAN_TOEPASSING, note="Al bekend uit eerder onderzoek"
    )
    besluit = LogboekEntry.objects.create(
        project=team.project,
        kind=EntryKind.BESLUIT,
        title="De grens volgt het spoor",
        knooppunt=k1,
        created_by=team.leider,
    )
    return PlanData(team, gebied, besluiten, [k1, k2, k3], besluit)
