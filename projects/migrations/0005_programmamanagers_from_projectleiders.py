"""Nobody loses access: each gemeente gets its current projectleiders as programmamanagers."""

from __future__ import annotations

from django.db import migrations


def projectleiders_become_programmamanagers(apps, schema_editor):
    Membership = apps.get_model("projects", "Membership")
    GemeenteMembership = apps.get_model("projects", "GemeenteMembership")
    pairs = set(
        Membership.objects.filter(role="projectleider").values_list("project__gemeente_id", "user_id").distinct()
    )
    GemeenteMembership.objects.bulk_create(
        [GemeenteMembership(gemeente_id=g, user_id=u, role="programmamanager") for g, u in sorted(pairs)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_gemeente_workspaces")]

    operations = [migrations.RunPython(projectleiders_become_programmamanagers, migrations.RunPython.noop)]
