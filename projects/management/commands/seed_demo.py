from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

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
        self.stdout.write("Demo accounts (only for this local installation):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account['role']:<14} {account['email']:<36} password: {account['password']}")
