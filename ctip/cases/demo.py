"""Synthetic screenings and case files for the demo: invented people, names marked as such."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ctip.cases.codes import INDICATOR_SETS, ApprovalDecision, ApprovalKind
from ctip.cases.models import Case, Screening
from ctip.cases.services import (
    approval_decide,
    approval_request,
    attachment_add,
    case_open,
    case_set_status,
    follow_up_add,
    goal_add,
    note_add,
    offer_save,
    referral_answer,
    referral_create,
    screening_record,
    service_record,
    tip_receive,
)
from ctip.core.codes import Role
from ctip.core.models import User

SETTINGS = ["reception", "asylum", "border", "camp", "community", "shelter"]
PEOPLE = [
    ("(synthetic) Grace N.", "2008-02-11", "F", "9--17", "CAF", "active"),
    ("(synthetic) Idriss M.", "1996-07-30", "M", "27--29", "TCD", "follow_up"),
    ("(synthetic) Rose K.", "2001-12-05", "F", "24--26", "COD", "closed"),
    ("(synthetic) Amadou S.", "1999-05-17", "M", "27--29", "MLI", "closed_referred"),
]


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if Screening.objects.exists():
        return {"screenings": 0, "cases": 0}
    worker = User.objects.filter(role=Role.CASEWORKER, entity__code="MINUSCA").first()
    if worker is None:
        return {"screenings": 0, "cases": 0}
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    today = timezone.localdate()
    screenings = []
    for n in range(8):
        code = list(INDICATOR_SETS)[n % 3]
        answers = {
            f"{code}_{q.code}": rng.choice(["yes", "no", "unknown"])
            for q in INDICATOR_SETS[code].questions
        }
        yes = sum(1 for v in answers.values() if v == "yes")
        outcome = "presumed_victim" if yes >= 3 else "further_assessment" if yes else "not_a_victim"
        screenings.append(
            screening_record(
                actor=worker,
                raw={
                    "screened_on": (today - datetime.timedelta(days=10 * n + 3)).isoformat(),
                    "place": "(synthetic) Bangui",
                    "setting": SETTINGS[n % len(SETTINGS)],
                    "indicator_set": code,
                    "under_18": "yes" if code == "child" else "no",
                    "outcome": outcome,
                    "reason": f"(synthetic) {yes} indicators answered yes.",
                    **answers,
                },
            )
        )
    provider = User.objects.filter(role=Role.FOCAL_POINT, entity__code="SAFEHAVEN").first()
    focal = User.objects.filter(role=Role.FOCAL_POINT, entity__code="MINUSCA").first()
    if provider is not None:
        for service in ("shelter", "psychosocial", "family_tracing"):
            offer_save(actor=provider, service=service, country="CAF", area="(synthetic) Bangui")
    presumed = [s for s in screenings if s.outcome != "not_a_victim"]
    for (names, born, sex, age, citizenship, status), screening in zip(
        PEOPLE, presumed, strict=False
    ):
        opened = case_open(
            actor=worker,
            raw={
                "names": names,
                "date_of_birth": born,
                "sex": sex,
                "age_band": age,
                "citizenship": citizenship,
                "forms_of_exploitation": ["ForcedLabour"] if sex == "M" else ["SexualExploitation"],
                "consent_referral": "yes",
                "consent_statistics": "yes",
                "consent_date": screening.screened_on.isoformat(),
                "narrative": "(synthetic) An invented account for the demonstration.",
            },
            screening=screening,
        )
        if status == "active" and opened.case.caseworker_id == worker.pk:
            _case_work(worker, opened.case, today, names)
        if status.startswith("closed"):  # the caseworker asks, a focal point approves
            asked = approval_request(
                actor=worker, case=opened.case, kind=ApprovalKind.CLOSURE, closing_status=status
            )
            if focal is not None:
                approval_decide(actor=focal, approval=asked, decision=ApprovalDecision.APPROVE)
        elif status != "active":
            case_set_status(actor=worker, case=opened.case, status=status)
        elif provider is not None:
            referral = referral_create(
                actor=worker,
                case=opened.case,
                to_entity=provider.entity,
                services=["shelter", "psychosocial"],
                parts=["profile", "exploitation"],
            )
            referral_answer(actor=provider, referral=referral, answer="accept")
            service_record(
                actor=provider,
                case=opened.case,
                referral=referral,
                raw={"service": "shelter", "started_on": today.isoformat(), "outcome": "Placed"},
            )
    for what in (
        "(synthetic) Two girls are kept in a house near the market and never go out.",
        "(synthetic) Men from the camp were taken to a mine and have not come back.",
    ):
        tip_receive(entity=worker.entity, raw={"what": what, "where": "(synthetic) Bangui"})
    return {"screenings": len(screenings), "cases": min(len(PEOPLE), len(presumed))}


def _case_work(worker: User, case: Case, today: datetime.date, names: str) -> None:
    """A note, a follow-up due today (for "my follow-ups due"), a goal of the case plan and
    a file named after the person (encrypted like the rest: tests/test_no_identity_at_rest.py
    looks for the name in the database file)."""
    note_add(actor=worker, case=case, text="(synthetic) Met at the shelter; wants to go to school.")
    follow_up_add(
        actor=worker,
        case=case,
        raw={"due_on": today.isoformat(), "what": "(synthetic) Ask the shelter for a school place"},
    )
    goal_add(actor=worker, case=case, text="(synthetic) A school place by the next term")
    attachment_add(
        actor=worker,
        case=case,
        name=f"{names} statement.txt",
        content=b"(synthetic) The statement, as the person gave it.\n",
        description="(synthetic) An invented account for the demonstration, signed",
    )
