"""Fault test: restart PostgreSQL while the production server is under load.

It starts a private PostgreSQL cluster in a temporary directory on its
own loopback port (the shared server on 5432 is never touched), migrates it and loads the kompas
and the demo data, starts `make serve` (gunicorn, DEBUG off) on a free loopback port, and runs a
few threads of load against the kompas overview, a knooppunt page, a logged-in project page and
/healthz. After the "before" phase it stops PostgreSQL (pg_ctl stop -m fast), keeps the load
running through the outage, starts PostgreSQL again and keeps the load running "after".

It reports per phase the status codes, how many 503s were the Dutch 503 page (or the JSON of
/healthz), any 500 or traceback, and how long after PostgreSQL came back the first 200 arrived.
Exit code 1 when a response was a 500 or showed a traceback, when a request got anything but a
200 or a clean 503 during the outage, or when the app did not recover on its own in time.

    make fault
    .venv/bin/python manage.py fault --outage 10 --threads 8

The Django settings of this process do not matter: it only talks to the private cluster and to
the server, through `manage.py` and `make serve` in processes of their own.

Run as root, the PostgreSQL binaries run as the `postgres` user. Everything it started is
stopped and the temporary directory removed, also on Ctrl+C or failure.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tools import server as app_server
from tools.server import BASE_DIR, HOST, free_port, port_is_free

DUTCH_503 = "Wijkkompas is even niet beschikbaar"
HEALTHZ_DOWN = '"database": "unavailable"'
# Signs of an error page that leaks internals: Django's debug page or a raw exception.
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "OperationalError", "InterfaceError", "psycopg")
MAX_REQUESTS = 100_000  # a bound on the load, whatever the phase lengths

# Run by `manage.py shell` against the private database: a logged-in session for the demo
# projectleider (as django.contrib.auth.login would store it) and the addresses to load.
SETUP_SNIPPET = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from knooppunten.models import Knooppunt
from projects.models import Project

user = get_user_model().objects.get(email="projectleider@wijkkompas.example")
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
knooppunt = Knooppunt.objects.published().order_by("code").first()
project = Project.objects.visible_to(user).order_by("pk").first()
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    "knooppunt_url": knooppunt.get_absolute_url(),
    "knooppunt_title": knooppunt.title,
    "project_url": project.get_absolute_url(),
    "project_name": project.name,
}))
"""


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    expect: str  # text a real 200 page shows, so a login page or an empty page does not count
    cookie: str = ""


@dataclass(frozen=True)
class Result:
    target: Target
    started: float
    finished: float
    status: int | None  # None: no HTTP answer at all
    body: str = ""
    error: str = ""

    @property
    def is_healthz(self) -> bool:
        return self.target.path == "/healthz"

    @property
    def traceback(self) -> bool:
        return any(marker in self.body for marker in TRACEBACK_MARKERS)

    @property
    def good(self) -> bool:
        return self.status == 200 and self.target.expect in self.body and not self.traceback

    @property
    def clean_503(self) -> bool:
        if self.status != 503 or self.traceback:
            return False
        return HEALTHZ_DOWN in self.body if self.is_healthz else DUTCH_503 in self.body

    def describe(self) -> str:
        what = f"status {self.status}" if self.status is not None else f"no answer ({self.error})"
        if self.traceback:
            what += " with a traceback"
        elif self.status == 200 and not self.good:
            what += f" without {self.target.expect!r}"
        return f"{self.target.label}: {what}"


@dataclass
class Phase:
    name: str
    start: float
    end: float
    results: list[Result] = field(default_factory=list)

    def summary(self) -> list[str]:
        statuses = collections.Counter(r.status if r.status is not None else "no answer" for r in self.results)
        served_503 = [r for r in self.results if r.status == 503]
        pages_503 = [r for r in served_503 if not r.is_healthz]
        healthz_503 = [r for r in served_503 if r.is_healthz]
        seconds = self.end - self.start
        return [
            f"{self.name:<7} {seconds:5.1f} s  {len(self.results):5d} requests  "
            + ", ".join(
                f"{status}: {count}" for status, count in sorted(statuses.items(), key=lambda item: str(item[0]))
            ),
            f"{'':<7} 503 pages with the Dutch 503 page: {sum(r.clean_503 for r in pages_503)}/{len(pages_503)}, "
            f"/healthz 503 with its JSON: {sum(r.clean_503 for r in healthz_503)}/{len(healthz_503)}; "
            f"500s: {statuses.get(500, 0)}, tracebacks: {sum(r.traceback for r in self.results)}",
        ]


