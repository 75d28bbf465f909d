"""Writes of the cases app (and the audited reads of identities), one module per concern.
Each service is keyword-only, atomic, and writes its audit event in the same transaction.
`from ctip.cases import services; services.case_open(...)` keeps working through these
re-exports."""

from ctip.cases.policies import FIELD_STAFF, may_see_identity
from ctip.cases.services.approvals import approval_decide, approval_request
from ctip.cases.services.attachments import (
    AttachmentFile,
    attachment_add,
    attachment_delete,
    attachment_read,
)
from ctip.cases.services.cases import (
    CHOICES,
    Opened,
    case_assign,
    case_open,
    case_open_on_referral,
    case_report,
    case_set_status,
    case_transfer,
    clean_case,
)
from ctip.cases.services.editing import case_update
from ctip.cases.services.identity import (
    DUPLICATE_CHECKS_PER_HOUR,
    IDENTITY_FIELDS,
    IDENTITY_PURPOSE,
    DuplicateCheck,
    duplicates_check,
    identities_purge,
    identity_hash,
    identity_history,
    identity_view,
)
from ctip.cases.services.notes import (
    CaseWork,
    case_work_read,
    clean_follow_up,
    follow_up_add,
    follow_up_done,
    follow_up_reminders,
    goal_add,
    goal_set_status,
    note_add,
)
from ctip.cases.services.referrals import (
    ANSWERS,
    offer_save,
    referral_answer,
    referral_create,
    referral_shared_read,
    service_record,
)
from ctip.cases.services.screening import (
    MAX_SCREENING_ROWS,
    ImportReport,
    answer_key,
    clean_screening,
    screening_record,
    screenings_import,
    submission_id,
)
from ctip.cases.services.tips import TIP_LIMITS, tip_read, tip_receive, tip_triage

__all__ = [
    "ANSWERS",
    "CHOICES",
    "DUPLICATE_CHECKS_PER_HOUR",
    "FIELD_STAFF",
    "IDENTITY_FIELDS",
    "IDENTITY_PURPOSE",
    "MAX_SCREENING_ROWS",
    "TIP_LIMITS",
    "AttachmentFile",
    "CaseWork",
    "DuplicateCheck",
    "ImportReport",
    "Opened",
    "answer_key",
    "approval_decide",
    "approval_request",
    "attachment_add",
    "attachment_delete",
    "attachment_read",
    "case_assign",
    "case_open",
    "case_open_on_referral",
    "case_report",
    "case_set_status",
    "case_transfer",
    "case_update",
    "case_work_read",
    "clean_case",
    "clean_follow_up",
    "clean_screening",
    "duplicates_check",
    "follow_up_add",
    "follow_up_done",
    "follow_up_reminders",
    "goal_add",
    "goal_set_status",
    "identities_purge",
    "identity_hash",
    "identity_history",
    "identity_view",
    "may_see_identity",
    "note_add",
    "offer_save",
    "referral_answer",
    "referral_create",
    "referral_shared_read",
    "screening_record",
    "screenings_import",
    "service_record",
    "submission_id",
    "tip_read",
    "tip_receive",
    "tip_triage",
]
