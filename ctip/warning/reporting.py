"""What a situation's state says, in one shape for the API, the XLSX and the PDF: the level
and its factors with their weights, the signals with their expected range and trend, the
alerts and the look back. No evidence: that is read on the assessment's page, audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.exports import workbook_bytes
from ctip.core.models import ConflictSituation
from ctip.warning import framework
from ctip.warning.codes import SCORE_ONLY, Level, Signal
from ctip.warning.levels import Situation
from ctip.warning.models import Alert
from ctip.warning.sources import first_day

TEMPLATE = Path(__file__).parent / "templates" / "warning" / "assessment.typ"
HISTORY_MONTHS = 24


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def framework_dict() -> dict[str, Any]:
    """The framework as published: factors, indicators, definitions, weights, scales."""
    return {
        "version": framework.VERSION,
        "scale": {str(k): str(v) for k, v in framework.SCALE.items()},
        "computed_scale": {str(k): str(v) for k, v in framework.COMPUTED_SCALE.items()},
        "levels": [
            {"level": str(level), "from_score": bound} for bound, level in framework.LEVEL_BOUNDS
        ],
        "factors": [
            {
                "code": f.code,
                "name": str(f.name),
                "weight": f.weight,
                "indicators": [
                    {
                        "code": i.code,
                        "name": str(i.name),
                        "definition": str(i.definition),
                        "weight": i.weight,
                        "scored_by": "computed" if i.computed else "person",
                        "signal": i.signal or None,
                    }
                    for i in framework.indicators_of(f.code)
                ],
            }
            for f in framework.FACTORS
        ],
    }


def situation_dict(situation: ConflictSituation, state: Situation) -> dict[str, Any]:
    latest = state.latest
    combined = latest.combined if latest else None
    leads, false_alarms = state.look_back()
    return {
        "id": situation.pk,
        "name": situation.name,
        "month": latest.day.isoformat()[:7] if latest else None,
        "level": combined.level if combined else None,
        "score": _rounded(combined.score) if combined else None,
        "coverage": _rounded(combined.coverage) if combined else None,
        "factors": [
            {
                "code": f.factor.code,
                "weight": f.weight and f.factor.weight,
                "score": _rounded(f.score),
            }
            for f in (combined.factors if combined else [])
        ],
        "signals": [_signal(state, s) for s in Signal],
        "signals_above_range": state.raised(),
        "history": [
            {
                "month": m.day.isoformat()[:7],
                "score": _rounded(m.combined.score),
                "level": m.combined.level,
            }
            for m in state.levels[-HISTORY_MONTHS:]
        ],
        "look_back": {
            "spikes": [
                {
                    "month": first_day(lead.spike).isoformat()[:7],
                    "first_warning": first_day(lead.warning).isoformat()[:7]
                    if lead.warning is not None
                    else None,
                    "months_ahead": lead.months,
                }
                for lead in leads
            ],
            "false_alarms": false_alarms,
        },
    }


def _signal(state: Situation, signal: str) -> dict[str, Any]:
    """A signal's last month; for a SCORE_ONLY signal, its score alone (see codes)."""
    last = state.last(signal)
    if signal in SCORE_ONLY:
        return {
            "signal": signal,
            "score": last.score if last else None,
            "counts_shown": False,
            **dict.fromkeys(("value", "expected", "upper", "trend")),
            "months": [],
        }
    trend = state.trend(signal)
    return {
        "signal": signal,
        "score": last.score if last else None,
        "counts_shown": True,
        "value": _rounded(last.value) if last else None,
        "expected": _rounded(last.expected) if last else None,
        "upper": _rounded(last.upper) if last else None,
        "trend": None if trend is None or trend == float("inf") else round(trend, 3),
        "months": [
            {"month": first_day(t.month).isoformat()[:7], "value": _rounded(t.value)}
            for t in state.tested.get(signal, [])[-HISTORY_MONTHS:]
        ],
    }


