"""The identities now live in conduct_allegationidentity (0002 copied them): drop the old
columns of conduct_allegation."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("conduct", "0002_allegationidentity")]

    operations = [
        migrations.RemoveField(model_name="allegation", name="account"),
        migrations.RemoveField(model_name="allegation", name="subject_identity"),
        migrations.RemoveField(model_name="allegation", name="victim_identities"),
    ]
