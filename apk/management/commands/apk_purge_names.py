from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from apk.services import apk_names_purge


class Command(BaseCommand):
    help = (
        "Remove participant names from APK sessions closed more than APK_NAME_RETENTION_DAYS ago. "
        "Scores and comments stay. Run it daily; running it twice changes nothing."
    )

    def handle(self, *args, **options) -> None:
        count = apk_names_purge()
        self.stdout.write(
            f"Names removed from {count} APK session(s) closed more than {settings.APK_NAME_RETENTION_DAYS} days ago."
        )
