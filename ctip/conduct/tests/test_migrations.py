"""0002 moves each identity to its own table, re-encrypted under the new column's context."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ctip.core.crypto import decrypt

OLD = [("conduct", "0001_initial")]
NEW = [("conduct", "0003_remove_allegation_identity_columns")]


@pytest.mark.django_db(transaction=True)
def test_identities_move_to_their_table_and_back(actors):
    # given an allegation stored the old way, its identities in conduct_allegation
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    old = executor.loader.project_state(OLD[0]).apps
    allegation = old.get_model("conduct", "Allegation").objects.create(
        entity_id=actors.entity.pk,
        reference="X-2026-0001",
        channel="hotline",
        reported_on="2026-03-04",
        category="sexual_abuse",
        personnel_category="military",
        victim_identities="A. B., Bangui",  # the historical field encrypts it
        account="",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT victim_identities FROM conduct_allegation")
        (stored,) = cursor.fetchone()
    assert decrypt(stored, context="conduct.allegation.victim_identities") == "A. B., Bangui"
    # when migrated forward
    executor = MigrationExecutor(connection)
    executor.migrate(NEW)
    # then the identity reads from its own table, bound to its new column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT victim_identities, account FROM conduct_allegationidentity "
            "WHERE allegation_id = %s",
            [allegation.pk],
        )
        moved, account = cursor.fetchone()
    assert "Bangui" not in moved and account == ""
    context = "conduct.allegationidentity.victim_identities"
    assert decrypt(moved, context=context) == "A. B., Bangui"
    # and back again
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT victim_identities FROM conduct_allegation")
        (back,) = cursor.fetchone()
    assert decrypt(back, context="conduct.allegation.victim_identities") == "A. B., Bangui"
    executor = MigrationExecutor(connection)
    executor.migrate(NEW)
