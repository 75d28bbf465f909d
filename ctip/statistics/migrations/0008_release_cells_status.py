"""Release cells carry a disclosure status and a number or nothing, instead of a text.

Releases made before kept "<k" for every hidden cell, small or hidden to protect a small one:
which was which is not known, so each becomes confidential (D), which claims no number. Their
differentially private tables now follow today's rules too: none above ε = 1 (the noise no
longer hides one person), and no country whose exact count is hidden.
"""

MAX_EPSILON = 1.0  # as ctip.statistics.disclosure.MAX_EPSILON when this was written

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
        hidden = {
            c["area"]
            for c in cells
            if c["status"] != "F"
            and (c["sex"], c["age"], c["dimension"]) == ("_T", "_T", "Total")
            and c["indicator"] == "Detected trafficking victims"
        }
        epsilon = release.dp_epsilon
        noisy = [] if epsilon is None or epsilon > MAX_EPSILON else release.dp_cells
        # update(), not save(): a release is immutable to the application.
        release_model.objects.filter(pk=release.pk).update(
            cells=cells,
            dp_epsilon=epsilon if noisy or not release.dp_cells else None,
            dp_cells=[c for c in noisy if c["area"] not in hidden],
        )


class Migration(migrations.Migration):
    dependencies = [("statistics", "0007_submission_counts_kept")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
