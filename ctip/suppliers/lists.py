"""The supplier register's list: what it searches, filters, sorts and exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from ctip.core.listing import Column, Filter, ListSpec, codes
from ctip.core.reference import country_choices, country_name
from ctip.suppliers.codes import Sector, SupplierStatus

SUPPLIERS = ListSpec(
    name="suppliers",
    columns=[
        Column(_lazy("Name"), lambda s: s.name, sort="name"),
        Column(_lazy("UNGM number"), lambda s: s.ungm_number, sort="ungm_number"),
        Column(_lazy("Country"), lambda s: country_name(s.country)),
        Column(_lazy("Sector"), lambda s: s.get_sector_display(), sort="sector"),
        Column(_lazy("Open flags"), lambda s: s.open_flags, sort="open_flags"),
        Column(_lazy("Status"), lambda s: s.get_status_display(), sort="status"),
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(SupplierStatus.choices)),
        Filter(
            "flagged", _lazy("Flags"), "open_flags__gte", lambda: [("1", _lazy("flagged only"))]
        ),
        Filter("sector", _lazy("Sector"), "sector", codes(Sector.choices)),
        Filter("country", _lazy("Country"), "country_id", country_choices),
    ],
    search=("name", "ungm_number"),
    search_hint=_lazy("Name or UNGM number"),
    default_sort="name",
    per_page=50,
)
