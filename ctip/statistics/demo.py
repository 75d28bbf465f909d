"""Synthetic GLOTIP submissions that tell a story on first run. Never real people.

Three rounds: 2023 and 2024 published, 2025 open with submissions at each step of the
workflow (draft, submitted, returned, validated). Records go through the real path: a CSV in
CTIP's template with synthetic identities, encoded into linkage keys with the demo round
secret (as an entity would on its own machine), then imported. A few women are reported by
UNHCR and IOM in Libya under other spellings, for de-duplication to find.
"""

from __future__ import annotations

import random
import uuid
from datetime import date

from django.db import transaction

from ctip.core.codes import Role
from ctip.core.models import ConflictSituation, Country, Entity, User
from ctip.linkage import synthetic
from ctip.linkage.files import encode_table
from ctip.statistics import duplicates, expectations, services
from ctip.statistics.importing import import_file
from ctip.statistics.layouts import CTIP_COLUMNS
from ctip.statistics.models import ReportingRound, Submission

YEARS = (2023, 2024, 2025)
# The secret the demo's entities share to make linkage keys (docs/linkage.md): public, so
# never for real data. Encode your own test files with it to see them matched.
DEMO_LINKAGE_SECRET = "ctip-demo-round-secret-never-for-real-data"  # noqa: S105
SHARED_REPORTS = 6  # women reported in Libya by UNHCR and again by IOM
IDENTITY_COLUMNS = ["given_name", "family_name", "date_of_birth"]

# (entity, country of detection, victims a year, citizenships with weights, conflict name part)
REPORTERS = [
    ("UNAMI", "IRQ", 60, {"IRQ": 6, "SYR": 3, "IRN": 1}, "ISIL"),
    ("UNHCR", "LBY", 90, {"NGA": 3, "ERI": 3, "SDN": 2, "SOM": 1, "ETH": 1}, "Libya"),
    ("IOM", "LBY", 70, {"NGA": 4, "ERI": 2, "SDN": 2, "NER": 1}, "Libya"),
    ("IOM", "NER", 45, {"NER": 4, "NGA": 3, "MLI": 2}, "Sahel"),
    ("MINUSCA", "CAF", 40, {"CAF": 8, "TCD": 1, "CMR": 1}, "Central African"),
    ("SAFEHAVEN", "CAF", 25, {"CAF": 9, "COD": 1}, "Central African"),
    ("IOM", "ITA", 80, {"NGA": 5, "CIV": 2, "GIN": 1, "ERI": 1}, ""),
]
# Member State authorities report aggregate tables, with prosecutions and convictions.
AGGREGATE_REPORTERS = [("NGA-NAPTIP", "NGA", 950), ("IRQ-CCHT", "IRQ", 140)]

FORMS_BY_CONTEXT = {
    "ISIL": ["SexualExploitation", "ForcedMarriage", "ForcedMilitaryByNonStateActors"],
    "Libya": ["ForcedLabour", "SexualExploitation", "Servitude"],
    "Sahel": ["ForcedLabour", "ForcedBegging", "ForcedMilitaryByNonStateActors"],
    "Central African": ["ForcedMilitaryByNonStateActors", "SexualExploitation", "ForcedMarriage"],
    "": ["SexualExploitation", "ForcedLabour"],
}
AGE_BANDS = [
    "0--8",
    "9--17",
    "9--17",
    "18--20",
    "21--23",
    "24--26",
    "27--29",
    "30--38",
    "39--47",
    "48+",
]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _records_csv(
    rng: random.Random,
    year: int,
    country: str,
    n: int,
    citizenships: dict[str, int],
    conflict: ConflictSituation | None,
    context: str,
    seen_elsewhere: list[dict[str, object]] | None = None,
) -> tuple[bytes, list[dict[str, object]]]:
    """The file an entity would encode: CTIP's template with identity columns. The first
    rows of `seen_elsewhere` are people another entity reported, written down differently."""
    columns = [c for c in CTIP_COLUMNS if c != "linkage_key"] + IDENTITY_COLUMNS
    lines = [",".join(columns)]
    rows = []
    for i in range(n):
        record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        citizenship = _weighted(rng, citizenships)
        conflict_link = conflict is not None and rng.random() < 0.7
        forms = sorted(set(rng.sample(FORMS_BY_CONTEXT[context], k=rng.choice([1, 1, 2]))))
        row = {
            "record_id": record_id,
            "year_of_identification": year,
            "country_of_detection": country,
            "citizenship": citizenship,
            "sex": "F" if rng.random() < 0.66 else "M",
            "age_band": rng.choice(AGE_BANDS),
            "forms_of_exploitation": ";".join(forms),
            "means_of_control": rng.choice(
                [
                    "DebtBondage",
                    "PhysicalThreats;WithholdsDocuments",
                    "FalsePromises",
                    "PhysicalAbuse",
                ]
            ),
            "trafficking_status": rng.choice(
                ["ActualVictimOfTrafficking", "PossibleVictimOfTrafficking"]
            ),
            "conflict_situation": conflict.pk if conflict_link and conflict else "",
            "displacement_status": rng.choice(["refugee", "idp", "migrant", "asylum_seeker"]),
            "armed_group_involved": "1" if conflict_link and rng.random() < 0.5 else "",
        }
        if seen_elsewhere and i < len(seen_elsewhere):
            other = seen_elsewhere[i]
            row.update({k: other[k] for k in ("sex", "age_band", "citizenship")})
            who = synthetic.variant(rng, other["identity"])  # type: ignore[arg-type]
        else:
            who = synthetic.person(rng, year - 60, year - 5, sex=str(row["sex"]))
        row.update(
            {
                "given_name": who.given_name,
                "family_name": who.family_name,
                "date_of_birth": who.date_of_birth,
                "identity": who,
            }
        )
        rows.append(row)
        lines.append(",".join(str(row.get(c, "")) for c in columns))
    return ("\n".join(lines) + "\n").encode(), rows


