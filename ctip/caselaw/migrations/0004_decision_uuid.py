import uuid

from django.db import migrations, models


def give_each_its_own(apps, schema_editor):
    Decision = apps.get_model("caselaw", "Decision")
    for decision in Decision.objects.only("pk").iterator():
        decision.decision_uuid = uuid.uuid4()
        decision.save(update_fields=["decision_uuid"])


class Migration(migrations.Migration):
    """A stable id for each decision, so an exported file imported again updates, never
    duplicates. Added empty, filled one by one (a column default would give every existing
    row the same value), then made unique."""

    dependencies = [("caselaw", "0003_postgresql_search")]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="decision_uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_its_own, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="decision_uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
