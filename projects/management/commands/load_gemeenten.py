"""Load municipalities from a CSV file with a CBS code and a name per line.

    python manage.py load_gemeenten gemeenten.csv

The first line names the columns: `cbs_code` and `name` (or `code` and `naam`), separated by
semicolons or commas. Lines starting with # are skipped. A gemeente with the same CBS code, or
without a code and with the same name (case and spaces ignored), is updated; the rest are
added. Every loaded gemeente counts as verified. Nothing is written when any line is wrong.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects.models import Gemeente, name_key

CBS_CODE = re.compile(r"^GM\d{4}$")
COLUMNS = {"cbs_code": "cbs_code", "code": "cbs_code", "name": "name", "naam": "name"}


def read_rows(path: Path) -> list[tuple[int, str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from None
    lines = [
        (n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip() and not line.startswith("#")
    ]
    if not lines:
        raise CommandError(f"{path} has no lines.")
    delimiter = ";" if lines[0][1].count(";") >= lines[0][1].count(",") else ","
    reader = csv.reader([line for _n, line in lines], delimiter=delimiter)
    header = [COLUMNS.get(cell.strip().lower()) for cell in next(reader)]
    if "cbs_code" not in header or "name" not in header:
        raise CommandError("The first line must name the columns cbs_code and name.")
    rows, problems, seen = [], [], set()
    for (number, _line), cells in zip(lines[1:], reader, strict=True):
        values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        code, name = values.get("cbs_code", "").upper(), " ".join(values.get("name", "").split())
        if not CBS_CODE.match(code):
            problems.append(f"line {number}: '{code}' is not a CBS code (GM and four digits)")
        if not name or len(name) > 120:
            problems.append(f"line {number}: the name is missing or longer than 120 characters")
        if code in seen:
            problems.append(f"line {number}: {code} appears twice")
        seen.add(code)
        rows.append((number, code, name))
    if problems:
        raise CommandError("Nothing loaded.\n" + "\n".join(problems))
    return rows


class Command(BaseCommand):
    help = "Load municipalities (CBS code and name) from a CSV file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    @transaction.atomic
    def handle(self, *args, path: Path, **options) -> None:
        added = updated = 0
        by_code = {g.cbs_code.upper(): g for g in Gemeente.objects.exclude(cbs_code="")}
        by_name = {name_key(g.name): g for g in Gemeente.objects.all()}
        for number, code, name in read_rows(path):
            gemeente = by_code.get(code) or by_name.get(name_key(name))
            if gemeente is None:
                gemeente = Gemeente.objects.create(name=name, cbs_code=code)
                added += 1
            else:
                clash = by_name.get(name_key(name))
                if clash is not None and clash.pk != gemeente.pk:
                    raise CommandError(
                        f"line {number}: the name {name} is already used by {clash.cbs_code or clash.pk}"
                    )
                gemeente.name, gemeente.cbs_code, gemeente.is_verified = name, code, True
                gemeente.save(update_fields=["name", "cbs_code", "is_verified"])
                updated += 1
            by_code[code] = by_name[name_key(name)] = gemeente
        self.stdout.write(f"Gemeenten: {added} added, {updated} updated.")
