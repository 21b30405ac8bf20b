"""Start and stop the production server (`make serve`) on a loopback port, for the load test
(`manage.py bench`) and the fault test (`manage.py fault`).

Standard library only. The server runs in its own process group, so stopping it stops gunicorn
and all its workers, also when `make` itself has already gone.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

HOST = "127.0.0.1"
BASE_DIR = Path(__file__).resolve().parent.parent
MAKE_SERVE = ("make", "--no-print-directory", "serve")
START_SECONDS = 180  # migrate, load_kompas and collectstatic run first


class ServerError(RuntimeError):
    """The server stopped or did not answer in time; the message names its log."""


def port_is_free(port: int) -> bool:
    """True when a server could listen on the port now. Connections of an earlier run waiting in
    TIME_WAIT do not count, as they do not block gunicorn or PostgreSQL either."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def healthy(port: int, timeout: float = 2) -> bool:
    """/healthz answers 200 with a working database."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=timeout) as response:
            return response.status == 200 and json.loads(response.read()).get("status") == "ok"
    except (OSError, ValueError):  # refused, reset, timed out, a 503 (HTTPError), or no JSON
        return False


def start(
    port: int,
    log: Path,
    *,
    env: dict[str, str] | None = None,
    command: Sequence[str] = MAKE_SERVE,
    wait: float = START_SECONDS,
) -> subprocess.Popen:
    """`make serve` bound to HOST:port with `env` (default: this process's environment), its
    output appended to `log`. Returns once /healthz answers; raises ServerError (after stopping
    what it started) when the server stops or does not answer within `wait` seconds."""
    environment = {**(os.environ if env is None else env), "GUNICORN_BIND": f"{HOST}:{port}"}
    with log.open("ab") as output:
        server = subprocess.Popen(
            list(command),
            cwd=BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, and Ctrl+C reaches only the caller
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerError(f"`{' '.join(command)}` stopped with exit code {server.returncode}; see {log}")
        if healthy(port):
            return server
        time.sleep(0.5)
    stop(server)
    raise ServerError(f"The server did not answer /healthz within {wait:g} seconds; see {log}")


def stop(server: subprocess.Popen, *, wait: float = 30) -> None:
    """SIGTERM to the server's process group (gunicorn stops its workers gracefully), SIGKILL
    after `wait` seconds."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:  # the group ended between the poll and the signal
        server.wait()
