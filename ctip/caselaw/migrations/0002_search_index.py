from django.db import migrations

from ctip.caselaw import search


def create(apps, schema_editor):
    search.create_index(schema_editor)


def drop(apps, schema_editor):
    search.drop_index(schema_editor)


class Migration(migrations.Migration):
    """The full-text index of this database: FTS5 on SQLite, GIN on PostgreSQL."""

    dependencies = [("caselaw", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
