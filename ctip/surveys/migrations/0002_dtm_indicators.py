from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from django.utils import translation

    from ctip.surveys.codes import DTM_INDICATORS

    Indicator = apps.get_model("surveys", "Indicator")
    with translation.override("en"):
        for code, (question, experience) in DTM_INDICATORS.items():
            Indicator.objects.get_or_create(
                code=code,
                defaults={"question": str(question), "experience": experience, "built_in": True},
            )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
