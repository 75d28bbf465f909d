"""`ctip import_decisions --dry-run` reports what the import would do and writes nothing: the
same writes, rolled back, so it fails exactly where the real run would."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from ctip.caselaw import selectors
from ctip.caselaw.demo import DECISIONS
from ctip.caselaw.models import Decision, DecisionVersion
from ctip.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_dry_run_counts_the_decisions_and_writes_nothing(actors, tmp_path):
    # given
    source = tmp_path / "decisions.json"
    source.write_text(json.dumps(DECISIONS, ensure_ascii=False), encoding="utf-8")
    events = AuditEvent.objects.count()
    out = StringIO()
    # when
    call_command(
        "import_decisions",
        str(source),
        "--entity",
        actors.entity.code,
        "--publish",
        "--dry-run",
        stdout=out,
    )
    # then
    assert out.getvalue().strip() == (
        f"Dry run, nothing written: would have imported {len(DECISIONS)} new decisions "
        f"for {actors.entity.code}; 0 rows matched decisions already here by decision_uuid "
        "(updated, or left as they were)."
    )
    assert not Decision.objects.exists() and not DecisionVersion.objects.exists()
    assert AuditEvent.objects.count() == events
    assert selectors.decision_search(user=None, query="贩运").total == 0  # nor in the index
    # and the real run imports as many
    out = StringIO()
    call_command(
        "import_decisions", str(source), "--entity", actors.entity.code, "--publish", stdout=out
    )
    assert Decision.objects.count() == len(DECISIONS)
    assert selectors.decision_search(user=None, query="贩运").total == 1
