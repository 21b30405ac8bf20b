"""`make bench`: the load driver's figures, its limits, and the data set's safety checks."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wijkkompas import bench
from wijkkompas.management.commands.bench_data import PROJECTS, projects_per_gemeente


def result(*milliseconds: float, seconds: float = 1.0) -> bench.Result:
    return bench.Result(latencies=[ms / 1000 for ms in milliseconds], seconds=seconds, errors={}, response_bytes=2048)


def test_percentiles_are_nearest_rank_in_milliseconds():
    measured = result(*range(1, 101))
    assert measured.percentile(50) == pytest.approx(50)
    assert measured.percentile(95) == pytest.approx(95)
    assert measured.per_second == 100


def test_the_table_gives_each_page_its_ratio_to_the_floor():
    floor = bench.Row("hello", 1, {1: result(2, 2, 2)})
    page = bench.Row("navigator", 9, {1: result(20, 20, 30)})
    text = bench.table([floor, page], floor, [1])
    assert "| hello | 1 | 2 | 2.0 / 2.0 | 3 | 1.0 |" in text
    assert "| navigator | 9 | 2 | 20.0 / 30.0 | 3 | 10.0 |" in text


def test_the_driver_only_talks_to_this_machine():
    with pytest.raises(ValueError, match="only drives a server on this machine"):
        bench.run(
            host="wijkkompas.example",
            port=80,
            make_request=lambda n, i: bench.Request("GET", "/"),
            users=1,
            seconds=1,
            max_requests=1,
            ok={200},
        )


def test_the_data_set_spreads_3500_projects_over_340_municipalities():
    counts = projects_per_gemeente()
    assert len(counts) == 340 and sum(counts) == PROJECTS
    assert counts[0] > 90 and min(counts) >= 2


@pytest.mark.django_db
def test_bench_data_refuses_a_database_that_is_not_a_bench_database(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "wijkkompas")
    with pytest.raises(CommandError, match="only runs on a PostgreSQL database whose name contains 'bench'"):
        call_command("bench_data")
