from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_project_status_version"),
    ]

    operations = [
        migrations.RenameField(model_name="project", old_name="status_version", new_name="cache_version"),
    ]
