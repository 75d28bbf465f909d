"""Synthetic treaty status and national response for the demo.

The dates and statuses are invented from a seed, in the proportions the source report gives
(para 19-21): they are NOT the real status of any country, and every row says so in its
source. Import the UN Treaty Collection's tables for real figures.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from ctip.core.models import Country, Entity
from ctip.countries.codes import INSTRUMENTS, RESPONSE_MEASURES, Criminalization
from ctip.countries.models import NationalResponse, TreatyStatus
from ctip.countries.selectors import un_states
from ctip.countries.services import treaty_status_import

SOURCE = "CTIP demo data: synthetic, not the real status"
ASEAN = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"}
EUROPE = "150"
# Share of States bound by each instrument in the demo.
BOUND = {
    "UNTOC": 0.97,
    "UNTOC-TIP": 0.9,
    "ILO-C029": 0.93,
    "ILO-P029": 0.3,
    "ILO-C105": 0.9,
    "ILO-C182": 0.97,
    "SLAVERY-1956": 0.65,
    "TRAFFIC-1949": 0.42,
    "CRC": 0.99,
    "CRC-OPSC": 0.9,
    "CRC-OPAC": 0.87,
    "CEDAW": 0.97,
    "COE-CETS197": 0.95,
    "ASEAN-ACTIP": 1.0,
}
TODAY = datetime.date(2026, 6, 30)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _untc(date: datetime.date, mark: str = "") -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year} {mark}".strip()


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(1, (end - start).days)))


def status_rows(rng: random.Random, code: str, states: list[Country]) -> list[tuple[int, dict]]:
    instrument = next(i for i in INSTRUMENTS if i.code == code)
    if code == "ASEAN-ACTIP":
        eligible = [c for c in states if c.alpha3 in ASEAN]
    elif code == "COE-CETS197":
        eligible = [c for c in states if c.region_id == EUROPE]
    else:
        eligible = states
    rows = []
    end = min(TODAY, instrument.adopted + datetime.timedelta(days=365 * 25))
    for country in eligible:
        signed = (
            _between(rng, instrument.adopted, instrument.adopted + datetime.timedelta(days=900))
            if instrument.depositary != "ILO" and rng.random() < 0.7
            else None
        )
        bound = rng.random() < BOUND[code]
        if not signed and not bound:
            continue
        consent = ""
        if bound:
            day = _between(rng, signed or instrument.adopted, end)
            consent = _untc(day, "" if signed else rng.choice(["a", "a", "a", "d"]))
        rows.append(
            {
                "Participant": country.name,
                "Signature": _untc(signed) if signed else "",
                "Ratification, Accession(a), Succession(d)": consent,
            }
        )
    return list(enumerate(rows, start=2))


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if TreatyStatus.objects.exists() or NationalResponse.objects.exists():
        return {"treaty_statuses": 0, "national_responses": 0}
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    states = list(Country.objects.filter(alpha3__in=un_states()).order_by("alpha3"))
    statuses = 0
    for instrument in INSTRUMENTS:
        report = treaty_status_import(
            actor=None,
            instrument=instrument.code,
            rows=status_rows(rng, instrument.code, states),
            source=SOURCE,
            actor_label="cli:demo_data",
        )
        assert not report.errors, report.errors[:3]
        statuses += report.created
    entity = Entity.objects.get(code="CTIP")
    responses = []
    for country in states:
        level = rng.choices(
            [Criminalization.FULL, Criminalization.PARTIAL, Criminalization.NONE],
            weights=[87, 9, 4],
        )[0]
        for year in (2020, 2024):
            measures = {
                name: rng.random() < (0.8 if level == Criminalization.FULL else 0.3)
                if rng.random() < 0.9
                else None
                for name in RESPONSE_MEASURES
            }
            responses.append(
                NationalResponse(
                    country=country,
                    year=year,
                    criminalization=level,
                    legislation="(synthetic) Anti-trafficking act" if level != "none" else "",
                    source=SOURCE,
                    entity=entity,
                    **measures,
                )
            )
    NationalResponse.objects.bulk_create(responses)
    return {"treaty_statuses": statuses, "national_responses": len(responses)}
