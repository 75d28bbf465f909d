"""The monitors' register of incidents: what it searches, filters, sorts and exports.

Only the columns stored in clear (reference, dates, situation, area, perpetrator, counts,
status); never the narrative or the sources (`IncidentDetails`, read by the audited
services) nor an abductee."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from ctip.core.listing import Column, Filter, ListSpec, codes, years_back
from ctip.core.reference import country_choices, country_name
from ctip.core.selectors import conflict_situations
from ctip.incidents.codes import Verification, Violation
from ctip.incidents.models import Incident

YEARS_BACK = 15


def _situations() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in conflict_situations().values_list("pk", "name")]


def _dates(incident: Incident) -> str:
    first = incident.date.isoformat()
    return f"{first} – {incident.date_to.isoformat()}" if incident.date_to else first


INCIDENTS = ListSpec(
    name="incidents",
    columns=[
        Column(_lazy("Reference"), lambda i: i.reference, sort="reference"),
        Column(_lazy("Date"), _dates, sort="date"),
        Column(_lazy("Situation"), lambda i: i.situation.name, sort="situation__name"),
        Column(_lazy("Area"), lambda i: i.admin1, sort="admin1"),
        Column(_lazy("Country"), lambda i: country_name(i.country), sort="country__name"),
        Column(_lazy("Perpetrator"), lambda i: i.party.name if i.party else "", sort="party__name"),
        Column(_lazy("Victims"), lambda i: i.victims, sort="victims"),
        Column(_lazy("Status"), lambda i: i.get_status_display(), sort="status"),
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(Verification.choices)),
        Filter("situation", _lazy("Conflict situation"), "situation_id", _situations),
        Filter("violation", _lazy("Violation"), "violations__contains", codes(Violation.choices)),
        Filter("country", _lazy("Country"), "country_id", country_choices),
        Filter("year", _lazy("Year"), "year", years_back(YEARS_BACK)),
    ],
    search=(
        "reference",
        "external_id",
        "admin1",
        "party__name",
        "situation__name",
        "country__name",
    ),
    search_hint=_lazy("Reference, area, perpetrator, situation or country"),
    default_sort="-date",
)
