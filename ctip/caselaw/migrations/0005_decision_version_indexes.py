"""Indexes for the public search: the maxima its cache key reads, and on SQLite the facet
columns (ctip.caselaw.search.SQLITE_FACETS_INDEX)."""

from django.db import migrations, models

from ctip.caselaw import search


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    search.create_sqlite_facets_index(schema_editor)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    search.drop_sqlite_facets_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("caselaw", "0004_decision_uuid")]

    operations = [
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["updated_at"], name="decision_updated"),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["published_at"], name="decision_published"),
        ),
        migrations.RunPython(create, drop),
    ]
