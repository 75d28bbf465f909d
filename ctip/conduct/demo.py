"""Synthetic allegations for the demo: invented, in the missions of the demo data, with
investigations in every state — one overdue, one due soon — and a unit that the patterns
page flags. The units are registered first; some allegations type them differently
("INFANTRY BATTALION-2"), and still count as the registered unit."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ctip.conduct.models import Allegation
from ctip.conduct.services import (
    allegation_record,
    certification_save,
    investigation_save,
    unit_add,
)
from ctip.core.codes import Role
from ctip.core.models import User

CATEGORIES = [
    "sexual_exploitation",
    "sexual_abuse",
    "transactional_sex",
    "exploitative_relationship",
]
CHANNELS = ["community", "hotline", "staff", "ngo"]
UNITS = [("PAK", "Infantry Battalion 2"), ("BGD", "Engineer Company"), ("ZMB", "Battalion 4")]
# how the first unit is typed on its first allegations: one unit however it is spelled
SPELLINGS = ["Infantry Battalion 2", "INFANTRY BATTALION-2", "infantry battalion 2 "]
# and on the last one: another key, so a unit of its own, to merge on the units page
ABBREVIATED = "Inf. Bn 2"


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if Allegation.objects.exists():
        return {"allegations": 0}
    officer = User.objects.filter(role=Role.CONDUCT_OFFICER, entity__code="MINUSCA").first()
    if officer is None:
        return {"allegations": 0}
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    today = timezone.localdate()
    created = 0
    for country, unit in UNITS:
        unit_add(actor=officer, raw={"country": country, "name": unit})
    for n in range(14):
        country, unit = UNITS[0] if n < 4 else rng.choice(UNITS)
        if n < len(SPELLINGS):
            unit = SPELLINGS[n]
        elif n == 13:
            country, unit = UNITS[0][0], ABBREVIATED
        reported = today - datetime.timedelta(days=20 + 25 * n)
        allegation = allegation_record(
            actor=officer,
            entity=officer.entity,
            raw={
                "channel": rng.choice(CHANNELS),
                "category": rng.choice(CATEGORIES),
                "incident_date": (
                    reported - datetime.timedelta(days=rng.randint(1, 40))
                ).isoformat(),
                "reported_on": reported.isoformat(),
                "victims_count": str(rng.randint(1, 2)),
                "victims_minors": str(rng.randint(0, 1)),
                "personnel_category": "military",
                "contingent_country": country,
                "unit": unit,
                "victim_identities": "(synthetic) initials only",
                "subject_identity": "(synthetic) rank and initials",
                "subject_identifier": f"DEMO-{n:04d}",
                "account": "(synthetic) An invented account for the demonstration.",
            },
        )
        created += 1
        if n % 3 == 0:
            continue  # just received: the immediate response is under way
        referred = reported + datetime.timedelta(days=3)
        finished = n % 3 == 2 and n > 6
        investigation_save(
            actor=officer,
            allegation=allegation,
            raw={
                "body": rng.choice(["oversight", "national", "entity"]),
                "referred_on": referred.isoformat(),
                "started_on": (referred + datetime.timedelta(days=5)).isoformat(),
                "outcome": rng.choice(["substantiated", "not_substantiated"]) if finished else "",
                "finished_on": (referred + datetime.timedelta(days=150)).isoformat()
                if finished
                else "",
                "measures": "repatriation" if finished else "",
            },
        )
    for country, unit in UNITS[:2]:
        certification_save(
            actor=officer,
            raw={
                "country": country,
                "unit": unit,
                "deployed_on": (today - datetime.timedelta(days=400)).isoformat(),
                "personnel": "850" if country == "PAK" else "180",
                "training_done": "yes",
                "no_prior_misconduct": "yes" if country == "PAK" else "",
                "certified_on": (today - datetime.timedelta(days=420)).isoformat(),
            },
        )
    return {"allegations": created}
