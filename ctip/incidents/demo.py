"""Synthetic incidents for the demo: invented, in two demo situations (the Central African
Republic, MINUSCA's monitors; the conflict with ISIL in Iraq, UNAMI's), by fictitious
parties labelled as such, the first of each listed in the report of the situation's last
year, with verified abductions (beside others' and unattributed ones) in the year that
report covers. Statuses in every state, some verified late, abductees followed by
(invented) name, one of them released and referred to a caseworker."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from ctip.core.codes import Role
from ctip.core.models import ConflictSituation, User
from ctip.incidents import services
from ctip.incidents.models import Incident, Party

FICTITIOUS = "(fictitious, demo)"
# situation name part, entity, country, areas (with a point inside each: a place, roughly),
# years, parties (name, kind, aliases)
SITUATIONS = [
    (
        "Central African Republic",
        "MINUSCA",
        "CAF",
        {
            "Haute-Kotto": (7.5, 23.0),
            "Vakaga": (10.0, 22.5),
            "Ouham": (7.0, 17.5),
            "Nana-Grébizi": (7.3, 19.4),
            "Bamingui-Bangoran": (8.5, 20.5),
        },
        (2022, 2026),
        [
            ("Armed group Alpha", "non_state_armed_group", "AGA;Alpha"),
            ("Armed group Bravo", "non_state_armed_group", "Bravo coalition"),
            ("National force Delta", "state_armed_force", ""),
        ],
    ),
    (
        "ISIL",
        "UNAMI",
        "IRQ",
        {
            "Ninewa": (36.3, 43.1),
            "Salah al-Din": (34.5, 43.6),
            "Anbar": (33.4, 42.0),
            "Kirkuk": (35.5, 44.4),
        },
        (2014, 2017),
        [
            ("Armed group Echo", "non_state_armed_group", "Echo"),
            ("Militia Foxtrot", "non_state_armed_group", ""),
        ],
    ),
]
VIOLATIONS = [
    ["abduction", "sexual_violence"],
    ["abduction", "recruitment_use"],
    ["abduction"],
    ["recruitment_use"],
    ["killing_maiming"],
    ["sexual_violence"],
    ["attack_school_hospital"],
    ["denial_humanitarian_access"],
    ["abduction", "trafficking"],
]
NAMES = ["Aline", "Mireille", "Esther", "Nadège", "Rania", "Dilan", "Shirin", "Jamila"]


def _monitors(code: str) -> list[User]:
    return list(User.objects.filter(role=Role.MONITOR, entity__code=code).order_by("email"))


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if Incident.objects.exists():
        return {"incidents": 0}
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    created = 0
    for part, code, country, areas, (first, last), parties in SITUATIONS:
        situation = ConflictSituation.objects.filter(name__contains=part).first()
        monitors = _monitors(code)
        if situation is None or len(monitors) < 2:
            continue
        recorder, verifier = monitors
        for name, kind, aliases in parties:
            services.party_save(
                actor=recorder,
                raw={
                    "situation": situation.pk,
                    "name": f"{name} {FICTITIOUS}",
                    "kind": kind,
                    "aliases": aliases,
                },
            )
        names = [f"{name} {FICTITIOUS}" for name, _kind, _aliases in parties]
        end = min(datetime.date(last, 12, 31), datetime.date.today() - datetime.timedelta(days=30))
        start = datetime.date(first, 1, 1)
        for _n in range(70):
            day = start + datetime.timedelta(days=rng.randrange((end - start).days))
            violations = rng.choice(VIOLATIONS)
            area = rng.choice(sorted(areas))
            lat, lon = areas[area]
            located = rng.random() < 0.6
            counts = dict.fromkeys(("girls", "boys", "women", "men", "unknown_sex"), 0)
            if violations[0] not in {"attack_school_hospital", "denial_humanitarian_access"}:
                for group in rng.sample(list(counts), 2):
                    counts[group] = rng.randint(1, 6)
            incident = services.incident_record(
                actor=recorder,
                raw={
                    "situation": situation.pk,
                    "date": day.isoformat(),
                    "country": country,
                    "admin1": area,
                    "latitude": f"{lat + rng.uniform(-0.4, 0.4):.3f}" if located else "",
                    "longitude": f"{lon + rng.uniform(-0.4, 0.4):.3f}" if located else "",
                    "violations": violations,
                    "party": rng.choice([*names, *names, ""]),
                    **counts,
                    "narrative": "Invented account for the demo.",
                    "sources": [{"source": "Invented witness", "reliability": "usually_reliable"}],
                },
            )
            created += 1
            fate = rng.random()
            if fate < 0.15:
                continue  # still as reported
            services.verification_start(actor=recorder, incident=incident)
            if fate < 0.25:
                continue  # under verification, waiting for the second monitor
            status = "verified" if fate < 0.85 else rng.choice(["not_verified", "unverifiable"])
            decided = day + datetime.timedelta(days=rng.choice([10, 30, 60, 150]))
            services.verification_decide(
                actor=verifier,
                incident=incident,
                raw={
                    "status": status,
                    "basis": "two_independent_sources" if status == "verified" else "insufficient",
                    "decided_on": min(decided, datetime.date.today()).isoformat(),
                },
            )
            if "abduction" in violations and status == "verified":
                _follow(rng, recorder, incident)
        listed = services.party_resolve(situation, names[0])
        assert listed is not None
        created += _listed_abductions(rng, recorder, verifier, situation, country, listed, last)
        services.listing_save(
            actor=recorder,
            party=listed,
            raw={"annex": "caac_i", "year": last, "violations": ["abduction", "recruitment_use"]},
        )
    _refer_one()
    return {"incidents": created}


def _listed_abductions(
    rng: random.Random,
    recorder: User,
    verifier: User,
    situation: ConflictSituation,
    country: str,
    party: Party,
    report_year: int,
) -> int:
    """Verified abductions in the year the party's listing covers, six by the party and five
    unattributed: enough for the public page to name it, and to show the pooled others,
    with counts above the threshold."""
    year = report_year - 1
    for month in range(1, 12):
        day = datetime.date(year, month, rng.randint(1, 28))
        incident = services.incident_record(
            actor=recorder,
            raw={
                "situation": situation.pk,
                "date": day.isoformat(),
                "country": country,
                "violations": ["abduction", "recruitment_use"],
                "party": party.name if month % 2 else "",
                "boys": rng.randint(1, 4),
                "narrative": "Invented account for the demo.",
                "sources": [{"source": "Invented witness", "reliability": "usually_reliable"}],
            },
        )
        services.verification_start(actor=recorder, incident=incident)
        services.verification_decide(
            actor=verifier,
            incident=incident,
            raw={
                "status": "verified",
                "basis": "two_independent_sources",
                "decided_on": (day + datetime.timedelta(days=30)).isoformat(),
            },
        )
    return 11


def _refer_one() -> None:
    """The first freed person of MINUSCA's incidents, referred with consent to its caseworker."""
    from ctip.incidents.codes import FREE
    from ctip.incidents.models import Abductee

    freed = Abductee.objects.filter(
        incident__entity__code="MINUSCA", status__in=FREE, case=None
    ).first()
    caseworker = User.objects.filter(role=Role.CASEWORKER, entity__code="MINUSCA").first()
    if freed is None or caseworker is None:
        return
    services.abductee_refer(
        actor=_monitors("MINUSCA")[0],
        abductee=freed,
        to_entity=caseworker.entity,
        raw={
            "consent_referral": True,
            "consent_date": freed.status_on.isoformat(),
            "caseworker": str(caseworker.pk),
        },
    )


def _follow(rng: random.Random, monitor: User, incident: Incident) -> None:
    """One person of the abduction followed by an invented name; some of them freed."""
    group = next((g for g in ("girls", "women", "boys", "men") if getattr(incident, g)), None)
    if group is None:
        return
    abductee = services.abductee_add(
        actor=monitor,
        incident=incident,
        raw={"group": group, "names": f"{rng.choice(NAMES)} D.", "date_of_birth": ""},
    )
    if rng.random() < 0.4:
        freed = incident.date + datetime.timedelta(days=rng.randint(20, 200))
        services.abductee_status(
            actor=monitor,
            abductee=abductee,
            raw={
                "status": rng.choice(["escaped", "released", "reunified"]),
                "status_on": min(freed, datetime.date.today()).isoformat(),
            },
        )
