"""The lists of the trust funds' pages: what each searches, filters, sorts and exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from ctip.core.listing import Column, Filter, ListSpec, codes
from ctip.core.reference import country_choices, country_name
from ctip.funds.codes import GrantStatus

GRANTS = ListSpec(
    name="grants",
    columns=[
        Column(_lazy("Grant id"), lambda g: g.grant_id, sort="grant_id"),
        Column(_lazy("Grantee"), lambda g: g.grantee, sort="grantee"),
        Column(_lazy("Country"), lambda g: country_name(g.country)),
        Column(_lazy("Amount"), lambda g: g.amount, sort="amount"),
        Column(_lazy("Currency"), lambda g: g.currency),
        Column(_lazy("Start"), lambda g: g.start, sort="start"),
        Column(_lazy("End"), lambda g: g.end, sort="end"),
        Column(_lazy("Status"), lambda g: g.get_status_display(), sort="status"),
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(GrantStatus.choices)),
        Filter("country", _lazy("Country"), "country_id", country_choices),
    ],
    search=("grant_id", "grantee"),
    search_hint=_lazy("Grant id or grantee"),
    default_sort="-start",
    per_page=50,
)
