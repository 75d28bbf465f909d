"""Checking and loading victim-record files in bulk.

A row-by-row reader in Python spends minutes on a million rows. Here DuckDB reads the file
once and checks every column of every row together, following the layout's declarations
(`ctip.statistics.layouts`, the one place the spellings, defaults and messages live); the
checked rows then go to the database by COPY on PostgreSQL and by prepared multi-row inserts
on SQLite, inside the caller's transaction. Nothing is loaded unless every row passed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from django.db import connection, models
from django.utils.translation import gettext as _

from ctip.core.codes import AgeBand, DisplacementStatus, TraffickingStatus
from ctip.linkage.keys import KEY_BYTES
from ctip.statistics.layouts import (
    COUNTRY_NULL_WORDS,
    FLAG_SPELLINGS,
    NULL_WORDS,
    CodeListColumn,
    Column,
    Context,
    RecordLayout,
    RowError,
    expected,
)
from ctip.statistics.models import VictimRecord
from ctip.tabular import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    CsvFile,
    FileProblem,
    Source,
    too_many_rows,
    write_csv_file,
)

MAX_ERRORS_KEPT = 1000
FETCH_ROWS = 20_000

# Every record field, and its value when a layout does not fill it.
RECORD_DEFAULTS: dict[str, str | None] = {
    "year_of_identification": None,
    "country_of_detection": None,
    "citizenship_id": None,
    "sex": None,
    "age_band": AgeBand.UNKNOWN,
    "recruiter_relation": "",
    "trafficking_status": TraffickingStatus.POSSIBLE,
    "status_decided_by": "",
    "conflict_situation_id": None,
    "displacement_status": DisplacementStatus.UNKNOWN,
    "armed_group_involved": None,
    "terrorist_group_involved": None,
    "forms_of_exploitation": "",
    "means_of_control": "",
    "linkage_key": "",
}


def literal(value: str | None) -> str:
    """A SQL string literal (values come from our code lists, quoted all the same)."""
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def in_list(values: Iterable[str]) -> str:
    return "(" + ", ".join(literal(v) for v in sorted(values)) + ")"


def code_list(codes: Iterable[str]) -> str:
    return "[" + ", ".join(literal(c) for c in codes) + "]::VARCHAR[]"


def case_map(expression: str, spellings: dict[str, str], otherwise: str = "NULL") -> str:
    whens = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in spellings.items())
    return f"CASE {expression} {whens} ELSE {otherwise} END"


@dataclass
class Check:
    """One test of one column: `bad` is true on the rows that fail it."""

    column: str
    raw: str
    bad: str
    expected: str


@dataclass
class CheckedFile:
    """The outcome of checking a file: the rows, the errors, and DuckDB holding the records."""

    rows: int = 0
    error_count: int = 0
    error_rows: int = 0  # rows with at least one error
    errors: list[RowError] = field(default_factory=list)
    # (year, country of detection) of every row: the submissions the file goes into
    submission_keys: set[tuple[int, str]] = field(default_factory=set)
    duck: duckdb.DuckDBPyConnection | None = None
    folder: tempfile.TemporaryDirectory[str] | None = None

    def close(self) -> None:
        if self.duck is not None:
            self.duck.close()
        if self.folder is not None:
            self.folder.cleanup()


class Compiler:
    """Turns a record layout and a file's header into the SQL that checks and maps it."""

    def __init__(self, layout: RecordLayout, header: list[str], ctx: Context) -> None:
        self.layout, self.header, self.ctx = layout, header, ctx
        self.index: dict[str, int] = {}
        for i, name in enumerate(header):
            self.index.setdefault(name, i)
        self.values: dict[str, str] = {}
        self.checks: list[Check] = []
        self.joins: list[str] = []
        self.before: list[str] = []  # tables the checks read, made before the main query
        self.flag_checked: set[str] = set()
        self.code_sets: dict[str, list[str]] = {}  # field → SQL lists whose union it holds

    def raw(self, name: str) -> str:
        i = self.index.get(name)
        return "''" if i is None else f"coalesce(trim(s.c{i}), '')"

    def present(self, name: str) -> bool:
        return name in self.index

    def check(self, column: str, bad: str, message: str) -> None:
        if self.present(column):
            self.checks.append(Check(column, self.raw(column), bad, message))

    def compile(self) -> None:
        for i, name in enumerate(self.header):
            self.checks.append(
                Check(
                    name,
                    f"coalesce(s.c{i}, '')",
                    f"length(coalesce(s.c{i}, '')) > {MAX_CELL_CHARS}",
                    _("at most %(n)s characters") % {"n": MAX_CELL_CHARS},
                )
            )
        years = self.ctx.round_years if self.layout.multi_year else None
        for column in self.layout.columns:
            getattr(self, f"column_{column.kind}")(column, expected(column, self.ctx.year, years))
        for listed in self.layout.code_lists:
            self.code_list(listed)
        for flags in self.layout.flags:
            present = [(name, codes) for name, codes in flags.columns if self.present(name)]
            if flags.many:
                if not present:
                    continue  # a file without these columns (CTDC with no means columns)
                self.code_sets.setdefault(flags.target, []).extend(
                    f"CASE WHEN {self.flag(name)} THEN {code_list(codes)} ELSE [] END"
                    for name, codes in present
                )
            else:
                whens = " ".join(
                    f"WHEN {self.flag(name)} THEN {literal(codes[0])}" for name, codes in present
                )
                self.values[flags.target] = f"CASE {whens} ELSE '' END" if whens else "''"
        for target, lists in self.code_sets.items():
            union = f"list_concat({', '.join(lists)})" if len(lists) > 1 else lists[0]
            self.values[target] = f"array_to_string(list_sort(list_distinct({union})), ';')"
        for name, value in self.layout.constants.items():
            self.values[name] = literal(value)

    def column_year(self, column: Column, messages: list[str]) -> None:
        raw = self.raw(column.name)
        year = f"TRY_CAST(TRY_CAST({raw} AS DOUBLE) AS INTEGER)"
        self.values[column.target] = year
        self.check(column.name, f"{year} IS NULL", messages[0])
        if self.layout.multi_year:
            years = ", ".join(str(y) for y in sorted(self.ctx.round_years))
            outside = f"{year} NOT IN ({years})" if years else f"{year} IS NOT NULL"
            self.check(column.name, outside, messages[1])
        else:
            self.check(column.name, f"{year} <> {self.ctx.year}", messages[1])

    def column_country(self, column: Column, messages: list[str]) -> None:
        raw = f"upper({self.raw(column.name)})"
        alias = f"country_{len(self.joins)}"
        self.joins.append(f"LEFT JOIN countries {alias} ON {alias}.spelling = {raw}")
        default = None
        if column.required and self.ctx.default_country:
            default = self.ctx.countries.get(self.ctx.default_country.upper())
        empty = f"lower({raw}) IN {in_list(COUNTRY_NULL_WORDS)}"
        value = f"CASE WHEN {empty} THEN {literal(default)} ELSE {alias}.code END"
        self.values[column.target] = value
        self.check(column.name, f"NOT {empty} AND {alias}.code IS NULL", messages[0])
        if column.required and default is None:
            self.check(column.name, empty, messages[1])

    def column_code(self, column: Column, messages: list[str]) -> None:
        raw = f"lower({self.raw(column.name)})"
        mapped = case_map(raw, column.spellings())
        empty = f"{raw} IN {in_list(NULL_WORDS)}"
        value = f"CASE WHEN {empty} THEN {literal(column.default)} ELSE {mapped} END"
        self.values[column.target] = value
        self.check(column.name, f"({value}) IS NULL", messages[0])

    def column_flag(self, column: Column, messages: list[str]) -> None:
        self.values[column.target] = self.flag(column.name, messages[0])

    def flag(self, name: str, message: str = "") -> str:
        """The flag's value (true/false/NULL) as SQL, checking its spelling once."""
        raw = f"lower({self.raw(name)})"
        truthy = [k for k, v in FLAG_SPELLINGS.items() if v]
        falsy = [k for k, v in FLAG_SPELLINGS.items() if not v]
        if name not in self.flag_checked:
            self.flag_checked.add(name)
            bad = f"{raw} NOT IN {in_list([*FLAG_SPELLINGS, *NULL_WORDS])}"
            self.check(name, bad, message or expected(Column(name, "", "flag"), 0)[0])
        return (
            f"CASE WHEN {raw} IN {in_list(truthy)} THEN true "
            f"WHEN {raw} IN {in_list(falsy)} THEN false END"
        )

    def column_uuid(self, column: Column, messages: list[str]) -> None:
        raw = self.raw(column.name)
        self.values["given_uuid"] = f"TRY_CAST(NULLIF({raw}, '') AS UUID)"
        self.check(column.name, f"{raw} <> '' AND TRY_CAST({raw} AS UUID) IS NULL", messages[0])
        repeated = (
            f"{raw} <> '' AND row_number() OVER (PARTITION BY lower({raw}) ORDER BY s.row_no) > 1"
        )
        self.check(column.name, repeated, messages[1])

    def column_linkage_key(self, column: Column, messages: list[str]) -> None:
        raw = self.raw(column.name)
        key = f"TRY(from_base64({raw}))"
        self.values[column.target] = f"CASE WHEN {raw} = '' THEN '' ELSE to_base64({key}) END"
        self.check(
            column.name,
            f"{raw} <> '' AND coalesce(octet_length({key}), 0) <> {KEY_BYTES}",
            messages[0],
        )

    def column_conflict(self, column: Column, messages: list[str]) -> None:
        raw = self.raw(column.name)
        alias = f"conflict_{len(self.joins)}"
        self.joins.append(f"LEFT JOIN conflicts {alias} ON {alias}.spelling = lower({raw})")
        self.values[column.target] = f"{alias}.id"
        self.check(column.name, f"{raw} <> '' AND {alias}.id IS NULL", messages[0])

    def code_list(self, listed: CodeListColumn) -> None:
        if not self.present(listed.name):
            return
        raw = self.raw(listed.name)
        spellings = Column(listed.name, "", "code", listed.choices).spellings()
        table = f"codes_{listed.target}"
        self.before.append(
            f"CREATE TABLE {table} AS SELECT row_no, list(code) AS codes, "
            "bool_or(code IS NULL) AS bad FROM ("
            f"SELECT row_no, {case_map('lower(part)', spellings)} AS code FROM ("
            f"SELECT s.row_no, trim(unnest(string_split(replace({raw}, ',', ';'), ';'))) AS part "
            f"FROM src s) WHERE part <> '') GROUP BY row_no"
        )
        self.joins.append(f"LEFT JOIN {table} ON {table}.row_no = s.row_no")
        self.check(listed.name, f"coalesce({table}.bad, false)", expected(listed, self.ctx.year)[0])
        self.code_sets.setdefault(listed.target, []).append(
            f"list_filter(coalesce({table}.codes, []), lambda x: x IS NOT NULL)"
        )

    def checked_sql(self, entity_code: str) -> str:
        values = {**{k: literal(v) for k, v in RECORD_DEFAULTS.items()}, **self.values}
        content = " || '\x1f' || ".join(f"coalesce(s.c{i}, '')" for i in range(len(self.header)))
        occurrence = (
            "row_number() OVER (PARTITION BY "
            + ", ".join(f"s.c{i}" for i in range(len(self.header)))
            + " ORDER BY s.row_no)"
        )
        # Rows without an id get one from their content (and how often it came before), so
        # importing the same file twice replaces instead of adding.
        scope = (
            f"{entity_code}|{self.layout.name}|"
            if self.layout.multi_year
            else (f"{entity_code}|{self.ctx.year}|")
        )
        derived = f"CAST(md5({literal(scope)} || {content} || '|' || {occurrence}) AS UUID)"
        given = values.pop("given_uuid", "NULL")
        columns = [
            "s.row_no",
            f"coalesce({given}, {derived}) AS record_uuid",
            *(f"{expression} AS {name}" for name, expression in values.items()),
            *(f"({check.bad}) AS bad_{k}" for k, check in enumerate(self.checks)),
        ]
        blank = " AND ".join(f"coalesce(trim(s.c{i}), '') = ''" for i in range(len(self.header)))
        return (
            f"CREATE TABLE checked AS SELECT {', '.join(columns)} "
            f"FROM src s {' '.join(self.joins)} WHERE NOT ({blank})"
        )


