"""Measure Wijkkompas under load on the bench data set: `make bench` runs this after bench_data.

1. Counts the queries of every measured page in this process, through Django's test client
   with the same settings and the same requests the load driver sends.
2. Starts the production server with `make serve` (gunicorn, DEBUG off, WhiteNoise) on a
   loopback port, with the environment `make bench` gives it.
3. Drives each page at each level of concurrent users for a few seconds (tools.bench)
   and prints one table: p50, p95 and requests/s per page and level, the ratio of each
   page's p50 to the floor (/healthz: one `SELECT 1` through the whole middleware stack),
   and the query count. The table is written to bench-results/ too.

Logged-in pages use sessions made here with Django's SessionStore for the bench users of
bench_data; APK phones use the signed participant cookie, as a phone that joined would.
"""

from __future__ import annotations

import math
import os
import platform
import secrets
import subprocess
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core import signing
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apk.access import COOKIE_SALT, cookie_name
from apk.models import ApkSession, Participant, State, Vote
from knooppunten.models import Knooppunt
from plannen.models import Hoofdstuk
from projects.models import Gemeente, KnooppuntStatus, LogboekEntry, Membership, Project, Role, Status, StatusChange
from projects.services import status_set
from tools import bench, server

from .bench_data import BENCH_USERS, bench_email

HOST = server.HOST
SEARCH_TERMS = ["warmtenet", "bewoners", "isolatie", "participatie", "wijkuitvoeringsplan"]
NEW_STATUSES = [Status.BEZIG, Status.AFGEROND, Status.GEPAUZEERD, Status.HERZIEN]
WARMUP = 2  # requests per virtual user before the clock starts


@dataclass
class VirtualUser:
    session_key: str
    csrf: str
    project_pk: int


@dataclass
class Page:
    label: str
    make_request: bench.RequestFactory
    ok: frozenset[int] = frozenset({200})
    # Requests in all before the clock starts, at least WARMUP per user: enough for a page that
    # cycles through many addresses to be in the caches of every worker, as on a site in use.
    warmup: int = 0

    def warmup_per_user(self, users: int) -> int:
        return max(WARMUP, math.ceil(self.warmup / users))


