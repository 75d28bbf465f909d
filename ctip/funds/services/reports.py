"""Reports of assistance delivered: scheduled with each grant (one per twelve months of it,
due 30 days after), recorded from the grantee's figures or filled from the services it
delivered in CTIP's cases, reminders of those due and overdue, and the public figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.cases import selectors as cases
from ctip.cases.codes import ServiceType
from ctip.core.audit import audit_record
from ctip.core.codes import FormOfExploitation, Role, Sex
from ctip.core.models import User
from ctip.core.policies import not_found, require_role
from ctip.core.services import notify
from ctip.funds import policies
from ctip.funds.codes import AGES, SEXES, FundsAction
from ctip.funds.models import Fund, Grant, Report
from ctip.statistics.disclosure import Shown, shown, suppress_groups

DUE_AFTER = datetime.timedelta(days=30)
SOON = datetime.timedelta(days=14)
SHORTEST = datetime.timedelta(days=90)
PUBLISHED_AFTER = datetime.timedelta(days=183)
MAX_VICTIMS = 1_000_000
MAX_TEXT = 10_000
PARTS = {
    "by_sex": [str(s) for s in SEXES],
    "by_age": [str(a) for a in AGES],
    "by_form": list(FormOfExploitation.values),
    "by_service": list(ServiceType.values),
}


def _year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def periods(grant: Grant) -> list[tuple[datetime.date, datetime.date]]:
    """Twelve months each from the grant's start; a remainder under three months joins the
    last period."""
    found, start = [], grant.start
    while start <= grant.end:
        end = _year_later(start) - datetime.timedelta(days=1)
        if grant.end - end < SHORTEST:  # a few days or weeks left: part of this period
            end = grant.end
        found.append((start, end))
        start = end + datetime.timedelta(days=1)
    return found


def schedule_reports(grant: Grant) -> None:
    """One report per period, due 30 days after it. When the grant's dates change, a report
    not yet recorded keeps its place (and its reminders) if its period is the same, goes if
    not; a period overlapping a recorded report is not scheduled (nobody counted twice)."""
    wanted = periods(grant)
    reports = list(Report.objects.filter(grant=grant))
    recorded = [(r.period_start, r.period_end) for r in reports if r.submitted_at]
    for report in reports:
        if not report.submitted_at and (report.period_start, report.period_end) not in wanted:
            report.delete()
    have = {(r.period_start, r.period_end) for r in reports if r.pk and r.submitted_at is None}
    have |= set(recorded)
    Report.objects.bulk_create(
        Report(grant=grant, period_start=start, period_end=end, due_on=end + DUE_AFTER)
        for start, end in wanted
        if (start, end) not in have
        and not any(start <= done_end and done_start <= end for done_start, done_end in recorded)
    )


def clean_figures(raw: dict[str, Any]) -> dict[str, Any]:
    """Victims assisted (each once) and the four breakdowns; by sex and by age each add up
    to the victims, by form and by service each stay within them (a victim may count under
    several). ValidationError names each bad field."""
    errors: dict[str, str] = {}

    def number(value: Any, name: str) -> int:
        try:
            found = int(str(value if value not in (None, "") else 0).strip())
        except ValueError:
            found = -1
        if not 0 <= found <= MAX_VICTIMS:
            errors[name] = _("A whole number from 0 to %(n)s.") % {"n": f"{MAX_VICTIMS:,}"}
        return max(found, 0)

    victims = number(raw.get("victims"), "victims")
    values: dict[str, Any] = {"victims": victims}
    for part, codes in PARTS.items():
        given = raw.get(part) or {}
        if not isinstance(given, dict):
            errors[part] = _("Counts by code.")
            given = {}
        unknown = sorted(set(given) - set(codes))
        if unknown:
            errors[part] = _("Codes from: %(codes)s") % {"codes": ", ".join(codes)}
        counts = {
            c: number(given.get(c), f"{part}.{c}")
            for c in codes
            if given.get(c) not in (None, "", 0, "0")
        }
        values[part] = counts
        total = sum(counts.values())
        if part in ("by_sex", "by_age") and total != victims:
            errors.setdefault(
                part,
                _("These add up to %(total)s, not to the %(victims)s victims assisted.")
                % {"total": total, "victims": victims},
            )
        if part in ("by_form", "by_service") and any(n > victims for n in counts.values()):
            errors.setdefault(
                part, _("No count above the %(victims)s victims assisted.") % {"victims": victims}
            )
    narrative = str(raw.get("narrative") or "").strip()
    if len(narrative) > MAX_TEXT:
        errors["narrative"] = _("At most %(n)s characters.") % {"n": f"{MAX_TEXT:,}"}
    values["narrative"] = narrative
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def report_submit(*, actor: User, report: Report, raw: dict[str, Any]) -> Report:
    """The grantee's figures for the period, recorded by the fund manager; once (the public
    figures must not change under anyone's eyes: a correction is a new, audited decision of
    the CTIP operator, not an edit)."""
    report = Report.objects.select_for_update().select_related("grant__fund").get(pk=report.pk)
    policies.require_fund(actor, report.grant.fund)
    return _record(actor, report, raw, from_cases=False)


@transaction.atomic
def report_from_cases(*, actor: User, report: Report, narrative: str = "") -> Report:
    """The grantee itself sends the figures of the services it delivered in the period, as
    CTIP counts them in its cases: only its focal point may (the entity's consent), and only
    for a period of three months or more (no day-by-day counts)."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("grant__fund", "grant__grantee_entity")
        .get(pk=report.pk)
    )
    grantee = report.grant.grantee_entity
    require_role(actor, Role.FOCAL_POINT)
    if grantee is None or grantee.pk != actor.entity_id:
        raise not_found()
    if report.period_end - report.period_start < SHORTEST:
        raise ValidationError({"victims": _("A period of three months or more.")})
    figures = cases.assisted_by(grantee, report.period_start, report.period_end)
    return _record(actor, report, {**figures, "narrative": narrative}, from_cases=True)


