"""Shared test data: a small kompas built in Python, and the people who use it.

Personas (like healthchecks' alice and bob): `editor` keeps the content current, `visitor`
is anyone on the internet without an account. The projects tests add a projectleider, a
teamlid, a meelezer and an outsider from another municipality.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.test import Client, override_settings

from knooppunten.models import Begrip, Fase, Knooppunt, Koppelkans, Partij, Praktijkverhaal, Spoor, Tip, Track

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(day) -> str:
    """A date as the site writes it, "2 december 2026", written out here rather than through
    Django's formats, so a test of that format can fail."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def pytest_terminal_summary(terminalreporter):
    """Show why a test failed the first time, also when its rerun passed (browser tests get
    one, tests/browser/conftest.py): a flake that only a rerun hides can then still be found
    from the CI log. Here, not beside the rerun marker: with xdist only this conftest is loaded
    in the process that writes the summary."""
    reruns = terminalreporter.stats.get("rerun", [])
    if reruns:
        terminalreporter.section("first failures of tests that were run again")
        for report in reruns:
            terminalreporter.line(f"{report.nodeid}\n{report.longreprtext}\n")


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Passwords are hashed with MD5 in tests: the real hasher (PBKDF2) is slow on purpose, and
    the suite creates hundreds of people. Production keeps Django's default hashers."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def default_cache_in_memory():
    """The default cache in memory, so that each test can start with an empty one (below). It
    holds what allauth remembers between requests, such as a two-factor code that was used once:
    in the shared database cache, an editor's code could be refused as used because the test
    before logged in an editor with the same primary key within the same 30 seconds."""
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests-default"}
    with override_settings(CACHES={**settings.CACHES, "default": memory}):
        yield


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts without cached page fragments and without what an earlier test left in
    the default cache: on SQLite a rolled-back test hands its primary keys to the next one."""
    caches["fragments"].clear()
    caches["default"].clear()


SPOREN = [
    ("A", "bewoners-doen-mee", "Bewoners doen mee", Track.SOCIAAL),
    ("B", "vastgoedeigenaren-doen-mee", "Zakelijke vastgoedeigenaren doen mee", Track.SOCIAAL),
    ("C", "zorgvuldige-besluitvorming", "Besluitvorming verloopt zorgvuldig", Track.SOCIAAL),
    ("D", "betaalbaar", "Overstap is betaalbaar", Track.TECHNISCH),
    ("E", "renovatieaanbod", "Passend renovatieaanbod", Track.TECHNISCH),
    ("F", "betrouwbaar-net", "Energienetwerk is betrouwbaar", Track.TECHNISCH),
]
FASEN = ["Samen starten", "Karakteriseren", "Strategieën", "Keuzes maken", "Voorbereiding", "Realisatie"]


@dataclass
class Kompas:
    fasen: list[Fase]
    sporen: dict[str, Spoor]
    partijen: dict[str, Partij]
    koppelkansen: dict[str, Koppelkans]
    many_added: int = 0  # so add_many can be called again with fresh codes

    def add_knooppunt(
        self, fase_number: int, number: int, *, title: str = "", sporen: str = "A", **fields
    ) -> Knooppunt:
        code = f"{fase_number}.{number:02d}"
        knooppunt = Knooppunt.objects.create(
            fase=self.fasen[fase_number - 1],
            code=code,
            slug=fields.pop("slug", f"knooppunt-{code.replace('.', '-')}"),
            title=title or f"Knooppunt {code}",
            summary=fields.pop("summary", f"Samenvatting van {code}."),
            goal=fields.pop("goal", "Het team weet **wat** het wil bereiken."),
            approach=fields.pop("approach", "1. Eerste stap\n2. Tweede stap"),
            **fields,
        )
        knooppunt.sporen.set([self.sporen[letter] for letter in sporen])
        return knooppunt

    def add_many(self, count: int) -> list[Knooppunt]:
        """`count` knooppunten spread over the six phases, each with sporen, a party and a tip.

        Without history rows (django-simple-history): the tests that need many knooppunten
        measure pages, and a history row for every link made the large sets slow to build."""
        made = []
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            for i in range(self.many_added, self.many_added + count):
                fase_number = i % 6 + 1
                knooppunt = self.add_knooppunt(fase_number, 50 + i // 6, sporen="AD" if i % 2 else "BF")
                knooppunt.partijen.add(self.partijen["gemeente"])
                Tip.objects.create(knooppunt=knooppunt, text=f"Tip bij {knooppunt.code}")
                made.append(knooppunt)
        self.many_added += count
        if len(made) > 1:
            made[1].raakvlakken.add(made[0])
        return made


def update_search_vectors() -> None:
    """What load_kompas and the admin do after they save content, for tests that search."""
    for model in (Knooppunt, Praktijkverhaal, Begrip):
        model.objects.all().update_search_vector()


@pytest.fixture
def kompas(db) -> Kompas:
    fasen = [
        Fase.objects.create(
            number=n, slug=f"fase-{n}", name=name, summary=f"Over fase {n}.", key_question=f"Kernvraag {n}?"
        )
        for n, name in enumerate(FASEN, start=1)
    ]
    sporen = {
        letter: Spoor.objects.create(letter=letter, slug=slug, name=name, track=track, description=f"Spoor {letter}.")
        for letter, slug, name, track in SPOREN
    }
    partijen = {
        slug: Partij.objects.create(slug=slug, name=name, order=i)
        for i, (slug, name) in enumerate(
            [("gemeente", "Gemeente"), ("bewoners", "Bewoners"), ("netbeheerder", "Netbeheerder")]
        )
    }
    koppelkansen = {"klimaatadaptatie": Koppelkans.objects.create(slug="klimaatadaptatie", name="Klimaatadaptatie")}
    return Kompas(fasen=fasen, sporen=sporen, partijen=partijen, koppelkansen=koppelkansen)


# The editor's authenticator app: /beheer/ requires two-factor login for staff.
EDITOR_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str) -> str:
    """The code an authenticator app shows right now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def redacteur_group() -> Group:
    """The group the migrations create (knooppunten 0002, plannen 0003), with its permissions set
    again. A browser test flushes the database after it runs; the flush takes the group along, or
    leaves it with links to permissions that were made anew, so every test sets them the way the
    migrations do."""
    group, _created = Group.objects.get_or_create(name="Redacteur")
    models = ["fase", "spoor", "partij", "koppelkans", "knooppunt", "tip", "bron", "praktijkverhaal", "begrip"]
    codenames = [f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")]
    chapters = [f"{action}_hoofdstuk" for action in ("add", "change", "delete", "view")]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="knooppunten", codename__in=codenames)
        | Permission.objects.filter(content_type__app_label="plannen", codename__in=chapters)
    )
    return group


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user(
        email="eva.redacteur@example.org", password="geheim-wachtwoord-1", first_name="Eva", is_staff=True
    )
    user.groups.add(redacteur_group())
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    TOTP.activate(user, EDITOR_TOTP_SECRET)
    return user


@pytest.fixture
def editor_client(editor) -> Client:
    """A separate client, so a test can compare the editor's view with a visitor's `client`."""
    client = Client()
    client.force_login(editor)
    return client
