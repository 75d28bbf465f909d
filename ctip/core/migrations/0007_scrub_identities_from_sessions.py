"""Before issue 11, the case and allegation "show identity" actions kept decrypted identities
in the session until the next page. This removes any such key from every stored session, so
no victim's name outlives the upgrade in the session table."""

from django.db import migrations

SESSION_KEY_PREFIXES = ("case-identity-", "conduct-identities-")


def scrub(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.iterator():
        try:
            data = store.decode(session.session_data)
        except Exception:  # noqa: BLE001 - an unreadable session holds nothing to keep
            session.delete()
            continue
        kept = {k: v for k, v in data.items() if not k.startswith(SESSION_KEY_PREFIXES)}
        if kept != data:
            session.session_data = store.encode(kept)
            session.save(update_fields=["session_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_actor_index"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
