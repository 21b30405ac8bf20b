"""`make bench`: the load driver's figures, its limits, and the data set's safety checks."""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tools import bench
from tools.management.commands.bench import WARMUP, Page
from tools.management.commands.bench_data import PROJECTS, projects_per_gemeente


def result(*milliseconds: float, seconds: float = 1.0) -> bench.Result:
    return bench.Result(latencies=[ms / 1000 for ms in milliseconds], seconds=seconds, errors={}, response_bytes=2048)


def test_percentiles_are_nearest_rank_in_milliseconds():
    measured = result(*range(1, 101))
    assert measured.percentile(50) == pytest.approx(50)
    assert measured.percentile(95) == pytest.approx(95)
    assert measured.per_second == 100


def test_the_table_gives_each_page_its_ratio_to_the_floor_and_its_cpu():
    floor = bench.Row("hello", 1, {1: result(2, 2, 2)})
    page = bench.Row("navigator", 9, {1: result(20, 20, 30)})
    page.results[1].cpu_ms = (8.04, 1.25)
    text = bench.table([floor, page], floor, [1])
    assert "| hello | 1 | 2 | 2.0 / 2.0 | 3 | 1.0 |  |  |" in text
    assert "| navigator | 9 | 2 | 20.0 / 30.0 | 3 | 10.0 | 8.0 + 1.2 |  |" in text
    floor.results[1].cpu_ms = (2.0, 0.2)
    text = bench.table([floor, page], floor, [1])
    assert "| navigator | 9 | 2 | 20.0 / 30.0 | 3 | 10.0 | 8.0 + 1.2 | 4.0 |" in text


def test_server_cpu_counts_the_app_process_group():
    before = bench.server_cpu(os.getpgrp())
    sum(i * i for i in range(300_000))  # some work in this process
    app, database = bench.cpu_used(before, bench.server_cpu(os.getpgrp()))
    assert app > 0 and database >= 0


def test_a_process_that_ended_is_left_out_and_a_new_one_counts_whole():
    before = {1: ("app", 5.0), 2: ("db", 3.0), 3: ("db", 9.0)}
    after = {1: ("app", 5.5), 2: ("db", 3.25), 4: ("db", 0.5)}  # 3 ended, 4 started
    assert bench.cpu_used(before, after) == (0.5, 0.75)


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


def test_the_warm_up_is_sent_before_the_clock_starts_and_not_counted():
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    started: list[int] = []
    try:
        measured = bench.run(
            host="127.0.0.1",
            port=server.server_address[1],
            make_request=lambda n, i: bench.Request("GET", f"/{n}/{i}"),
            users=2,
            seconds=5,
            max_requests=6,
            ok={200},
            warmup=3,
            on_start=lambda: started.append(len(seen)),
        )
    finally:
        server.shutdown()
    assert started == [6]  # called once, after 2 users x 3 warm-up requests
    assert measured.count == 6 and not measured.errors
    assert sorted(seen[:6]) == ["/0/0", "/0/1", "/0/2", "/1/0", "/1/1", "/1/2"]


def test_a_page_that_cycles_through_many_addresses_warms_up_longer():
    page = Page("knooppunt page", lambda n, i: bench.Request("GET", "/"), warmup=384)
    assert [page.warmup_per_user(users) for users in (1, 8, 32, 500)] == [384, 48, 12, WARMUP]


def test_the_data_set_spreads_3500_projects_over_340_municipalities():
    counts = projects_per_gemeente()
    assert len(counts) == 340 and sum(counts) == PROJECTS
    assert counts[0] > 90 and min(counts) >= 2


@pytest.mark.django_db
def test_bench_data_refuses_a_database_that_is_not_a_bench_database(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "wijkkompas")
    with pytest.raises(CommandError, match="only runs on a PostgreSQL database whose name contains 'bench'"):
        call_command("bench_data")
