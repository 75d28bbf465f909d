"""The legal officers' list of national response entries: what it searches, filters, sorts and
exports (the whole public table is `response_export`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from ctip.core.listing import Column, Filter, ListSpec, years_back
from ctip.core.reference import country_choices, country_name
from ctip.countries.codes import Criminalization

YEARS_BACK = 30  # the Protocol was adopted in 2000; some laws are older


RESPONSES = ListSpec(
    name="national-responses",
    columns=[
        Column(_lazy("Country"), lambda r: country_name(r.country), sort="country__name"),
        Column(_lazy("Year"), lambda r: r.year, sort="year"),
        Column(
            _lazy("Criminalization"),
            lambda r: r.get_criminalization_display(),
            sort="criminalization",
        ),
        Column(
            _lazy("Updated"),
            lambda r: timezone.localtime(r.updated_at).date().isoformat(),
            sort="updated_at",
        ),
    ],
    filters=[
        Filter(
            "criminalization",
            _lazy("Criminalization"),
            "criminalization",
            lambda: [(value, str(label)) for value, label in Criminalization.choices],
        ),
        Filter("year", _lazy("Year"), "year", years_back(YEARS_BACK)),
        Filter("country", _lazy("Country"), "country_id", country_choices),
    ],
    search=("country__name", "country__alpha3", "legislation"),
    search_hint=_lazy("Country or legislation"),
    default_sort="country__name",
)
