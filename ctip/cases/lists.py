"""The lists of the case pages: what each searches, filters, sorts and exports.

Searches and exports hold only what the pages show in clear (references, codes, dates,
countries, a caseworker's name); never an identity, a note, a follow-up or a tip's text,
which are encrypted and read one at a time through the audited services."""

from __future__ import annotations

import datetime

from django.db import models as orm
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from ctip.cases import selectors
from ctip.cases.codes import (
    CaseStatus,
    Outcome,
    ReferralStatus,
    ServiceType,
    Setting,
    TipStatus,
)
from ctip.cases.models import SET_CHOICES, Case
from ctip.core.codes import FormOfExploitation, Sex
from ctip.core.listing import Column, Filter, ListSpec, codes, years_back
from ctip.core.models import User
from ctip.core.reference import country_choices, country_name
from ctip.core.templatetags.ctip_tags import exploitation_forms_filter

YEARS_BACK = 15  # the years a list offers to filter on, this one first


def _day(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _minute(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


# --- cases ------------------------------------------------------------------------------------

FOLLOW_UP_DUE = "due"  # ?follow_up=due: the home page's "Cases with a follow-up due"
MINE = "1"  # ?mine=1: the cases assigned to the user
APPROVAL_PENDING = "pending"  # ?approval=pending: plans and closures waiting for approval


def case_rows(rows: QuerySet[Case], *, user: User, today: datetime.date) -> QuerySet[Case]:
    """The selector's cases, marked for the filters that depend on the user: an open
    follow-up due by `today` (`selectors.follow_ups_due`, the home page's count), the
    caseworker, and a case plan or closure waiting for approval (`selectors.approvals_pending`).
    Marks only: no row is added, none is read that the selector did not give."""
    due = selectors.follow_ups_due(user=user, on=today).values("case_id")
    waiting = selectors.approvals_pending(user=user).values("case_id")
    return rows.annotate(
        follow_up_mark=orm.Case(
            orm.When(pk__in=due, then=orm.Value(FOLLOW_UP_DUE)), default=orm.Value("")
        ),
        approval_mark=orm.Case(
            orm.When(pk__in=waiting, then=orm.Value(APPROVAL_PENDING)), default=orm.Value("")
        ),
        mine_mark=orm.Case(
            orm.When(caseworker_id=user.pk, then=orm.Value(MINE)), default=orm.Value("")
        ),
    )


CASES = ListSpec(
    name="cases",
    columns=[
        Column(_lazy("Reference"), lambda c: c.reference, sort="reference"),
        Column(_lazy("Opened"), lambda c: _day(c.opened_at), sort="opened_at"),
        Column(_lazy("Sex"), lambda c: c.get_sex_display(), sort="sex"),
        Column(_lazy("Age"), lambda c: c.get_age_band_display()),
        Column(
            _lazy("Citizenship"), lambda c: country_name(c.citizenship) if c.citizenship else ""
        ),
        Column(
            _lazy("Forms of exploitation"),
            lambda c: exploitation_forms_filter(c.forms_of_exploitation),
        ),
        Column(
            _lazy("Caseworker"),
            lambda c: c.caseworker.full_name if c.caseworker else "",
            sort="caseworker__full_name",
        ),
        Column(_lazy("Status"), lambda c: c.get_status_display(), sort="status"),
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(CaseStatus.choices)),
        Filter(
            "follow_up",
            _lazy("Follow-ups"),
            "follow_up_mark",
            lambda: [(FOLLOW_UP_DUE, _lazy("Due today or overdue"))],
        ),
        Filter("mine", _lazy("Caseworker"), "mine_mark", lambda: [(MINE, _lazy("Assigned to me"))]),
        Filter(
            "approval",
            _lazy("Approval"),
            "approval_mark",
            lambda: [(APPROVAL_PENDING, _lazy("Case plan or closure waiting for approval"))],
        ),
        Filter(
            "form",
            _lazy("Form of exploitation"),
            "forms_of_exploitation__contains",
            codes(FormOfExploitation.choices),
        ),
        Filter("year", _lazy("Year opened"), "opened_at__year", years_back(YEARS_BACK)),
        Filter("citizenship", _lazy("Citizenship"), "citizenship_id", country_choices),
        Filter("sex", _lazy("Sex"), "sex", codes(Sex.choices)),
    ],
    search=("reference", "citizenship__name", "caseworker__full_name"),
    search_hint=_lazy(
        "Case reference, citizenship or caseworker — never a name of a person assisted"
    ),
    default_sort="-opened_at",
)

# --- screenings -------------------------------------------------------------------------------

SCREENINGS = ListSpec(
    name="screenings",
    columns=[
        Column(_lazy("Date"), lambda s: s.screened_on.isoformat(), sort="screened_on"),
        Column(_lazy("Setting"), lambda s: s.get_setting_display(), sort="setting"),
        Column(_lazy("Indicators"), lambda s: s.get_indicator_set_display(), sort="indicator_set"),
        Column(_lazy("Yes answers"), lambda s: s.yes_count),
        Column(_lazy("Outcome"), lambda s: s.get_outcome_display(), sort="outcome"),
        Column(_lazy("Case"), lambda s: s.case.reference if s.case else ""),
    ],
    filters=[
        Filter("outcome", _lazy("Outcome"), "outcome", codes(Outcome.choices)),
        Filter("setting", _lazy("Setting"), "setting", codes(Setting.choices)),
        Filter("indicators", _lazy("Indicators"), "indicator_set", codes(SET_CHOICES)),
        Filter("year", _lazy("Year"), "screened_on__year", years_back(YEARS_BACK)),
    ],
    search=("case__reference", "place"),
    search_hint=_lazy("Case reference or place"),
    default_sort="-screened_on",
)

# --- referrals to the user's entity -----------------------------------------------------------

REFERRALS = ListSpec(
    name="referrals",
    columns=[
        Column(_lazy("Received"), lambda r: _day(r.created_at), sort="created_at"),
        Column(_lazy("From"), lambda r: r.case.entity.code, sort="case__entity__code"),
        Column(_lazy("Services"), lambda r: r.services),
        Column(_lazy("Status"), lambda r: r.get_status_display(), sort="status"),
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(ReferralStatus.choices)),
        Filter("service", _lazy("Service"), "services__contains", codes(ServiceType.choices)),
        Filter("year", _lazy("Year"), "created_at__year", years_back(YEARS_BACK)),
    ],
    search=("case__entity__code", "case__entity__name", "services"),
    search_hint=_lazy("Sending entity or service"),
    default_sort="-created_at",
)

# --- anonymous tips ---------------------------------------------------------------------------

TIPS = ListSpec(
    name="tips",
    columns=[
        Column(_lazy("Received"), lambda t: _minute(t.received_at), sort="received_at"),
        Column(_lazy("Status"), lambda t: t.get_status_display(), sort="status"),
        Column(_lazy("Note"), lambda t: t.triage_note),  # the triage note, never the tip
    ],
    filters=[
        Filter("status", _lazy("Status"), "status", codes(TipStatus.choices)),
        Filter("year", _lazy("Year"), "received_at__year", years_back(YEARS_BACK)),
    ],
    search=("triage_note",),
    search_hint=_lazy("Triage note (never the text of a tip)"),
    default_sort="-received_at",
)
