"""tools.server starts a server, waits for /healthz and stops its whole process group: here with a
small stand-in for `make serve` that binds where GUNICORN_BIND says, as gunicorn does."""

from __future__ import annotations

import os
import sys

import pytest

from tools import server

# Answers /healthz like Wijkkompas does, after a short start-up; ANSWER chooses the status.
STAND_IN = """
import http.server, os, time
host, port = os.environ["GUNICORN_BIND"].split(":")
time.sleep(0.3)

class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = os.environ.get("ANSWER", "ok") == "ok"
        body = b'{"status": "ok", "database": "ok"}' if ok else b'{"status": "error", "database": "unavailable"}'
        self.send_response(200 if ok else 503)
        self.end_headers()
        self.wfile.write(body)

http.server.HTTPServer((host, int(port)), Health).serve_forever()
"""


def stand_in(answer: str = "ok") -> list[str]:
    return [sys.executable, "-c", f"import os; os.environ['ANSWER'] = {answer!r}\n{STAND_IN}"]


def test_start_returns_once_healthz_answers_and_stop_ends_the_process_group(tmp_path):
    port = server.free_port()
    assert server.port_is_free(port)
    started = server.start(port, tmp_path / "server.log", command=stand_in(), wait=20)
    try:
        assert server.healthy(port)
        assert not server.port_is_free(port)
        assert os.getpgid(started.pid) == started.pid  # its own group, so the group can be stopped whole
    finally:
        server.stop(started)
    assert started.returncode is not None
    assert not server.healthy(port)


def test_a_server_that_stops_is_reported_with_its_log(tmp_path):
    log = tmp_path / "server.log"
    with pytest.raises(server.ServerError, match=r"stopped with exit code 3; see .*server\.log"):
        server.start(server.free_port(), log, command=[sys.executable, "-c", "print('kapot'); raise SystemExit(3)"])
    assert "kapot" in log.read_text()


def test_a_server_without_a_database_is_not_healthy_and_is_stopped_after_the_wait(tmp_path):
    port = server.free_port()
    with pytest.raises(server.ServerError, match="did not answer /healthz within 2 seconds"):
        server.start(port, tmp_path / "server.log", command=stand_in("unavailable"), wait=2)
    assert server.port_is_free(port)
