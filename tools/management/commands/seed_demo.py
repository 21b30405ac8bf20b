from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from apk.demo import seed_apk_demo
from knooppunten.models import Knooppunt
from projects.models import EntryKind, Gemeente, GemeenteMembership, GemeenteRole, LogboekEntry, Project, Status
from projects.services import project_create, status_set

# Demo accounts for a local installation. They are listed in the README; never use them
# on a server that others can reach.
DEMO_ACCOUNTS = [
    {
        "email": "redacteur@wijkkompas.example",
        "password": "kompas-redactie-2026",
        "first_name": "Demo",
        "last_name": "Redacteur",
        "role": "redacteur",
    },
    {
        "email": "projectleider@wijkkompas.example",
        "password": "kompas-project-2026",
        "first_name": "Demo",
        "last_name": "Projectleider",
        "role": "projectleider",
    },
]


# A made-up municipality with two neighbourhoods in different phases, so a newcomer sees a
# living navigator at once. Every name here is fictional.
DEMO_GEMEENTE = "Voorbeeldstad (demo)"
DEMO_PROJECTS = [
    {
        "name": "Bloemenbuurt",
        "description": "Demoproject: een naoorlogse wijk met veel huurwoningen. Het team is bezig met de strategieën.",
        "done": ["1.01", "1.02", "1.03", "1.04", "1.05", "1.06", "1.09", "1.11", "2.01", "2.03", "2.05"],
        "busy": ["1.12", "1.13", "2.06", "2.07", "3.01", "3.04"],
        "nvt": ["1.07"],
    },
    {
        "name": "Havenkwartier",
        "description": "Demoproject: een gemengde wijk aan het water. Het team is net begonnen.",
        "done": ["1.01"],
        "busy": ["1.03", "1.04"],
        "nvt": [],
    },
]


def seed_projects(leider) -> None:
    if Gemeente.objects.filter(name=DEMO_GEMEENTE).exists():
        return
    gemeente = Gemeente.objects.create(name=DEMO_GEMEENTE)
    knooppunten = {k.code: k for k in Knooppunt.objects.published()}
    for spec in DEMO_PROJECTS:
        project = project_create(
            gemeente=gemeente,
            name=spec["name"],
            description=spec["description"],
            start_date=timezone.localdate() - timedelta(days=400),
            by=leider,
        )
        for code in spec["busy"] + spec["done"]:
            if code in knooppunten:
                status_set(project=project, knooppunt=knooppunten[code], status=Status.BEZIG, by=leider)
        for code in spec["done"]:
            if code in knooppunten:
                status_set(project=project, knooppunt=knooppunten[code], status=Status.AFGEROND, by=leider)
        for code in spec["nvt"]:
            if code in knooppunten:
                status_set(
                    project=project,
                    knooppunt=knooppunten[code],
                    status=Status.NIET_VAN_TOEPASSING,
                    note="In deze demowijk staan geen bedrijfspanden.",
                    by=leider,
                )
        LogboekEntry.objects.create(
            project=project,
            kind=EntryKind.BESLUIT,
            title="Het college stemt in met de start van de wijkaanpak",
            body="Demoregel: zo ziet een besluit in het logboek eruit.",
            knooppunt=knooppunten.get("1.01"),
            created_by=leider,
        )
        LogboekEntry.objects.create(
            project=project,
            kind=EntryKind.ACTIE,
            title="Eerste bewonersavond organiseren",
            knooppunt=knooppunten.get("1.04"),
            owner=leider,
            due_date=timezone.localdate() + timedelta(days=30),
            created_by=leider,
        )


class Command(BaseCommand):
    help = "Create the demo accounts (and demo data). Safe to run again: existing data is kept."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        User = get_user_model()
        for account in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=account["email"],
                defaults={
                    "first_name": account["first_name"],
                    "last_name": account["last_name"],
                },
            )
            if created:
                user.set_password(account["password"])
            if account["role"] == "redacteur":
                user.is_staff = True
                user.groups.add(Group.objects.get(name="Redacteur"))
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        leider = User.objects.get(email="projectleider@wijkkompas.example")
        seed_projects(leider)
        # The demo projectleider steers the demo gemeente's portfolio.
        GemeenteMembership.objects.get_or_create(
            gemeente=Gemeente.objects.get(name=DEMO_GEMEENTE),
            user=leider,
            defaults={"role": GemeenteRole.PROGRAMMAMANAGER},
        )
        bloemenbuurt = Project.objects.filter(gemeente__name=DEMO_GEMEENTE, name="Bloemenbuurt").first()
        if bloemenbuurt:
            seed_apk_demo(bloemenbuurt, by=leider)  # a closed APK session with a report
        self.stdout.write(f"Demo projects of {DEMO_GEMEENTE}: Bloemenbuurt and Havenkwartier.")
        self.stdout.write("Demo accounts (only for this local installation):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account['role']:<14} {account['email']:<36} password: {account['password']}")
