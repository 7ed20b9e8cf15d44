"""Databases loaded before the loader cleaned names still hold ten commune names with a double space."""
from django.db import migrations


def collapse_spaces(apps, schema_editor):
    Commune = apps.get_model("core", "Commune")
    for commune in Commune.objects.filter(name__contains="  "):
        commune.name = " ".join(commune.name.split())
        commune.name_ascii = " ".join(commune.name_ascii.split())
        commune.save(update_fields=["name", "name_ascii"])


class Migration(migrations.Migration):
    dependencies = [("core", "0002_load_divisions")]
    operations = [migrations.RunPython(collapse_spaces, migrations.RunPython.noop)]
