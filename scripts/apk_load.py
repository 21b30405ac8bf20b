#!/usr/bin/env python3
"""Load test of a live APK session: N phones join and vote while the big screen polls.

Standard library only. Every phone is a thread with its own cookie jar; it joins with the
code, then votes once at a random moment within the window (every fifth phone double-taps:
the same vote twice at once) and polls every 2 seconds like a real phone. The big screen
polls every second. At the end it prints p50/p95 response times for voting and polling, and
checks that the big screen counted every vote exactly once.

    # against a running server, with a session it creates (needs the server's database):
    .venv/bin/python scripts/apk_load.py --url http://127.0.0.1:8000 --create
    # or against any server, with the code of an open session whose question is running:
    .venv/bin/python scripts/apk_load.py --url https://wijkkompas.example --code ABC234

With --code only the phones are measured, unless --sessionid gives the session cookie of a
facilitator (then --session-pk is needed too, for the big screen's address).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION_FIELD = re.compile(r'name="question" value="(\d+)"')
SEEN = re.compile(r"\?seen=(\d+)")
VOTED = re.compile(r"(\d+) van (\d+) gestemd")


class Device:
    """One phone or screen: its own connection per request and its own cookies."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, method: str, path: str, form: dict | None = None, htmx: bool = False):
        """(status, body text, seconds)."""
        connection_class = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self.host, self.port, timeout=30)
        headers = {"User-Agent": "apk-load/1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in range(3):
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except ConnectionResetError:
                # The server's kernel turned the connection away (a full listen queue when forty
                # phones connect at once): the app never saw the request, so a browser's retry is
                # what a phone does too.
                if attempt == 2:
                    raise
                time.sleep(0.2 * (attempt + 1))
            finally:
                connection.close()  # the next attempt opens it again
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, text, seconds


@dataclass
class Report:
    participants: int
    join: list[float] = field(default_factory=list)
    vote: list[float] = field(default_factory=list)
    phone_poll: list[float] = field(default_factory=list)
    screen_poll: list[float] = field(default_factory=list)
    votes_accepted: int = 0
    errors: list[str] = field(default_factory=list)
    screen_counts: list[tuple[int, int]] = field(default_factory=list)  # (voted, joined) as the screen showed them
    lock = threading.Lock()

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            getattr(self, kind).append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def lines(self) -> list[str]:
        out = [f"{self.participants} participants, {self.votes_accepted} votes accepted, {len(self.errors)} errors"]
        for kind in ("join", "vote", "phone_poll", "screen_poll"):
            times = sorted(getattr(self, kind))
            if times:
                p50, p95 = percentile(times, 50), percentile(times, 95)
                out.append(
                    f"  {kind:<12} n={len(times):<5} p50={p50 * 1000:7.1f} ms  p95={p95 * 1000:7.1f} ms"
                    f"  max={times[-1] * 1000:7.1f} ms"
                )
        if self.screen_counts:
            voted, joined = self.screen_counts[-1]
            out.append(f"  big screen finally showed: {voted} van {joined} gestemd")
        out += [f"  error: {e}" for e in self.errors[:10]]
        return out


def percentile(sorted_times: list[float], p: int) -> float:
    if len(sorted_times) == 1:
        return sorted_times[0]
    return statistics.quantiles(sorted_times, n=100, method="inclusive")[p - 1]


def phone_run(base_url, code, number, window, barrier, report, rng) -> None:
    phone = Device(base_url)
    path = f"/apk/{code}/"
    try:
        status, page, _s = phone.request("GET", path)
        token = CSRF_FIELD.search(page).group(1)
        status, _page, seconds = phone.request(
            "POST", path, {"csrfmiddlewaretoken": token, "display_name": f"Deelnemer {number}", "party": ""}
        )
        if status != 302:
            raise RuntimeError(f"join answered {status}")
        report.add("join", seconds)
        status, page, _s = phone.request("GET", path)
        token = CSRF_FIELD.search(page).group(1)
        question = QUESTION_FIELD.search(page).group(1)
        seen = SEEN.search(page).group(1)
    except Exception as error:  # noqa: BLE001 - a load test reports, it does not stop
        report.error(f"phone {number} could not join: {error}")
        barrier.abort()
        return
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        return
    started = time.monotonic()
    vote_at = started + rng.uniform(0, window)
    score = ["groen", "oranje", "rood"][number % 3]
    form = {"csrfmiddlewaretoken": token, "question": question, "score": score, "trend": "gelijk", "comment": ""}
    voted = False

    def cast() -> None:
        status, text, seconds = phone.request("POST", f"/apk/{code}/stem/", form, htmx=True)
        report.add("vote", seconds)
        if status == 200 and "Uw stem is binnen" in text:
            with report.lock:
                report.votes_accepted += 1
        else:
            report.error(f"phone {number}: vote answered {status}")

    next_poll = started + 2
    while time.monotonic() < started + window + 2:
        now = time.monotonic()
        if not voted and now >= vote_at:
            voted = True
            if number % 5 == 0:  # a double tap: the same vote twice at the same moment
                twin = threading.Thread(target=cast)
                twin.start()
                cast()
                twin.join()
            else:
                cast()
        elif now >= next_poll:
            status, _text, seconds = phone.request("GET", f"{path}?seen={seen}", htmx=True)
            report.add("phone_poll", seconds)
            if status not in (200, 204):
                report.error(f"phone {number}: poll answered {status}")
            next_poll = now + 2
        else:
            time.sleep(0.05)


def screen_run(base_url, session_pk, sessionid, window, barrier, report, expected) -> None:
    screen = Device(base_url, {"sessionid": sessionid})
    path = f"/apk/sessie/{session_pk}/scherm/"
    status, page, _s = screen.request("GET", path)
    if status != 200:
        report.error(f"big screen answered {status}: is the session cookie right?")
        return
    seen = SEEN.search(page).group(1)
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        return
    began = time.monotonic()
    while time.monotonic() < began + window + 10:
        tick = time.monotonic()
        status, text, seconds = screen.request("GET", f"{path}?seen={seen}", htmx=True)
        report.add("screen_poll", seconds)
        match = VOTED.search(text)
        if status != 200 or not match:
            report.error(f"big screen poll answered {status}")
        else:
            counts = (int(match.group(1)), int(match.group(2)))
            with report.lock:
                report.screen_counts.append(counts)
            if counts[0] >= expected and tick - began > window:
                break
        time.sleep(max(0.0, 1 - (time.monotonic() - tick)))


def run_load(
    base_url: str,
    code: str,
    participants: int = 40,
    window: float = 10.0,
    session_pk: int | None = None,
    sessionid: str | None = None,
    seed: int | None = None,
) -> Report:
    """Drive the phones (and the big screen, given a facilitator's session cookie)."""
    report = Report(participants)
    rng = random.Random(seed)
    with_screen = bool(session_pk and sessionid)
    barrier = threading.Barrier(participants + (1 if with_screen else 0))
    threads = [
        threading.Thread(
            target=phone_run, args=(base_url, code, i, window, barrier, report, random.Random(rng.random()))
        )
        for i in range(participants)
    ]
    if with_screen:
        threads.append(
            threading.Thread(
                target=screen_run, args=(base_url, session_pk, sessionid, window, barrier, report, participants)
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return report


def create_session(project_name: str | None):
    """A fresh open session with its first question running, and a login for the big screen."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkkompas.settings")
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from apk import services
    from projects.models import Membership, Role

    memberships = Membership.objects.filter(role=Role.PROJECTLEIDER).select_related("project", "user")
    if project_name:
        memberships = memberships.filter(project__name=project_name)
    membership = memberships.order_by("project_id").first()
    if membership is None:
        raise SystemExit("No project with a projectleider found: run `manage.py seed_demo` first.")
    leader = membership.user
    session = services.apk_session_create(
        project=membership.project,
        title=f"Belastingtest {timezone.localtime():%H:%M:%S}",
        date=timezone.localdate(),
        variant="apk",
        by=leader,
    )
    session = services.apk_session_open(session=session, by=leader)
    question = services.apk_round_open(question=session.questions.first(), by=leader)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(leader.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = leader.get_session_auth_hash()
    store.save()
    return session, question, store.session_key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--code", help="code of an open session whose question is running")
    parser.add_argument("--create", action="store_true", help="create a session in the server's database")
    parser.add_argument("--project", help="with --create: the project's name (default: the first one)")
    parser.add_argument("--keep", action="store_true", help="with --create: keep the session afterwards")
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--window", type=float, default=10.0, help="seconds in which everyone votes")
    parser.add_argument("--session-pk", type=int, help="with --code: the session's number, for the big screen")
    parser.add_argument("--sessionid", help="with --code: a facilitator's session cookie, for the big screen")
    args = parser.parse_args()
    if not (args.code or args.create):
        parser.error("give --code or --create")

    session = question = None
    code, session_pk, sessionid = args.code, args.session_pk, args.sessionid
    if args.create:
        session, question, sessionid = create_session(args.project)
        code, session_pk = session.code, session.pk
        print(f"Session {session.pk} '{session.title}' with code {code}")
    report = run_load(args.url, code, args.participants, args.window, session_pk, sessionid)
    print("\n".join(report.lines()))
    failed = bool(report.errors) or report.votes_accepted < args.participants
    if session is not None:
        stored = question.votes.count()
        print(f"  votes stored for the question: {stored} (expected {args.participants})")
        failed = failed or stored != args.participants
        if not args.keep:
            session.delete()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
