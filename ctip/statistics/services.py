"""Every write of GLOTIP-framework reporting: rounds, the submission workflow, publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.codes import FormOfExploitation
from ctip.core.models import Country, User
from ctip.core.policies import not_found
from ctip.core.services import notify
from ctip.core.values import parse_whole_number
from ctip.statistics import disclosure, policies
from ctip.statistics.codes import (
    CONFLICT_RELATED,
    FOREIGNERS,
    NATIONALS,
    TOTAL,
    Dimension,
    Indicator,
    RoundState,
    StatisticsAction,
    SubmissionStatus,
    ValueStatus,
)
from ctip.statistics.figures import UNKNOWN, round_figures, submission_tables
from ctip.statistics.figures import flows as figures_flows
from ctip.statistics.models import (
    AggregateValue,
    PublishedRelease,
    ReportingRound,
    Submission,
    SubmissionEvent,
    VictimRecord,
    WarningExplanation,
)
from ctip.statistics.validation import Finding, check_table

DEFAULT_THRESHOLD = 5
Kind = SubmissionEvent.Kind


def _notify(users: list[User], subject: str, body: str, submission: Submission) -> None:
    """Tell the people concerned, in the application and by e-mail."""
    notify(users, subject, body, reverse("statistics:submission", args=[submission.pk]))


def _event(
    submission: Submission, kind: str, actor: User | None, comment: str = "", **details: Any
) -> None:
    SubmissionEvent.objects.create(
        submission=submission, kind=kind, actor=actor, comment=comment, details=details
    )


@transaction.atomic
def round_open(
    *, actor: User | None, year: int, deadline: date, actor_label: str = ""
) -> ReportingRound:
    if actor is not None:
        policies.require(actor, policies.COORDINATORS)
    if not 1990 <= year <= timezone.now().year + 1:
        raise ValidationError({"year": _("A reference year between 1990 and next year.")})
    if ReportingRound.objects.filter(year=year).exists():
        raise ValidationError({"year": _("A round for %(year)s exists already.") % {"year": year}})
    round_ = ReportingRound.objects.create(year=year, deadline=deadline)
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=StatisticsAction.ROUND_OPENED,
        target=round_,
        details={"year": year, "deadline": deadline.isoformat()},
    )
    return round_


@transaction.atomic
def round_set_state(*, actor: User, round_: ReportingRound, state: str) -> ReportingRound:
    """Close an open round to submissions, or reopen a closed one (a deadline extended).
    Only publication makes a round published."""
    policies.require(actor, policies.COORDINATORS)
    round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
    moves: dict[tuple[str, str], StatisticsAction] = {
        (RoundState.OPEN, RoundState.CLOSED): StatisticsAction.ROUND_CLOSED,
        (RoundState.CLOSED, RoundState.OPEN): StatisticsAction.ROUND_REOPENED,
    }
    action = moves.get((round_.state, state))
    if action is None:
        raise ValidationError(
            _("The %(year)s round (%(state)s) cannot be changed that way.")
            % {"year": round_.year, "state": round_.get_state_display()}
        )
    round_.state = state
    round_.save(update_fields=["state"])
    audit_record(actor=actor, action=action, target=round_, details={"year": round_.year})
    return round_


def require_open(round_: ReportingRound) -> None:
    """Data comes into a round only while it is open."""
    if round_.state != RoundState.OPEN:
        raise ValidationError(
            _("The %(year)s round (%(state)s) takes no more data.")
            % {"year": round_.year, "state": round_.get_state_display()}
        )


def _require_own_editable(actor: User, submission: Submission) -> None:
    policies.require(actor, policies.REPORTERS)
    if actor.entity_id != submission.entity_id:
        raise not_found()
    if not policies.may_edit_submission(actor, submission):
        if submission.status == SubmissionStatus.DRAFT:
            require_open(submission.round)  # says why: the round is closed
        raise ValidationError(
            _("This submission (%(status)s) cannot be changed.")
            % {"status": submission.get_status_display()}
        )


@transaction.atomic
def submission_start(*, actor: User, round_: ReportingRound, country: Country) -> Submission:
    policies.require(actor, policies.REPORTERS)
    require_open(round_)
    submission, created = Submission.objects.get_or_create(
        round=round_,
        entity=actor.entity,
        country_of_detection=country,
        defaults={"created_by": actor},
    )
    if created:
        _event(submission, Kind.CREATED, actor)
        audit_record(
            actor=actor,
            action=StatisticsAction.SUBMISSION_STARTED,
            target=submission,
            details={"year": round_.year, "country": country.alpha3},
        )
    return submission


def categories(dimension: str, countries: list[str] | None = None) -> list[str]:
    """The categories of a dimension; for citizenship, besides nationals / foreigners /
    unknown, the given countries (ISO alpha-3) of citizenship."""
    known: dict[str, list[str]] = {
        Dimension.TOTAL: [TOTAL],
        Dimension.FORM_OF_EXPLOITATION: list(FormOfExploitation.values),
        Dimension.CITIZENSHIP: [NATIONALS, FOREIGNERS, UNKNOWN, *sorted(countries or [])],
        Dimension.CONFLICT: [CONFLICT_RELATED],
    }
    return known.get(dimension, [])


def _check_category(dimension: str, category: str) -> None:
    if dimension not in Dimension.values:
        raise ValidationError(
            {"dimension": _("One of: %(codes)s") % {"codes": ", ".join(Dimension.values)}}
        )
    if category in categories(dimension):
        return
    if dimension == Dimension.CITIZENSHIP and Country.objects.filter(alpha3=category).exists():
        return
    raise ValidationError(
        {
            "category": _("“%(category)s” is not a category of %(dimension)s.")
            % {"category": category[:40], "dimension": dimension}
        }
    )


CellKey = tuple[str, str, str, str]  # indicator, sex, age, category (of one dimension)


def cell_value(raw: str) -> tuple[int | None, str]:
    """What was typed in a cell: a number, empty (not reported) or n/a."""
    text = raw.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    if text == "":
        return None, ValueStatus.NOT_REPORTED
    if text.lower() in {"n/a", "na"}:
        return None, ValueStatus.NOT_APPLICABLE
    if parse_whole_number(text, maximum=1_000_000_000) is None:
        raise ValidationError(
            _("“%(raw)s” is not a whole number from 0 to 1,000,000,000 (or empty, or n/a).")
            % {"raw": raw[:40]}
        )
    return int(text), ValueStatus.REPORTED


@transaction.atomic
def cells_set(
    *, actor: User, submission: Submission, dimension: str, typed: dict[CellKey, str]
) -> int:
    """Set the typed cells of one dimension, all or none. Every bad cell is named in the
    error (keyed "indicator|sex|age|category"); only cells whose value changes are written,
    audited and counted."""
    # locked and read again: a submit racing this save sees it whole, or not at all
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=submission.pk)
    )
    _require_own_editable(actor, submission)
    current = {
        (c.indicator, c.sex, c.age, c.category): (c.value, c.value_status)
        for c in submission.aggregates.filter(dimension=dimension)
    }
    errors: dict[str, list[str]] = {}
    changes: dict[CellKey, tuple[int | None, str]] = {}
    for key, raw in typed.items():
        try:
            _check_category(dimension, key[3])
            typed_value = cell_value(raw)
        except ValidationError as error:
            errors["|".join(key)] = error.messages
            continue
        if typed_value != current.get(key, (None, ValueStatus.NOT_REPORTED)):
            changes[key] = typed_value
    if errors:
        raise ValidationError(errors)
    for (indicator, sex, age, category), (value, status) in changes.items():
        cell, _created = AggregateValue.objects.update_or_create(
            submission=submission,
            indicator=indicator,
            sex=sex,
            age=age,
            dimension=dimension,
            category=category,
            defaults={"value": value, "value_status": status},
        )
        cell.full_clean()
        audit_record(
            actor=actor,
            action=StatisticsAction.CELL_EDITED,
            target=submission,
            details={
                "cell": f"{indicator}|{sex}|{age}|{dimension}|{category}",
                "value": value,
                "status": status,
            },
        )
    return len(changes)


def cell_set(
    *,
    actor: User,
    submission: Submission,
    indicator: str,
    sex: str,
    age: str,
    dimension: str,
    category: str,
    raw: str,
) -> AggregateValue:
    """Set one cell from what was typed (the API's and the demo's way in)."""
    key = (indicator, sex, age, category)
    try:
        cells_set(actor=actor, submission=submission, dimension=dimension, typed={key: raw})
    except ValidationError as error:
        if hasattr(error, "error_dict") and "|".join(key) in error.error_dict:
            raise ValidationError({"value": error.error_dict["|".join(key)]}) from None
        raise
    found = {
        "indicator": indicator,
        "sex": sex,
        "age": age,
        "dimension": dimension,
        "category": category,
    }
    stored = submission.aggregates.filter(**found).first()
    # A cell never typed in is not reported: nothing is stored for it.
    return stored or AggregateValue(
        submission=submission, value_status=ValueStatus.NOT_REPORTED, **found
    )


def submission_findings(submission: Submission) -> list[Finding]:
    """Validation errors and warnings of a submission, including the trend against last round."""
    table = submission_tables([submission.pk]).get(submission.pk, {})
    previous = (
        Submission.objects.filter(
            entity=submission.entity,
            country_of_detection=submission.country_of_detection,
            round__year=submission.round.year - 1,
        )
        .exclude(status=SubmissionStatus.DRAFT)
        .first()
    )
    previous_table = submission_tables([previous.pk]).get(previous.pk, {}) if previous else None
    return check_table(table, previous_table)


@transaction.atomic
def warning_explain(
    *, actor: User, submission: Submission, rule: str, cell: str, comment: str
) -> WarningExplanation:
    _require_own_editable(actor, submission)
    if not comment.strip():
        raise ValidationError({"comment": _("Explain the warning in a few words.")})
    explanation, _created = WarningExplanation.objects.update_or_create(
        submission=submission,
        rule=rule,
        cell=cell,
        defaults={"comment": comment.strip(), "author": actor},
    )
    _event(submission, Kind.WARNING_EXPLAINED, actor, comment.strip(), rule=rule, cell=cell)
    audit_record(
        actor=actor,
        action=StatisticsAction.WARNING_EXPLAINED,
        target=submission,
        details={"rule": rule},
    )
    return explanation


@transaction.atomic
def submission_submit(*, actor: User, submission: Submission) -> Submission:
    """A focal point sends the data for validation: no errors, every warning explained."""
    policies.require(actor, policies.SUBMITTERS)
    _require_own_editable(actor, submission)
    if not submission.records.exists() and not submission.aggregates.exists():
        raise ValidationError(_("The submission has no data yet."))
    findings = submission_findings(submission)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ValidationError([f"{f.message} ({f.left} > {f.right})" for f in errors])
    explained = set(submission.explanations.values_list("rule", "cell"))
    unexplained = [f for f in findings if (f.rule, f.cell) not in explained]
    if unexplained:
        raise ValidationError(
            [_("Explain the warning: %(message)s") % {"message": f.message} for f in unexplained]
        )
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_by, submission.submitted_at = actor, timezone.now()
    submission.save(update_fields=["status", "submitted_by", "submitted_at"])
    _event(submission, Kind.SUBMITTED, actor)
    audit_record(actor=actor, action=StatisticsAction.SUBMITTED, target=submission)
    _notify(
        list(policies.analyst_recipients()),
        _("CTIP: %(s)s submitted") % {"s": submission},
        _("%(entity)s submitted its %(year)s data for %(country)s for validation.")
        % {
            "entity": submission.entity.name,
            "year": submission.round.year,
            "country": submission.country_of_detection.name,
        },
        submission,
    )
    return submission


def _focal_points(submission: Submission) -> list[User]:
    return list(policies.focal_points_of(submission))


@transaction.atomic
def submission_return(*, actor: User, submission: Submission, comment: str) -> Submission:
    policies.require(actor, policies.REVIEWERS)
    if submission.status not in {SubmissionStatus.SUBMITTED, SubmissionStatus.VALIDATED}:
        raise ValidationError(_("Only submitted or validated data can be returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the focal point should correct.")})
    submission.status = SubmissionStatus.RETURNED
    # editable again: figures must be recomputed
    submission.table_cache = submission.origins_cache = None
    submission.save(update_fields=["status", "table_cache", "origins_cache"])
    _event(submission, Kind.RETURNED, actor, comment.strip())
    audit_record(
        actor=actor, action=StatisticsAction.RETURNED, target=submission, entity=submission.entity
    )
    _notify(
        _focal_points(submission),
        _("CTIP: %(s)s returned") % {"s": submission},
        comment.strip(),
        submission,
    )
    return submission


@transaction.atomic
def submission_validate(*, actor: User, submission: Submission) -> Submission:
    policies.require(actor, policies.REVIEWERS)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only submitted data can be validated."))
    if actor.pk in {submission.submitted_by_id, submission.created_by_id}:
        raise ValidationError(_("Nobody validates their own submission."))
    submission.status = SubmissionStatus.VALIDATED
    submission.validated_by, submission.validated_at = actor, timezone.now()
    submission.save(update_fields=["status", "validated_by", "validated_at"])
    _event(submission, Kind.VALIDATED, actor)
    audit_record(
        actor=actor, action=StatisticsAction.VALIDATED, target=submission, entity=submission.entity
    )
    _notify(
        _focal_points(submission),
        _("CTIP: %(s)s validated") % {"s": submission},
        _("Your data was validated."),
        submission,
    )
    return submission


def country_areas() -> dict[str, tuple[str, str]]:
    return {
        alpha3: (sub or "", reg or "")
        for alpha3, sub, reg in Country.objects.values_list("alpha3", "subregion_id", "region_id")
    }


@dataclass
class ReleaseDraft:
    """What publishing a round would put out, computed without writing anything: the page
    shows it for confirmation, and publication freezes exactly this."""

    submissions: list[Submission]
    cells: list[dict[str, Any]]  # the publishable cells, hidden ones without a number
    counted: int  # cells before disclosure control
    hidden: int  # cells suppressed
    dp_cells: list[dict[str, Any]]
    version: int
    flows: list[dict[str, Any]]  # the origin → detection pairs published (free) only


def release_draft(
    *, actor: User, round_: ReportingRound, threshold: int, epsilon: float | None, lock: bool
) -> ReleaseDraft:
    """The next release of a round. With `epsilon`, it also carries a differentially private
    table of detected victims by country of detection (OpenDP discrete Laplace, each person
    in one cell)."""
    policies.require(actor, policies.REVIEWERS)
    if threshold < 2:
        raise ValidationError({"threshold": _("The threshold must be at least 2.")})
    if epsilon is not None and not disclosure.MIN_EPSILON <= epsilon <= disclosure.MAX_EPSILON:
        raise ValidationError(
            {
                "epsilon": _("Epsilon must be between %(low)s and %(high)s.")
                % {"low": disclosure.MIN_EPSILON, "high": disclosure.MAX_EPSILON}
            }
        )
    found = round_.submissions.filter(
        status__in=[SubmissionStatus.VALIDATED, SubmissionStatus.PUBLISHED]
    )
    submissions = list(found.select_for_update() if lock else found)
    if not submissions:
        raise ValidationError(
            _("No validated submission to publish in %(year)s.") % {"year": round_.year}
        )
    figures = round_figures(submissions, deduplicate=True)
    cells = dict(figures.cells)
    areas = country_areas()
    disclosure.add_area_totals(cells, areas)
    releases = list(round_.releases.all())
    every_flow = figures_flows(submissions, minimum=1)
    pairs = {(f.origin, f.destination): f.victims for f in every_flow}
    changed = disclosure.changed_since(
        cells, [r.cells for r in releases], threshold
    ) | disclosure.changed_since(
        {disclosure.flow_key(*pair): n for pair, n in pairs.items()},
        [r.flows for r in releases],
        threshold,
        key_of=disclosure.flow_row_key,
    )
    suppression = disclosure.suppress(cells, threshold, areas, also=changed, pairs=pairs)
    dp_cells: list[dict[str, Any]] = []
    if epsilon is not None:
        # A country whose total is hidden is left out: its noisy count would tell it.
        victims = Indicator.DETECTED_VICTIMS.value
        totals = {c: (c, victims, "_T", "_T", Dimension.TOTAL, TOTAL) for c in figures.countries()}
        countries = [
            c for c, key in totals.items() if key in cells and key not in suppression.hidden
        ]
        noisy = disclosure.laplace_counts([figures.value(c, victims) for c in countries], epsilon)
        dp_cells = [{"area": c, "value": n} for c, n in zip(countries, noisy, strict=True)]
    return ReleaseDraft(
        submissions=submissions,
        cells=disclosure.publishable(cells, suppression),
        counted=len(cells),
        hidden=sum(1 for key in suppression.hidden if key in cells),
        dp_cells=dp_cells,
        flows=[
            {
                "origin": f.origin,
                "destination": f.destination,
                "value": f.victims,
                "kind": f.kind,
                "status": disclosure.FREE,
            }
            for f in every_flow
            if disclosure.flow_key(f.origin, f.destination) not in suppression.hidden
        ],
        version=(round_.releases.aggregate(v=Max("version"))["v"] or 0) + 1,
    )


@transaction.atomic
def round_publish(
    *,
    actor: User,
    round_: ReportingRound,
    threshold: int = DEFAULT_THRESHOLD,
    epsilon: float | None = None,
    previewed: tuple[int, list[int]] | None = None,
) -> PublishedRelease:
    """Freeze the validated data of a round into a new, disclosure-controlled release; the
    round is then published and takes no more data (a correction is a new version). With
    `previewed` (the version and submissions a preview showed), publish only that: a
    submission validated since, or a second click, is refused."""
    round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
    draft = release_draft(
        actor=actor, round_=round_, threshold=threshold, epsilon=epsilon, lock=True
    )
    shown = (draft.version, sorted(s.pk for s in draft.submissions))
    if previewed is not None and (previewed[0], sorted(previewed[1])) != shown:
        raise ValidationError(
            _(
                "The release changed since the preview (published meanwhile, or another "
                "submission validated): look at the preview again."
            )
        )
    release = PublishedRelease.objects.create(
        round=round_,
        version=draft.version,
        published_by=actor,
        threshold=threshold,
        method=f"de-duplicated; primary and secondary cell suppression, k={threshold}",
        cells=draft.cells,
        submission_ids=sorted(s.pk for s in draft.submissions),
        dp_epsilon=epsilon,
        dp_cells=draft.dp_cells,
        flows=draft.flows,
    )
    for submission in draft.submissions:
        if submission.status != SubmissionStatus.PUBLISHED:
            submission.status = SubmissionStatus.PUBLISHED
            submission.save(update_fields=["status"])
            _event(submission, Kind.PUBLISHED, actor, version=draft.version)
    round_.state = RoundState.PUBLISHED
    round_.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action=StatisticsAction.PUBLISHED,
        target=release,
        details={
            "year": round_.year,
            "version": draft.version,
            "cells": draft.counted,
            "suppressed": draft.hidden,
        },
    )
    return release


@transaction.atomic
def record_save(
    *, actor: User, round_: ReportingRound, country: Country, record_uuid: Any, values: dict
) -> VictimRecord:
    """One pseudonymised victim record from another app (a case file): into the entity's
    submission for the round and country of detection, replacing the record with the same id.
    `values` are VictimRecord fields; never an identity, only its linkage key."""
    if values.get("year_of_identification") != round_.year:
        raise ValidationError(
            {
                "year_of_identification": _("The year must be the round's, %(year)s.")
                % {"year": round_.year}
            }
        )
    submission = submission_start(actor=actor, round_=round_, country=country)
    _require_own_editable(actor, submission)
    record, _created = VictimRecord.objects.update_or_create(
        submission=submission, record_uuid=record_uuid, defaults=values
    )
    submission.record_count = submission.records.count()
    submission.save(update_fields=["record_count"])
    audit_record(
        actor=actor,
        action=StatisticsAction.RECORD_SAVED,
        target=submission,
        details={"record": str(record.record_uuid), "created": _created},
    )
    return record
