"""Importing a file into a round's submissions: all rows checked first, then all or nothing.

Like DHIS2's dataValueSets: codes not internal ids, a dry run, a summary of what was created
and updated, and a conflict for every bad row (row number, column, value, what was expected).
Records are matched by their id (or, for files without ids, a content-derived id), so
importing the same file twice changes nothing.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.codes import AgeBand
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.statistics.codes import StatisticsAction
from ctip.statistics.layouts import (
    LAYOUTS,
    Context,
    Layout,
    ParsedCell,
    ParsedRecord,
    Row,
    RowError,
    content_uuid,
    detect_layout,
)
from ctip.statistics.models import (
    AggregateValue,
    RecordExploitation,
    RecordMeansOfControl,
    ReportingRound,
    Submission,
    SubmissionEvent,
    VictimRecord,
)
from ctip.statistics.tabular import MAX_CELL_CHARS, FileProblem, read_table

BATCH = 5000
MAX_ERRORS_KEPT = 1000
Progress = Callable[[int, str], None]


@dataclass
class ImportResult:
    layout: str = ""
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    file_problem: str = ""
    dry_run: bool = True
    created: int = 0
    updated: int = 0
    submissions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_problem and not self.error_count

    def as_dict(self) -> dict[str, Any]:
        return {
            "layout": self.layout,
            "rows": self.rows,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "error_count": self.error_count,
            "file_problem": self.file_problem,
            "submissions": self.submissions,
            "errors": [e.as_dict() for e in self.errors],
        }


def parsing_context(round_: ReportingRound, default_country: str | None = None) -> Context:
    countries: dict[str, str] = {}
    for alpha3, alpha2, numeric in Country.objects.values_list("alpha3", "alpha2", "numeric"):
        countries[alpha3] = countries[alpha2] = countries[numeric] = alpha3
        countries[str(int(numeric))] = alpha3
    conflicts: dict[str, int] = {}
    for pk, name in ConflictSituation.objects.values_list("pk", "name"):
        conflicts[name.casefold()] = conflicts[str(pk)] = pk
    return Context(round_.year, countries, conflicts, default_country)


def parse_file(
    *,
    data: bytes,
    filename: str,
    round_: ReportingRound,
    entity: Entity,
    layout_name: str | None = None,
    default_country: str | None = None,
    progress: Progress | None = None,
) -> tuple[ImportResult, list[Any]]:
    """Read and check every row. Returns the result (with errors) and the parsed rows."""
    result = ImportResult()
    try:
        table = read_table(data, filename)
    except FileProblem as problem:
        result.file_problem = str(problem)
        return result, []
    layout: Layout | None = LAYOUTS.get(layout_name or "") or detect_layout(table.header)
    if layout is None:
        result.file_problem = _(
            "The columns do not match a known layout (CTIP template, CTDC, dataUNODC). "
            "Download the template for this round."
        )
        return result, []
    result.layout = layout.name
    missing = sorted(layout.required - set(table.header))
    if missing:
        result.file_problem = _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}
        return result, []
    ctx = parsing_context(round_, default_country)
    parsed: list[Any] = []
    occurrences: collections.Counter[str] = collections.Counter()
    try:
        for offset, values in enumerate(table.rows):
            number = table.first_data_row + offset
            if not any(v.strip() for v in values):
                continue  # blank line
            result.rows += 1
            row = Row(number, table.header, values)
            too_long = [c for c, v in row.cells.items() if len(v) > MAX_CELL_CHARS]
            for column in too_long:
                row.error(column, _("at most %(n)s characters") % {"n": MAX_CELL_CHARS})
            item = layout.parse(row, ctx)
            if isinstance(item, ParsedRecord) and item.record_uuid is None:
                key = "|".join(values)
                occurrences[key] += 1
                item.record_uuid = content_uuid(
                    entity.code, round_.year, row.cells, occurrences[key]
                )
            if row.errors:
                result.error_count += len(row.errors)
                room = MAX_ERRORS_KEPT - len(result.errors)
                result.errors.extend(row.errors[: max(room, 0)])
            else:
                parsed.append(item)
            if progress and result.rows % BATCH == 0:
                progress(result.rows, _("Checked %(n)s rows") % {"n": f"{result.rows:,}"})
    except FileProblem as problem:
        result.file_problem = str(problem)
    return result, parsed


def _submissions_for(
    *,
    actor: User | None,
    entity: Entity,
    round_: ReportingRound,
    countries: set[str],
    result: ImportResult,
) -> dict[str, Submission]:
    found = {
        s.country_of_detection_id: s
        for s in Submission.objects.select_for_update().filter(
            entity=entity, round=round_, country_of_detection__in=countries
        )
    }
    locked = sorted(code for code, s in found.items() if not s.is_editable)
    if locked:
        result.file_problem = _(
            "The submissions for %(countries)s are %(status)s: ask an analyst to return them "
            "before importing new data."
        ) % {"countries": ", ".join(locked), "status": found[locked[0]].get_status_display()}
        return {}
    for code in sorted(countries - set(found)):
        submission = Submission.objects.create(
            entity=entity, round=round_, country_of_detection_id=code, created_by=actor
        )
        SubmissionEvent.objects.create(
            submission=submission, actor=actor, kind=SubmissionEvent.Kind.CREATED
        )
        found[code] = submission
    return found


def _write_records(
    records: list[ParsedRecord],
    submissions: dict[str, Submission],
    result: ImportResult,
    progress: Progress | None,
) -> None:
    by_submission: dict[int, list[ParsedRecord]] = collections.defaultdict(list)
    for record in records:
        by_submission[submissions[record.country_of_detection].pk].append(record)
    written = 0
    for submission_id, rows in by_submission.items():
        uuids = [r.record_uuid for r in rows if r.record_uuid is not None]
        existing = VictimRecord.objects.filter(submission_id=submission_id)
        # Records already there with the same id are replaced (counted as updated).
        for start in range(0, len(uuids), BATCH) if existing.exists() else ():
            chunk = existing.filter(record_uuid__in=uuids[start : start + BATCH])
            result.updated += chunk.count()
            chunk.delete()
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            ids = _insert_records(submission_id, batch)
            _insert_rows(
                RecordExploitation,
                ["record_id", "form"],
                [(ids[r.record_uuid], form) for r in batch for form in r.forms],
            )
            _insert_rows(
                RecordMeansOfControl,
                ["record_id", "means"],
                [(ids[r.record_uuid], means) for r in batch for means in r.means],
            )
            written += len(batch)
            if progress:
                # checking was the first half of the work, saving is the second
                progress(result.rows + written, _("Saved %(n)s records") % {"n": f"{written:,}"})
    result.created = written - result.updated


AGE_GROUPS = {band.value: band.age_group.value for band in AgeBand}
RECORD_COLUMNS = [
    "submission_id",
    "record_uuid",
    "year_of_identification",
    "citizenship_id",
    "sex",
    "age_band",
    "age_group",
    "recruiter_relation",
    "trafficking_status",
    "status_decided_by",
    "conflict_situation_id",
    "displacement_status",
    "armed_group_involved",
    "terrorist_group_involved",
    "identity_hash",
]


def _insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
    """A plain multi-row INSERT: the ORM's per-object work is most of a large import's time."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - names are ours
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_records(submission_id: int, batch: list[ParsedRecord]) -> dict[Any, int]:
    """Insert a batch of records; return their ids by record UUID."""
    uuid_field = VictimRecord._meta.get_field("record_uuid")
    prepared = [uuid_field.get_db_prep_value(r.record_uuid, connection) for r in batch]
    _insert_rows(
        VictimRecord,
        RECORD_COLUMNS,
        [
            (
                submission_id,
                key,
                r.year,
                r.citizenship,
                r.sex,
                r.age_band,
                AGE_GROUPS[r.age_band],
                r.recruiter_relation,
                r.trafficking_status,
                r.status_decided_by,
                r.conflict_situation_id,
                r.displacement_status,
                r.armed_group_involved,
                r.terrorist_group_involved,
                "",
            )
            for key, r in zip(prepared, batch, strict=True)
        ],
    )
    return dict(
        VictimRecord.objects.filter(
            submission_id=submission_id, record_uuid__in=[r.record_uuid for r in batch]
        ).values_list("record_uuid", "pk")
    )


