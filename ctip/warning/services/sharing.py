"""Clearing an assessment for publication, and withdrawing the clearance. What a clearance
lets out is `ctip.warning.public`: the situation's name, the assessment's as-of date, its
level and the framework version; never its summary, scores, evidence or sources. Each write
is atomic with its audit event and checks `ctip.warning.policies` itself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.warning import policies
from ctip.warning.codes import ShareRefusal, WarningAction
from ctip.warning.models import Assessment


def _refused(refusal: ShareRefusal) -> ValidationError:
    return ValidationError(str(refusal.label), code=refusal.value)


def _locked(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock (two analysts at once: one wins), its
    encrypted summary left unread."""
    found = Assessment.objects.select_for_update().defer("summary").get(pk=assessment.pk)
    found.situation = assessment.situation
    return found


@transaction.atomic
def assessment_share(*, actor: User, assessment: Assessment) -> Assessment:
    """Clear the assessment for publication: an analyst who watches its situation, not its
    author, and only the situation's latest assessment that has a level."""
    policies.require_sharer(actor, assessment)
    assessment = _locked(assessment)
    refusal = policies.share_refusal(actor, assessment)
    if refusal is not None:
        raise _refused(refusal)
    if assessment.shared_at is not None:
        raise _refused(ShareRefusal.ALREADY_SHARED)
    assessment.shared_by, assessment.shared_at = actor, timezone.now()
    assessment.save(update_fields=["shared_by", "shared_at"])
    # no level in the audit log: administrators read it, and see no score
    audit_record(
        actor=actor,
        action=WarningAction.SHARED,
        target=assessment,
        details={"situation": assessment.situation_id, "as_of": assessment.as_of.isoformat()},
    )
    return assessment


@transaction.atomic
def assessment_unshare(*, actor: User, assessment: Assessment) -> Assessment:
    """Withdraw the assessment's clearance: any analyst who watches its situation."""
    policies.require_sharer(actor, assessment)
    assessment = _locked(assessment)
    if assessment.shared_at is None:
        raise _refused(ShareRefusal.NOT_SHARED)
    cleared_by = assessment.shared_by_id
    assessment.shared_by, assessment.shared_at = None, None
    assessment.save(update_fields=["shared_by", "shared_at"])
    audit_record(
        actor=actor,
        action=WarningAction.UNSHARED,
        target=assessment,
        details={
            "situation": assessment.situation_id,
            "as_of": assessment.as_of.isoformat(),
            "cleared_by": cleared_by,
        },
    )
    return assessment
