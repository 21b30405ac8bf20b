"""The closing snapshot lists every knooppunt with its status, and the report shows that list
per phase. Snapshots written before (format 1: only started knooppunten) stay readable."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apk import services
from apk.models import Snapshot
from projects.models import Status
from projects.services import status_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def knooppunten(kompas):
    return {
        "informeren": kompas.add_knooppunt(1, 4, title="Bewoners informeren"),
        "afbakenen": kompas.add_knooppunt(1, 2, title="Het gebied afbakenen"),
        "warmte": kompas.add_knooppunt(3, 1, title="Warmteopties vergelijken"),
        "concept": kompas.add_knooppunt(2, 1, title="Nog een concept", is_published=False),
    }


@pytest.fixture
def closed(team, opened, knooppunten):
    status_set(project=team.project, knooppunt=knooppunten["informeren"], status=Status.AFGEROND, by=team.leider)
    status_set(
        project=team.project, knooppunt=knooppunten["warmte"], status=Status.NIET_VAN_TOEPASSING,
        note="Het warmtenet ligt er al.", by=team.leider,
    )  # fmt: skip
    services.apk_session_close(session=opened, by=team.leider)
    return opened


class TestSnapshot:
    def test_it_lists_every_published_knooppunt_with_its_status(self, closed):
        rows = Snapshot.objects.get(session=closed).data["knooppunten"]
        assert [(row["code"], row["status"]) for row in rows] == [
            ("1.02", "niet_gestart"),
            ("1.04", "afgerond"),
            ("3.01", "nvt"),
        ]
        assert rows[2]["note"] == "Het warmtenet ligt er al." and rows[2]["fase_name"]
        assert "Nog een concept" not in str(rows)

    def test_a_later_status_change_leaves_it_alone(self, team, closed, knooppunten):
        status_set(project=team.project, knooppunt=knooppunten["afbakenen"], status=Status.BEZIG, by=team.leider)
        rows = Snapshot.objects.get(session=closed).data["knooppunten"]
        assert rows[0]["status"] == "niet_gestart"


class TestReport:
    def test_it_shows_each_knooppunt_with_its_status_per_phase(self, team, closed):
        html = team.client_for(team.meelezer).get(reverse("apk:report", args=[closed.pk])).content.decode()
        assert (
            '<th scope="row">1.02 Het gebied afbakenen</th><td><span class="badge apk-status apk-status--niet_gestart">Niet gestart</span>'
            in html
        )
        assert (
            '<th scope="row">1.04 Bewoners informeren</th><td><span class="badge apk-status apk-status--afgerond">Afgerond</span>'
            in html
        )
        assert "Niet van toepassing</span></td><td>Het warmtenet ligt er al.</td>" in html
        assert html.count('class="apk-table apk-status-table"') == 2  # phases 1 and 3
        assert "Niet gestart</span> 1</li>" in html  # and the counts

    def test_every_table_scrolls_sideways_in_a_labelled_region_with_whole_words(self, team, closed):
        """On a phone a wide table scrolls instead of breaking its words letter by letter: the
        wrapper is .table-scroll, which site.css gives overflow-wrap: normal."""
        html = team.client_for(team.meelezer).get(reverse("apk:report", args=[closed.pk])).content.decode()
        tables = re.findall(r"(<[^<]*>)\s*<table\b", html)
        assert len(tables) == 4  # results, heatmap, phases 1 and 3
        for wrapper in tables:
            assert wrapper.startswith(
                '<div class="table-scroll apk-table-scroll" role="region" tabindex="0" aria-label'
            )
        assert 'aria-labelledby="status-fase-1"' in html and '<caption id="status-fase-1">' in html

    def test_a_snapshot_of_format_1_is_still_readable(self, team, closed):
        snapshot = Snapshot.objects.get(session=closed)
        snapshot.data = {
            **snapshot.data,
            "format": 1,
            "knooppunten": [{"code": "1.04", "title": "Bewoners informeren", "fase": 1, "status": "afgerond"}],
        }
        snapshot.save()
        response = team.client_for(team.meelezer).get(reverse("apk:report", args=[closed.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "1.04 Bewoners informeren" in html and "Afgerond</span>" in html
        assert "Dit rapport is gemaakt voordat elk knooppunt werd bewaard." in html
        assert '<caption id="status-fase-1">Fase 1</caption>' in html
