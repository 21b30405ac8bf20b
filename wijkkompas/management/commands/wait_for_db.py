from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections


class Command(BaseCommand):
    help = (
        "Wait until the database accepts connections, at most --timeout seconds. "
        "Exits with an error message instead of hanging when it stays unreachable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=15, help="seconds to keep trying (default 15)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, timeout: float, database: str, **options) -> None:
        connection = connections[database]
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection.ensure_connection()
                break
            except OperationalError as error:
                if time.monotonic() >= deadline:
                    settings = connection.settings_dict
                    where = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 'default port'}"
                    raise CommandError(
                        f"The database {settings['NAME']!s} at {where} is not reachable after {timeout:g} seconds. "
                        f"Check DATABASE_URL and whether PostgreSQL is running. ({str(error).strip()})"
                    ) from None
                time.sleep(1)
        self.stdout.write(f"Database {connection.settings_dict['NAME']!s} is reachable.")
