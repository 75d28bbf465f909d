"""Writes by people: who watches a situation, assessments, the reading of their evidence,
acknowledging alerts, exports. Each is atomic with its audit event and checks
`ctip.warning.policies` itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import ConflictSituation, User
from ctip.core.services import notify
from ctip.warning import framework, levels, policies
from ctip.warning.codes import WarningAction
from ctip.warning.models import Alert, Assessment, IndicatorScore, Watch

MAX_TEXT = 5000
EARLIEST = datetime.date(1900, 1, 1)


@transaction.atomic
def watch_add(*, actor: User, situation: ConflictSituation, user: User) -> Watch:
    policies.require_keeper(actor)
    if not policies.may_watch(user):
        raise ValidationError(
            {"user": _("Only active analysts and monitors can watch a situation.")}
        )
    watch, created = Watch.objects.get_or_create(
        situation=situation, user=user, defaults={"added_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action=WarningAction.WATCH_ADDED,
            target=situation,
            details={"user": user.pk},
        )
        # Everyone who watches learns who joined: a watcher added to read the evidence
        # cannot be added unseen.
        joined = _("Early warning: %(email)s now watches %(situation)s") % {
            "email": user.email,
            "situation": situation.name,
        }
        notify(
            list(policies.watchers_of(situation)),
            joined,
            joined,
            reverse("warning:situation", args=[situation.pk]),
        )
    return watch


@transaction.atomic
def watch_remove(*, actor: User, watch: Watch) -> None:
    policies.require_keeper(actor)
    audit_record(
        actor=actor,
        action=WarningAction.WATCH_REMOVED,
        target=watch.situation,
        details={"user": watch.user_id},
    )
    watch.delete()


@dataclass(frozen=True)
class ScoreInput:
    score: int | None
    evidence: str = ""
    sources: str = ""


def clean_scores(
    raw: dict[str, Any], previous: dict[str, ScoreInput] | None = None
) -> dict[str, ScoreInput]:
    """{indicator code: {score, evidence, sources}} for the person-scored indicators; a score
    must be 0 to TOP or empty (not known), and a score above 0 needs its evidence. An
    indicator left out keeps its previous score and evidence, and a score unchanged with no
    new evidence keeps the previous evidence, so that re-scoring one indicator neither
    forgets the others nor makes anyone retype what was said."""
    errors: dict[str, str] = {}
    found = {}
    previous = previous or {}
    for indicator in framework.SCORED:
        before = previous.get(indicator.code, ScoreInput(None))
        if indicator.code not in raw:
            found[indicator.code] = before
            continue
        given = raw.get(indicator.code) or {}
        value = given.get("score")
        evidence = str(given.get("evidence") or "").strip()
        sources = str(given.get("sources") or "").strip()
        score: int | None = None
        if value not in (None, ""):
            try:
                score = int(value)
            except (TypeError, ValueError):
                score = -1
            if not 0 <= score <= framework.TOP:
                errors[indicator.code] = _("A score is 0 to %(top)d, or empty if not known.") % {
                    "top": framework.TOP
                }
                continue
        if score == before.score and not evidence:
            evidence, sources = before.evidence, sources or before.sources
        if score and not evidence:
            errors[indicator.code] = _("Say what the score rests on (evidence).")
        if len(evidence) > MAX_TEXT or len(sources) > MAX_TEXT:
            errors[indicator.code] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
        found[indicator.code] = ScoreInput(score, evidence, sources)
    unknown = sorted(set(raw) - {i.code for i in framework.SCORED})
    if unknown:
        errors["scores"] = _("Not person-scored indicators of the framework: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    if errors:
        raise ValidationError(errors)
    return found


def _previous(situation: ConflictSituation) -> dict[str, ScoreInput]:
    """The latest assessment's scores with their evidence, decrypted for the carry-forward
    only (never shown, never kept outside the new encrypted rows)."""
    latest = Assessment.objects.filter(situation=situation).order_by("-as_of", "-pk").first()
    if latest is None:
        return {}
    return {s.indicator: ScoreInput(s.score, s.evidence, s.sources) for s in latest.scores.all()}


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    situation: ConflictSituation,
    as_of: datetime.date,
    scores: dict[str, Any],
    summary: str = "",
) -> Assessment:
    """A new assessment (earlier ones stay as they were); its level with the signals of its
    month; an alert if the level rose to high or very high."""
    policies.require_assessor(actor, situation)
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("An assessment cannot be dated in the future.")})
    if as_of < max(situation.start_date, EARLIEST):
        raise ValidationError(
            {"as_of": _("An assessment cannot be dated before the situation began.")}
        )
    if len(summary) > MAX_TEXT:
        raise ValidationError({"summary": _("At most %(n)d characters.") % {"n": MAX_TEXT}})
    cleaned = clean_scores(scores, _previous(situation))
    assessment = Assessment.objects.create(
        situation=situation,
        as_of=as_of,
        author=actor,
        framework=framework.VERSION,
        summary=summary.strip(),
    )
    IndicatorScore.objects.bulk_create(
        IndicatorScore(
            assessment=assessment,
            indicator=code,
            score=given.score,
            evidence=given.evidence,
            sources=given.sources,
        )
        for code, given in cleaned.items()
    )
    state = levels.stored([situation.pk], as_of)[situation.pk]  # the month of `as_of`
    latest = state.latest
    assessment.score = latest.combined.score if latest else None
    assessment.level = (latest.combined.level if latest else None) or ""
    assessment.save(update_fields=["score", "level"])
    if levels.tested_month(as_of) >= levels.tested_month(timezone.localdate()):
        from ctip.warning.services.computing import raise_alerts

        raise_alerts(situation.pk, state)  # a back-dated assessment alerts nobody
    # no level or score in the audit log: administrators read it, and see no score
    audit_record(
        actor=actor,
        action=WarningAction.ASSESSED,
        target=assessment,
        details={"situation": situation.pk, "as_of": as_of.isoformat()},
    )
    return assessment


def latest_scores(situation: ConflictSituation) -> dict[str, int | None]:
    latest = Assessment.objects.filter(situation=situation).order_by("-as_of", "-pk").first()
    if latest is None:
        return {}
    return dict(latest.scores.values_list("indicator", "score"))


@transaction.atomic
def evidence_view(*, actor: User, assessment: Assessment) -> list[IndicatorScore]:
    """The scores with their evidence and sources, decrypted for this page only; audited."""
    policies.require_situation(actor, assessment.situation)
    audit_record(
        actor=actor,
        action=WarningAction.EVIDENCE_VIEWED,
        target=assessment,
        details={"situation": assessment.situation_id},
    )
    return list(assessment.scores.all())


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, note: str) -> Alert:
    policies.require_situation(actor, alert.situation)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)  # two watchers at once: one wins
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what was done or will be done about it.")})
    if len(note) > MAX_TEXT:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": MAX_TEXT}})
    if alert.acknowledged_at is not None:
        raise ValidationError({"note": _("This alert was already acknowledged.")})
    alert.acknowledged_by, alert.acknowledged_at, alert.note = actor, timezone.now(), note
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "note"])
    audit_record(
        actor=actor,
        action=WarningAction.ALERT_ACKNOWLEDGED,
        target=alert,
        details={"situation": alert.situation_id},
    )
    return alert


@transaction.atomic
def assessment_exported(*, actor: User, situation: ConflictSituation, fmt: str) -> None:
    policies.require_situation(actor, situation)
    audit_record(
        actor=actor,
        action=WarningAction.EXPORTED,
        target=situation,
        details={"format": fmt},
    )