class Cluster:
    """A private PostgreSQL cluster in `directory`, listening on 127.0.0.1:`port` only."""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "postgresql.log"
        self.port = port
        self.bin = find_postgres_bin()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.running = False

    def run(self, program: str, *args: str, timeout: float = 120) -> None:
        command = [*self.as_postgres, str(self.bin / program), *args]
        # Its own session: a Ctrl+C in the terminal must reach only this script, which then
        # stops the cluster itself.
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, start_new_session=True, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{program} failed ({completed.returncode}): {completed.stderr or completed.stdout}")

    def init(self) -> None:
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        self.run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses={HOST} -c unix_socket_directories={self.directory}"
        self.run(
            "pg_ctl",
            "start",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--wait",
            "--timeout",
            "60",
            "--options",
            options,
        )
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", mode, "--wait", "--timeout", "60")
        self.running = False

    def create_database(self, name: str) -> str:
        self.run("createdb", "--host", HOST, "--port", str(self.port), "--username", "postgres", name)
        return f"postgres://postgres@{HOST}:{self.port}/{name}"


def find_postgres_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if candidates:
        return candidates[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise RuntimeError("No PostgreSQL server binaries found (pg_ctl, initdb): install postgresql.")


def request(port: int, target: Target, timeout: float) -> Result:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"User-Agent": "wijkkompas-fault/1", "Host": HOST}
    if target.cookie:
        headers["Cookie"] = target.cookie
    started = time.monotonic()
    try:
        connection.request("GET", target.path, headers=headers)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return Result(target, started, time.monotonic(), response.status, body)
    except OSError as error:  # refused, reset or timed out: the server gave no HTTP answer
        return Result(target, started, time.monotonic(), None, error=type(error).__name__)
    finally:
        connection.close()


class Load:
    """A few threads, each requesting the targets in turn until stopped."""

    def __init__(self, port: int, targets: list[Target], threads: int, timeout: float) -> None:
        self.port = port
        self.targets = targets
        self.timeout = timeout
        self.results: list[Result] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.work, args=(i,), daemon=True) for i in range(threads)]

    def work(self, offset: int) -> None:
        turn = offset
        while not self.stopping.is_set():
            result = request(self.port, self.targets[turn % len(self.targets)], self.timeout)
            turn += 1
            with self.lock:
                self.results.append(result)
                if len(self.results) >= MAX_REQUESTS:
                    self.stopping.set()

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=self.timeout + 5)


def manage(environment: dict[str, str], log: Path, *args: str) -> str:
    with log.open("a") as output:
        output.write(f"\n$ manage.py {' '.join(args)}\n")
    completed = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=False
    )
    with log.open("a") as output:
        output.write(completed.stdout + completed.stderr)
    if completed.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed; see {log}:\n{completed.stderr[-2000:]}")
    return completed.stdout


def keep_logs(directory: Path) -> None:
    """Copy the logs out of the temporary directory before it goes, for a look after a failure."""
    kept = BASE_DIR / "var" / "fault-logs"
    kept.mkdir(parents=True, exist_ok=True)
    for log in directory.glob("*.log"):
        shutil.copy(log, kept / log.name)
    print(f"Logs kept in {kept.relative_to(BASE_DIR)}/")


def split_phases(results: list[Result], load_start: float, fault: float, back: float, end: float) -> list[Phase]:
    """A request belongs to the outage when any part of it fell between the stop and the restart."""
    phases = [Phase("before", load_start, fault), Phase("outage", fault, back), Phase("after", back, end)]
    for result in results:
        if result.finished < fault:
            phases[0].results.append(result)
        elif result.started >= back:
            phases[2].results.append(result)
        else:
            phases[1].results.append(result)
    return phases


