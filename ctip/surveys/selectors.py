"""Reads of surveys, each taking the user and going through `ctip.surveys.policies`; the
responses load as arrays for the estimates, never row by row."""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Max, QuerySet, Sum

from ctip.core.models import User
from ctip.core.policies import not_found
from ctip.surveys import policies
from ctip.surveys.codes import Breakdown
from ctip.surveys.estimates import Design
from ctip.surveys.models import Indicator, Release, Response, Survey

COLUMNS = ("weight", "stratum", "cluster", "answered", "yes")


def surveys_for(*, user: User) -> QuerySet[Survey]:
    return policies.surveys_scope(user)


def survey_get(*, user: User, code: Any) -> Survey:
    found = surveys_for(user=user).filter(code=str(code)[:40]).first()
    if found is None:
        raise not_found()
    return found


def indicators() -> QuerySet[Indicator]:
    """The question bank is no secret: every surveyor reads it."""
    return Indicator.objects.all()


def _natural(label: str) -> tuple[tuple[int, int | str], ...]:
    """Numbers in a label compare as numbers: wave 2 before wave 10, age 9--17 before 18--20."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", label)
    )


def _codes(values: Any) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the labels of a column (text or integers), labels in natural
    order. numpy sorts fixed-width text in C: a million values in a fraction of a second."""
    array = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=str)
    found, codes = np.unique(array, return_inverse=True)
    codes = codes.astype(np.int64).ravel()
    labels = [str(label) for label in found]
    order = sorted(range(len(labels)), key=lambda i: _natural(labels[i]))
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(len(labels))
    return rank[codes] if len(labels) else codes, [labels[i] for i in order]


Loaded = tuple[Design, dict[str, tuple[np.ndarray, list[str]]]]
_loaded: OrderedDict[tuple[Any, ...], Loaded] = OrderedDict()
KEEP_LOADED = 2  # surveys kept in memory: anonymous answers, about 90 MB a million


def design_of(survey: Survey) -> Loaded:
    """The survey's responses as arrays, and every breakdown's codes and labels. One query,
    read by the database cursor; kept in memory while the responses stay the same (the key
    is their count, last id and the sums of their answers and weights), so the next
    estimates start at once."""
    found = Response.objects.filter(survey_id=survey.pk).aggregate(
        n=Count("pk"), last=Max("pk"), yes=Sum("yes"), answered=Sum("answered"), w=Sum("weight")
    )
    key = (survey.pk, *(found[k] or 0 for k in ("n", "last", "yes", "answered", "w")))
    if key not in _loaded:
        _loaded[key] = _load(survey)
        while len(_loaded) > KEEP_LOADED:
            _loaded.popitem(last=False)
    _loaded.move_to_end(key)
    return _loaded[key]


def _load(survey: Survey) -> Loaded:
    breakdowns = tuple(Breakdown.values)
    columns = (*COLUMNS, *breakdowns)
    query = Response.objects.filter(survey_id=survey.pk).values_list(*columns).order_by()
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    table: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    weight = np.asarray(table[0], dtype=np.float64)
    stratum, _labels = _codes(table[1])
    if any(table[2]):
        # a cluster is named within its stratum
        cluster, names = _codes(table[2])
        psu, _units = _codes(stratum * (len(names) + 1) + cluster)
    else:
        psu = np.arange(len(weight), dtype=np.int64)
    design = Design(
        weight=weight,
        stratum=stratum,
        psu=psu,
        answered=np.asarray(table[3], dtype=np.int64),
        yes=np.asarray(table[4], dtype=np.int64),
    )
    groups = {
        name: _codes([v or "" for v in table[len(COLUMNS) + i]])
        for i, name in enumerate(breakdowns)
    }
    return design, groups


def releases_public() -> QuerySet[Release]:
    """Published releases: public."""
    return Release.objects.select_related("survey", "survey__entity")


def latest_releases() -> list[Release]:
    """The newest release of each published survey."""
    latest: dict[str, Release] = {}
    for release in releases_public():
        latest.setdefault(release.survey.code, release)
    return list(latest.values())


def headlines() -> list[dict[str, Any]]:
    """Per published survey, its latest release's overall `any` estimate: what the public
    statistics page shows beside the counts, labelled as a survey estimate."""
    found = []
    for release in latest_releases():
        row = next(
            (r for r in release.rows if (r["breakdown"], r["indicator"]) == ("all", "any")), None
        )
        if row is not None and not row.get("too_few"):
            found.append({"release": release, **row})
    return found
