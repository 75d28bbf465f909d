"""Every write of the cases app commits with its audit event or not at all."""

import datetime

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import timezone

from ctip.cases import services
from ctip.cases.tests.builders import CASE, SCREENING, a_case
from ctip.core.codes import EntityKind, Role
from ctip.core.models import Notification
from ctip.core.testing import make_entity, make_user

pytestmark = pytest.mark.django_db

# the world's case as its edit form posts it back (consent to everything, detected in Italy)
EDITABLE = {
    **CASE,
    "consent_sharing": "yes",
    "consent_statistics": "yes",
    "country_of_detection": "ITA",
}


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.fixture
def world(actors):
    """A case with consent to everything, a provider with an accepted referral, a tip."""
    from ctip.statistics.models import ReportingRound

    worker = actors.by_role[Role.CASEWORKER]
    focal = actors.by_role[Role.FOCAL_POINT]
    ngo = make_entity("SAFEHOME", kind=EntityKind.NGO)
    ngo_focal = make_user(ngo, Role.FOCAL_POINT)
    services.offer_save(actor=ngo_focal, service="shelter", country="ITA")
    case = a_case(
        worker, consent_sharing="yes", consent_statistics="yes", country_of_detection="ITA"
    )
    pending = services.referral_create(
        actor=worker, case=case, to_entity=ngo, services=["shelter"], parts=["profile"]
    )
    accepted = services.referral_create(
        actor=worker, case=case, to_entity=ngo, services=["shelter"], parts=["identity"]
    )
    services.referral_answer(actor=ngo_focal, referral=accepted, answer="accept")
    tip = services.tip_receive(entity=actors.entity, raw={"what": "A house near the market"})
    closed = a_case(worker, names="Closed long ago")
    services.case_set_status(actor=focal, case=closed, status="closed")
    closed.closed_at = timezone.now() - datetime.timedelta(days=10_000)
    closed.save(update_fields=["closed_at"])
    year = timezone.localdate().year
    ReportingRound.objects.create(year=year, deadline=datetime.date(year + 1, 6, 30))
    colleague = make_user(actors.entity, Role.CASEWORKER)
    edited = {**EDITABLE, "names": "Amina Z."}
    services.case_update(actor=worker, case=case, raw=edited)
    services.note_add(actor=worker, case=case, text="Called the shelter.")
    follow_up = services.follow_up_add(
        actor=worker, case=case, raw={"due_on": timezone.localdate().isoformat(), "what": "Call"}
    )
    goal = services.goal_add(actor=worker, case=case, text="Safe housing")
    attachment = services.attachment_add(
        actor=worker, case=case, name="report.pdf", content=b"%PDF-1.4 a report"
    )
    asked = services.approval_request(actor=worker, case=case, kind="plan")
    return {
        "attachment": attachment,
        "asked": asked,
        "goal": goal,
        "worker": worker,
        "focal": focal,
        "ngo": ngo,
        "ngo_focal": ngo_focal,
        "case": case,
        "pending": pending,
        "accepted": accepted,
        "tip": tip,
        "colleague": colleague,
        "other_entity": actors.other_entity,
        "follow_up": follow_up,
        "edited": edited,
    }


