from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from projects.exchange import project_export
from projects.models import Project


class Command(BaseCommand):
    help = "Write a project and its sub-projects as JSON (with documents), to a file or to standard output."

    def add_arguments(self, parser) -> None:
        parser.add_argument("pk", type=int, help="The id of the project (the number in its address).")
        parser.add_argument("--output", "-o", help="The file to write; standard output when left out.")

    def handle(self, *args, pk: int, output: str | None, **options) -> None:
        project = Project.objects.select_related("gemeente").filter(pk=pk).first()
        if project is None:
            raise CommandError(f"Project {pk} does not exist.")
        text = json.dumps(project_export(project), ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Project {pk} ({project.name}) written to {output}.")
        else:
            self.stdout.write(text)
