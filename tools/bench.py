"""The load driver of `make bench`: closed-loop virtual users, each over its own HTTP connection,
kept open while the server allows it and opened again when the server closes it.

Standard library only. Each virtual user is a thread with one connection that sends its next
request as soon as the previous answer is read (no think time), so N users keep N requests
in flight. A run is bounded in time and in number of requests, and only ever talks to a
server on the loopback interface.
"""

from __future__ import annotations

import http.client
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


# (virtual user number, request number) -> the request to send.
RequestFactory = Callable[[int, int], Request]


@dataclass
class Result:
    latencies: list[float]  # seconds, one per request
    seconds: float  # wall time of the measured window
    errors: dict[int, int]  # unexpected status -> how many
    response_bytes: int  # size of one answer's body
    cpu_ms: tuple[float, float] | None = None  # server CPU per request: the app and PostgreSQL

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, p: int) -> float:
        """In milliseconds (the nearest-rank method on the sorted latencies)."""
        ordered = sorted(self.latencies)
        index = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
        return 1000 * ordered[index]

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def run(
    *,
    host: str,
    port: int,
    make_request: RequestFactory,
    users: int,
    seconds: float,
    max_requests: int,
    ok: set[int],
    warmup: int = 2,
    on_start: Callable[[], None] | None = None,
) -> Result:
    """`users` threads send requests for `seconds` (or until `max_requests` in all), after
    `warmup` requests each. `on_start` is called when the warm-up is over and the clock starts."""
    if host not in LOOPBACK:
        raise ValueError(f"the bench only drives a server on this machine, not {host}")
    latencies: list[list[float]] = [[] for _ in range(users)]
    errors: dict[int, int] = {}
    sizes: list[int] = []
    budget = threading.Semaphore(max_requests)
    start = threading.Barrier(users + 1, action=on_start)  # called once all have warmed up, before they go
    window = {"deadline": 0.0}
    lock = threading.Lock()

    def send(connection: http.client.HTTPConnection, request: Request) -> tuple[int, int, bool]:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body), response.will_close

    def user(number: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        sequence = 0
        try:
            for _ in range(warmup):  # connect and warm the worker before the clock starts
                send(connection, make_request(number, sequence))
                sequence += 1
        finally:
            start.wait()
        while time.monotonic() < window["deadline"] and budget.acquire(blocking=False):
            request = make_request(number, sequence)
            sequence += 1
            began = time.perf_counter()
            try:
                status, size, closed = send(connection, request)
            except (OSError, http.client.HTTPException):
                status, size, closed = 0, 0, True  # counted as an error: 0 means no answer
            latencies[number].append(time.perf_counter() - began)
            with lock:
                if status not in ok:
                    errors[status] = errors.get(status, 0) + 1
                if status in ok and not sizes:
                    sizes.append(size)
            if closed:
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    window["deadline"] = time.monotonic() + 3600  # set for real once every user has warmed up
    start.wait()
    began = time.monotonic()
    window["deadline"] = began + seconds
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.monotonic() - began
    return Result(
        latencies=[value for values in latencies for value in values],
        seconds=elapsed,
        errors=errors,
        response_bytes=sizes[0] if sizes else 0,
    )


def server_cpu(app_group: int) -> dict[int, tuple[str, float]] | None:
    """Per process of the app server (its process group) and of PostgreSQL (every process
    named postgres): ("app" or "db", CPU seconds used so far), read from /proc; None where
    there is no /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    processes = {}
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            name = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # the process ended meanwhile
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        if int(fields[2]) == app_group:
            processes[int(stat.parent.name)] = ("app", seconds)
        elif name.startswith(b"postgres"):
            processes[int(stat.parent.name)] = ("db", seconds)
    return processes


def cpu_used(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> tuple[float, float]:
    """CPU seconds of the app and of PostgreSQL between two `server_cpu` readings. A process
    that ended in between is left out (PostgreSQL's autovacuum workers come and go)."""
    used = {"app": 0.0, "db": 0.0}
    for pid, (kind, seconds) in after.items():
        used[kind] += seconds - before.get(pid, (kind, 0.0))[1]
    return used["app"], used["db"]


@dataclass
class Row:
    label: str
    queries: int | None
    results: dict[int, Result]  # concurrent users -> result


def table(rows: list[Row], floor: Row, levels: list[int]) -> str:
    """One Markdown table: per page its queries and size, then per level p50/p95, req/s, the
    ratio of its p50 to the floor's p50 at the same level, the server's CPU per request, and
    the ratio of the app's CPU per request to the floor's (the steadiest figure)."""
    header = ["page", "queries", "KB"]
    for level in levels:
        users = "user" if level == 1 else "users"
        header += [f"{level} {users}: p50 / p95 ms", "req/s", "× hello", "CPU ms: app + db", "app CPU × hello"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    for row in rows:
        any_result = next(iter(row.results.values()))
        cells = [row.label, "" if row.queries is None else str(row.queries), f"{any_result.response_bytes / 1024:.0f}"]
        for level in levels:
            result = row.results[level]
            ratio = result.percentile(50) / floor.results[level].percentile(50)
            floor_cpu = floor.results[level].cpu_ms
            cells += [
                f"{result.percentile(50):.1f} / {result.percentile(95):.1f}",
                f"{result.per_second:.0f}",
                "1.0" if row is floor else f"{ratio:.1f}",
                f"{result.cpu_ms[0]:.1f} + {result.cpu_ms[1]:.1f}" if result.cpu_ms else "",
                f"{result.cpu_ms[0] / floor_cpu[0]:.1f}" if result.cpu_ms and floor_cpu and floor_cpu[0] else "",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
