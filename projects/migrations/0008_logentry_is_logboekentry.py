import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """One word for the logbook: the model LogEntry becomes LogboekEntry, its rows kept."""

    dependencies = [
        ("knooppunten", "0007_knooppunt_fields_in_english"),
        ("projects", "0007_due_date_label_uiterlijk_op"),
        ("apk", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("LogEntry", "LogboekEntry"),
        migrations.AlterField(
            model_name="logboekentry",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="logboek_entries", to="projects.project"
            ),
        ),
        migrations.AlterField(
            model_name="logboekentry",
            name="knooppunt",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="logboek_entries",
                to="knooppunten.knooppunt",
                verbose_name="knooppunt",
            ),
        ),
        migrations.RenameIndex(
            model_name="logboekentry", old_name="projects_lo_project_69eadd_idx", new_name="projects_lo_project_8ccf7a_idx"
        ),
        migrations.RenameIndex(
            model_name="logboekentry", old_name="projects_lo_project_ce1f41_idx", new_name="projects_lo_project_a4d75c_idx"
        ),
    ]
