"""Importing a file into a round's submissions: all rows checked first, then all or nothing.

Like DHIS2's dataValueSets: codes not internal ids, a dry run, a summary of what was created
and updated, and a conflict for every bad row (row number, column, value, what was expected).
Records are matched by their id (or, for files without ids, a content-derived id), so
importing the same file twice changes nothing. Victim records are checked and loaded in bulk
(`ctip.statistics.bulk`); table cells, a few thousand at most, row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.core.policies import not_found
from ctip.core.services import notify
from ctip.linkage.keys import CLEAR_IDENTITY_COLUMNS
from ctip.statistics import bulk, policies
from ctip.statistics.codes import RoundState, StatisticsAction
from ctip.statistics.layouts import (
    CellLayout,
    Context,
    Layout,
    ParsedCell,
    Row,
    RowError,
    detect_layout,
    layout_named,
)
from ctip.statistics.models import (
    AggregateValue,
    DuplicateCluster,
    DuplicateMember,
    ReportingRound,
    Submission,
    SubmissionEvent,
    VictimRecord,
)
from ctip.tabular import MAX_CELL_CHARS, MAX_ROWS, FileProblem, Source, Table, read_table

BATCH = 5000
CELL_KEY_COLUMNS = "Iso3_code, Indicator, Dimension, Category, Sex, Age"
MAX_ERRORS_KEPT = bulk.MAX_ERRORS_KEPT
Progress = Callable[[int, str], None]


@dataclass
class ImportResult:
    layout: str = ""
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    error_rows: int = 0  # rows with at least one error
    file_problem: str = ""
    dry_run: bool = True
    created: int = 0
    updated: int = 0
    submissions: list[str] = field(default_factory=list)
    rounds: list[int] = field(default_factory=list)  # the years of the rounds written into

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
            "error_rows": self.error_rows,
            "file_problem": self.file_problem,
            "submissions": self.submissions,
            "rounds": self.rounds,
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
    open_years = ReportingRound.objects.filter(state=RoundState.OPEN).values_list("year", flat=True)
    round_years = frozenset({round_.year, *open_years})
    return Context(round_.year, countries, conflicts, default_country, round_years)


def clear_identities(header: list[str]) -> str:
    """Why a file with identity columns is refused, or "" when it has none."""
    identities = [name for name in CLEAR_IDENTITY_COLUMNS if name in header]
    if not identities:
        return ""
    return _(
        "The file holds identities in clear (%(columns)s): nothing was read. Encode it "
        "first, on your own machine, with ctip encode_identities or the encoding page "
        "(/public/linkage/encoder/); names and dates of birth never go to CTIP."
    ) % {"columns": ", ".join(identities)}


def clear_identities_in(data: bytes, filename: str, encoding: str = "") -> str:
    """`clear_identities` of a file's header, read before the file is kept anywhere."""
    try:
        return clear_identities(read_table(data, filename, encoding=encoding).header)
    except FileProblem:
        return ""  # the import says what is wrong with the file


