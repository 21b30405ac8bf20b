from __future__ import annotations

from django.core.management.base import BaseCommand

from knooppunten.models import Knooppunt
from plannen.defaults import create_defaults
from plannen.models import Hoofdstuk


class Command(BaseCommand):
    help = "Maakt de standaardhoofdstukken van het wijkuitvoeringsplan als er nog geen zijn, en koppelt knooppunten."

    def handle(self, *args, **options) -> None:
        create_defaults(Hoofdstuk, Knooppunt)
        self.stdout.write(f"{Hoofdstuk.objects.count()} hoofdstukken.")
