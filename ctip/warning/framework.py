"""The early-warning framework as data: risk factors, their indicators, the scale, the weights
and how they combine into a level. Everything here is published (`/public/early-warning/`),
so that a level is never a black box.

The risk factors are the eight common risk factors of the UN Framework of Analysis for
Atrocity Crimes (2014), with the framework's own numbering, and one factor for trafficking in
persons drawn from the report (para 4, 59, 63 (i)). An indicator is scored by a person (an
analyst, with evidence) or computed from a CTIP signal (`ctip.warning.codes.Signal`); both
use the same 0-3 scale. The framework's version is stored with every assessment, so a later
change of weights never re-scores an old assessment silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ctip.warning.codes import Level, Signal

VERSION = "2026-1"
TOP = 3  # the scale runs 0..TOP

SCALE = {
    0: _("Absent: no sign of it"),
    1: _("Present but limited"),
    2: _("Significant"),
    3: _("Severe or spreading"),
}

# How a computed indicator is scored from its signal for the month tested.
COMPUTED_SCALE = {
    0: _("At or below the expected value of the last 12 months"),
    1: _("Above the expected value, within the expected range"),
    2: _("Above the upper bound of the expected range"),
    3: _("Above the upper bound this month and the month before"),
}

# Overall score (0-1) -> level: the lowest bound reached gives the level.
LEVEL_BOUNDS = [(0.75, Level.VERY_HIGH), (0.5, Level.HIGH), (0.25, Level.MODERATE)]
# Below this share of the indicators' weight known, there is no level: one indicator must
# not decide it, and what is not known is not low.
MIN_COVERAGE = 0.25


@dataclass(frozen=True)
class RiskFactor:
    code: str
    name: Promise
    weight: int


@dataclass(frozen=True)
class Indicator:
    code: str
    factor: str
    name: Promise
    definition: Promise
    weight: int = 1
    signal: str = ""  # computed from this signal; "" when a person scores it

    @property
    def computed(self) -> bool:
        return bool(self.signal)


FACTORS = [
    RiskFactor("RF1", _("Situations of armed conflict or other forms of instability"), 1),
    RiskFactor("RF2", _("Record of serious violations of human rights and humanitarian law"), 1),
    RiskFactor("RF3", _("Weakness of State structures"), 1),
    RiskFactor("RF4", _("Motives or incentives"), 1),
    RiskFactor("RF5", _("Capacity to commit atrocity crimes"), 1),
    RiskFactor("RF6", _("Absence of mitigating factors"), 1),
    RiskFactor("RF7", _("Enabling circumstances or preparatory action"), 1),
    RiskFactor("RF8", _("Triggering factors"), 1),
    RiskFactor("TIP", _("Trafficking in persons in the conflict"), 2),
]

INDICATORS = [
    Indicator(
        "1.1",
        "RF1",
        _("Armed conflict or violence"),
        _("International or non-international armed conflict, or violence at that threshold."),
    ),
    Indicator(
        "1.x",
        "RF1",
        _("Displacement and flows"),
        _(
            "People displaced inside the country or leaving it, and mixed movements along "
            "known routes, rising or large (flow-monitoring counts, humanitarian reports)."
        ),
    ),
    Indicator(
        "2.1",
        "RF2",
        _("Past serious violations not prevented, punished or addressed"),
        _("Serious violations, past or present, by any party, left without accountability."),
    ),
    Indicator(
        "2.v",
        "RF2",
        _("Verified grave violations"),
        _("Incidents verified by the monitoring mechanism, per month, against their history."),
        signal=Signal.INCIDENTS,
    ),
    Indicator(
        "2.s",
        "RF2",
        _("Verified sexual violence"),
        _("Verified incidents of conflict-related sexual violence, per month."),
        signal=Signal.SEXUAL_VIOLENCE,
    ),
    Indicator(
        "3.1",
        "RF3",
        _("Weak legal framework and institutions"),
        _("No effective law against trafficking, no independent judiciary, no protection."),
    ),
    Indicator(
        "3.x",
        "RF3",
        _("Collapse of birth registration and identity documentation"),
        _("Births not registered, civil registries destroyed, people without documents."),
    ),
    Indicator(
        "4.x",
        "RF4",
        _("Armed groups control routes or resources"),
        _(
            "Parties to conflict control border crossings, checkpoints, mines or other "
            "resources, and profit from moving or exploiting people."
        ),
    ),
    Indicator(
        "5.1",
        "RF5",
        _("Armed groups able to recruit and hold people"),
        _("Personnel, arms and places to hold people; recruitment, including of children."),
    ),
    Indicator(
        "6.1",
        "RF6",
        _("Limited protection presence and access"),
        _("Few humanitarian, human rights or peacekeeping actors; access denied or restricted."),
    ),
    Indicator(
        "6.x",
        "RF6",
        _("Closure of legal migration routes"),
        _("Borders, visas or resettlement closed, so that people move through smugglers."),
    ),
    Indicator(
        "7.v",
        "RF7",
        _("Abductions by parties to conflict"),
        _("Victims of verified incidents that include an abduction, per month."),
        weight=2,
        signal=Signal.ABDUCTIONS,
    ),
    Indicator(
        "8.1",
        "RF8",
        _("Sudden shocks"),
        _("A sudden change that may trigger violence: a coup, elections, sanctions, disaster."),
    ),
    Indicator(
        "T.flow",
        "TIP",
        _("Trafficking indicators among people on the move"),
        _("The share of flow-monitoring respondents with any trafficking indicator."),
        signal=Signal.FLOW_PREVALENCE,
    ),
    Indicator(
        "T.screen",
        "TIP",
        _("Presumed victims identified in screenings"),
        _("Screenings that concluded 'presumed victim', per month."),
        signal=Signal.PRESUMED_VICTIMS,
    ),
    Indicator(
        "T.tips",
        "TIP",
        _("Anonymous tips"),
        _("Tips received through the public page, per month."),
        signal=Signal.TIPS,
    ),
    Indicator(
        "T.cases",
        "TIP",
        _("Cases opened"),
        _("Victims' cases opened and linked to the situation, per month."),
        signal=Signal.CASES,
    ),
    Indicator(
        "T.sea",
        "TIP",
        _("Allegations of sexual exploitation and abuse"),
        _("Allegations against UN or related personnel received, per month."),
        signal=Signal.ALLEGATIONS,
    ),
]

INDICATORS_BY_CODE = {i.code: i for i in INDICATORS}
FACTORS_BY_CODE = {f.code: f for f in FACTORS}
SCORED = [i for i in INDICATORS if not i.computed]


_BY_FACTOR = {f.code: [i for i in INDICATORS if i.factor == f.code] for f in FACTORS}
_TOTAL_WEIGHT = sum(i.weight for i in INDICATORS)


def indicators_of(factor: str) -> list[Indicator]:
    return _BY_FACTOR[factor]


@dataclass(frozen=True)
class FactorScore:
    factor: RiskFactor
    score: float | None  # 0-1, None when no indicator of it has a score
    scored_weight: int
    weight: int


@dataclass(frozen=True)
class Combined:
    factors: list[FactorScore]
    score: float | None
    level: str | None
    coverage: float  # the share of the indicators' weight that had a score


def combine(scores: dict[str, int | None]) -> Combined:
    """Indicator scores (0..TOP, None when unknown) -> a score per risk factor and overall.

    A factor's score is the weighted mean of its known indicators, divided by TOP; the overall
    score is the weighted mean of the factors that have one. Unknown indicators are left out,
    not counted as 0, and `coverage` says how much was known.
    """
    factors = []
    for factor in FACTORS:
        own = indicators_of(factor.code)
        known = [(i.weight, s) for i in own if (s := scores.get(i.code)) is not None]
        weight = sum(w for w, _s in known)
        score = sum(w * s for w, s in known) / (TOP * weight) if weight else None
        factors.append(FactorScore(factor, score, weight, sum(i.weight for i in own)))
    rated = [(f.factor.weight, fs) for f in factors if (fs := f.score) is not None]
    total = sum(w for w, _s in rated)
    overall = sum(w * s for w, s in rated) / total if total else None
    coverage = sum(f.scored_weight for f in factors) / _TOTAL_WEIGHT
    if coverage < MIN_COVERAGE:
        overall = None
    return Combined(factors, overall, level_of(overall), coverage)


def level_of(score: float | None) -> str | None:
    if score is None:
        return None
    return next((level for bound, level in LEVEL_BOUNDS if score >= bound), Level.LOW)
