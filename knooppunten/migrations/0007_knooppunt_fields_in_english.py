from django.db import migrations


class Migration(migrations.Migration):
    """The knooppunt's own fields in English like its other fields; the relations keep their
    Dutch domain names (sporen, partijen, koppelkansen, raakvlakken)."""

    dependencies = [
        ("knooppunten", "0006_praktijkverhaal_inzending"),
    ]

    operations = [
        migrations.RenameField("knooppunt", "doel", "goal"),
        migrations.RenameField("knooppunt", "aanpak", "approach"),
        migrations.RenameField("knooppunt", "bestuurlijk_gevoelig", "politically_sensitive"),
        migrations.RenameField("historicalknooppunt", "doel", "goal"),
        migrations.RenameField("historicalknooppunt", "aanpak", "approach"),
        migrations.RenameField("historicalknooppunt", "bestuurlijk_gevoelig", "politically_sensitive"),
    ]
