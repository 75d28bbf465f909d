"""Patterns for the repatriation review, and the public statistics (small counts hidden)."""

from __future__ import annotations

import collections
import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from ctip.conduct.codes import AllegationStatus, Category, Outcome, PersonnelCategory
from ctip.conduct.models import Allegation, Investigation, UnitCertification

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
    """Allegations per contingent unit in the 12 months to `as_of`, with the rate per 1,000
    personnel where the certifications give the strength; a unit with at least
    CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS is flagged as possibly widespread or systemic.
    Pages pass the user's `allegations` and `certifications` (from the selectors); without
    them, every entity's count (for the system's own checks). No identity is read."""
    allegations = Allegation.objects.all() if allegations is None else allegations
    certifications = UnitCertification.objects.all() if certifications is None else certifications
    since = as_of - datetime.timedelta(days=WINDOW_DAYS)
    counts = (
        allegations.filter(reported_on__gt=since, reported_on__lte=as_of)
        .exclude(unit="")
        .values("entity__code", "contingent_country_id", "unit")
        .annotate(n=Count("pk"))
    )
    strength = {
        (row["entity__code"], row["country_id"], row["unit"]): row["people"]
        for row in certifications.values("entity__code", "country_id", "unit").annotate(
            people=Sum("personnel")
        )
    }
    threshold = settings.CTIP_CONDUCT_SYSTEMIC_ALLEGATIONS
    found = [
        UnitPattern(
            row["entity__code"],
            row["contingent_country_id"] or "",
            row["unit"],
            row["n"],
            strength.get((row["entity__code"], row["contingent_country_id"], row["unit"])) or 0,
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


def shown(n: int, k: int) -> str:
    return f"<{k}" if 0 < n < k else str(n)


def hide_small(rows: list[tuple[str, int]], k: int) -> tuple[list[tuple[str, str]], str]:
    """A one-way table and its total: counts from 1 to k-1 show as “<k”. If that leaves a
    single hidden count, the next smallest is hidden too, so the total cannot give it away;
    when there is none to hide, the total is hidden instead."""
    hidden = {label for label, n in rows if 0 < n < k}
    total = sum(n for _label, n in rows)
    total_text = shown(total, k)
    if len(hidden) == 1:
        others = sorted((n, label) for label, n in rows if label not in hidden and n > 0)
        if others:
            hidden.add(others[0][1])
        else:
            total_text = f"<{k}" if total < k else total_text
    return [(label, f"<{k}" if label in hidden else str(n)) for label, n in rows], total_text


@dataclass(frozen=True)
class PublicTable:
    title: str
    rows: list[tuple[str, str]]
    total: str


def public_statistics() -> dict[str, Any]:
    """Allegations by mission, year, category, personnel category and status, and the share
    of finished investigations that finished within six months of referral."""
    k = settings.CTIP_CONDUCT_PUBLIC_THRESHOLD
    allegations = Allegation.objects.all()
    labels = {
        "category": dict(Category.choices),
        "personnel_category": dict(PersonnelCategory.choices),
        "status": dict(AllegationStatus.choices),
    }
    tables = {}
    for name, field in (
        ("mission", "entity__code"),
        ("year", "reported_on__year"),
        ("category", "category"),
        ("personnel_category", "personnel_category"),
        ("status", "status"),
    ):
        counts = collections.Counter(
            {str(row[field]): row["n"] for row in allegations.values(field).annotate(n=Count("pk"))}
        )
        rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        named = [(str(labels.get(name, {}).get(label, label)), n) for label, n in rows]
        tables[name] = PublicTable(name, *hide_small(named, k))
    finished = Investigation.objects.exclude(outcome=Outcome.ONGOING).filter(
        finished_on__isnull=False
    )
    on_time = sum(
        1 for i in finished if i.finished_on and i.finished_on <= i.due_without_extensions
    )
    total = finished.count()
    substantiated = finished.filter(outcome=Outcome.SUBSTANTIATED).count()
    return {
        "tables": tables,
        "finished": total,
        "within_six_months": on_time,
        "share_within_six_months": 100 * on_time / total if total else None,
        "substantiated": substantiated,
        "threshold": k,
        "open": shown(allegations.filter(~Q(status=AllegationStatus.CLOSED)).count(), k),
    }
