"""The de-duplication's weights of evidence (see ctip.statistics.dedup), apart so that
Spark's executors can import `could_be_proposed` without Django set up."""

from __future__ import annotations

import math

import numpy as np

from ctip.linkage import matching
from ctip.linkage.keys import bits_of

SLOPE = 30.0
MIDPOINT = 0.90
DATE_SLOPE = 20.0
DATE_MIDPOINT = 0.70
MATCH_PROBABILITY = 0.5
AMBIGUITY = 2.0  # log-odds by which a proposed pair beats its records' other candidates
NAMES, DATES = bits_of("name"), bits_of("date_of_birth")
# (agree, disagree) log-odds of each quasi-identifier, read only when both records know it
EVIDENCE = {
    "sex": (0.5, -6.0),
    "age_band": (0.5, -3.0),
    "citizenship": (1.0, -4.0),
    "country": (0.5, 0.0),
}
PROPOSED = math.log(MATCH_PROBABILITY / (1 - MATCH_PROBABILITY))  # the log-odds of a proposal
# a pair below this, even with every quasi-identifier agreeing, is never proposed and never
# makes a proposed pair ambiguous (it would need to come within AMBIGUITY of it)
FLOOR = PROPOSED - AMBIGUITY - sum(agree for agree, _disagree in EVIDENCE.values())


def key_log_odds(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The evidence of the keys a[i] and b[i]: their names, and their dates of birth when
    both have one (compared by overlap, so a year alone agrees with the full date)."""
    score = SLOPE * (matching.pair_dice(a, b, NAMES) - MIDPOINT)
    dated = (matching.ones(a, DATES) > 0) & (matching.ones(b, DATES) > 0)
    dates = matching.pair_overlap(a, b, DATES)
    return score + np.where(dated, DATE_SLOPE * (dates - DATE_MIDPOINT), 0.0)


def could_be_proposed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs that could matter once the quasi-identifiers are read: leaving the others out
    of the candidates changes no proposal (a namesake born years apart is one of them)."""
    return key_log_odds(a, b) >= FLOOR