def _write_cells(
    cells: list[ParsedCell], submissions: dict[str, Submission], result: ImportResult
) -> None:
    for cell in cells:
        _obj, created = AggregateValue.objects.update_or_create(
            submission=submissions[cell.country],
            indicator=cell.indicator,
            sex=cell.sex,
            age=cell.age,
            dimension=cell.dimension,
            category=cell.category,
            defaults={"value": cell.value, "value_status": cell.value_status},
        )
        result.created += int(created)
        result.updated += int(not created)


def import_file(
    *,
    actor: User | None,
    entity: Entity,
    round_: ReportingRound,
    data: bytes,
    filename: str,
    layout_name: str | None = None,
    dry_run: bool = False,
    default_country: str | None = None,
    progress: Progress | None = None,
    actor_label: str = "",
) -> ImportResult:
    """Check every row; unless it is a dry run and only if no row has an error, write all."""
    result, parsed = parse_file(
        data=data,
        filename=filename,
        round_=round_,
        entity=entity,
        layout_name=layout_name,
        default_country=default_country,
        progress=progress,
    )
    result.dry_run = dry_run
    if not result.ok or dry_run or not parsed:
        if result.ok and not parsed and not dry_run:
            result.file_problem = _("The file has no data rows.")
        return result
    countries = {
        p.country_of_detection if isinstance(p, ParsedRecord) else p.country for p in parsed
    }
    with transaction.atomic():
        submissions = _submissions_for(
            actor=actor, entity=entity, round_=round_, countries=countries, result=result
        )
        if result.file_problem:
            return result
        if LAYOUTS[result.layout].kind == "records":
            _write_records(parsed, submissions, result, progress)
        else:
            _write_cells(parsed, submissions, result)
        for submission in submissions.values():
            SubmissionEvent.objects.create(
                submission=submission,
                actor=actor,
                kind=SubmissionEvent.Kind.IMPORTED,
                details={"file": filename[:200], "layout": result.layout, "rows": result.rows},
            )
        result.submissions = sorted(f"{entity.code}/{round_.year}/{code}" for code in submissions)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action=StatisticsAction.IMPORTED,
            entity=entity,
            details={
                "file": filename[:200],
                "layout": result.layout,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "round": round_.year,
            },
        )
    return result
