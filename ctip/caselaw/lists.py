"""The legal officers' list of court decisions: what it searches, filters, sorts and exports.

The public search (`selectors.decision_search`) has facets of its own; this is the desk's
list of the entity's decisions, drafts included, and exports the columns it shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from ctip.caselaw.codes import DecisionStatus, Verdict
from ctip.core.codes import FormOfExploitation
from ctip.core.listing import Column, Filter, ListSpec, codes, years_back
from ctip.core.reference import country_choices

YEARS_BACK = 30  # court decisions are older than the cases


DECISIONS = ListSpec(
    name="court-decisions",
    columns=[
        Column(_lazy("Decision"), lambda d: d.title, sort="title"),
        Column(_lazy("Jurisdiction"), lambda d: d.jurisdiction),
        Column(_lazy("Date"), lambda d: d.decision_date.isoformat(), sort="decision_date"),
        Column(_lazy("Status"), lambda d: d.get_status_display(), sort="status"),
        Column(_lazy("Version"), lambda d: d.version, sort="version"),
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(DecisionStatus.choices)),
        Filter("country", _lazy("Country"), "country_id", country_choices),
        Filter(
            "year", _lazy("Year of the decision"), "decision_date__year", years_back(YEARS_BACK)
        ),
        Filter("verdict", _lazy("Verdict"), "verdict", codes(Verdict.choices)),
        Filter(
            "form",
            _lazy("Form of exploitation"),
            "forms_of_exploitation__contains",
            codes(FormOfExploitation.choices),
        ),
    ],
    search=("title", "case_number", "court", "international_body", "country__name"),
    search_hint=_lazy("Title, case number, court or country"),
    default_sort="-decision_date",
)
