"""Editing a case after it was opened: any field, one audited change, its history kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.cases import policies
from ctip.cases.codes import CaseEventKind, CasesAction, CaseStatus
from ctip.cases.facts import FIELDS, stored
from ctip.cases.models import Case
from ctip.cases.services.cases import clean_case
from ctip.cases.services.common import case_event
from ctip.cases.services.identity import IDENTITY_FIELDS, identity_replace
from ctip.core.audit import audit_record
from ctip.core.models import User
from ctip.core.policies import not_found

CLOSED = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


@transaction.atomic
def case_update(*, actor: User, case: Case, raw: dict[str, Any]) -> list[str]:
    """Change any field of a case that is not closed, for those who may see its identity
    (the form shows it). Returns the names of the changed fields. The timeline keeps each
    previous value (identity ones encrypted); the audit event lists the names only. The
    caseworker and the status have their own services (`case_assign`, `case_set_status`)."""
    policies.require_field_staff(actor)
    if not policies.may_edit(actor, case):
        raise not_found()
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status in CLOSED or case.identity_purged_at:
        raise ValidationError(_("A closed case cannot be edited: reopen it first (its status)."))
    values = clean_case(raw, case.entity)
    identity = {name: values.pop(name) for name in IDENTITY_FIELDS}
    before = {name: stored(case, name) for name in FIELDS}
    for name in FIELDS:
        setattr(case, name, values[name])
    changes = {name: old for name, old in before.items() if stored(case, name) != old}
    previous_identity = identity_replace(case=case, values=identity)
    if not changes and not previous_identity:
        return []
    case.identity_hash = values["identity_hash"]
    case.save(update_fields=[*changes, "identity_hash"])
    changed = [*changes, *previous_identity]
    case_event(
        case,
        CaseEventKind.EDITED,
        actor,
        ";".join(changed),
        changes=changes,
        previous_identity=previous_identity,
    )
    audit_record(
        actor=actor,
        action=CasesAction.CASE_EDITED,
        target=case,
        details={"changed": changed},
    )
    return changed
