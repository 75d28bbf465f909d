"""Patterns for the repatriation review, and the public statistics (disclosure-controlled)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from ctip.conduct.codes import AllegationStatus, Category, Outcome, PersonnelCategory
from ctip.conduct.models import Allegation, Investigation, UnitCertification
from ctip.statistics.disclosure import Shown, shown, suppress_groups

WINDOW_DAYS = 365


@dataclass(frozen=True)
class UnitPattern:
    entity: str
    country: str
    unit: str
    allegations: int
    personnel: int  # from the units' certifications, 0 when unknown
    flagged: bool

    @property
    def per_thousand(self) -> float | None:
        return 1000 * self.allegations / self.personnel if self.personnel else None


def unit_patterns(
    as_of: datetime.date, allegations: Any = None, certifications: Any = None
) -> list[UnitPattern]:
    """Allegations per registered contingent unit in the 12 months to `as_of` (however each
    was typed, one unit counts once), with the rate per 1,000 personnel where the
    certifications give the strength; a unit with at least CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS
    is flagged as possibly widespread or systemic. Pages pass the user's `allegations` and
    `certifications` (from the selectors); without them, every entity's count (for the
    system's own checks). No identity is read."""
    allegations = Allegation.objects.all() if allegations is None else allegations
    certifications = UnitCertification.objects.all() if certifications is None else certifications
    since = as_of - datetime.timedelta(days=WINDOW_DAYS)
    counts = (
        allegations.filter(
            reported_on__gt=since, reported_on__lte=as_of, registered_unit__isnull=False
        )
        .values(
            "registered_unit_id",
            "registered_unit__entity__code",
            "registered_unit__country_id",
            "registered_unit__name",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    strength = {
        row["registered_unit_id"]: row["people"]
        for row in certifications.filter(registered_unit__isnull=False)
        .values("registered_unit_id")
        .annotate(people=Sum("personnel"))
        .order_by()
    }
    threshold = settings.CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS
    found = [
        UnitPattern(
            row["registered_unit__entity__code"],
            row["registered_unit__country_id"] or "",
            row["registered_unit__name"],
            row["n"],
            strength.get(row["registered_unit_id"]) or 0,
            row["n"] >= threshold,
        )
        for row in counts
    ]
    return sorted(found, key=lambda p: (-p.allegations, p.entity, p.country, p.unit))


def grouped(allegations: Any, as_of: datetime.date, field: str) -> list[tuple[str, int]]:
    since = as_of - datetime.timedelta(days=WINDOW_DAYS)
    rows = (
        allegations.filter(reported_on__gt=since, reported_on__lte=as_of)
        .values(field)
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [(str(row[field] or "—"), row["n"]) for row in rows]


@dataclass(frozen=True)
class PublicTable:
    title: str
    rows: list[tuple[str, Shown]]
    total: Shown


TABLES = (
    ("mission", "entity__code"),
    ("year", "reported_on__year"),
    ("category", "category"),
    ("personnel_category", "personnel_category"),
    ("status", "status"),
)
TOTAL, OPEN = ("total",), ("open",)
FINISHED, WITHIN, LATE = ("finished",), ("within six months",), ("later",)


def _counts() -> dict[tuple[str, ...], int]:
    """Every count the public page shows, keyed (table, code) or (name,)."""
    allegations = Allegation.objects.all()
    values: dict[tuple[str, ...], int] = {TOTAL: allegations.count()}
    for name, field in TABLES:
        for row in allegations.values(field).annotate(n=Count("pk")):
            values[(name, str(row[field]))] = row["n"]
    values[OPEN] = allegations.filter(~Q(status=AllegationStatus.CLOSED)).count()
    finished = Investigation.objects.exclude(outcome=Outcome.ONGOING).filter(
        finished_on__isnull=False
    )
    values[FINISHED] = finished.count()
    values[WITHIN] = sum(
        1 for i in finished if i.finished_on and i.finished_on <= i.due_without_extensions
    )
    values[LATE] = values[FINISHED] - values[WITHIN]
    return values


def count_groups(values: dict[tuple[str, ...], int]) -> list[list[tuple[str, ...]]]:
    """The cells that add up to another: each table to the total; the open statuses to the
    open count, and open plus closed to the total; finished investigations."""
    found = [[TOTAL, *(key for key in values if key[0] == name)] for name, _field in TABLES]
    statuses = [key for key in values if key[0] == "status"]
    closed = ("status", str(AllegationStatus.CLOSED.value))
    found.append([OPEN, *(key for key in statuses if key != closed)])
    found.append([TOTAL, OPEN, *([closed] if closed in values else [])])
    found.append([FINISHED, WITHIN, LATE])
    return found


def public_statistics() -> dict[str, Any]:
    """Allegations by mission, year, category, personnel category and status, and the share
    of finished investigations that finished within six months of referral, under the
    statistics app's disclosure control: no count from 1 to k-1, none by subtraction."""
    k = settings.CTIP_CONDUCT_PUBLIC_THRESHOLD
    values = _counts()
    suppression = suppress_groups(values, count_groups(values), k)

    def published(key: tuple[str, ...]) -> Shown:
        return shown(values[key], key, suppression, k)

    labels = {
        "category": dict(Category.choices),
        "personnel_category": dict(PersonnelCategory.choices),
        "status": dict(AllegationStatus.choices),
    }
    tables = {}
    for name, _field in TABLES:
        keys = sorted((key for key in values if key[0] == name), key=lambda c: (-values[c], c))
        rows = [(str(labels.get(name, {}).get(key[1], key[1])), published(key)) for key in keys]
        tables[name] = PublicTable(name, rows, published(TOTAL))
    finished, within = published(FINISHED), published(WITHIN)
    share = (
        100 * within.value / finished.value if finished.value and within.value is not None else None
    )
    return {
        "tables": tables,
        "finished": finished,
        "within_six_months": within,
        "share_within_six_months": share,
        "threshold": k,
        "open": published(OPEN),
        "total": published(TOTAL),
    }
