import ctip.core.crypto
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The identity gets its own table (step 1 of 3: the table; 0004 copies, 0005 drops the
    old columns). Three migrations so that no transaction both writes rows and alters a table
    (PostgreSQL refuses ALTER TABLE with pending deferred foreign-key checks)."""

    dependencies = [
        ("cases", "0002_referrals_services_tips"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseIdentity",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("names", ctip.core.crypto.EncryptedTextField(blank=True, verbose_name="names")),
                (
                    "date_of_birth",
                    ctip.core.crypto.EncryptedTextField(blank=True, verbose_name="date of birth"),
                ),
                (
                    "contacts",
                    ctip.core.crypto.EncryptedTextField(blank=True, verbose_name="contacts"),
                ),
                (
                    "documents",
                    ctip.core.crypto.EncryptedTextField(
                        blank=True, verbose_name="identity documents"
                    ),
                ),
                (
                    "narrative",
                    ctip.core.crypto.EncryptedTextField(blank=True, verbose_name="narrative"),
                ),
                (
                    "best_interests",
                    ctip.core.crypto.EncryptedTextField(
                        blank=True, verbose_name="best-interests assessment"
                    ),
                ),
            ],
        ),
    ]
