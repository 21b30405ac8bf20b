"""Editors define the plan's chapters in the admin (README), so the Redacteur group gets the
Hoofdstuk permissions. Not the plans or their frozen versions: those are a project's own text."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_hoofdstuk" for action in ("add", "change", "delete", "view")]


def add_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group needs them now.
    app_config = apps.get_app_config("plannen")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Redacteur")
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="plannen", codename__in=CODENAMES))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Redacteur"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="plannen", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("plannen", "0002_default_hoofdstukken"),
        ("knooppunten", "0002_redacteur_group"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