def verdict(phases: list[Phase], back: float, recovery_limit: float) -> tuple[list[str], list[str]]:
    """(report lines about recovery, reasons for failure)."""
    before, outage, after = phases
    failures: list[str] = []
    everything = before.results + outage.results + after.results
    if not everything:
        return [], ["no requests were made"]

    if bad := [r for r in everything if r.status == 500 or r.traceback]:
        failures.append(f"{len(bad)} responses were a 500 or showed a traceback, e.g. {bad[0].describe()}")
    if bad := [r for r in before.results if not r.good]:
        failures.append(f"{len(bad)} errors before the fault, e.g. {bad[0].describe()}")
    if bad := [r for r in outage.results if not (r.good or r.clean_503)]:
        failures.append(f"{len(bad)} responses during the outage were not a clean 503, e.g. {bad[0].describe()}")
    if not any(r.clean_503 for r in outage.results):
        failures.append("no request saw the outage (is the outage too short?)")

    lines = []
    first_good = min((r.finished for r in after.results if r.good), default=None)
    if first_good is None:
        failures.append("no 200 after PostgreSQL came back: the app did not recover by itself")
        return lines, failures
    lines.append(f"first 200 after PostgreSQL was back: +{first_good - back:.2f} s")
    not_good = [r for r in after.results if not r.good]
    if not_good:
        last_bad = max(r.finished for r in not_good)
        lines.append(
            f"last non-200 after PostgreSQL was back: +{last_bad - back:.2f} s "
            f"({len(not_good)} in all, clean 503s: {sum(r.clean_503 for r in not_good)})"
        )
        if bad := [r for r in not_good if not r.clean_503]:
            failures.append(f"{len(bad)} responses after the restart were not a clean 503, e.g. {bad[0].describe()}")
        if last_bad - back > recovery_limit:
            failures.append(
                f"errors went on until {last_bad - back:.1f} s after the restart (limit {recovery_limit:g} s)"
            )
    else:
        lines.append("no error at all after PostgreSQL was back")
    for target in {r.target for r in after.results}:
        if not any(r.good for r in after.results if r.target == target):
            failures.append(f"{target.label} never answered 200 after the restart")
    return lines, failures


