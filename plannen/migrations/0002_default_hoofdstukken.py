"""The default chapters of a Wijkuitvoeringsplan (plannen/defaults.py). Only when there are no chapters yet. A code that is missing is skipped;
on a new database the kompas is loaded after the migrations, so `make run` runs
`default_hoofdstukken`, which links the chapters that have no knooppunten yet."""

from __future__ import annotations

from django.db import migrations

from plannen.defaults import create_defaults


def create_default_hoofdstukken(apps, schema_editor):
    create_defaults(apps.get_model("plannen", "Hoofdstuk"), apps.get_model("knooppunten", "Knooppunt"))


class Migration(migrations.Migration):
    dependencies = [("plannen", "0001_wijkuitvoeringsplan"), ("knooppunten", "0007_knooppunt_fields_in_english")]

    operations = [migrations.RunPython(create_default_hoofdstukken, migrations.RunPython.noop)]
