"""Decisions out and in: one flat row per decision, the columns `clean_decision` reads.

`decision_uuid` is each decision's stable id: a file exported and imported again matches its
decisions by it and changes only what changed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ctip.caselaw.models import Decision
from ctip.core.exports import csv_bytes, spreadsheet_unsafe
from ctip.tabular import FileProblem, is_json, read_dicts

COLUMNS = [
    "decision_uuid",
    "title",
    "country",
    "international_body",
    "court",
    "legal_system",
    "instance",
    "decision_date",
    "case_number",
    "language",
    "verdict",
    "charges",
    "sentences",
    "victims_count",
    "victims_female",
    "victims_male",
    "victims_children",
    "victim_nationalities",
    "defendants_count",
    "defendants_female",
    "defendants_male",
    "defendant_nationalities",
    "forms_of_exploitation",
    "acts",
    "means",
    "purpose",
    "scope",
    "organised_crime",
    "conflict_related",
    "conflict_situation",
    "fact_summary",
    "legal_reasoning",
    "commentary",
    "keywords",
    "evidential_issues",
    "sources",
]
MAX_IMPORT_ROWS = 200_000


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def decision_row(decision: Decision) -> dict[str, Any]:
    row: dict[str, Any] = {
        name: getattr(decision, name)
        for name in COLUMNS
        if hasattr(decision, name) and name not in {"country", "conflict_situation"}
    }
    row.update(
        decision_uuid=str(decision.decision_uuid),
        country=decision.country_id or "",
        decision_date=decision.decision_date.isoformat(),
        charges="\n".join(
            f"{c['legislation']} | {c['charge']} | {c['verdict']}" for c in decision.charges
        ),
        keywords="; ".join(decision.keywords),
        organised_crime=yes_no(decision.organised_crime),
        conflict_related="yes" if decision.conflict_related else "no",
        conflict_situation=decision.conflict_situation.name if decision.conflict_situation else "",
    )
    for group in ("victims", "defendants"):
        for part in ("count", "female", "male", "children"):
            if f"{group}_{part}" in COLUMNS:
                row[f"{group}_{part}"] = getattr(decision, group).get(part, "")
    return {name: row.get(name, "") for name in COLUMNS}


def export_csv(decisions: Iterable[Decision]) -> bytes:
    return csv_bytes(COLUMNS, ([decision_row(d)[c] for c in COLUMNS] for d in decisions))


def export_json(decisions: Iterable[Decision]) -> bytes:
    rows = [{"id": d.pk, **decision_row(d)} for d in decisions]
    return json.dumps(rows, ensure_ascii=False, indent=1).encode()


class ImportProblem(ValueError):
    """The file as a whole cannot be read."""


def read_rows(data: bytes, filename: str, encoding: str = "") -> list[tuple[int, dict[str, Any]]]:
    """Numbered rows of a JSON list or a CSV / XLSX file in the export's columns, read by
    CTIP's one tabular reader (delimiter, quoting and encoding handled there)."""
    try:
        return read_dicts(data, filename, MAX_IMPORT_ROWS, encoding)
    except FileProblem as problem:
        raise ImportProblem(str(problem)) from None


def import_rows(data: bytes, filename: str, encoding: str = "") -> list[tuple[int, dict[str, Any]]]:
    """The rows of an import file as they were before the export: in a CSV or XLSX, the
    apostrophe that protected a formula-like cell is taken off again (a JSON file has none)."""
    rows = read_rows(data, filename, encoding)
    if is_json(data, filename):
        return rows
    return [
        (number, {k: spreadsheet_unsafe(v) if isinstance(v, str) else v for k, v in row.items()})
        for number, row in rows
    ]
