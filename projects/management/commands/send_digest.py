"""Send the weekly digest to everyone who wants it. Run it once a week (see docs/gemeenten.md);
running it again in the same week sends nothing twice."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from projects.digest import digest_send_all


class Command(BaseCommand):
    help = "Send the weekly digest email: open and overdue actions and the week's changes."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", dest="day", help="Act as if today is this date (YYYY-MM-DD); for tests and catching up."
        )

    def handle(self, *args, day: str | None = None, **options) -> None:
        today = None
        if day:
            try:
                today = datetime.date.fromisoformat(day)
            except ValueError as error:
                raise CommandError(f"--date must look like 2026-03-02: {error}") from None
        counts = digest_send_all(today=today)
        self.stdout.write(
            f"Digest: {counts['sent']} sent, {counts['already']} already sent this week, "
            f"{counts['empty']} with nothing to report, {counts['failed']} failed."
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} digests could not be sent; the next run tries them again.")
