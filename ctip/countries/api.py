"""Treaty status, national response and country profiles over the API."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from ctip.core.models import User
from ctip.countries import exports, policies, selectors, services
from ctip.countries.schemas import NationalResponseImportIn, TreatyStatusImportIn
from ctip.statistics.disclosure import published_value

router = Router(tags=["treaties and national response"])
public_router = Router(tags=["public treaties and countries"], auth=None)


def _date(text: str) -> datetime.date:
    try:
        return services.as_of_date(text[:10])
    except ValueError:
        raise HttpError(422, "as_of must be a date such as 2024-12-31") from None


def _instrument(instrument: Any) -> dict[str, Any]:
    return {
        "code": instrument.code,
        "title": str(instrument.title),
        "adopted": instrument.adopted.isoformat(),
        "in_force": instrument.in_force.isoformat(),
        "depositary": instrument.depositary,
        "supplements": instrument.parent,
    }


def _report(report: services.ImportReport) -> dict[str, Any]:
    if report.errors:
        raise HttpError(422, str(report.errors))
    return {
        "dry_run": report.dry_run,
        "created": report.created,
        "changed": report.changed,
        "removed": report.removed,
        "unchanged": report.unchanged,
    }


def _rows(rows: list[dict[str, Any]]) -> list[tuple[int, dict[str, str]]]:
    """Rows as the importers read them: numbered from 1, every value a string."""
    return [
        (n, {str(k): "" if v is None else str(v) for k, v in r.items()})
        for n, r in enumerate(rows, start=1)
    ]


@public_router.get("/public/treaties")
def treaties(request: HttpRequest, as_of: str = "") -> list[dict[str, Any]]:
    """Each instrument with the number of parties and of signatories not bound on the date."""
    return [
        {**_instrument(s.instrument), "parties": s.parties, "signatories": s.signatories}
        for s in selectors.instrument_summaries(_date(as_of))
    ]


@public_router.get("/public/treaties/{code}")
def treaty(request: HttpRequest, code: str, as_of: str = "") -> dict[str, Any]:
    """Parties on the date, and the UN Member and observer States not bound."""
    instrument = selectors.instrument_get(code)
    date = _date(as_of)
    bound = [exports.status_row(s) for s in selectors.parties(code, date)]
    return {
        "instrument": _instrument(instrument),
        "as_of": date.isoformat(),
        "count": len(bound),
        "parties": bound,
        "non_parties": [c.alpha3 for c, _s in selectors.non_parties(code, date)],
    }


@public_router.get("/public/national-response")
def national_response(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    """Every entry (or each country's latest up to `year`) and the cross-country figures."""
    if year is None:
        entries = list(selectors.all_responses())
        year = datetime.date.today().year - 1
    else:
        entries = list(selectors.latest_responses(year).values())
    figures = selectors.cross_country_figures(year)
    return {
        "year": year,
        "figures": {
            "criminalization": {
                s.code: {"count": s.count, "percent": round(s.percent, 1)}
                for s in figures.criminalization
            },
            "convictions_reported": figures.convictions_reported,
            "convictions_known": figures.convictions_known,
            "convictions_unknown": figures.convictions_unknown,
            "convictions_ten_or_fewer": figures.convictions_few,
            "convictions_none": figures.convictions_none,
        },
        "entries": [exports.response_row(r) for r in entries],
    }


@public_router.get("/public/countries/{alpha3}")
def country(request: HttpRequest, alpha3: str, as_of: str = "") -> dict[str, Any]:
    profile = selectors.country_profile(selectors.country_get(alpha3), _date(as_of))
    return {
        "country": profile.country.alpha3,
        "name": profile.country.name,
        "as_of": profile.as_of.isoformat(),
        "statistics": [
            {
                "year": y,
                "detected_victims": published_value(d),
                "prosecuted": published_value(p),
                "convicted": published_value(c),
            }
            for y, d, p, c in profile.statistics
        ],
        "treaties": [
            {
                "instrument": t.instrument.code,
                "party": t.bound,
                **(exports.status_row(t.status) if t.status else {}),
            }
            for t in profile.treaties
        ],
        "national_response": [exports.response_row(r) for r in profile.responses],
        "decisions": profile.decisions,
        "conflict_related_decisions": profile.conflict_related_decisions,
        "conflict_situations": [c.name for c in profile.conflicts],
    }


@router.post("/countries/treaty-status/{code}")
def import_treaty_status(
    request: HttpRequest,
    code: str,
    payload: TreatyStatusImportIn,
) -> dict[str, Any]:
    """Replace an instrument's status table: {"source": "...", "rows": [{"Participant": ...,
    "Signature": ..., "Ratification, Accession(a), Succession(d)": ...}], "dry_run": false}."""
    user: User = request.auth  # type: ignore[attr-defined]
    policies.require_editor(user)
    selectors.instrument_get(code)
    return _report(
        services.treaty_status_import(
            actor=user,
            instrument=code,
            rows=_rows(payload.rows),
            source=payload.source,
            dry_run=payload.dry_run,
        )
    )


@router.post("/countries/national-response")
def import_national_response(
    request: HttpRequest,
    payload: NationalResponseImportIn,
) -> dict[str, Any]:
    """Create or correct entries: {"rows": [{"country": "IRQ", "year": 2024, ...}]}."""
    user: User = request.auth  # type: ignore[attr-defined]
    return _report(
        services.responses_import(
            actor=user,
            rows=_rows([row.model_dump() for row in payload.rows]),
            dry_run=payload.dry_run,
        )
    )