def _layout_for(header: list[str], layout_name: str | None) -> Layout:
    refused = clear_identities(header)
    if refused:
        raise FileProblem(refused)
    layout = layout_named(layout_name or "") or detect_layout(header)
    if layout is None:
        raise FileProblem(
            _(
                "The columns do not match a known layout (CTIP template, CTDC, dataUNODC, "
                "SDMX-CSV). Download the template for this round."
            )
        )
    missing = sorted(layout.required - set(header))
    if missing:
        raise FileProblem(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    return layout


def _parse_cells(
    table: Table, layout: CellLayout, ctx: Context, result: ImportResult, progress: Progress | None
) -> list[ParsedCell]:
    """Read and check every table row, keeping the good ones and reporting the bad. Two rows
    for the same cell are an error on the second, never a silent “last one wins”."""
    parsed: list[ParsedCell] = []
    first_row: dict[tuple[str, ...], int] = {}
    for offset, values in enumerate(table.rows):
        if not any(v.strip() for v in values):
            continue  # blank line
        result.rows += 1
        row = Row(table.first_data_row + offset, table.header, values)
        for column in [c for c, v in row.cells.items() if len(v) > MAX_CELL_CHARS]:
            row.error(column, _("at most %(n)s characters") % {"n": MAX_CELL_CHARS})
        item = layout.parse(row, ctx)
        if not row.errors:
            key = (item.country, item.indicator, item.sex, item.age, item.dimension, item.category)
            if key in first_row:
                row.errors.append(
                    RowError(
                        row.number,
                        CELL_KEY_COLUMNS,
                        " | ".join(str(part) for part in key),
                        _("one row per cell: row %(row)s has the same cell")
                        % {"row": first_row[key]},
                    )
                )
            first_row.setdefault(key, row.number)
        if row.errors:
            result.error_rows += 1
            result.error_count += len(row.errors)
            room = MAX_ERRORS_KEPT - len(result.errors)
            result.errors.extend(row.errors[: max(room, 0)])
        else:
            parsed.append(item)
        if progress and result.rows % BATCH == 0:
            progress(result.rows, _("Checked %(n)s rows") % {"n": f"{result.rows:,}"})
    return parsed


SubmissionKey = tuple[int, str]  # (round year, country of detection)


def _submissions_for(
    *,
    actor: User | None,
    entity: Entity,
    keys: set[SubmissionKey],
    result: ImportResult,
    dry_run: bool,
) -> dict[SubmissionKey, Submission]:
    """The submissions the file goes into, one per round and country: found, or created
    unless it is a dry run. A submission sent for review or validated refuses the import,
    in a dry run as in the real one."""
    rounds = {r.year: r for r in ReportingRound.objects.filter(year__in={y for y, _c in keys})}
    existing = Submission.objects.filter(
        entity=entity, round__in=rounds.values(), country_of_detection__in={c for _y, c in keys}
    ).select_related("round")
    if not dry_run:
        existing = existing.select_for_update()
    found = {
        (s.round.year, s.country_of_detection_id): s
        for s in existing
        if (s.round.year, s.country_of_detection_id) in keys
    }
    closed = sorted(year for year, r in rounds.items() if r.state != RoundState.OPEN)
    if closed:
        result.file_problem = _(
            "The %(years)s round (%(state)s) takes no more data. Nothing was written."
        ) % {
            "years": ", ".join(str(year) for year in closed),
            "state": rounds[closed[0]].get_state_display(),
        }
        return {}
    locked = sorted(key for key, s in found.items() if not s.is_editable)
    if locked:
        result.file_problem = _(
            "The submissions for %(countries)s (%(status)s) take no new data: ask an analyst "
            "to return them before importing."
        ) % {
            "countries": ", ".join(f"{country} ({year})" for year, country in locked),
            "status": found[locked[0]].get_status_display(),
        }
        return {}
    for year, code in sorted(keys - set(found)):
        if dry_run:
            continue
        submission = Submission.objects.create(
            entity=entity, round=rounds[year], country_of_detection_id=code, created_by=actor
        )
        SubmissionEvent.objects.create(
            submission=submission, actor=actor, kind=SubmissionEvent.Kind.CREATED
        )
        found[(year, code)] = submission
    result.submissions = sorted(f"{entity.code}/{year}/{code}" for year, code in keys)
    result.rounds = sorted({year for year, _c in keys})
    return found


def _write_cells(
    cells: list[ParsedCell],
    year: int,
    submissions: dict[SubmissionKey, Submission],
    result: ImportResult,
    dry_run: bool,
) -> None:
    """Write the cells, or in a dry run count what writing them would create and update."""
    if dry_run:
        stored = {
            (s.country_of_detection_id, *key)
            for s in submissions.values()
            for key in s.aggregates.values_list("indicator", "sex", "age", "dimension", "category")
        }
        for cell in cells:
            known = (cell.country, cell.indicator, cell.sex, cell.age, cell.dimension)
            exists = (*known, cell.category) in stored
            result.created += int(not exists)
            result.updated += int(exists)
        return
    for cell in cells:
        _obj, created = AggregateValue.objects.update_or_create(
            submission=submissions[(year, cell.country)],
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
    data: Source,
    filename: str,
    layout_name: str | None = None,
    dry_run: bool = False,
    default_country: str | None = None,
    progress: Progress | None = None,
    actor_label: str = "",
    max_rows: int = MAX_ROWS,
    encoding: str = "",
) -> ImportResult:
    """Check every row; only if no row has an error, write all, or in a dry run count what
    writing would create and update. A file past `max_rows` data rows (or an XLSX that would
    unpack too far) is refused. Rows of a multi-year layout (CTDC) go to their year's round.
    """
    result = ImportResult(dry_run=dry_run)
    checked: bulk.CheckedFile | None = None
    try:
        table = read_table(data, filename, max_rows, encoding)
        layout = _layout_for(table.header, layout_name)
        result.layout = layout.name
        ctx = parsing_context(round_, default_country)
        if isinstance(layout, CellLayout):
            cells = _parse_cells(table, layout, ctx, result, progress)
            keys = {(round_.year, cell.country) for cell in cells}
        else:
            checked = bulk.check_file(
                data=data,
                filename=filename,
                layout=layout,
                ctx=ctx,
                entity_code=entity.code,
                max_rows=max_rows,
                encoding=encoding,
            )
            result.rows, result.error_count = checked.rows, checked.error_count
            result.error_rows = checked.error_rows
            result.errors = checked.errors
            keys = checked.submission_keys
            if progress:
                progress(result.rows, _("Checked %(n)s rows") % {"n": f"{result.rows:,}"})
        if result.ok and not result.rows:
            result.file_problem = _("The file has no data rows.")
        if not result.ok:
            return result
        with transaction.atomic():
            submissions = _submissions_for(
                actor=actor, entity=entity, keys=keys, result=result, dry_run=dry_run
            )
            if result.file_problem:
                return result
            if checked is not None:
                _write_records(checked, submissions, result, progress, dry_run)
            else:
                _write_cells(cells, round_.year, submissions, result, dry_run)
            if not dry_run:
                _record_import(actor, actor_label, entity, filename, submissions, result)
    except FileProblem as problem:
        result.file_problem = str(problem)
    finally:
        if checked is not None:
            checked.close()
    return result


def _write_records(
    checked: bulk.CheckedFile,
    submissions: dict[SubmissionKey, Submission],
    result: ImportResult,
    progress: Progress | None,
    dry_run: bool,
) -> None:
    """Replace the records the file has again (same id), then load all of them; in a dry
    run, only count them."""
    submission_ids = {key: s.pk for key, s in submissions.items()}
    replaced = bulk.existing_ids(checked, submission_ids)
    result.updated = len(replaced)
    if dry_run:
        result.created = checked.rows - result.updated
        return
    for start in range(0, len(replaced), BATCH):
        VictimRecord.objects.filter(pk__in=replaced[start : start + BATCH]).delete()

    def saved(message: str) -> None:
        if progress:
            progress(2 * result.rows, message)

    result.created = bulk.load_records(checked, submission_ids, saved) - result.updated
    for submission in submissions.values():
        submission.record_count = submission.records.count()
        submission.save(update_fields=["record_count"])


def _record_import(
    actor: User | None,
    actor_label: str,
    entity: Entity,
    filename: str,
    submissions: dict[SubmissionKey, Submission],
    result: ImportResult,
) -> None:
    """The submissions' timeline entries and the audit event of a written import."""
    for submission in submissions.values():
        SubmissionEvent.objects.create(
            submission=submission,
            actor=actor,
            kind=SubmissionEvent.Kind.IMPORTED,
            details={"file": filename[:200], "layout": result.layout, "rows": result.rows},
        )
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
            "round": result.rounds[0] if len(result.rounds) == 1 else result.rounds,
        },
    )


