"""0002 moves each identity to its own table, re-encrypted under the new column's context;
0006 registers the units already typed."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ctip.conduct.models import Allegation, Unit, UnitCertification
from ctip.core.codes import Role
from ctip.core.crypto import decrypt
from ctip.core.models import User

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
    # and to the latest, for the tests after this one
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("conduct"))


@pytest.mark.django_db
def test_the_units_already_typed_are_registered_merged_by_key(actors):
    # given allegations and certifications stored before the register, typed many ways
    register_units = importlib.import_module(
        "ctip.conduct.migrations.0006_register_typed_units"
    ).register_units
    entity, other = actors.entity, actors.other_entity
    officer: User = actors.by_role[Role.CONDUCT_OFFICER]

    def allegation(unit: str, country: str | None = "BGD", at=entity) -> Allegation:
        return Allegation.objects.create(
            entity=at,
            reference=f"X-{Allegation.objects.count()}",
            channel="hotline",
            reported_on="2026-03-04",
            category="sexual_abuse",
            personnel_category="military",
            contingent_country_id=country,
            unit=unit,
        )

    def certification(unit: str, deployed_on: str) -> UnitCertification:
        return UnitCertification.objects.create(
            entity=entity, country_id="BGD", unit=unit, deployed_on=deployed_on, recorded_by=officer
        )

    typed = [allegation(u) for u in ("Banbat 2", "BANBAT-2", "BANBAT-2", "BANBAT 2 ")]
    elsewhere = [allegation("Banbat 2", at=other), allegation("Banbat 2", country=None)]
    blank, dash = allegation(""), allegation("—")
    certifications = [
        certification("banbat 2", "2025-01-01"),
        certification("BANBAT 2", "2025-01-01"),
    ]
    # when the migration runs (and runs again: nothing more happens)
    register_units(apps, None)
    register_units(apps, None)
    # then one unit per mission and contingent, named by the most frequent spelling
    assert set(Unit.objects.values_list("entity_id", "country_id", "name")) == {
        (entity.pk, "BGD", "BANBAT-2"),
        (other.pk, "BGD", "Banbat 2"),
        (entity.pk, None, "Banbat 2"),
    }
    unit = Unit.objects.get(entity=entity, country="BGD")
    for row in typed:
        row.refresh_from_db()
        assert (row.unit, row.registered_unit_id) == ("BANBAT-2", unit.pk)
    for row in elsewhere:
        row.refresh_from_db()
        assert row.registered_unit is not None and row.unit == "Banbat 2"
        assert row.registered_unit.entity_id == row.entity_id
    for row in (blank, dash):
        row.refresh_from_db()
        assert row.registered_unit_id is None
    assert dash.unit == "—"
    # the certifications name the unit; a second one of the same deployment keeps its text
    first, second = (UnitCertification.objects.get(pk=c.pk) for c in certifications)
    assert (first.unit, first.registered_unit_id) == ("BANBAT-2", unit.pk)
    assert (second.unit, second.registered_unit_id) == ("BANBAT 2", unit.pk)
