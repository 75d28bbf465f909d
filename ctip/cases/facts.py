"""A case's pseudonymous fields as words (each code by its label, never the raw code), for the
case page and the timeline, and as the codes a form or an edit's history keeps."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.cases.codes import CaseStatus, RiskLevel
from ctip.cases.models import Case
from ctip.core.codes import (
    AgeBand,
    DisplacementStatus,
    FormOfExploitation,
    MeansOfControl,
    RecruiterRelation,
    Sex,
    StatusDecidedBy,
    TraffickingStatus,
)
from ctip.core.models import ConflictSituation, Country
from ctip.core.reference import country_name

# every field a caseworker enters at opening and may edit, in the order of the case page
FIELDS: dict[str, str | Promise] = {
    "identified_on": gettext_lazy("Identified on"),
    "country_of_detection": gettext_lazy("Country where identified"),
    "sex": gettext_lazy("Sex"),
    "age_band": gettext_lazy("Age"),
    "citizenship": gettext_lazy("Citizenship"),
    "languages": gettext_lazy("Languages"),
    "displacement_status": gettext_lazy("Displacement status"),
    "conflict_situation": gettext_lazy("Conflict situation"),
    "forms_of_exploitation": gettext_lazy("Forms of exploitation"),
    "means_of_control": gettext_lazy("Means of control"),
    "recruiter_relation": gettext_lazy("Recruiter"),
    "trafficking_status": gettext_lazy("Trafficking status"),
    "status_decided_by": gettext_lazy("Status decided by"),
    "risk_level": gettext_lazy("Risk level"),
    "consent_sharing": gettext_lazy("Consents to data sharing"),
    "consent_referral": gettext_lazy("Consents to referral"),
    "consent_statistics": gettext_lazy("Consents to inclusion in statistics"),
    "consent_date": gettext_lazy("Date of consent"),
    "consent_scope": gettext_lazy("Scope of consent"),
    "non_punishment": gettext_lazy("Non-punishment applies"),
}
IDENTITY_LABELS: dict[str, str | Promise] = {
    "names": gettext_lazy("Names"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "contacts": gettext_lazy("Contacts"),
    "documents": gettext_lazy("Identity documents"),
    "narrative": gettext_lazy("Narrative"),
    "best_interests": gettext_lazy("Best-interests assessment"),
}
CHOICE_LISTS: dict[str, type[models.TextChoices]] = {
    "sex": Sex,
    "age_band": AgeBand,
    "displacement_status": DisplacementStatus,
    "recruiter_relation": RecruiterRelation,
    "trafficking_status": TraffickingStatus,
    "status_decided_by": StatusDecidedBy,
    "risk_level": RiskLevel,
    "status": CaseStatus,
}
CODE_LISTS: dict[str, type[models.TextChoices]] = {
    "forms_of_exploitation": FormOfExploitation,
    "means_of_control": MeansOfControl,
}
COUNTRIES = ("citizenship", "country_of_detection")
FLAGS = ("consent_sharing", "consent_referral", "consent_statistics", "non_punishment")
DATES = ("identified_on", "consent_date")


def stored(case: Case, name: str) -> Any:
    """The field's value as a code (JSON-safe): what an edit's history keeps."""
    if name in COUNTRIES or name == "conflict_situation":
        return getattr(case, f"{name}_id")
    value = getattr(case, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def label(name: str) -> str:
    return str(FIELDS.get(name) or IDENTITY_LABELS.get(name) or name)


# (kind, stored code) → words, for the fields that name a row: "country" or "conflict_situation"
Named = dict[tuple[str, str], str]


def _kind(name: str) -> str:
    return "country" if name in COUNTRIES else name


def names_of(values: Iterable[tuple[str, Any]]) -> Named:
    """The countries and conflict situations that (field, stored value) pairs name, in
    words: one query per kind at most, however many values (a timeline of many edits)."""
    wanted: dict[str, set[str]] = {"country": set(), "conflict_situation": set()}
    for name, value in values:
        if (name in COUNTRIES or name == "conflict_situation") and value not in (None, ""):
            wanted[_kind(name)].add(str(value))
    named: Named = {}
    if wanted["country"]:
        for country in Country.objects.filter(pk__in=wanted["country"]):
            named["country", country.pk] = country_name(country)
    if wanted["conflict_situation"]:
        for situation in ConflictSituation.objects.filter(pk__in=wanted["conflict_situation"]):
            named["conflict_situation", str(situation.pk)] = situation.name
    return named


def describe(name: str, value: Any, named: Named | None = None) -> str:
    """A stored value in words, in the user's language; "—" for nothing. A country or a
    conflict situation is looked up in `named` (`names_of`), or read when not given."""
    if value in (None, ""):
        return "—"
    if name in CHOICE_LISTS:
        return str(dict(CHOICE_LISTS[name].choices).get(value, value))
    if name in CODE_LISTS:
        labels = dict(CODE_LISTS[name].choices)
        return "; ".join(str(labels.get(code, code)) for code in str(value).split(";") if code)
    if name in COUNTRIES or name == "conflict_situation":
        if named is None:
            named = names_of([(name, value)])
        return named.get((_kind(name), str(value)), str(value))
    if name in FLAGS or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in DATES:
        return datetime.date.fromisoformat(str(value)).isoformat()
    return str(value)


def case_facts(case: Case) -> list[tuple[str, str]]:
    """(label, words) of every field entered at opening, for the case page; its countries
    and conflict situation from the rows loaded with it (`selectors.case_get` joins them)."""
    named: Named = {}
    for country in (case.citizenship, case.country_of_detection):
        if country is not None:
            named["country", country.pk] = country_name(country)
    if case.conflict_situation is not None:
        named["conflict_situation", str(case.conflict_situation.pk)] = case.conflict_situation.name
    return [(label(name), describe(name, stored(case, name), named)) for name in FIELDS]


def form_initial(case: Case) -> dict[str, Any]:
    """The case's pseudonymous fields as `CaseForm` takes them (the identity is added by the
    page from the audited identity read)."""
    initial: dict[str, Any] = {}
    for name in FIELDS:
        value = stored(case, name)
        if name in CODE_LISTS:
            value = [code for code in str(value or "").split(";") if code]
        elif value is None:
            value = ""
        initial[name] = str(value) if isinstance(value, int) and name not in FLAGS else value
    return initial


def edit_lines(
    changed: list[str], changes: dict[str, Any], named: Named | None = None
) -> list[tuple[str, str | None]]:
    """An edit's timeline line: (label, previous value in words) per changed field; None for
    an identity field, whose previous value is kept encrypted and shown only with the
    audited identity read. `named`: the countries and situations of a whole timeline
    (`names_of`), read once."""
    return [
        (label(name), describe(name, changes.get(name), named) if name in FIELDS else None)
        for name in changed
    ]
