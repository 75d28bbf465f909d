from django.db import migrations

from ctip.caselaw import search


def create(apps, schema_editor):
    search.create_trigram_index(schema_editor)


def drop(apps, schema_editor):
    search.drop_trigram_index(schema_editor)


class Migration(migrations.Migration):
    """PostgreSQL: a pg_trgm index for words spelled a little differently. SQLite: nothing."""

    dependencies = [("caselaw", "0002_search_index")]

    operations = [migrations.RunPython(create, drop)]