def check_file(
    *,
    data: Source,
    filename: str,
    layout: RecordLayout,
    ctx: Context,
    entity_code: str,
    header: list[str] | None = None,
    max_rows: int = MAX_ROWS,
    encoding: str = "",
) -> CheckedFile:
    """Read and check every row; the caller closes the result. Raises FileProblem."""
    checked = CheckedFile(folder=tempfile.TemporaryDirectory(prefix="ctip-import-"))
    try:
        assert checked.folder is not None
        source = write_csv_file(
            data, filename, Path(checked.folder.name) / "source.csv", max_rows, encoding
        )
        duck = checked.duck = duckdb.connect(
            config={"threads": 2, "memory_limit": "512MB", "temp_directory": checked.folder.name}
        )
        compiler = Compiler(layout, source.header, ctx)
        load_source(duck, source)
        if duck.execute("SELECT count(*) FROM src").fetchone()[0] > max_rows:  # type: ignore[index]
            raise too_many_rows(max_rows)
        _reference_tables(duck, ctx)
        compiler.compile()
        for statement in compiler.before:
            duck.execute(statement)
        duck.execute(compiler.checked_sql(entity_code))
        _collect_errors(duck, compiler.checks, checked)
        checked.rows = duck.execute("SELECT count(*) FROM checked").fetchone()[0]  # type: ignore[index]
        if not checked.error_count:
            checked.submission_keys = {
                (int(year), code)
                for year, code in duck.execute(
                    "SELECT DISTINCT year_of_identification, country_of_detection FROM checked"
                ).fetchall()
            }
    except BaseException:
        checked.close()
        raise
    return checked