@transaction.atomic
def records_delete(*, actor: User, submission: Submission) -> int:
    """Delete every victim record of a submission that can still change: a wrong import
    undone, to import the right file (who may: policies.may_delete_records; when an analyst
    does, the entity's focal points are told). Duplicate clusters left with fewer than two
    records go too. How many records were deleted."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=submission.pk)
    )
    if not policies.may_read_records(actor, submission):
        raise not_found()
    if not policies.may_delete_records(actor, submission):
        raise ValidationError(
            _("The records of this submission (%(status)s) cannot be deleted by you now.")
            % {"status": submission.get_status_display()}
        )
    own = actor.entity_id == submission.entity_id
    ids = list(submission.records.values_list("pk", flat=True))
    clusters = set(
        DuplicateMember.objects.filter(record__submission=submission).values_list(
            "cluster_id", flat=True
        )
    )
    for start in range(0, len(ids), BATCH):
        VictimRecord.objects.filter(pk__in=ids[start : start + BATCH]).delete()
    # a cluster left with one record (or none) no longer says anyone is counted twice
    emptied = (
        DuplicateCluster.objects.filter(pk__in=clusters)
        .annotate(left=Count("members"))
        .filter(left__lt=2)
    )
    dropped = emptied.count()
    DuplicateCluster.objects.filter(pk__in=emptied.values("pk")).delete()
    submission.record_count = 0
    submission.table_cache = submission.origins_cache = None
    submission.save(update_fields=["record_count", "table_cache", "origins_cache"])
    SubmissionEvent.objects.create(
        submission=submission,
        actor=actor,
        kind=SubmissionEvent.Kind.EDITED,
        comment=_("%(n)s victim records deleted.") % {"n": len(ids)},
        details={"records_deleted": len(ids)},
    )
    audit_record(
        actor=actor,
        action=StatisticsAction.RECORDS_DELETED,
        target=submission,
        details={"records": len(ids), "duplicate_clusters_dropped": dropped},
    )
    if not own:
        notify(
            list(policies.focal_points_of(submission)),
            _("Victim records deleted from your submission %(s)s") % {"s": str(submission)},
            _("An analyst deleted the %(n)s victim records of this draft.") % {"n": len(ids)},
            url=f"/statistics/submissions/{submission.pk}/",
        )
    return len(ids)