def _record(actor: User, report: Report, raw: dict[str, Any], *, from_cases: bool) -> Report:
    if report.submitted_at is not None:
        raise ValidationError({"victims": _("This report was recorded already.")})
    if report.period_start > timezone.localdate():
        raise ValidationError({"victims": _("This period has not begun.")})
    values = clean_figures(raw)
    for key, value in values.items():
        setattr(report, key, value)
    report.from_cases, report.submitted_at = from_cases, timezone.now()
    report.save()
    audit_record(
        actor=actor,
        action=FundsAction.REPORT_SUBMITTED,
        target=report.grant,
        entity=report.grant.fund.entity,
        details={"report": report.pk, "victims": values["victims"], "from_cases": int(from_cases)},
    )
    return report


def reports_for_grantee(user: User) -> QuerySet[Report]:
    """The reports of grants naming the focal point's entity as grantee: what it may send."""
    require_role(user, Role.FOCAL_POINT)
    return (
        Report.objects.filter(grant__grantee_entity_id=user.entity_id)
        .select_related("grant__fund")
        .defer("narrative")
        .order_by("due_on")
    )


def reports_due(fund: Fund, today: datetime.date | None = None) -> QuerySet[Report]:
    """Reports not submitted whose period has ended, soonest due first (overdue included)."""
    today = today or timezone.localdate()
    return (
        Report.objects.filter(grant__fund=fund, submitted_at__isnull=True, period_end__lt=today)
        .exclude(grant__status="cancelled")
        .select_related("grant")
        .order_by("due_on")
    )


def report_reminders(today: datetime.date | None = None) -> int:
    """Tell each fund's managers of reports due within 14 days and of those overdue; each
    report and kind once. Run daily (`ctip funds_reminders`, or cron)."""
    today = today or timezone.localdate()
    told = 0
    for report in (
        Report.objects.filter(submitted_at__isnull=True, due_on__lte=today + SOON)
        .exclude(grant__status="cancelled")
        .select_related("grant__fund")
    ):
        kind = "overdue" if report.due_on < today else "due_soon"
        if kind in report.reminded:
            continue
        told += _remind(report.pk, kind, today)
    return told


@transaction.atomic
def _remind(report_pk: int, kind: str, today: datetime.date) -> int:
    report = Report.objects.select_for_update().select_related("grant__fund").get(pk=report_pk)
    if kind in report.reminded:
        return 0
    fund = report.grant.fund
    managers = list(
        User.objects.filter(entity_id=fund.entity_id, role=Role.FUND_MANAGER, is_active=True)
    )
    subject = (
        _("Report overdue: grant %(grant)s")
        if kind == "overdue"
        else _("Report due soon: grant %(grant)s")
    ) % {"grant": report.grant.grant_id}
    body = _("The report of grant %(grant)s for %(start)s to %(end)s is due on %(due)s.") % {
        "grant": report.grant.grant_id,
        "start": report.period_start.isoformat(),
        "end": report.period_end.isoformat(),
        "due": report.due_on.isoformat(),
    }
    notify(managers, subject, body, reverse("funds:grant", args=[report.grant_id]))
    report.reminded = {**report.reminded, kind: today.isoformat()}
    report.save(update_fields=["reminded"])
    audit_record(
        actor=None,
        actor_label="ctip",
        action=FundsAction.REMINDED,
        target=report.grant,
        entity=fund.entity,
        details={"report": report.pk, "kind": kind},
    )
    return 1


@dataclass
class AssistedYear:
    year: int
    victims: Shown
    by_sex: dict[str, Shown]

    @property
    def female(self) -> Shown:
        return self.by_sex[Sex.FEMALE]

    @property
    def male(self) -> Shown:
        return self.by_sex[Sex.MALE]

    @property
    def sex_unknown(self) -> Shown:  # templates cannot read the "_U" key
        return self.by_sex[Sex.UNKNOWN]


def assisted_per_year(fund: Fund) -> tuple[list[AssistedYear], int]:
    """Victims assisted per year (of each period's end) and by sex, from recorded reports,
    with CTIP's disclosure control: no count from 1 to k-1, none to be worked out from the
    others (the sexes add up to the victims). A year is published six months after it ends,
    when its reports are in: a live total would give away each report by difference."""
    k = settings.CTIP_FUNDS_PUBLIC_THRESHOLD
    values: dict[tuple[int, str], int] = {}
    last_year = (timezone.localdate() - PUBLISHED_AFTER).year - 1  # years closed long enough
    recorded = Report.objects.filter(
        grant__fund=fund, submitted_at__isnull=False, period_end__year__lte=last_year
    )
    for report in recorded.only("period_end", "victims", "by_sex"):
        year = report.period_end.year
        values[(year, "victims")] = values.get((year, "victims"), 0) + (report.victims or 0)
        for sex in SEXES:
            values[(year, sex)] = values.get((year, sex), 0) + int(report.by_sex.get(sex, 0))
    years = sorted({year for year, _part in values})
    groups = [[(y, "victims"), *((y, s) for s in SEXES)] for y in years]
    suppression = suppress_groups(values, groups, k)
    return [
        AssistedYear(
            year,
            shown(values[(year, "victims")], (year, "victims"), suppression, k),
            {str(s): shown(values[(year, s)], (year, s), suppression, k) for s in SEXES},
        )
        for year in years
    ], k
