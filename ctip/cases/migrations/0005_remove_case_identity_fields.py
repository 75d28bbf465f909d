from django.db import migrations


class Migration(migrations.Migration):
    """The identity columns of the case go (copied into CaseIdentity by 0004). Going back
    re-creates them empty; 0004's reverse fills them."""

    dependencies = [
        ("cases", "0004_copy_identities"),
    ]

    operations = [
        migrations.RemoveField(model_name="case", name=name)
        for name in (
            "best_interests",
            "contacts",
            "date_of_birth",
            "documents",
            "names",
            "narrative",
        )
    ]
