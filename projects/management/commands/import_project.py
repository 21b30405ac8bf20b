from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from projects.exchange import parse_json, project_import


class Command(BaseCommand):
    help = (
        "Create a new project from a JSON project export. The user given with --user becomes its "
        "projectleider; other people are linked to existing accounts by email."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The JSON file made by export_project or the export page.")
        parser.add_argument("--user", required=True, help="Email address of the account that imports the project.")

    def handle(self, *args, file: str, user: str, **options) -> None:
        importer = get_user_model().objects.filter(email__iexact=user).first()
        if importer is None:
            raise CommandError(f"There is no account with the email address {user}.")
        try:
            raw = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            project = project_import(data=parse_json(raw), by=importer)
        except ValidationError as error:
            raise CommandError("Nothing was imported:\n- " + "\n- ".join(error.messages)) from None
        self.stdout.write(f"Imported project {project.pk}: {project.name} ({project.gemeente.name}).")
        if project.unlinked_emails:
            self.stdout.write("No account here for: " + ", ".join(project.unlinked_emails))