def load_source(duck: duckdb.DuckDBPyConnection, source: CsvFile) -> None:
    """The file as table `src`: its row number, then c0, c1... as text, as written."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(source.header))) + "}"
    try:
        duck.execute(
            "CREATE TABLE src AS SELECT row_number() OVER () + 1 AS row_no, * "
            "FROM read_csv(?, header = false, skip = 1, delim = ?, quote = ?, escape = ?, "
            f"all_varchar = true, null_padding = true, auto_detect = false, parallel = false, "
            f"columns = {columns})",
            [str(source.path), source.delimiter, source.quotechar, source.quotechar],
        )
    except duckdb.Error as error:
        raise FileProblem(_("Broken CSV: %(error)s") % {"error": reader_error(error)}) from None


def reader_error(error: Exception) -> str:
    """DuckDB's reader message, without its advice on reader options."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    kept = []
    for line in lines:
        if line.startswith("Possible fixes") or line.startswith("file ="):
            break
        kept.append(line.removeprefix("Invalid Input Error: "))
    return " ".join(kept)[:300]


def _reference_tables(duck: duckdb.DuckDBPyConnection, ctx: Context) -> None:
    duck.execute("CREATE TABLE countries (spelling VARCHAR, code VARCHAR)")
    duck.executemany("INSERT INTO countries VALUES (?, ?)", list(ctx.countries.items()))
    duck.execute("CREATE TABLE conflicts (spelling VARCHAR, id INTEGER)")
    rows = list(ctx.conflicts.items())
    if rows:
        duck.executemany("INSERT INTO conflicts VALUES (?, ?)", rows)


