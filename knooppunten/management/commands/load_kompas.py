from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knooppunten.content import CONTENT_DIR, ContentError, load_kompas


class Command(BaseCommand):
    help = (
        "Load or update the shipped kompas content from fixtures/kompas/. "
        "Content an editor changed since it was loaded is skipped unless --force is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Overwrite content that editors changed.")
        parser.add_argument("--directory", type=Path, default=CONTENT_DIR, help="Where the YAML files are.")

    def handle(self, *args, force: bool, directory: Path, **options) -> None:
        try:
            report = load_kompas(directory=directory, force=force)
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Kompas content: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped."
        )
        for label in report.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {label}: an editor changed it. Use --force to overwrite."))
