"""PostgreSQL search: the `pg_trgm` and `unaccent` extensions and a GIN trigram index on the folded
search key, which answers `LIKE '%word%'` and trigram similarity without reading every product.

Only on PostgreSQL: the extension operations skip other databases themselves, and the index is
created by hand rather than declared on the model, so SQLite never meets a `USING gin` (it rebuilds
a table with every declared index when a column changes)."""
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

INDEX = "product_search_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON product_product USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('product', '0003_combo_listing_index'),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