def run(options: argparse.Namespace) -> bool:
    """The whole test; True when it passed. Everything it started is stopped again."""
    directory = Path(tempfile.mkdtemp(prefix="wijkkompas-fault-"))
    server_log = directory / "server.log"
    setup_log = directory / "setup.log"
    pg_port = options.pg_port if port_is_free(options.pg_port) else free_port()
    cluster: Cluster | None = None
    server: subprocess.Popen | None = None  # make serve
    load: Load | None = None
    failed = True
    try:
        print(f"Private PostgreSQL on {HOST}:{pg_port} in {directory} ...", flush=True)
        cluster = Cluster(directory, pg_port)
        cluster.init()
        cluster.start()
        environment = {
            **os.environ,
            "DATABASE_URL": cluster.create_database("wijkkompas_fault"),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "fault-test-only-throwaway-secret-" + os.urandom(24).hex(),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "PYTHONUNBUFFERED": "1",
        }
        print("Migrating, loading the kompas and the demo data ...", flush=True)
        manage(environment, setup_log, "migrate", "--noinput")
        manage(environment, setup_log, "createcachetable")
        manage(environment, setup_log, "load_kompas")
        manage(environment, setup_log, "seed_demo")
        setup = json.loads(manage(environment, setup_log, "shell", "-c", SETUP_SNIPPET).strip().splitlines()[-1])

        port = free_port()
        print(f"Starting `make serve` on {HOST}:{port} ...", flush=True)
        server = app_server.start(port, server_log, env=environment)
        targets = [
            Target("kompas overview /", "/", "Wijkkompas"),
            Target(f"knooppunt {setup['knooppunt_url']}", setup["knooppunt_url"], setup["knooppunt_title"]),
            Target(
                f"project {setup['project_url']} (logged in)",
                setup["project_url"],
                setup["project_name"],
                setup["cookie"],
            ),
            Target("/healthz", "/healthz", '"status": "ok"'),
        ]
        for target in targets:
            if not (result := request(port, target, options.timeout)).good:
                raise RuntimeError(f"Before any fault: {result.describe()}")
        boots_before = server_log.read_text(errors="replace").count("Booting worker")

        load = Load(port, targets, options.threads, options.timeout)
        load_start = time.monotonic()
        load.start()
        print(f"Load: {options.threads} threads on {len(targets)} pages. Before: {options.before:g} s ...", flush=True)
        time.sleep(options.before)
        fault = time.monotonic()
        cluster.stop("fast")
        print(
            f"PostgreSQL stopped (pg_ctl stop -m fast, {time.monotonic() - fault:.1f} s). "
            f"Outage: {options.outage:g} s ...",
            flush=True,
        )
        time.sleep(options.outage)
        restart = time.monotonic()
        cluster.start()
        back = time.monotonic()
        print(f"PostgreSQL started again ({back - restart:.1f} s). After: {options.after:g} s ...", flush=True)
        time.sleep(options.after)
        load.stop()
        end = time.monotonic()

        log_text = server_log.read_text(errors="replace")
        phases = split_phases(load.results, load_start, fault, back, end)
        recovery, failures = verdict(phases, back, options.recovery_limit)
        if server.poll() is not None:
            failures.append(f"the server stopped (exit code {server.returncode})")
        worker_boots = log_text.count("Booting worker") - boots_before
        if worker_boots:
            failures.append(f"gunicorn restarted {worker_boots} workers during the run")

        print()
        for phase in phases:
            print("\n".join(phase.summary()))
        print("\n".join(recovery))
        print(
            f"server log: {log_text.count('Database unavailable during')} 'Database unavailable' lines, "
            f"{log_text.count('Traceback (most recent call last)')} tracebacks, {worker_boots} worker restarts"
        )
        if failures:
            print("\nVERDICT: FAIL - " + "; ".join(failures))
            tail = log_text.splitlines()[-40:]
            print("\nLast lines of the server log:\n" + "\n".join(tail))
        else:
            print(
                f"\nVERDICT: PASS - {len(load.results)} requests, no 500 and no traceback; the outage gave clean "
                "503s and the app recovered by itself, without restarting the app server."
            )
        failed = bool(failures)
    except KeyboardInterrupt:
        print("\nInterrupted.")
    except RuntimeError as error:
        print(f"\nVERDICT: FAIL - {error}")
    finally:
        if failed:
            keep_logs(directory)
        if load is not None:
            load.stop()
        if server is not None:
            app_server.stop(server)
        if cluster is not None and (cluster.running or (cluster.data / "postmaster.pid").exists()):
            try:
                cluster.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                print(f"Could not stop the private PostgreSQL: {error}", file=sys.stderr)
        shutil.rmtree(directory, ignore_errors=True)
    return not failed


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pg-port", type=int, default=55433, help="port of the private cluster (default 55433)")
        parser.add_argument("--threads", type=int, default=4, help="load threads, 1 to 32 (default 4)")
        parser.add_argument("--before", type=float, default=5, help="seconds of load before the fault (default 5)")
        parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down (default 5)")
        parser.add_argument("--after", type=float, default=10, help="seconds of load after the restart (default 10)")
        parser.add_argument(
            "--recovery-limit",
            type=float,
            default=5,
            help="seconds after the restart by which errors must stop (default 5)",
        )
        parser.add_argument("--timeout", type=float, default=15, help="seconds a request may take (default 15)")

    def handle(self, *args, **options) -> None:
        if not 1 <= options["threads"] <= 32:
            raise CommandError("--threads must be between 1 and 32")
        # `kill` (SIGTERM) cleans up like Ctrl+C does.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        if not run(argparse.Namespace(**options)):
            raise CommandError("The fault test failed: see the verdict above.")
