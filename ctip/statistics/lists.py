"""The lists of the reporting pages: what each searches, filters, sorts and exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from ctip.core.codes import AgeGroup, Sex, TraffickingStatus
from ctip.core.listing import Column, Filter, ListSpec, codes
from ctip.core.reference import country_choices, country_name
from ctip.core.templatetags.ctip_tags import exploitation_forms_filter
from ctip.statistics.codes import SubmissionStatus

SUBMISSIONS = ListSpec(
    name="submissions",
    columns=[
        Column(_lazy("Entity"), lambda s: s.entity.code, sort="entity__code"),
        Column(_lazy("Country of detection"), lambda s: country_name(s.country_of_detection)),
        Column(_lazy("Status"), lambda s: s.get_status_display(), sort="status"),
        Column(_lazy("Records"), lambda s: s.record_count, sort="record_count"),
        Column(_lazy("Submitted"), lambda s: s.submitted_at or "", sort="submitted_at"),
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(SubmissionStatus.choices)),
        Filter(
            "country",
            _lazy("Country of detection"),
            "country_of_detection_id",
            country_choices,
        ),
    ],
    search=("entity__code", "entity__name", "country_of_detection__name"),
    search_hint=_lazy("Entity or country of detection"),
    default_sort="entity__code",
    per_page=50,
)

RECORDS = ListSpec(
    name="victim-records",
    columns=[
        Column(pgettext_lazy("victim record", "Record"), lambda r: r.record_uuid),
        Column(_lazy("Year"), lambda r: r.year_of_identification),
        Column(_lazy("Sex"), lambda r: r.get_sex_display(), sort="sex"),
        Column(_lazy("Age"), lambda r: r.get_age_band_display(), sort="age_band"),
        Column(
            _lazy("Citizenship"), lambda r: country_name(r.citizenship) if r.citizenship else ""
        ),
        Column(
            _lazy("Forms of exploitation"),
            lambda r: exploitation_forms_filter(r.forms_of_exploitation),
        ),
        Column(_lazy("Trafficking status"), lambda r: r.get_trafficking_status_display()),
    ],
    filters=[
        Filter("sex", _lazy("Sex"), "sex", codes(Sex.choices)),
        Filter("age", _lazy("Age"), "age_group", codes(AgeGroup.choices)),
        Filter(
            "status",
            _lazy("Trafficking status"),
            "trafficking_status",
            codes(TraffickingStatus.choices),
        ),
    ],
    per_page=50,
)