def alert_dict(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "situation": alert.situation_id,
        "kind": alert.kind,
        "subject": alert.subject,
        "month": alert.month.isoformat()[:7],
        "value": _rounded(alert.value),
        "upper": _rounded(alert.upper),
        "created_at": alert.created_at.isoformat(),
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
    }


def _names() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    return (
        {s.value: str(s.label) for s in Signal},
        {lv.value: str(lv.label) for lv in Level},
        {f.code: str(f.name) for f in framework.FACTORS},
    )


def xlsx(situation: ConflictSituation, state: Situation) -> bytes:
    """Sheets: the level and factors, the signals, and the score month by month."""
    data = situation_dict(situation, state)
    signals, level_names, factor_names = _names()
    summary = [
        [_("Situation"), data["name"]],
        [_("Month tested"), data["month"] or ""],
        [_("Level"), level_names.get(data["level"] or "", "")],
        [_("Score (0-1)"), data["score"]],
        [_("Share of the framework scored"), data["coverage"]],
        [_("Framework"), framework.VERSION],
        [_("Exported"), timezone.now().isoformat(timespec="minutes")],
        [_("Restricted: for the partners named by the situation's watchers.")],
    ]
    factors = [
        [f["code"], factor_names[f["code"]], f["weight"], f["score"]] for f in data["factors"]
    ]
    rows = [
        [signals[s["signal"]], s["value"], s["expected"], s["upper"], s["score"], s["trend"]]
        for s in data["signals"]
    ]
    history = [
        [h["month"], h["score"], level_names.get(h["level"] or "", "")] for h in data["history"]
    ]
    return workbook_bytes(
        [
            (_("Assessment"), [_("Item"), _("Value")], summary),
            (
                _("Risk factors"),
                [_("Code"), _("Risk factor"), _("Weight"), _("Score (0-1)")],
                factors,
            ),
            (
                _("Signals"),
                [
                    _("Signal"),
                    _("Value"),
                    _("Expected"),
                    _("Upper bound"),
                    _("Score (0-3)"),
                    _("Trend"),
                ],
                rows,
            ),
            (_("History"), [_("Month"), _("Score (0-1)"), _("Level")], history),
        ]
    )


def pdf(situation: ConflictSituation, state: Situation) -> bytes:
    """Typst reads the figures as JSON (`sys.inputs`), so no text is ever parsed as markup."""
    import typst

    data = situation_dict(situation, state)
    signals, level_names, factor_names = _names()
    inputs = {
        "title": _("Early-warning assessment: %(situation)s") % {"situation": situation.name},
        "restricted": _("Restricted: for the partners named by the situation's watchers."),
        "labels": {
            "month": _("Month tested"),
            "level": _("Level"),
            "score": _("Score (0-1)"),
            "coverage": _("Share of the framework scored"),
            "factors": _("Risk factors"),
            "signals": _("Signals"),
            "signal": _("Signal"),
            "value": _("Value"),
            "expected": _("Expected"),
            "upper": _("Upper bound"),
            "weight": _("Weight"),
            "framework": _("Framework"),
        },
        "month": data["month"] or "",
        "level": level_names.get(data["level"] or "", "—"),
        "score": "—" if data["score"] is None else f"{data['score']:.2f}",
        "coverage": "—" if data["coverage"] is None else f"{100 * data['coverage']:.0f} %",
        "framework": framework.VERSION,
        "factors": [
            [
                f["code"],
                factor_names[f["code"]],
                str(f["weight"]),
                "—" if f["score"] is None else f"{f['score']:.2f}",
            ]
            for f in data["factors"]
        ],
        "signals": [
            [signals[s["signal"]]]
            + ["—" if s[k] is None else f"{s[k]:g}" for k in ("value", "expected", "upper")]
            for s in data["signals"]
        ],
    }
    return bytes(typst.compile(TEMPLATE.read_bytes(), sys_inputs={"data": json.dumps(inputs)}))
