from django.db import migrations

from ctip.caselaw import search


def create(apps, schema_editor):
    search.create_postgresql_search(schema_editor)


def drop(apps, schema_editor):
    search.drop_postgresql_search(schema_editor)


class Migration(migrations.Migration):
    """PostgreSQL: the search vector stored and indexed, and a pg_trgm index for words spelled
    alike. SQLite: nothing (its FTS5 table does both jobs it can)."""

    dependencies = [("caselaw", "0002_search_index")]

    operations = [migrations.RunPython(create, drop)]
