"""Publishing a survey's estimates: a release kept as it was published, with the estimates
overall and by each breakdown the survey offers — those on fewer than the survey's minimum
of respondents left out, saying only that they were."""

from __future__ import annotations

from django.db import transaction

from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.surveys import policies
from ctip.surveys.codes import SurveysAction
from ctip.surveys.models import Release, Response, Survey
from ctip.surveys.results import ALL, estimates_by


def release_rows(survey: Survey) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for breakdown, found in estimates_by(survey, [None, *survey.breakdowns]).items():
        for estimate in found:
            if estimate.n == 0:
                continue
            row: dict[str, object] = {
                "breakdown": breakdown or ALL,
                "group": estimate.group,
                "indicator": estimate.indicator,
            }
            if estimate.publishable:
                row.update(
                    n=estimate.n,
                    prevalence=estimate.prevalence,
                    ci_low=estimate.ci_low,
                    ci_high=estimate.ci_high,
                )
            else:
                row["too_few"] = True  # nothing else: not even its n
            rows.append(row)
    return rows


@transaction.atomic
def survey_publish(*, actor: User, survey: Survey) -> Release:
    """An analyst of the survey's entity publishes its estimates as they are today."""
    policies.require_publisher(actor, survey)
    respondents = Response.objects.filter(survey=survey).count()
    release = Release.objects.create(
        survey=survey, published_by=actor, respondents=respondents, rows=release_rows(survey)
    )
    audit_record(
        actor=actor,
        action=SurveysAction.PUBLISHED,
        target=survey,
        details={"release": release.pk, "respondents": respondents, "rows": len(release.rows)},
    )
    return release


@transaction.atomic
def estimates_exported(*, actor: User, survey: Survey, by: str, rows: int) -> None:
    """Every download of estimates is in the audit log."""
    policies.require_survey(actor, survey)
    audit_record(
        actor=actor,
        action=SurveysAction.ESTIMATES_EXPORTED,
        target=survey,
        details={"by": by or "all", "rows": rows},
    )