WRITES = {
    "screening_record": lambda w: services.screening_record(actor=w["worker"], raw=SCREENING),
    "screenings_import": lambda w: services.screenings_import(
        entity=w["worker"].entity, rows=[(2, {**SCREENING, "_uuid": "u1"})]
    ),
    "case_open": lambda w: services.case_open(actor=w["worker"], raw=CASE),
    "case_open_on_referral": lambda w: services.case_open_on_referral(
        referred_by=w["focal"], entity=w["worker"].entity, raw=CASE, note="ENT-I2026-00001"
    ),
    "case_set_status": lambda w: services.case_set_status(
        actor=w["worker"], case=w["case"], status="follow_up"
    ),
    "case_assign": lambda w: services.case_assign(
        actor=w["focal"], case=w["case"], caseworker_id=str(w["colleague"].pk)
    ),
    "case_transfer": lambda w: services.case_transfer(
        actor=w["focal"], case=w["case"], to_entity=w["other_entity"]
    ),
    "case_report": lambda w: services.case_report(
        actor=w["worker"], case=w["case"], linkage_secret="x" * 20
    ),
    "identity_view": lambda w: services.identity_view(actor=w["worker"], case=w["case"]),
    "offer_save": lambda w: services.offer_save(
        actor=w["ngo_focal"], service="psychosocial", country="ITA"
    ),
    "referral_create": lambda w: services.referral_create(
        actor=w["worker"], case=w["case"], to_entity=w["ngo"], services=["health"], parts=[]
    ),
    "referral_answer": lambda w: services.referral_answer(
        actor=w["ngo_focal"], referral=w["pending"], answer="accept"
    ),
    "referral_shared_read": lambda w: services.referral_shared_read(
        actor=w["ngo_focal"], referral=w["accepted"]
    ),
    "service_record": lambda w: services.service_record(
        actor=w["ngo_focal"],
        case=w["case"],
        referral=w["accepted"],
        raw={"service": "shelter", "started_on": "2026-01-02"},
    ),
    "tip_receive": lambda w: services.tip_receive(entity=w["ngo"], raw={"what": "Another"}),
    "tip_read": lambda w: services.tip_read(actor=w["worker"], tip=w["tip"]),
    "tip_triage": lambda w: services.tip_triage(
        actor=w["worker"], tip=w["tip"], status="screening"
    ),
    "identities_purge": lambda w: services.identities_purge(),
    "case_update": lambda w: services.case_update(
        actor=w["worker"], case=w["case"], raw={**w["edited"], "sex": "M", "names": "A. Z."}
    ),
    "identity_history": lambda w: services.identity_history(actor=w["worker"], case=w["case"]),
    "note_add": lambda w: services.note_add(actor=w["worker"], case=w["case"], text="Seen"),
    "follow_up_add": lambda w: services.follow_up_add(
        actor=w["worker"],
        case=w["case"],
        raw={"due_on": timezone.localdate().isoformat(), "what": "Visit"},
    ),
    "follow_up_done": lambda w: services.follow_up_done(
        actor=w["worker"], follow_up=w["follow_up"]
    ),
    "follow_up_reminders": lambda w: services.follow_up_reminders(w["follow_up"].due_on),
    "case_work_read": lambda w: services.case_work_read(actor=w["worker"], case=w["case"]),
    "goal_add": lambda w: services.goal_add(actor=w["worker"], case=w["case"], text="School"),
    "attachment_add": lambda w: services.attachment_add(
        actor=w["worker"], case=w["case"], name="scan.png", content=b"\x89PNG\r\n\x1a\n..."
    ),
    "attachment_read": lambda w: services.attachment_read(
        actor=w["worker"], attachment=w["attachment"]
    ),
    "attachment_delete": lambda w: services.attachment_delete(
        actor=w["worker"], attachment=w["attachment"]
    ),
    "approval_request": lambda w: services.approval_request(
        actor=w["worker"], case=w["case"], kind="closure"
    ),
    "approval_decide": lambda w: services.approval_decide(
        actor=w["focal"], approval=w["asked"], decision="return", comment="Goal 2 is vague"
    ),
    "goal_set_status": lambda w: services.goal_set_status(
        actor=w["worker"], goal=w["goal"], status="achieved"
    ),
}


def database_state() -> dict[str, list[dict]]:
    """Every row of the cases app (decrypted), and the notifications."""
    models: list[type[Model]] = [*apps.get_app_config("cases").get_models(), Notification]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_and_its_audit_event_commit_together_or_not_at_all(name, world, audit_fails):
    # given the world as it is
    before = database_state()
    # when the service runs and its audit event cannot be written
    with pytest.raises(audit_fails):
        WRITES[name](world)
    # then nothing of it is in the database
    assert database_state() == before


def test_every_public_service_that_writes_is_in_the_list():
    public = {n for n in services.__all__ if n.islower() and callable(getattr(services, n))}
    not_writes = {
        "answer_key",
        "clean_case",
        "clean_screening",
        "clean_follow_up",
        "identity_hash",
        "may_see_identity",
        "submission_id",
        "duplicates_check",  # runs inside case_open's transaction
    }
    assert public - not_writes == set(WRITES)