def _collect_errors(
    duck: duckdb.DuckDBPyConnection, checks: list[Check], checked: CheckedFile
) -> None:
    if not checks:
        return
    any_bad = " OR ".join(f"bad_{k}" for k in range(len(checks)))
    found = duck.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (bad_{k})" for k in range(len(checks)))
        + f", count(*) FILTER ({any_bad}) FROM checked"
    ).fetchone()
    assert found is not None
    *counts, checked.error_rows = found
    failing = [k for k, n in enumerate(counts) if n]
    checked.error_count = sum(counts)
    if not failing:
        return
    query = " UNION ALL ".join(
        f"SELECT s.row_no, {k} AS k, {checks[k].raw} AS value "
        f"FROM checked c JOIN src s USING (row_no) WHERE c.bad_{k}"
        for k in failing
    )
    for row_no, k, value in duck.execute(
        f"SELECT * FROM ({query}) ORDER BY row_no, k LIMIT {MAX_ERRORS_KEPT}"
    ).fetchall():
        checks_k = checks[k]
        checked.errors.append(RowError(row_no, checks_k.column, value or "", checks_k.expected))


# --- Loading into the database -----------------------------------------------------------------

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
    "forms_of_exploitation",
    "means_of_control",
    "linkage_key",
]
AGE_GROUPS = {band.value: band.age_group.value for band in AgeBand}


