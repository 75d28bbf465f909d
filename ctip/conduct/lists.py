"""The lists of the conduct app: what they search, filter, sort and export.

The register of allegations: only its columns stored in clear, never an identity, the account
of what happened or the subject's keyed hash (read through the audited
`services.identities_view`). The register of units: names, contingents and counts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from ctip.conduct.codes import AllegationStatus, Category, Outcome, PersonnelCategory
from ctip.conduct.models import Allegation, Unit
from ctip.core.listing import Column, Filter, ListSpec, codes, years_back
from ctip.core.models import Entity
from ctip.core.reference import country_choices, country_name

YEARS_BACK = 15


def _entities() -> list[tuple[str, str]]:
    return [(code, code) for code in Entity.objects.order_by("code").values_list("code", flat=True)]


def investigation_due(allegation: Allegation) -> str:
    """The deadline of an ongoing investigation, as the register shows it."""
    investigation = getattr(allegation, "investigation", None)
    if investigation is None or investigation.outcome != Outcome.ONGOING:
        return ""
    return investigation.deadline.isoformat()


ALLEGATIONS = ListSpec(
    name="allegations",
    columns=[
        Column(_lazy("Reference"), lambda a: a.reference, sort="reference"),
        Column(_lazy("Reported"), lambda a: a.reported_on.isoformat(), sort="reported_on"),
        Column(_lazy("Category"), lambda a: a.get_category_display(), sort="category"),
        Column(
            _lazy("Personnel"),
            lambda a: a.get_personnel_category_display(),
            sort="personnel_category",
        ),
        Column(
            _lazy("Contingent's nationality"),
            lambda a: country_name(a.contingent_country) if a.contingent_country else "",
        ),
        Column(_lazy("Status"), lambda a: a.get_status_display(), sort="status"),
        Column(_lazy("Investigation due"), investigation_due),
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(AllegationStatus.choices)),
        Filter("category", _lazy("Category"), "category", codes(Category.choices)),
        Filter(
            "personnel",
            _lazy("Personnel"),
            "personnel_category",
            codes(PersonnelCategory.choices),
        ),
        Filter(
            "country", _lazy("Contingent's nationality"), "contingent_country_id", country_choices
        ),
        Filter("year", _lazy("Year reported"), "reported_on__year", years_back(YEARS_BACK)),
        Filter("entity", _lazy("Entity"), "entity__code", _entities),
    ],
    search=("reference", "unit", "contingent_country__name", "entity__code"),
    search_hint=_lazy("Reference, unit, contingent or entity"),
    default_sort="-reported_on",
)


def _contingent(unit: Unit) -> str:
    return country_name(unit.country) if unit.country else ""


UNITS = ListSpec(
    name="units",
    columns=[
        Column(_lazy("Unit"), lambda u: u.name, sort="name"),
        Column(_lazy("Contingent's nationality"), _contingent, sort="country_id"),
        Column(_lazy("Mission"), lambda u: u.entity.code, sort="entity__code"),
        Column(_lazy("Allegations"), lambda u: u.allegations_count, sort="allegations_count"),
        Column(
            _lazy("Certifications"), lambda u: u.certifications_count, sort="certifications_count"
        ),
    ],
    filters=[
        Filter("country", _lazy("Contingent's nationality"), "country_id", country_choices),
        Filter("entity", _lazy("Entity"), "entity__code", _entities),
    ],
    search=("name", "key", "country__name", "entity__code"),
    search_hint=_lazy("Unit, contingent or entity"),
    default_sort="name",
)
