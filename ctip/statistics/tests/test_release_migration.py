"""0008: releases published before statuses were kept claim nothing they cannot stand by."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from ctip.core.codes import Role
from ctip.core.testing import make_entity, make_user
from ctip.statistics.models import PublishedRelease, ReportingRound

pytestmark = pytest.mark.django_db
migration = importlib.import_module("ctip.statistics.migrations.0008_release_cells_status")
VICTIMS = "Detected trafficking victims"


def old_release(year, epsilon, noisy):
    def cell(area, value, suppressed):
        return {
            "area": area,
            "indicator": VICTIMS,
            "sex": "_T",
            "age": "_T",
            "dimension": "Total",
            "category": "Total",
            "value": value,
            "suppressed": suppressed,
        }

    return PublishedRelease.objects.create(
        round=ReportingRound.objects.create(year=year, deadline=date(year + 1, 6, 30)),
        version=1,
        published_by=make_user(make_entity(), Role.ANALYST),
        method="old",
        threshold=5,
        cells=[cell("IRQ", "<5", True), cell("SYR", "21", False)],
        submission_ids=[],
        dp_epsilon=epsilon,
        dp_cells=noisy,
    )


def test_old_cells_become_numbers_or_confidential_and_noisy_tables_follow_todays_rules():
    # given a release from before, with a noisy count of a hidden country, and one at ε 5
    kept = old_release(2023, 0.5, [{"area": "IRQ", "value": 3}, {"area": "SYR", "value": 20}])
    dropped = old_release(2024, 5.0, [{"area": "SYR", "value": 21}])
    # when
    migration.forwards(apps, None)
    # then a hidden cell claims nothing, a number is a number
    kept.refresh_from_db()
    statuses = {c["area"]: (c["value"], c["status"]) for c in kept.cells}
    assert statuses == {"IRQ": (None, "D"), "SYR": (21, "F")}
    # and the noisy table leaves out the hidden country; above ε 1 it is gone
    assert (kept.dp_epsilon, kept.dp_cells) == (0.5, [{"area": "SYR", "value": 20}])
    dropped.refresh_from_db()
    assert (dropped.dp_epsilon, dropped.dp_cells) == (None, [])
