"""Release cells carry a disclosure status and a number or nothing, instead of a text.

Releases made before kept "<k" for every hidden cell, small or hidden to protect a small one:
which was which is not known, so each becomes confidential (D), which claims no number.
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    release_model = apps.get_model("statistics", "PublishedRelease")
    for release in release_model.objects.all():
        if all("status" in cell for cell in release.cells):
            continue
        cells = [
            {
                **{k: v for k, v in cell.items() if k not in {"suppressed", "value"}},
                "value": None if cell.get("suppressed") else int(cell["value"]),
                "status": "D" if cell.get("suppressed") else "F",
            }
            for cell in release.cells
        ]
        # update(), not save(): a release is immutable to the application.
        release_model.objects.filter(pk=release.pk).update(cells=cells)


class Migration(migrations.Migration):
    dependencies = [("statistics", "0007_submission_counts_kept")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
