"""Synthetic court decisions for the demo: invented cases, written in the six UN languages,
so that search, facets and the digest have something to show on first run."""

from __future__ import annotations

from typing import Any

from ctip.caselaw.models import Decision
from ctip.caselaw.services import decisions_import
from ctip.core.models import Entity

DECISIONS: list[dict[str, Any]] = [
    {
        "title": "检察院诉王某等人口贩运案（虚构示例）",
        "country": "CHN",
        "court": "示例市中级人民法院",
        "legal_system": "civil_law",
        "decision_date": "2022-06-15",
        "language": "zh",
        "verdict": "convicted",
        "charges": "刑法第240条 | 拐卖妇女儿童罪 | convicted",
        "victims_count": "7",
        "victims_female": "7",
        "victims_children": "3",
        "victim_nationalities": "MMR; VNM",
        "defendants_count": "3",
        "defendant_nationalities": "CHN",
        "forms_of_exploitation": "ForcedMarriage;SexualExploitation",
        "scope": "transnational",
        "organised_crime": "yes",
        "fact_summary": "被告人以介绍工作为名，将多名妇女和儿童从邻国招募并运送至境内，"
        "强迫其结婚或从事性剥削。法院认定被害人的同意无关紧要。",
        "legal_reasoning": "法院依据被害人证言和转账记录认定贩运事实；儿童被害人无需证明手段。",
        "keywords": "贩运; 儿童; 强迫婚姻",
        "evidential_issues": "consent_irrelevant;child_victims;victim_testimony",
    },
    {
        "title": "النيابة العامة ضد س. (قضية افتراضية)",
        "country": "IRQ",
        "court": "محكمة الجنايات المركزية (مثال)",
        "legal_system": "civil_law",
        "decision_date": "2021-11-02",
        "language": "ar",
        "verdict": "convicted",
        "charges": "قانون مكافحة الاتجار بالبشر رقم 28 لسنة 2012 | الاتجار بالبشر | convicted",
        "victims_count": "12",
        "victims_female": "12",
        "victim_nationalities": "IRQ",
        "forms_of_exploitation": "SexualExploitation;ForcedMarriage",
        "scope": "internal",
        "conflict_situation": "Conflict with ISIL (Da'esh) in Iraq",
        "fact_summary": "قام المتهم، وهو عضو في جماعة مسلحة، ببيع نساء وفتيات أيزيديات "
        "واستغلالهن جنسياً أثناء النزاع المسلح.",
        "legal_reasoning": "اعتمدت المحكمة على شهادة الضحايا وعلى عدم معاقبة الضحايا عن أفعال "
        "أُكرهن عليها.",
        "keywords": "الاتجار بالبشر; نزاع مسلح; العنف الجنسي",
        "evidential_issues": "armed_conflict;victim_testimony;non_punishment",
    },
    {
        "title": "Prosecutor v. A. and others (fictitious example)",
        "country": "NGA",
        "court": "Federal High Court (example)",
        "legal_system": "common_law",
        "decision_date": "2023-03-21",
        "language": "en",
        "verdict": "convicted",
        "charges": "Trafficking in Persons Act 2015, s. 13 | trafficking for sexual exploitation "
        "| convicted",
        "victims_count": "5",
        "victims_female": "5",
        "victims_children": "2",
        "victim_nationalities": "NGA",
        "defendants_count": "2",
        "defendant_nationalities": "NGA",
        "forms_of_exploitation": "SexualExploitation",
        "scope": "transnational",
        "organised_crime": "yes",
        "fact_summary": "The accused recruited girls in Edo State with false promises of work in "
        "Europe, bound them by an oath and debt, and moved them through Niger and Libya.",
        "legal_reasoning": "The court held that the victims' consent was irrelevant once deception "
        "and abuse of a position of vulnerability were proved; testimony was corroborated by "
        "money transfer records.",
        "keywords": "debt bondage; juju oath; Libya route",
        "evidential_issues": "consent_irrelevant;abuse_of_vulnerability;digital_evidence",
    },
    {
        "title": "Ministère public c. B. (exemple fictif)",
        "country": "CAF",
        "court": "Cour criminelle de Bangui (exemple)",
        "legal_system": "civil_law",
        "decision_date": "2020-09-10",
        "language": "fr",
        "verdict": "convicted",
        "charges": "Code pénal, art. 151 | traite des personnes | convicted",
        "victims_count": "9",
        "victims_male": "9",
        "victims_children": "9",
        "victim_nationalities": "CAF",
        "forms_of_exploitation": "ForcedMilitaryByNonStateActors",
        "scope": "internal",
        "conflict_situation": "Armed conflict in the Central African Republic",
        "fact_summary": "Le prévenu, chef d'un groupe armé, a enrôlé des enfants et les a "
        "contraints à combattre et à travailler dans des mines.",
        "legal_reasoning": "La cour retient l'exploitation d'enfants dans le conflit armé; "
        "la minorité des victimes rend tout consentement inopérant.",
        "keywords": "enfants soldats; groupe armé; traite",
        "evidential_issues": "child_victims;armed_conflict",
    },
    {
        "title": "Дело в отношении К. (вымышленный пример)",
        "country": "UKR",
        "court": "Районный суд (пример)",
        "legal_system": "civil_law",
        "decision_date": "2023-12-05",
        "language": "ru",
        "verdict": "mixed",
        "charges": "УК, ст. 149 | торговля людьми | convicted\n"
        "УК, ст. 303 | сутенёрство | acquitted",
        "victims_count": "4",
        "victims_female": "4",
        "victim_nationalities": "UKR",
        "forms_of_exploitation": "SexualExploitation;ForcedLabour",
        "scope": "transnational",
        "fact_summary": "Обвиняемый вербовал женщин, бежавших от войны, обещая работу за рубежом, "
        "и изымал их документы.",
        "legal_reasoning": "Суд учёл уязвимое положение потерпевших, вынужденно перемещённых лиц.",
        "keywords": "торговля людьми; вынужденное перемещение; документы",
        "evidential_issues": "abuse_of_vulnerability",
    },
    {
        "title": "Fiscalía c. M. (ejemplo ficticio)",
        "country": "COL",
        "court": "Juzgado Penal del Circuito (ejemplo)",
        "legal_system": "civil_law",
        "decision_date": "2019-05-28",
        "language": "es",
        "verdict": "convicted",
        "charges": "Código Penal, art. 188A | trata de personas | convicted",
        "victims_count": "3",
        "victims_female": "2",
        "victims_male": "1",
        "victim_nationalities": "VEN",
        "forms_of_exploitation": "ForcedLabour",
        "scope": "transnational",
        "fact_summary": "Los acusados captaron a migrantes para trabajos agrícolas y les "
        "retuvieron el salario y los documentos.",
        "legal_reasoning": "El tribunal ordenó la reparación integral de las víctimas.",
        "keywords": "trata laboral; migrantes; reparación",
        "evidential_issues": "compensation;abuse_of_vulnerability",
    },
    {
        "title": "Prosecutor v. D. (fictitious appeal)",
        "international_body": "International criminal tribunal (example)",
        "court": "Appeals Chamber (example)",
        "instance": "international",
        "decision_date": "2018-02-14",
        "language": "en",
        "verdict": "convicted",
        "charges": "Statute, art. 7(1)(g) | sexual slavery as a crime against humanity | convicted",
        "victims_count": "40",
        "victims_female": "40",
        "forms_of_exploitation": "SexualExploitation;Servitude",
        "scope": "transnational",
        "conflict_related": "yes",
        "fact_summary": "Commanders of an armed group held women and girls in sexual slavery "
        "in camps during the armed conflict.",
        "legal_reasoning": "Enslavement includes trafficking; the chamber relied on witness "
        "testimony given with protective measures.",
        "keywords": "sexual slavery; enslavement; protective measures",
        "evidential_issues": "armed_conflict;victim_testimony",
    },
    {
        "title": "State v. E. (fictitious acquittal)",
        "country": "GBR",
        "court": "Crown Court (example)",
        "legal_system": "common_law",
        "decision_date": "2022-10-03",
        "language": "en",
        "verdict": "acquitted",
        "charges": "Modern Slavery Act 2015, s. 2 | human trafficking | acquitted",
        "victims_count": "1",
        "victims_male": "1",
        "victim_nationalities": "ALB",
        "forms_of_exploitation": "Other",
        "scope": "transnational",
        "fact_summary": "A young man found cultivating cannabis claimed he had been trafficked; "
        "the court applied the statutory defence and the non-punishment principle.",
        "legal_reasoning": "The victim was not prosecuted for offences he was compelled to commit.",
        "keywords": "forced criminality; cannabis; statutory defence",
        "evidential_issues": "non_punishment",
    },
]


def load_demo_data(*, seed: int = 1) -> dict[str, int]:
    if Decision.objects.exists():
        return {"decisions": 0}
    entity = Entity.objects.get(code="CTIP")
    created, errors = decisions_import(
        actor=None, entity=entity, rows=DECISIONS, publish=True, actor_label="cli:demo_data"
    )
    assert not errors, errors
    return {"decisions": created}
