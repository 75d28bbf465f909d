"""A synthetic flow-monitoring survey for the demo, labelled as such: IOM interviews people
arriving by the three Mediterranean routes in two waves, in four countries with three
interview points each, weighted to arrivals. Answers are drawn so that the central route
shows the highest shares and the second wave a lower one, as the report's figures did."""

from __future__ import annotations

import random

from django.db import transaction

from ctip.core.codes import Role
from ctip.core.models import Entity, User
from ctip.surveys import services
from ctip.surveys.models import Survey

CODE = "dtm-med-synthetic"
INDICATORS = [
    "unpaid_work",
    "forced_work",
    "held_captive",
    "marriage_offer",
    "organs_offer",
    "physical_violence",
]
ROUTES = {"central": ("ITA", "MLT"), "eastern": ("GRC",), "western": ("ESP",)}
BASE = {"central": 0.2, "eastern": 0.06, "western": 0.09}  # chance of each yes
NATIONALITIES = {
    "central": ["NGA", "ERI", "GMB", "GIN", "SDN", "MLI", "CIV", "BGD"],
    "eastern": ["SYR", "AFG", "IRQ", "PAK"],
    "western": ["GIN", "MLI", "CIV", "MAR", "SEN"],
}
RESPONDENTS_PER_WAVE = 1500


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if Survey.objects.filter(code=CODE).exists():
        return {"survey responses": 0}
    entity = Entity.objects.filter(code="IOM").first()
    analyst = User.objects.filter(entity=entity, role=Role.ANALYST).first()
    if entity is None or analyst is None:
        return {"survey responses": 0}
    rng = random.Random(seed)  # noqa: S311 - synthetic answers
    survey = services.survey_save(
        actor=analyst,
        entity=entity,
        raw={
            "code": CODE,
            "title": "Flow monitoring, Mediterranean routes (synthetic, demo)",
            "indicators": INDICATORS,
            "breakdowns": [
                "route",
                "nationality",
                "sex",
                "age_band",
                "country_of_interview",
                "wave",
            ],
            "min_n": 30,
            "current_wave": "2",
        },
    )
    rows = []
    for wave, drift in (("1", 1.0), ("2", 0.75)):
        for n in range(RESPONDENTS_PER_WAVE):
            route = rng.choices(list(ROUTES), weights=[5, 3, 2])[0]
            country = rng.choice(ROUTES[route])
            sex = rng.choices(["M", "F"], weights=[4, 1])[0]
            chance = BASE[route] * drift * (1.2 if sex == "F" else 1.0)
            row = {
                "respondent_id": f"SYN-{wave}-{n:05d}",
                "weight": f"{rng.uniform(0.5, 4.0):.3f}",
                "stratum": country,
                "cluster": f"{country}-point-{rng.randint(1, 3)}",
                "wave": wave,
                "route": route,
                "nationality": rng.choice(NATIONALITIES[route]),
                "sex": sex,
                "age_band": rng.choice(["9--17", "18--20", "21--23", "24--26", "27--29", "30--38"]),
                "country_of_interview": country,
            }
            for code in INDICATORS:
                row[code] = (
                    "" if rng.random() < 0.03 else ("yes" if rng.random() < chance else "no")
                )
            rows.append((n + 2, row))
    report = services.responses_import(survey=survey, rows=rows, actor=analyst)
    assert not report.errors, report.errors[:3]
    services.survey_publish(actor=analyst, survey=survey)
    return {"survey responses": report.created}