class Scenario:
    """What the virtual users ask for, built from the bench data set."""

    def __init__(self, port: int) -> None:
        self.host_header = f"{HOST}:{port}"
        User = get_user_model()
        users = list(User.objects.filter(email__in=[bench_email(n) for n in range(1, BENCH_USERS + 1)]))
        if len(users) < BENCH_USERS:
            raise CommandError("The bench users are missing: run `manage.py bench_data` first.")
        users.sort(key=lambda user: user.email)
        engine = import_module(settings.SESSION_ENGINE)
        self.sessions = []
        self.users = []
        for user in users:
            store = engine.SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            self.sessions.append(store)
            project_pk = (
                Membership.objects.filter(user=user, role=Role.PROJECTLEIDER).values_list("project", flat=True).first()
            )
            self.users.append(
                VirtualUser(session_key=store.session_key, csrf=secrets.token_hex(16), project_pk=project_pk)
            )
        self.gemeente_pk = Project.objects.get(pk=self.users[0].project_pk).gemeente_id  # the largest
        knooppunten = Knooppunt.objects.published().order_by("code")
        self.slugs = list(knooppunten.values_list("slug", flat=True))
        self.codes = list(knooppunten.values_list("code", flat=True))
        self.knooppunten = list(knooppunten)
        live = ApkSession.objects.filter(state=State.OPEN, project_id=self.users[0].project_pk).first()
        if live is None or live.current_question_id is None:
            raise CommandError("The live APK session of the bench data set is missing: rebuild the bench database.")
        self.live = live
        # The plan's chapter page: the first chapter of the default set (the migration makes it).
        self.hoofdstuk_pk = Hoofdstuk.objects.order_by("order", "id").values_list("pk", flat=True).first()
        if self.hoofdstuk_pk is None:
            raise CommandError("There are no plan chapters: run `manage.py default_hoofdstukken`.")
        signer = signing.get_cookie_signer(salt=cookie_name(live.code) + COOKIE_SALT)
        self.phones = [
            signer.sign(token)
            for token in Participant.objects.filter(session=live).order_by("pk").values_list("token", flat=True)
        ]

    def user(self, number: int) -> VirtualUser:
        return self.users[number % len(self.users)]

    def request(self, method: str, path: str, *, cookies: dict | None = None, htmx=False, form=None) -> bench.Request:
        # As a browser: compressed answers, so the KB column is what travels.
        headers = {"Host": self.host_header, "User-Agent": "wijkkompas-bench", "Accept-Encoding": "gzip"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return bench.Request(method, path, headers, body)

    def logged_in(self, number: int, *, with_csrf: bool = False) -> dict:
        user = self.user(number)
        cookies = {settings.SESSION_COOKIE_NAME: user.session_key}
        if with_csrf:
            cookies[settings.CSRF_COOKIE_NAME] = user.csrf
        return cookies

    def pages(self) -> list[Page]:
        live = self.live

        def hello(n: int, i: int) -> bench.Request:
            return self.request("GET", reverse("healthz"))

        def overview(n: int, i: int) -> bench.Request:
            return self.request("GET", reverse("navigator:overview"))

        def knooppunt(n: int, i: int) -> bench.Request:
            return self.request("GET", reverse("navigator:knooppunt", args=[self.slugs[(n + i) % len(self.slugs)]]))

        def search(n: int, i: int) -> bench.Request:
            term = SEARCH_TERMS[(n + i) % len(SEARCH_TERMS)]
            return self.request("GET", reverse("navigator:search") + "?" + urlencode({"q": term}))

        def voortgang(n: int, i: int) -> bench.Request:
            path = reverse("projects:voortgang", args=[self.user(n).project_pk])
            return self.request("GET", path, cookies=self.logged_in(n))

        def voortgang_after_change(n: int, i: int) -> bench.Request:
            # The status changes here, before the clock of the request starts, so every view
            # measured is the first one after a change.
            user = self.user(n)
            project = Project(pk=user.project_pk)
            knooppunt = self.knooppunten[(7 * i + n) % len(self.knooppunten)]
            status_set(project=project, knooppunt=knooppunt, status=NEW_STATUSES[i % len(NEW_STATUSES)], by=None)
            return voortgang(n, i)

        def status_change(n: int, i: int) -> bench.Request:
            user = self.user(n)
            code = self.codes[(7 * i + n) % len(self.codes)]
            request = self.request(
                "POST",
                reverse("projects:status_change", args=[user.project_pk, code]),
                cookies=self.logged_in(n, with_csrf=True),
                htmx=True,
                form={f"{code}-status": NEW_STATUSES[i % len(NEW_STATUSES)], f"{code}-note": ""},
            )
            request.headers["X-CSRFToken"] = user.csrf
            return request

        def plan_chapter(n: int, i: int) -> bench.Request:
            path = reverse("plannen:chapter", args=[self.user(n).project_pk, self.hoofdstuk_pk])
            return self.request("GET", path, cookies=self.logged_in(n))

        def my_projects(n: int, i: int) -> bench.Request:
            return self.request("GET", reverse("projects:list"), cookies=self.logged_in(n))

        def portfolio(n: int, i: int) -> bench.Request:
            return self.request(
                "GET", reverse("projects:portfolio", args=[self.gemeente_pk]), cookies=self.logged_in(n)
            )

        def vote(n: int, i: int) -> bench.Request:
            # Every request is another phone in the room; phones vote again when they change their mind.
            phone = self.phones[(n + len(self.users) * i) % len(self.phones)]
            csrf = self.user(n).csrf
            request = self.request(
                "POST",
                reverse("apk:vote", args=[live.code]),
                cookies={cookie_name(live.code): phone, settings.CSRF_COOKIE_NAME: csrf},
                htmx=True,
                form={
                    "question": live.current_question_id,
                    "score": ["groen", "oranje", "rood"][i % 3],
                    "trend": ["beter", "gelijk", "slechter"][i % 3],
                    "comment": "",
                },
            )
            request.headers["X-CSRFToken"] = csrf
            return request

        def screen_poll(n: int, i: int) -> bench.Request:
            path = reverse("apk:screen", args=[live.pk]) + f"?seen={live.version}"
            return self.request("GET", path, cookies=self.logged_in(n), htmx=True)

        return [
            Page("hello (/healthz, the floor)", hello),
            Page("kompas overview", overview),
            Page("knooppunt page", knooppunt, warmup=4 * len(self.slugs)),
            Page("search", search),
            Page("voortgang, repeat view", voortgang),
            Page("voortgang, first view after a status change", voortgang_after_change),
            Page("HTMX status change", status_change),
            Page("WUP chapter page", plan_chapter),
            Page("Mijn projecten", my_projects),
            Page("portfolio, largest gemeente", portfolio),
            Page("APK vote (phone)", vote),
            Page("APK big-screen poll", screen_poll),
        ]

    def cleanup(self) -> None:
        for store in self.sessions:
            store.delete()


def count_queries(page: Page) -> int:
    """Queries of the page's request made a second time in this process (the first fills the
    per-process caches)."""
    client = Client()
    for _ in range(2):
        request = page.make_request(0, 0)
        headers = dict(request.headers)
        content_type = headers.pop("Content-Type", "application/octet-stream")
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(
                request.method, request.path, data=request.body or b"", content_type=content_type, headers=headers
            )
        if response.status_code not in page.ok:
            raise CommandError(f"{page.label}: {request.method} {request.path} answered {response.status_code}")
    return len(queries)


class Command(BaseCommand):
    help = "Measure the production server under load on the bench data set and print one table (make bench)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=0, help="loopback port for the server (default: a free one)")
        parser.add_argument("--levels", default="1,8,32", help="concurrent users, comma-separated (default 1,8,32)")
        parser.add_argument("--seconds", type=float, default=4.0, help="measured seconds per page and level")
        parser.add_argument("--max-requests", type=int, default=20_000, help="per page and level")
        parser.add_argument(
            "--only", default="", help="only pages whose label contains one of these comma-separated words"
        )
        parser.add_argument("--output-dir", type=Path, default=settings.BASE_DIR / "bench-results")

    def handle(
        self, *args, port: int, levels: str, seconds: float, max_requests: int, only: str, output_dir: Path, **options
    ) -> None:
        name = str(connection.settings_dict["NAME"])
        if connection.vendor != "postgresql" or "bench" not in name:
            raise CommandError(
                f"bench writes status changes and votes: it only runs on a bench database, not {name!r}."
            )
        if settings.DEBUG:
            raise CommandError("Run the bench with DJANGO_DEBUG=false (make bench sets it), as in production.")
        port = port or server.free_port()
        if not server.port_is_free(port):
            raise CommandError(f"Port {port} on {HOST} is in use. Stop what runs there or pass --port.")
        level_list = [int(level) for level in levels.split(",")]

        self.load_before = os.getloadavg()  # other work on the machine shows in every figure
        scenario = Scenario(port)
        try:
            pages = scenario.pages()
            floor = pages[0]
            wanted = [term.strip().lower() for term in only.split(",")]
            pages = [floor] + [page for page in pages[1:] if any(term in page.label.lower() for term in wanted)]
            queries = {page.label: count_queries(page) for page in pages}
            self.stdout.write("Queries per page: " + ", ".join(f"{label} {n}" for label, n in queries.items()))
            output_dir.mkdir(exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            app_server = self.start_server(port, output_dir / f"server-{stamp}.log")
            try:
                rows = self.measure(pages, queries, level_list, port, seconds, max_requests, app_server)
            finally:
                server.stop(app_server)
        finally:
            scenario.cleanup()

        report = "\n\n".join(
            [self.describe(level_list, seconds), bench.table(rows, rows[0], level_list), self.errors(rows)]
        )
        self.stdout.write("\n" + report.strip())
        path = output_dir / f"bench-{stamp}.md"
        path.write_text(report.strip() + "\n")
        self.stdout.write(f"\nWritten to {path.relative_to(settings.BASE_DIR)}")

    def start_server(self, port: int, log: Path) -> subprocess.Popen:
        self.stdout.write(f"Starting `make serve` on {HOST}:{port} (log: {log.name}) ...")
        try:
            return server.start(port, log)
        except server.ServerError as error:
            raise CommandError(str(error)) from None

    def measure(self, pages, queries, levels, port, seconds, max_requests, app_server) -> list[bench.Row]:
        rows = [bench.Row(page.label, queries[page.label], {}) for page in pages]
        for level in levels:
            for page, row in zip(pages, rows, strict=True):
                cpu_before: dict = {}  # read when the warm-up is over; make serve leads its process group
                result = bench.run(
                    host=HOST,
                    port=port,
                    make_request=page.make_request,
                    users=level,
                    seconds=seconds,
                    max_requests=max_requests,
                    ok=set(page.ok),
                    warmup=page.warmup_per_user(level),
                    on_start=lambda before=cpu_before: before.update(bench.server_cpu(app_server.pid) or {}),
                )
                cpu_after = bench.server_cpu(app_server.pid)
                if cpu_before and cpu_after and result.count:
                    app, database = bench.cpu_used(cpu_before, cpu_after)
                    result.cpu_ms = (1000 * app / result.count, 1000 * database / result.count)
                row.results[level] = result
                self.stdout.write(
                    f"  {level:>3} users  {page.label:<30} p50 {result.percentile(50):7.1f} ms  "
                    f"p95 {result.percentile(95):7.1f} ms  {result.per_second:6.0f} req/s"
                    + (f"  errors {result.errors}" if result.errors else "")
                )
        return rows

    def describe(self, levels: list[int], seconds: float) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        counts = [
            (Gemeente.objects.count(), "gemeenten"),
            (Project.objects.count(), "projects"),
            (KnooppuntStatus.objects.count(), "knooppunt statuses"),
            (StatusChange.objects.count(), "status changes"),
            (LogboekEntry.objects.count(), "logbook entries"),
            (Membership.objects.count(), "memberships"),
            (Vote.objects.count(), "APK votes"),
        ]
        workers = os.environ.get("WEB_CONCURRENCY") or os.cpu_count()  # the defaults of make serve
        threads = os.environ.get("GUNICORN_THREADS") or "1"
        return "\n".join(
            [
                f"Wijkkompas `make bench`, {datetime.now():%Y-%m-%d %H:%M}",
                f"- machine: {os.cpu_count()} CPU cores, {platform.system()} {platform.machine()}, "
                f"Python {platform.python_version()}, PostgreSQL {postgres}; load driver on the same machine; "
                f"load average before the run {self.load_before[0]:.1f} (1 min), {self.load_before[2]:.1f} (15 min)",
                f"- server: `make serve` (gunicorn, {workers} workers × {threads} threads, DEBUG off, WhiteNoise)",
                "- data: " + ", ".join(f"{count:,} {label}" for count, label in counts),
                f"- load: closed loop, no think time, a connection kept open while the server allows it "
                f"(gunicorn's default sync workers close it after each answer); {seconds:g} s per page and level "
                f"at {', '.join(map(str, levels))} concurrent users",
                "- × hello: the page's p50 divided by the p50 of /healthz (one `SELECT 1`) at the same level",
                "- CPU ms: processor time per request, of the app server (gunicorn) and of PostgreSQL (all its "
                "processes), read from /proc; the machine has "
                f"{os.cpu_count()} cores, so {os.cpu_count()} s of CPU per second at most, load driver included",
            ]
        )

    def errors(self, rows: list[bench.Row]) -> str:
        lines = [
            f"- {row.label} at {level} users: {result.errors} (status: count; 0 = no answer)"
            for row in rows
            for level, result in row.results.items()
            if result.errors
        ]
        return ("Unexpected answers:\n" + "\n".join(lines)) if lines else "No unexpected answers."
