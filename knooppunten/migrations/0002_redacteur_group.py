"""The "Redacteur" group: exactly the permissions an editor of the kompas content needs."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ["fase", "spoor", "partij", "koppelkans", "knooppunt", "tip", "bron", "praktijkverhaal", "begrip"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group needs them now.
    app_config = apps.get_app_config("knooppunten")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Redacteur")
    codenames = [f"{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "delete", "view")]
    group.permissions.set(Permission.objects.filter(content_type__app_label="knooppunten", codename__in=codenames))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Redacteur").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knooppunten", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