def _focal_point(entity: Entity) -> User:
    focal_point = entity.users.filter(role=Role.FOCAL_POINT, is_active=True).order_by("pk").first()
    if focal_point is None:
        raise LookupError(f"{entity.code} has no focal point in the demo data")
    return focal_point


def _load_round(rng: random.Random, round_: ReportingRound, analyst: User) -> None:
    conflicts = list(ConflictSituation.objects.all())
    reported: dict[tuple[str, str], list[dict[str, object]]] = {}
    for code, country, base, citizenships, context in REPORTERS:
        entity = Entity.objects.get(code=code)
        conflict = next((c for c in conflicts if context and context in c.name), None)
        n = max(5, int(base * rng.uniform(0.8, 1.25)))
        shared = None
        if (code, country) == ("IOM", "LBY"):
            women = [r for r in reported[("UNHCR", "LBY")] if r["sex"] == "F"]
            shared = women[:SHARED_REPORTS]
        data, rows = _records_csv(
            rng, round_.year, country, n, citizenships, conflict, context, shared
        )
        reported[(code, country)] = rows
        encoded = encode_table(data, "demo.csv", DEMO_LINKAGE_SECRET)
        assert encoded.ok, encoded.problems
        result = import_file(
            actor=_focal_point(entity),
            entity=entity,
            round_=round_,
            data=encoded.text.encode(),
            filename=f"{code.lower()}-{country.lower()}-{round_.year}.csv",
        )
        assert result.ok, result.as_dict()
    for code, country, base in AGGREGATE_REPORTERS:
        entity = Entity.objects.get(code=code)
        focal_point = _focal_point(entity)
        submission = services.submission_start(
            actor=focal_point, round_=round_, country=Country.objects.get(alpha3=country)
        )
        total = int(base * rng.uniform(0.85, 1.2))
        female = int(total * rng.uniform(0.6, 0.75))
        children = int(total * rng.uniform(0.25, 0.4))
        prosecuted = max(1, int(total * rng.uniform(0.05, 0.2)))
        cells = {
            ("Detected trafficking victims", "_T", "_T"): total,
            ("Detected trafficking victims", "F", "_T"): female,
            ("Detected trafficking victims", "M", "_T"): total - female,
            ("Detected trafficking victims", "_T", "Y0T17"): children,
            ("Detected trafficking victims", "_T", "Y_GE18"): total - children,
            ("Persons prosecuted", "_T", "_T"): prosecuted,
            ("Persons convicted", "_T", "_T"): int(prosecuted * rng.uniform(0.2, 0.6)),
        }
        for (indicator, sex, age), value in cells.items():
            services.cell_set(
                actor=focal_point,
                submission=submission,
                indicator=indicator,
                sex=sex,
                age=age,
                dimension="Total",
                category="Total",
                raw=str(value),
            )


def _advance(submission: Submission, analyst: User, to: str) -> None:
    """Move a submission through the real workflow up to the state `to`."""
    focal_point = _focal_point(submission.entity)
    if to == "draft":
        return
    for finding in services.submission_findings(submission):
        if finding.severity == "warning":
            services.warning_explain(
                actor=focal_point,
                submission=submission,
                rule=finding.rule,
                cell=finding.cell,
                comment="Checked with the field office.",
            )
    services.submission_submit(actor=focal_point, submission=submission)
    if to == "returned":
        services.submission_return(
            actor=analyst,
            submission=submission,
            comment="Please add the age of the victims where known.",
        )
    elif to == "validated":
        services.submission_validate(actor=analyst, submission=submission)


# The open round's story: which submission ends in which state.
OPEN_ROUND_STATES = {
    ("UNHCR", "LBY"): "validated",
    ("NGA-NAPTIP", "NGA"): "validated",
    ("IOM", "LBY"): "validated",
    ("UNAMI", "IRQ"): "submitted",
    ("IRQ-CCHT", "IRQ"): "submitted",
    ("IOM", "NER"): "returned",
    ("IOM", "ITA"): "validated",
    ("MINUSCA", "CAF"): "submitted",
    ("SAFEHAVEN", "CAF"): "draft",
}


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if ReportingRound.objects.exists():
        return {"rounds": 0, "submissions": 0}
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not secrets
    analyst = User.objects.get(email="analyst@ctip.demo")
    for year in YEARS:
        round_ = services.round_open(
            actor=None, actor_label="cli:demo_data", year=year, deadline=date(year + 1, 6, 30)
        )
        _load_round(rng, round_, analyst)
        submissions = list(round_.submissions.select_related("entity"))
        if year < YEARS[-1]:
            for submission in submissions:
                _advance(submission, analyst, "validated")
            duplicates.dedup_run(actor=analyst, round_=round_)
            for cluster in round_.clusters.all():
                duplicates.dedup_decide(actor=analyst, cluster=cluster, same_person=True)
            services.round_publish(actor=analyst, round_=round_)
            continue
        for submission in submissions:
            state = OPEN_ROUND_STATES[(submission.entity.code, submission.country_of_detection_id)]
            _advance(submission, analyst, state)
        duplicates.dedup_run(actor=analyst, round_=round_)  # left for the analyst to decide
        # coverage: last round's reporters and the Member States are expected; so is one
        # mission that has not reported yet
        expectations.expected_propose(actor=analyst, round_=round_)
        expectations.expected_add(
            actor=analyst,
            round_=round_,
            entity=Entity.objects.get(code="MINUSCA"),
            country=Country.objects.get(alpha3="TCD"),
        )
    return {"rounds": len(YEARS), "submissions": Submission.objects.count()}
