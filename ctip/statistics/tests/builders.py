"""Named builders for workflow tests: a draft that passes validation, the same submitted."""

from ctip.core.codes import Role
from ctip.core.testing import Actors
from ctip.statistics import services
from ctip.statistics.importing import import_file
from ctip.statistics.models import ReportingRound, Submission
from ctip.statistics.tests.conftest import ctip_csv

ROW = {"year_of_identification": 2025, "country_of_detection": "IRQ", "sex": "F"}


def a_draft(actors: Actors, round_: ReportingRound) -> Submission:
    """A draft of the actors' entity, with eight records that pass validation."""
    result = import_file(
        actor=actors.by_role[Role.FOCAL_POINT],
        entity=actors.entity,
        round_=round_,
        data=ctip_csv([{**ROW, "year_of_identification": round_.year}] * 8),
        filename="f.csv",
    )
    assert result.ok, result.as_dict()
    return Submission.objects.get(entity=actors.entity, round=round_)


def a_submitted(actors: Actors, round_: ReportingRound) -> Submission:
    return services.submission_submit(
        actor=actors.by_role[Role.FOCAL_POINT], submission=a_draft(actors, round_)
    )


def status_of(submission: Submission) -> str:
    submission.refresh_from_db()
    return submission.status
