from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_programmamanagers_from_projectleiders"),
    ]

    operations = [
        migrations.RenameField(model_name="project", old_name="status_version", new_name="cache_version"),
    ]
