"""Decisions out and back in: the same file twice is the same decisions, not new ones."""

import csv
import io

import pytest
from django.core.management import call_command

from ctip.caselaw import services
from ctip.caselaw.demo import DECISIONS
from ctip.caselaw.exports import import_rows
from ctip.caselaw.models import Decision, DecisionVersion
from ctip.core.testing import make_entity

pytestmark = pytest.mark.django_db

# Cells a spreadsheet would run as formulas: the CSV export protects them with an apostrophe.
FORMULA_LIKE = {
    **DECISIONS[0],
    "title": "-Appeal of the Mosul trafficking case",
    "case_number": "=17/2023",
    "sentences": "+3 years",
    "commentary": "'=already quoted",
}


@pytest.fixture
def decisions(actors):
    created, errors = services.decisions_import(
        actor=None, entity=actors.entity, rows=[*DECISIONS, FORMULA_LIKE], publish=True
    )
    assert not errors and created == len(DECISIONS) + 1
    return actors


def counts() -> tuple[int, int]:
    return Decision.objects.count(), DecisionVersion.objects.count()


@pytest.mark.parametrize("name", ["decisions.csv", "decisions.json"])
def test_export_import_export_gives_the_same_bytes_and_no_new_decision(decisions, tmp_path, name):
    # given the published decisions, exported
    first, second = tmp_path / f"1-{name}", tmp_path / f"2-{name}"
    call_command("export_decisions", str(first))
    before = counts()
    # when the export is imported again and exported again
    call_command("import_decisions", str(first), "--entity", decisions.entity.code)
    call_command("export_decisions", str(second))
    # then nothing was created or changed, and the two files are identical
    assert counts() == before
    assert second.read_bytes() == first.read_bytes()
    # and the texts are stored as they were, without the export's protecting apostrophe
    stored = Decision.objects.get(title=FORMULA_LIKE["title"])
    assert (stored.case_number, stored.sentences, stored.commentary) == (
        "=17/2023",
        "+3 years",
        "'=already quoted",
    )


def test_the_csv_protects_formulas_and_the_import_takes_the_protection_off(decisions, tmp_path):
    out = tmp_path / "decisions.csv"
    call_command("export_decisions", str(out))
    row = next(
        r
        for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
        if r["decision_uuid"] == str(Decision.objects.get(case_number="=17/2023").decision_uuid)
    )
    assert (row["case_number"], row["commentary"]) == ("'=17/2023", "''=already quoted")
    back = next(
        r for _n, r in import_rows(out.read_bytes(), out.name) if r["title"] == row["title"][1:]
    )
    assert (back["case_number"], back["commentary"]) == ("=17/2023", "'=already quoted")


def test_an_edited_row_updates_its_decision_as_a_new_draft_version(decisions, tmp_path):
    # given an export in which one decision's sentences were corrected
    out = tmp_path / "decisions.csv"
    call_command("export_decisions", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    rows[0]["sentences"] = "Corrected: 12 years"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    out.write_text(buffer.getvalue(), encoding="utf-8")
    before = Decision.objects.count()
    # when it is imported
    call_command("import_decisions", str(out), "--entity", decisions.entity.code)
    # then that decision, and only it, has a new version waiting for review
    changed = Decision.objects.get(decision_uuid=rows[0]["decision_uuid"])
    assert (changed.sentences, changed.version, changed.status) == (
        "Corrected: 12 years",
        2,
        "draft",
    )
    assert Decision.objects.count() == before
    assert Decision.objects.filter(version=1, status="published").count() == before - 1


def test_another_entitys_decision_id_or_a_bad_one_is_refused_and_nothing_written(decisions):
    # given rows naming another entity's decision, a malformed id and a repeated one
    other = make_entity("UNMISS")
    theirs = {**DECISIONS[1], "sentences": "changed"}
    theirs["decision_uuid"] = str(Decision.objects.earliest("pk").decision_uuid)
    before = counts()
    # when another entity imports them
    created, errors = services.decisions_import(
        actor=None,
        entity=other,
        rows=[
            theirs,
            {**DECISIONS[2], "decision_uuid": "not-a-uuid"},
            {**DECISIONS[2], "decision_uuid": "0f8fad5b-d9cb-469f-a165-70867728950e"},
            {**DECISIONS[2], "decision_uuid": "0f8fad5b-d9cb-469f-a165-70867728950e"},
        ],
    )
    # then each bad row is named and nothing is written
    assert created == 0
    assert [(e["row"], e["column"]) for e in errors] == [
        (2, "decision_uuid"),
        (4, "decision_uuid"),
        (1, "decision_uuid"),
    ]
    assert counts() == before


def test_the_page_export_row_sent_to_the_api_twice_is_one_decision(decisions):
    import json

    from django.test import Client
    from django.urls import reverse

    from ctip.core.codes import Role
    from ctip.core.testing import token_client

    # given a decision as the public page exports it
    rows = json.loads(Client().get(reverse("caselaw:export", args=["json"])).content)
    row = next(r for r in rows if r["title"] == FORMULA_LIKE["title"])
    officer = token_client(decisions.by_role[Role.LEGAL_OFFICER])
    before = counts()

    def send(body):
        return officer.post("/api/v1/caselaw/decisions", data=body, content_type="application/json")

    # when a legal officer sends it back unchanged, then corrected
    same = send({k: v for k, v in row.items() if k != "id"})
    corrected = send({**{k: v for k, v in row.items() if k != "id"}, "sentences": "4 years"})
    # then the first changes nothing and the second is a new version of the same decision
    assert same.status_code == 200 and same.json()["version"] == 1
    assert counts() == (before[0], before[1] + 1)
    assert corrected.json()["id"] == row["id"] and corrected.json()["version"] == 2
    # and an id that is not a UUID is a 422 naming the field
    bad = send({**row, "decision_uuid": "-" * 36})
    assert bad.status_code == 422 and "decision_uuid" in bad.json()["detail"]
