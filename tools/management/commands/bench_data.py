"""Build the national-scale data set that `make bench` measures.

340 municipalities, 3,500 projects, a status row for every knooppunt of every project, about
a million history rows and logbook entries, teams, and APK sessions with votes. The big
tables are filled by PostgreSQL itself (INSERT ... SELECT generate_series), so the whole set
takes well under a minute on two cores.

It only ever writes to a PostgreSQL database whose name contains "bench", which it creates
when it does not exist yet; it migrates that database and loads the kompas content first.
A database that already holds the data set is left as it is (drop it to build it anew).
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

import psycopg
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from apk import services as apk_services
from apk.models import Participant, Question, Score, Trend, Vote
from knooppunten.models import Knooppunt
from projects.models import (
    Gemeente,
    GemeenteMembership,
    GemeenteRole,
    KnooppuntStatus,
    LogboekEntry,
    Membership,
    Project,
    Role,
    Status,
    StatusChange,
)

GEMEENTEN = 340
PROJECTS = 3_500
CHANGES_PER_PROJECT = 230  # 805,000 status changes
ENTRIES_PER_PROJECT = 56  # 196,000 logbook entries
BENCH_USERS = 32  # the virtual users of the load test, one per concurrent connection
CLOSED_APK_SESSIONS = 10
LIVE_PARTICIPANTS = 200
EMAIL_DOMAIN = "bench.wijkkompas.example"


def bench_email(number: int) -> str:
    return f"bench-{number:02d}@{EMAIL_DOMAIN}"


def programme_managers_from_projectleiders() -> None:
    """As migration projects.0005: every projectleider steers their gemeente's portfolio (so the
    bench users, each leading a project in the largest gemeente, can open it)."""
    pairs = Membership.objects.filter(role=Role.PROJECTLEIDER).values_list("project__gemeente", "user").distinct()
    GemeenteMembership.objects.bulk_create(
        (GemeenteMembership(gemeente_id=g, user_id=u, role=GemeenteRole.PROGRAMMAMANAGER) for g, u in pairs.iterator()),
        batch_size=5_000,
        ignore_conflicts=True,
    )


def projects_per_gemeente() -> list[int]:
    """A few large cities and a long tail of villages: Zipf-like, the largest about 100 projects."""
    weights = [1 / (rank**0.5) for rank in range(1, GEMEENTEN + 1)]
    counts = [max(2, int(PROJECTS * w / sum(weights))) for w in weights]
    for index in range(PROJECTS - sum(counts)):
        counts[index % GEMEENTEN] += 1
    return counts


def ensure_database() -> bool:
    """Create the database of DATABASE_URL when it is missing. True when it was created."""
    params = connection.settings_dict
    name = params["NAME"]
    server = {
        "host": params.get("HOST") or "127.0.0.1",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 5,
        "autocommit": True,
    }
    with psycopg.connect(**server) as maintenance:
        if maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


class Command(BaseCommand):
    help = "Create, migrate and fill the benchmark database (DATABASE_URL, its name must contain 'bench')."

    def handle(self, *args, **options) -> None:
        name = str(connection.settings_dict["NAME"])
        if connection.vendor != "postgresql" or "bench" not in name:
            raise CommandError(
                f"bench_data writes a large data set and only runs on a PostgreSQL database whose name contains "
                f"'bench', not on {connection.vendor} database {name!r}. "
                f"Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/wijkkompas_bench"
            )
        if ensure_database():
            self.stdout.write(f"Created database {name}.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("load_kompas", stdout=self.stdout)
        User = get_user_model()
        if User.objects.filter(email=bench_email(1)).exists() and Project.objects.count() >= PROJECTS:
            programme_managers_from_projectleiders()  # a data set built before gemeente roles existed
            self.stdout.write(f"The bench data set is already in {name}; drop the database to build it anew.")
            return
        if Project.objects.exists():
            raise CommandError(f"{name} holds projects but not the complete bench data set. Drop it and run again.")
        started = time.monotonic()
        with transaction.atomic():
            self.build()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
        self.stdout.write(self.summary() + f" Built in {time.monotonic() - started:.0f} s.")

    def step(self, label: str, started: float) -> float:
        now = time.monotonic()
        self.stdout.write(f"  {label} ({now - started:.1f} s)")
        return now

    def build(self) -> None:
        rng = random.Random(2026)  # the same data set on every machine
        t = time.monotonic()
        knooppunten = list(Knooppunt.objects.published().order_by("code").values_list("pk", flat=True))
        if len(knooppunten) < 10:
            raise CommandError("Load the kompas content first (manage.py load_kompas).")

        gemeenten = Gemeente.objects.bulk_create(
            Gemeente(name=f"Gemeente {number:03d}", cbs_code=f"GM{number:04d}") for number in range(1, GEMEENTEN + 1)
        )
        today = timezone.localdate()
        projects = Project.objects.bulk_create(
            (
                Project(
                    gemeente=gemeente,
                    name=f"Wijk {number} van {gemeente.name}",
                    description="Een wijk die samen van het aardgas af gaat." if number % 3 == 0 else "",
                    start_date=today - timedelta(days=rng.randrange(30, 4 * 365)),
                )
                for gemeente, count in zip(gemeenten, projects_per_gemeente(), strict=True)
                for number in range(1, count + 1)
            ),
            batch_size=5_000,
        )
        # A few sub-projects (a theme or residents' initiative within a neighbourhood).
        by_gemeente: dict[int, list[Project]] = {}
        for project in projects:
            by_gemeente.setdefault(project.gemeente_id, []).append(project)
        subprojects = [p for group in by_gemeente.values() for p in group[1::20]]
        for project in subprojects:
            project.parent = by_gemeente[project.gemeente_id][0]
        Project.objects.bulk_update(subprojects, ["parent"], batch_size=5_000)
        t = self.step(f"{len(gemeenten)} gemeenten, {len(projects)} projects", t)

        # People: the bench users lead the first projects of the largest municipality; every other
        # project has its own projectleider, a teamlid and a meelezer from a shared pool.
        User = get_user_model()
        password = make_password(None)  # unusable: nobody logs in to these accounts with a password
        bench_users = User.objects.bulk_create(
            User(email=bench_email(n), first_name="Bench", last_name=f"{n:02d}", password=password)
            for n in range(1, BENCH_USERS + 1)
        )
        leaders = User.objects.bulk_create(
            (
                User(email=f"leider-{n:05d}@{EMAIL_DOMAIN}", first_name="Leider", last_name=str(n), password=password)
                for n in range(len(projects) - BENCH_USERS)
            ),
            batch_size=5_000,
        )
        members = User.objects.bulk_create(
            (
                User(email=f"lid-{n:05d}@{EMAIL_DOMAIN}", first_name="Lid", last_name=str(n), password=password)
                for n in range(len(projects))
            ),
            batch_size=5_000,
        )
        leader_of = dict(zip(projects, [*bench_users, *leaders], strict=True))
        memberships = [Membership(project=p, user=user, role=Role.PROJECTLEIDER) for p, user in leader_of.items()]
        for index, project in enumerate(projects):
            memberships.append(Membership(project=project, user=members[index], role=Role.TEAMLID))
            memberships.append(Membership(project=project, user=members[index - 1], role=Role.MEELEZER))
        # Each bench user also works in a few projects elsewhere, and facilitates the live APK
        # session of the first bench project.
        first = projects[0]
        for number, user in enumerate(bench_users):
            for other in range(4):
                memberships.append(
                    Membership(project=projects[500 + 40 * number + 7 * other], user=user, role=Role.TEAMLID)
                )
            if number:
                memberships.append(Membership(project=first, user=user, role=Role.TEAMLID, is_facilitator=True))
        Membership.objects.bulk_create(memberships, batch_size=5_000)
        programme_managers_from_projectleiders()
        t = self.step(f"{len(bench_users) + len(leaders) + len(members)} users, {len(memberships)} memberships", t)

        self.fill_statuses(knooppunten)
        t = self.step("knooppunt statuses", t)
        self.fill_history(knooppunten)
        t = self.step("status history", t)
        self.fill_logbook(knooppunten)
        t = self.step("logbook", t)
        self.apk_sessions(projects[:CLOSED_APK_SESSIONS], leader_of, rng)
        self.step("APK sessions", t)

    def run(self, statement: str, params: dict) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.2026)")
            cursor.execute(statement, params)

    def fill_statuses(self, knooppunten: list[int]) -> None:
        """Every knooppunt of every project. A project is somewhere along the kompas: the
        knooppunten before that point are done (a few not applicable), a handful around it
        are being worked on, the rest has not started."""
        self.run(
            f"""
            WITH project AS MATERIALIZED (
                SELECT p.id, m.user_id AS leader, random() * %(count)s AS reached
                FROM {Project._meta.db_table} p
                JOIN {Membership._meta.db_table} m ON m.project_id = p.id AND m.role = %(leader)s
            )
            INSERT INTO {KnooppuntStatus._meta.db_table}
                (project_id, knooppunt_id, status, note, changed_at, changed_by_id)
            SELECT project.id, k.id,
                CASE
                    WHEN k.position < project.reached - 6 THEN
                        CASE WHEN random() < 0.08 THEN %(nvt)s ELSE %(done)s END
                    WHEN k.position < project.reached THEN
                        (ARRAY[%(busy)s, %(busy)s, %(busy)s, %(paused)s, %(review)s, %(done)s])[1 + floor(random() * 6)::int]
                    ELSE %(not_started)s
                END,
                CASE WHEN random() < 0.2 THEN 'Besproken in het kernteam.' ELSE '' END,
                now() - random() * interval '3 years',
                project.leader
            FROM project
            CROSS JOIN unnest(%(knooppunten)s::bigint[]) WITH ORDINALITY AS k(id, position)
            """,
            {
                "count": len(knooppunten),
                "leader": Role.PROJECTLEIDER,
                "knooppunten": knooppunten,
                "nvt": Status.NIET_VAN_TOEPASSING,
                "done": Status.AFGEROND,
                "busy": Status.BEZIG,
                "paused": Status.GEPAUZEERD,
                "review": Status.HERZIEN,
                "not_started": Status.NIET_GESTART,
            },
        )

    def fill_history(self, knooppunten: list[int]) -> None:
        self.run(
            f"""
            INSERT INTO {StatusChange._meta.db_table}
                (project_id, knooppunt_id, old_status, new_status, note, changed_at, changed_by_id)
            SELECT m.project_id,
                (%(knooppunten)s::bigint[])[1 + floor(random() * %(count)s)::int],
                (%(statuses)s::text[])[1 + floor(random() * 6)::int],
                (%(statuses)s::text[])[1 + floor(random() * 6)::int],
                CASE WHEN random() < 0.3 THEN 'Afgesproken in het overleg met de woningcorporatie.' ELSE '' END,
                now() - random() * interval '4 years',
                m.user_id
            FROM {Membership._meta.db_table} m
            CROSS JOIN generate_series(1, %(per_project)s)
            WHERE m.role = %(leader)s
            """,
            {
                "knooppunten": knooppunten,
                "count": len(knooppunten),
                "statuses": list(Status.values),
                "per_project": CHANGES_PER_PROJECT,
                "leader": Role.PROJECTLEIDER,
            },
        )

    def fill_logbook(self, knooppunten: list[int]) -> None:
        self.run(
            f"""
            INSERT INTO {LogboekEntry._meta.db_table}
                (project_id, kind, title, body, knooppunt_id, created_at, created_by_id, owner_id,
                 due_date, is_done, url, file, file_name, file_size)
            SELECT m.project_id, kind,
                initcap(kind) || ' ' || n || ': afspraak over de aanpak in de wijk',
                'Toelichting bij deze regel in het logboek. Wie, wat, wanneer en waarom.',
                CASE WHEN random() < 0.6 THEN (%(knooppunten)s::bigint[])[1 + floor(random() * %(count)s)::int] END,
                now() - random() * interval '4 years',
                m.user_id,
                CASE WHEN kind = 'actie' THEN m.user_id END,
                CASE WHEN kind = 'actie' THEN current_date + (random() * 120)::int - 30 END,
                kind = 'actie' AND random() < 0.6,
                CASE WHEN kind = 'link' THEN 'https://example.org/wijk/' || n ELSE '' END,
                '', '', NULL
            FROM {Membership._meta.db_table} m
            CROSS JOIN generate_series(1, %(per_project)s) AS n
            CROSS JOIN LATERAL (
                SELECT (ARRAY['besluit', 'actie', 'actie', 'notitie', 'link'])[1 + n %% 5] AS kind
            ) AS k
            WHERE m.role = %(leader)s
            """,
            {
                "knooppunten": knooppunten,
                "count": len(knooppunten),
                "per_project": ENTRIES_PER_PROJECT,
                "leader": Role.PROJECTLEIDER,
            },
        )

    def apk_sessions(self, projects: list[Project], leader_of: dict, rng: random.Random) -> None:
        """A closed session with votes in each of the first projects, through the real workflow,
        and one live session in the first project: its first question is open for votes."""
        for index, project in enumerate(projects):
            leader = leader_of[project]
            session = apk_services.apk_session_create(
                project=project,
                title="APK voorjaar",
                date=timezone.localdate() - timedelta(days=90 + index),
                variant="apk",
                by=leader,
            )
            apk_services.apk_session_open(session=session, by=leader)
            participants = self.participants(session, 30)
            for question in session.questions.all():
                apk_services.apk_round_open(question=question, by=leader)
                self.votes(question, participants, rng)
                apk_services.apk_round_reveal(question=question, by=leader)
            apk_services.apk_session_close(session=session, by=leader)

        project = projects[0]
        live = apk_services.apk_session_create(
            project=project, title="APK najaar (live)", date=timezone.localdate(), variant="apk", by=leader_of[project]
        )
        apk_services.apk_session_open(session=live, by=leader_of[project])
        participants = self.participants(live, LIVE_PARTICIPANTS)
        question = live.questions.first()
        apk_services.apk_round_open(question=question, by=leader_of[project])
        self.votes(question, participants[: LIVE_PARTICIPANTS // 2], rng)

    def participants(self, session, count: int) -> list[Participant]:
        return Participant.objects.bulk_create(
            Participant(session=session, display_name=f"Deelnemer {n}" if n % 2 else "", party="")
            for n in range(1, count + 1)
        )

    def votes(self, question: Question, participants: list[Participant], rng: random.Random) -> None:
        Vote.objects.bulk_create(
            Vote(
                question=question,
                participant=participant,
                score=rng.choice(Score.values),
                trend=rng.choice(Trend.values),
                comment="Het gaat de goede kant op." if rng.random() < 0.2 else "",
            )
            for participant in participants
        )

    def summary(self) -> str:
        counts = {
            "gemeenten": Gemeente.objects.count(),
            "projects": Project.objects.count(),
            "users": get_user_model().objects.count(),
            "knooppunt statuses": KnooppuntStatus.objects.count(),
            "status changes": StatusChange.objects.count(),
            "logbook entries": LogboekEntry.objects.count(),
            "APK votes": Vote.objects.count(),
        }
        return "Bench data: " + ", ".join(f"{count:,} {label}" for label, count in counts.items()) + "."
