"""Submissions exported from KoBoToolbox and ODK Central, read as they come.

The tools write the same submission in many shapes: KoBo's CSV/XLSX with field names
(`group/field`) or with question labels in any of the form's languages as headers (its
default), ODK Central's CSV (groups joined with `-`, `meta-instanceID`), KoBo's API JSON
(`group/field` keys) and Central's OData (nested group objects, `__id`); a select_multiple
either as one space-separated column or split into `field/option` columns of 1/0 or
True/False. Here every shape becomes one row keyed by the form's field names, holding the
choice names (not labels), so `clean_screening` reads them all alike. The form itself
(`ctip.cases.xlsform`) says which names, labels and choices exist.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ctip.tabular import FileProblem

# Columns the tools add around the form's own fields; ODK Central's spellings become KoBo's.
META_ALIASES = {"meta-instanceID": "meta/instanceID", "__id": "meta/instanceID"}
TRUE_WORDS = frozenset({"1", "true", "yes"})
FALSE_WORDS = frozenset({"0", "false", "no", ""})


@dataclass(frozen=True)
class FormFields:
    """What an export of the form may hold: names, kinds, groups, labels and choices."""

    kinds: dict[str, str]  # field name → "select_one" / "select_multiple" / other type
    lists: dict[str, str]  # select field name → its choice list
    groups: frozenset[str]
    labels: dict[str, list[str]]  # label (any language, casefolded) → field names, form order
    choices: dict[str, dict[str, str]]  # list → {name or label casefolded → name}
    required: tuple[str, ...]

    @classmethod
    def from_sheets(cls, survey: list[list[object]], choice_rows: list[list[object]]) -> FormFields:
        header = [str(h) for h in survey[0]]
        label_columns = [i for i, h in enumerate(header) if h.startswith("label")]
        kinds: dict[str, str] = {}
        lists: dict[str, str] = {}
        groups: set[str] = set()
        labels: dict[str, list[str]] = {}
        required: list[str] = []
        for row in survey[1:]:
            kind, name = str(row[0]).split(" ")[0], str(row[1])
            if kind in {"begin_group", "begin group", "end_group", "end group"}:
                if kind.startswith("begin"):
                    groups.add(name)
                continue
            kinds[name] = kind
            if kind in {"select_one", "select_multiple"}:
                lists[name] = str(row[0]).split(" ")[1]
            if "required" in header and str(row[header.index("required")]) == "yes":
                required.append(name)
            for i in label_columns:
                text = str(row[i] or "").strip().casefold()
                if text and name not in labels.setdefault(text, []):
                    labels[text].append(name)
        choice_header = [str(h) for h in choice_rows[0]]
        choice_labels = [i for i, h in enumerate(choice_header) if h.startswith("label")]
        choices: dict[str, dict[str, str]] = {}
        for row in choice_rows[1:]:
            spellings = choices.setdefault(str(row[0]), {})
            name = str(row[1])
            for i in choice_labels:
                spellings.setdefault(str(row[i] or "").strip().casefold(), name)
        for spellings in choices.values():
            spellings.update({name: name for name in set(spellings.values())})
            spellings.pop("", None)
        return cls(kinds, lists, frozenset(groups), labels, choices, tuple(required))


@functools.cache
def screening_form() -> FormFields:
    from ctip.cases import xlsform

    survey, choice_rows, _settings = xlsform.rows()
    return FormFields.from_sheets(survey, choice_rows)


@dataclass
class Header:
    """What each column of the file holds, once understood."""

    fields: dict[str, str] = field(default_factory=dict)  # column → field name
    options: dict[str, tuple[str, str]] = field(default_factory=dict)  # column → (field, choice)
    by_label: bool = False


def _field_of_path(path: str, form: FormFields) -> str | None:
    """A field name from `group/field`, `group-field` (ODK Central) or the bare name."""
    last = path.rsplit("/", 1)[-1]
    if last in form.kinds:
        return last
    parts = last.split("-")
    for start in range(1, len(parts)):
        if "-".join(parts[:start]) in form.groups and "-".join(parts[start:]) in form.kinds:
            return "-".join(parts[start:])
    return None


def _option_of_path(path: str, form: FormFields) -> tuple[str, str] | None:
    """(field, choice) of a split select_multiple column, `field/option`."""
    if "/" not in path:
        return None
    head, option = path.rsplit("/", 1)
    name = _field_of_path(head, form)
    if name and form.kinds.get(name) == "select_multiple":
        spellings = form.choices.get(form.lists[name], {})
        choice = spellings.get(option) or spellings.get(option.strip().casefold())
        if choice:
            return name, choice
    return None


def read_header(columns: list[str], form: FormFields) -> Header:
    """Which field (or select_multiple option) each column is: by name first, then by the
    question label in any of the form's languages, in the form's order when two questions
    share a label."""
    header = Header()
    used: set[str] = set()
    for column in columns:
        path = META_ALIASES.get(column, column)
        if path.startswith(("_", "meta/", "__system")) or path in {"KEY", "SubmissionDate"}:
            continue
        name = _field_of_path(path, form)
        if name:
            header.fields[column] = name
            used.add(name)
            continue
        option = _option_of_path(path, form)
        if option:
            header.options[column] = option
            continue
        labelled = _field_of_label(column, form, used)
        if labelled:
            header.by_label = True
            if isinstance(labelled, tuple):
                header.options[column] = labelled
            else:
                header.fields[column] = labelled
                used.add(labelled)
    return header


def _field_of_label(column: str, form: FormFields, used: set[str]) -> str | tuple[str, str] | None:
    text = column.strip().casefold()
    candidates = form.labels.get(text)
    if candidates is None and "/" in text:  # “Group label/Question label” (hierarchy)
        candidates = form.labels.get(text.rsplit("/", 1)[-1].strip())
    if candidates:
        unused = [name for name in candidates if name not in used]
        return (unused or candidates)[0]
    if "/" in text:  # “Question label/Option label” of a split select_multiple
        question, option = text.rsplit("/", 1)
        for name in form.labels.get(question.strip(), []):
            if form.kinds.get(name) == "select_multiple":
                choice = form.choices.get(form.lists[name], {}).get(option.strip())
                if choice:
                    return name, choice
    return None


def _choice(value: str, name: str, form: FormFields) -> str:
    """The choice name for a select_one value given as its name or a label."""
    spellings = form.choices.get(form.lists[name], {})
    return spellings.get(value) or spellings.get(value.strip().casefold()) or value


def _choices(value: str, name: str, form: FormFields) -> str:
    """A select_multiple value as space-separated choice names; labels contain spaces, so
    a value of labels is matched longest label first."""
    spellings = form.choices.get(form.lists[name], {})
    words = value.split()
    if all(word in spellings.values() for word in words):
        return " ".join(words)
    rest, found = value.strip().casefold(), []
    labels = sorted(spellings, key=len, reverse=True)
    while rest:
        match = next((label for label in labels if rest.startswith(label)), None)
        if match is None:
            return value  # left for the check to refuse, naming the field
        found.append(spellings[match])
        rest = rest[len(match) :].strip()
    return " ".join(found)


def as_form_rows(
    rows: list[tuple[int, dict[str, str]]], form: FormFields | None = None, where: str = ""
) -> list[tuple[int, dict[str, str]]]:
    """Rows keyed by the form's field names with choice names as values; raises FileProblem
    when the file is not an export of the form, saying what to export instead."""
    form = form or screening_form()
    if not rows:
        return rows
    columns = list(dict.fromkeys(column for _n, row in rows for column in row))
    header = read_header(columns, form)
    found = set(header.fields.values()) | {name for name, _c in header.options.values()}
    missing = [name for name in form.required if name not in found]
    if missing:
        if header.by_label:
            raise FileProblem(
                _(
                    "The headers are question labels, and some do not match the form's "
                    "(%(fields)s not found). Export again choosing “XML values and headers” "
                    "in KoBoToolbox (or ODK Central's CSV), then import that file."
                )
                % {"fields": ", ".join(missing)}
            )
        if where:  # another form than the screening: where its XLSForm is
            raise FileProblem(
                _(
                    "The file is not an export of the form: %(fields)s not found. Collect "
                    "with the form from %(where)s."
                )
                % {"fields": ", ".join(missing), "where": where}
            )
        raise FileProblem(
            _(
                "The file is not an export of CTIP's screening form: %(fields)s not found. "
                "Collect with the form from “ctip export_xlsform screening”."
            )
            % {"fields": ", ".join(missing)}
        )
    converted = []
    for number, row in rows:
        out = {
            META_ALIASES.get(column, column): value
            for column, value in row.items()
            if column not in header.fields and column not in header.options
        }
        selected: dict[str, list[str]] = {}
        for column, (name, choice) in header.options.items():
            flag = str(row.get(column, "")).strip().casefold()
            selected.setdefault(name, [])
            if flag in TRUE_WORDS:
                selected[name].append(choice)
            elif flag not in FALSE_WORDS:
                raise FileProblem(
                    _("Row %(row)s, column %(column)s: 1 or 0 (True or False) expected.")
                    % {"row": number, "column": column}
                )
        for column, name in header.fields.items():
            value = str(row.get(column, "")).strip()
            kind = form.kinds[name]
            if kind == "select_one" and value:
                value = _choice(value, name, form)
            elif kind == "select_multiple" and value:
                value = _choices(value, name, form)
            out[name] = value
        for name, chosen in selected.items():
            out[name] = " ".join(chosen)  # the split columns are the unambiguous form
        converted.append((number, out))
    return converted
