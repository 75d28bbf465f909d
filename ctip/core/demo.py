"""The demo data set: fictitious people in realistic organisations. Never real people.

Deterministic for a given seed and idempotent: running it again adds nothing.
"""

import random
from datetime import date

from django.db import transaction

from ctip.core import services
from ctip.core.audit import AuditAction, audit_record
from ctip.core.codes import EntityKind, Role
from ctip.core.models import ConflictSituation, Country, Entity, User

DEMO_PASSWORD = "ctip-demo-2026!"  # noqa: S105 - documented in the README, demo only
LABEL = "cli:demo_data"

ENTITIES = [
    ("CTIP", "CTIP operator (central analysis team)", EntityKind.UN_AGENCY, None),
    (
        "MINUSCA",
        "United Nations Multidimensional Integrated Stabilization Mission in the "
        "Central African Republic",
        EntityKind.UN_MISSION,
        "CAF",
    ),
    ("UNAMI", "United Nations Assistance Mission for Iraq", EntityKind.UN_MISSION, "IRQ"),
    (
        "UNHCR",
        "Office of the United Nations High Commissioner for Refugees",
        EntityKind.UN_AGENCY,
        None,
    ),
    ("IOM", "International Organization for Migration", EntityKind.UN_AGENCY, None),
    (
        "NGA-NAPTIP",
        "National Agency for the Prohibition of Trafficking in Persons (Nigeria)",
        EntityKind.MEMBER_STATE,
        "NGA",
    ),
    (
        "IRQ-CCHT",
        "Central Committee to Combat Human Trafficking (Iraq)",
        EntityKind.MEMBER_STATE,
        "IRQ",
    ),
    ("SAFEHAVEN", "Safe Haven Network (fictitious NGO)", EntityKind.NGO, "CAF"),
    (
        "NEWDAWN",
        "New Dawn Shelter and Counselling (fictitious provider)",
        EntityKind.SERVICE_PROVIDER,
        "IRQ",
    ),
]

# One account per role: what the README lists and `make demo` prints.
ROLE_ACCOUNTS = [
    ("caseworker@minusca.demo", "Amina Ndoye", "MINUSCA", Role.CASEWORKER),
    ("focalpoint@minusca.demo", "Jean-Pierre Kossi", "MINUSCA", Role.FOCAL_POINT),
    ("analyst@ctip.demo", "Li Wen", "CTIP", Role.ANALYST),
    ("conduct@minusca.demo", "Sofia Marquez", "MINUSCA", Role.CONDUCT_OFFICER),
    ("legal@ctip.demo", "Omar Haddad", "CTIP", Role.LEGAL_OFFICER),
    ("reviewer@ctip.demo", "Chen Jing", "CTIP", Role.LEGAL_OFFICER),
    ("admin@ctip.demo", "Elena Petrova", "CTIP", Role.ADMINISTRATOR),
    ("surveys@iom.demo", "Mariam Tesfaye", "IOM", Role.ANALYST),
    ("monitor@minusca.demo", "Clarisse Yakite", "MINUSCA", Role.MONITOR),
    ("monitor2@minusca.demo", "Tomas Lindqvist", "MINUSCA", Role.MONITOR),
    ("monitor@unami.demo", "Layla Aziz", "UNAMI", Role.MONITOR),
    ("monitor2@unami.demo", "Kofi Boateng", "UNAMI", Role.MONITOR),
    ("funds@ctip.demo", "Ana Lucía Ramos", "CTIP", Role.FUND_MANAGER),
    ("procurement@minusca.demo", "Idriss Mahamat", "MINUSCA", Role.PROCUREMENT_OFFICER),
]

GIVEN = [
    "Aisha",
    "Marie",
    "Ahmed",
    "Grace",
    "Yusuf",
    "Nadia",
    "Paul",
    "Fatima",
    "Ibrahim",
    "Claire",
    "Hassan",
    "Ruth",
    "Samuel",
    "Leila",
    "David",
    "Zainab",
]
FAMILY = [
    "Diallo",
    "Okafor",
    "Mensah",
    "Salih",
    "Bangura",
    "Kamara",
    "Abdullah",
    "Nkosi",
    "Haidari",
    "Mbeki",
    "Rahman",
    "Touré",
    "Yilmaz",
    "Otieno",
]

CONFLICTS = [
    ("Armed conflict in the Central African Republic", ["CAF"], date(2012, 12, 10), None),
    ("Conflict with ISIL (Da'esh) in Iraq", ["IRQ", "SYR"], date(2014, 6, 10), date(2017, 12, 9)),
    (
        "Conflict in north-east Nigeria and the Lake Chad Basin",
        ["NGA", "CMR", "TCD", "NER"],
        date(2009, 7, 26),
        None,
    ),
    ("Armed conflict in the Syrian Arab Republic", ["SYR"], date(2011, 3, 15), None),
    ("Armed conflict in South Sudan", ["SSD"], date(2013, 12, 15), None),
    ("Armed conflict in Libya", ["LBY"], date(2014, 5, 16), None),
    (
        "Armed conflict in the eastern Democratic Republic of the Congo",
        ["COD"],
        date(1996, 10, 1),
        None,
    ),
    ("Conflict in the central Sahel", ["MLI", "BFA", "NER"], date(2012, 1, 17), None),
    ("Armed conflict in Somalia", ["SOM"], date(1991, 1, 26), None),
]


@transaction.atomic
def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - reproducible fake names, not secrets
    created = {"entities": 0, "users": 0, "conflict_situations": 0}
    for code, name, kind, country in ENTITIES:
        if not Entity.objects.filter(code=code).exists():
            services.entity_create(
                actor=None,
                actor_label=LABEL,
                code=code,
                name=name,
                kind=kind,
                country=Country.objects.get(alpha3=country) if country else None,
            )
            created["entities"] += 1
    accounts = list(ROLE_ACCOUNTS)
    for code, _name, _kind, _country in ENTITIES[1:]:
        domain = code.lower() + ".demo"
        for n, role in enumerate((Role.FOCAL_POINT, Role.CASEWORKER), start=1):
            person = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            accounts.append((f"staff{n}@{domain}", person, code, role))
    for email, full_name, code, role in accounts:
        if not User.objects.filter(email=email).exists():
            services.user_create(
                actor=None,
                actor_label=LABEL,
                email=email,
                full_name=full_name,
                entity=Entity.objects.get(code=code),
                role=role,
                password=DEMO_PASSWORD,
            )
            created["users"] += 1
    for name, countries, start, end in CONFLICTS:
        if not ConflictSituation.objects.filter(name=name).exists():
            services.conflict_situation_save(
                actor=None,
                actor_label=LABEL,
                name=name,
                start_date=start,
                end_date=end,
                countries=list(Country.objects.filter(alpha3__in=countries)),
            )
            created["conflict_situations"] += 1
    if any(created.values()):
        audit_record(
            actor=None,
            actor_label=LABEL,
            action=AuditAction.DEMO_LOADED,
            details={"seed": seed, **created},
        )
    return created