SubmissionIds = dict[tuple[int, str], int]  # (year, country of detection) → submission id


def load_records(
    checked: CheckedFile,
    submission_ids: SubmissionIds,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Write the checked records into their submissions; return how many were written.
    Runs inside the caller's transaction. Records already there with the same id must have
    been removed first (see `existing_ids`)."""
    _with_submissions(checked, submission_ids)
    uuid_text = (
        "CAST(record_uuid AS VARCHAR)"
        if connection.features.has_native_uuid_field
        else "replace(CAST(record_uuid AS VARCHAR), '-', '')"
    )
    query = (
        f"SELECT b.submission_id, {uuid_text} AS record_uuid, c.year_of_identification, "
        f"c.citizenship_id, c.sex, c.age_band, {case_map('c.age_band', AGE_GROUPS)} AS age_group, "
        "c.recruiter_relation, c.trafficking_status, c.status_decided_by, "
        "c.conflict_situation_id, c.displacement_status, c.armed_group_involved, "
        "c.terrorist_group_involved, c.forms_of_exploitation, c.means_of_control, "
        "c.linkage_key FROM checked c JOIN subs b ON b.country = c.country_of_detection "
        "AND b.year = c.year_of_identification "
        "ORDER BY b.submission_id, c.record_uuid"
    )
    _copy(checked, VictimRecord, RECORD_COLUMNS, query)
    if progress:
        progress(_("Saved %(n)s records") % {"n": f"{checked.rows:,}"})
    return checked.rows


def existing_ids(checked: CheckedFile, submission_ids: SubmissionIds) -> list[int]:
    """Ids of records already in these submissions that the file replaces (same record id)."""
    duck = _with_submissions(checked, submission_ids)
    found = list(
        VictimRecord.objects.filter(submission_id__in=submission_ids.values()).values_list(
            "pk", "submission_id", "record_uuid"
        )
    )
    if not found:
        return []
    duck.execute("CREATE TABLE existing (id BIGINT, submission_id BIGINT, record_uuid UUID)")
    duck.executemany("INSERT INTO existing VALUES (?, ?, ?)", [(a, b, str(c)) for a, b, c in found])
    return [
        pk
        for (pk,) in duck.execute(
            "SELECT e.id FROM existing e JOIN subs b USING (submission_id) "
            "JOIN checked c ON c.country_of_detection = b.country "
            "AND c.year_of_identification = b.year AND c.record_uuid = e.record_uuid"
        ).fetchall()
    ]


def _with_submissions(
    checked: CheckedFile, submission_ids: SubmissionIds
) -> duckdb.DuckDBPyConnection:
    """DuckDB with a `subs` table: (year, country of detection) → submission id."""
    duck = checked.duck
    assert duck is not None
    duck.execute(
        "CREATE OR REPLACE TABLE subs (year INTEGER, country VARCHAR, submission_id BIGINT)"
    )
    rows = [(year, country, pk) for (year, country), pk in submission_ids.items()]
    if rows:
        duck.executemany("INSERT INTO subs VALUES (?, ?, ?)", rows)
    return duck


def _copy(checked: CheckedFile, model: type[models.Model], columns: list[str], query: str) -> None:
    """Write the rows of a DuckDB query into a model's table."""
    duck = checked.duck
    assert duck is not None and checked.folder is not None
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            path = Path(checked.folder.name) / f"{model._meta.db_table}.csv"
            # Quoting every value keeps empty strings apart from NULL, which COPY writes bare.
            duck.execute(f"COPY ({query}) TO '{path}' (FORMAT csv, HEADER false, FORCE_QUOTE *)")
            with (
                cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy,
                path.open("rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            path.unlink()
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        result = duck.execute(query)
        while rows := result.fetchmany(FETCH_ROWS):
            cursor.executemany(sql, rows)
