"""The objects the route matrix requests: one of each kind, owned by the actors' own entity.

`World.build()` makes, through each app's services, everything a URL can name: a conflict
situation, two reporting rounds (one with a published release), a draft submission, a
duplicate cluster, a case with its screening, a tip, a referral sent *to* the own entity, an
allegation under investigation, a draft and a published court decision, a national-response
entry, a job with a download. `fresh_*` builders make a new object per request where a
request changes or destroys what it names.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from ctip.caselaw import services as caselaw
from ctip.caselaw.demo import DECISIONS
from ctip.caselaw.models import Decision
from ctip.cases import services as cases
from ctip.cases.models import Case, Referral, Screening, Tip
from ctip.conduct import services as conduct
from ctip.conduct.models import Allegation
from ctip.core import services as core
from ctip.core.codes import EntityKind, Role
from ctip.core.models import ApiToken, ConflictSituation, Country, Entity, Job, User
from ctip.core.testing import Actors, confirmed_device, make_entity, make_user
from ctip.countries import services as countries
from ctip.countries.models import NationalResponse
from ctip.funds import services as funds
from ctip.funds.models import Fund, Grant, Proposal
from ctip.incidents import services as incidents
from ctip.incidents.models import Abductee, Incident, Party
from ctip.statistics import services as statistics
from ctip.statistics.importing import import_file
from ctip.statistics.layouts import CTIP_COLUMNS
from ctip.statistics.models import DuplicateCluster, ReportingRound, Submission
from ctip.suppliers import services as suppliers
from ctip.suppliers.models import Supplier
from ctip.surveys import services as surveys
from ctip.surveys.models import Survey
from ctip.warning import services as warning
from ctip.warning.models import Alert, Assessment

OPEN_YEAR = 2025  # a round with the own entity's draft submission
PUBLISHED_YEAR = 2024  # a round with a published release
TO_PUBLISH_YEAR = 2023  # a round that the publish entries publish, again and again
TREATY = "UNTOC-TIP"
DRAFT_TITLE = "Matrix draft"  # the own entity's unpublished decision
OTHER_NAMES = "Other P."  # the identity in the other entity's case referred to the own
_serial = itertools.count(1)

SCREENING = {
    "screened_on": "2026-01-02",
    "place": "Reception centre",
    "setting": "reception",
    "indicator_set": "ilo_forced_labour",
    "ilo_forced_labour_documents": "yes",
    "ilo_forced_labour_debt": "yes",
    "outcome": "presumed_victim",
    "reason": "Passport kept by the employer.",
}
CASE = {
    "names": "Zaineb Q.",
    "date_of_birth": "2008-04-01",
    "contacts": "+000 000",
    "narrative": "Recruited with a promise of work.",
    "sex": "F",
    "age_band": "9--17",
    "citizenship": "NGA",
    "forms_of_exploitation": ["SexualExploitation"],
    "consent_referral": "yes",
    "consent_date": "2026-01-02",
    "consent_statistics": "yes",
}
ALLEGATION = {
    "channel": "community",
    "category": "sexual_exploitation",
    "incident_date": "2026-03-01",
    "reported_on": "2026-03-04",
    "victims_count": "1",
    "victims_minors": "0",
    "victims_female": "1",
    "victim_identities": "V. W., Bangui",
    "personnel_category": "military",
    "contingent_country": "PAK",
    "unit": "Battalion 9",
    "subject_identity": "Sgt. X. Y.",
    "subject_identifier": "P-99999",
    "account": "Money offered near the camp gate",
}


NARRATIVE = "Seen taken from the well at dawn"  # the own entity's incident: never shown unasked
ABDUCTEE_NAME = "Hawa Matrix"
WARNING_EVIDENCE = "Matrix evidence: the well road is held"  # shown only on its assessment


def incident_raw(w_conflict: ConflictSituation, party: str = "") -> dict:
    return {
        "situation": w_conflict.pk,
        "date": "2025-02-01",
        "country": "IRQ",
        "admin1": "Ninewa",
        "violations": ["abduction", "sexual_violence"],
        "party": party,
        "girls": 2,
        "narrative": NARRATIVE,
        "sources": [{"source": "Matrix witness", "reliability": "reliable"}],
    }


def records_csv(rows: int, country: str, year: int) -> bytes:
    lines = [",".join(CTIP_COLUMNS)]
    row = {"year_of_identification": year, "country_of_detection": country, "sex": "F"}
    lines += [",".join(str(row.get(c, "")) for c in CTIP_COLUMNS)] * rows
    return ("\n".join(lines) + "\n").encode()


@dataclass
class World:
    actors: Actors
    provider: Entity  # a third entity's NGO, in the directory, so referrals have somewhere to go
    conflict: ConflictSituation
    open_round: ReportingRound
    published_round: ReportingRound
    submission: Submission  # own entity, draft, OPEN_YEAR
    cluster: DuplicateCluster
    screening: Screening
    case: Case
    tip: Tip
    referral: Referral  # sent by the other entity to the own entity
    allegation: Allegation
    draft: Decision
    decision: Decision  # published
    response: NationalResponse
    job: Job  # owned by the own entity's focal point, with a download
    token: ApiToken  # of the own entity's caseworker
    editor: User  # a second legal officer of the own entity: writes drafts others publish
    party: Party  # of the matrix conflict, in the shared register
    incident: Incident  # recorded by the own entity's monitor
    abductee: Abductee  # of that incident, released
    survey: Survey  # the own entity's, with responses
    assessment: Assessment  # of the matrix conflict, which the own analyst and monitor watch
    alert: Alert  # of the matrix conflict
    fund: Fund  # the own entity's, with one grant (and its reports) and a call
    grant: Grant
    supplier: Supplier  # in the own entity's register, flagged (construction)

    def own(self, role: str) -> User:
        return self.actors.by_role[role]

    def other(self, role: str) -> User:
        return self.actors.other_by_role[role]

    @classmethod
    def build(cls) -> World:
        actors = Actors.create()
        for user in [*actors.by_role.values(), *actors.other_by_role.values()]:
            confirmed_device(user)  # so a password-only session must pass the code page
        focal = actors.by_role[Role.FOCAL_POINT]
        worker = actors.by_role[Role.CASEWORKER]
        analyst = actors.other_by_role[Role.ANALYST]
        conflict = core.conflict_situation_save(
            actor=None,
            name="Matrix conflict",
            countries=[Country.objects.get(alpha3="IRQ")],
            start_date=date(2014, 6, 1),
        )
        published_round = statistics.round_open(
            actor=None, year=PUBLISHED_YEAR, deadline=date(2025, 6, 30)
        )
        reported = _import(focal, published_round, "SYR")
        statistics.submission_submit(actor=focal, submission=reported)
        statistics.submission_validate(actor=analyst, submission=reported)
        statistics.round_publish(actor=analyst, round_=published_round)
        open_round = statistics.round_open(actor=None, year=OPEN_YEAR, deadline=date(2026, 6, 30))
        submission = _import(focal, open_round, "IRQ")
        cluster = DuplicateCluster.objects.create(round=open_round, match_probability=0.97)
        screening = cases.screening_record(actor=worker, raw=SCREENING)
        case = cases.case_open(actor=worker, raw=CASE, screening=screening).case
        tip = cases.tip_receive(
            entity=actors.entity, raw={"what": "Girls kept in a house", "where": "PK5"}
        )
        provider = make_entity(kind=EntityKind.NGO)
        cases.offer_save(
            actor=make_user(provider, Role.FOCAL_POINT), service="shelter", country="ITA"
        )
        cases.offer_save(actor=focal, service="shelter", country="IRQ")
        other_case = cases.case_open(
            actor=actors.other_by_role[Role.CASEWORKER], raw={**CASE, "names": OTHER_NAMES}
        ).case
        referral = cases.referral_create(
            actor=actors.other_by_role[Role.CASEWORKER],
            case=other_case,
            to_entity=actors.entity,
            services=["shelter"],
            parts=["profile"],
        )
        allegation = conduct.allegation_record(
            actor=actors.by_role[Role.CONDUCT_OFFICER], entity=actors.entity, raw=ALLEGATION
        )
        conduct.investigation_save(
            actor=actors.by_role[Role.CONDUCT_OFFICER],
            allegation=allegation,
            raw={"body": "national", "referred_on": "2026-03-10", "started_on": "2026-03-12"},
        )
        caselaw.decisions_import(
            actor=None, entity=actors.entity, rows=[DECISIONS[0]], publish=True
        )
        decision = Decision.objects.get(entity=actors.entity, status="published")
        draft = caselaw.decision_save(
            actor=actors.by_role[Role.LEGAL_OFFICER], raw={**DECISIONS[2], "title": DRAFT_TITLE}
        )
        response = countries.response_save(
            actor=actors.by_role[Role.LEGAL_OFFICER],
            raw={"country": "IRQ", "year": "2023", "criminalization": "full"},
        )
        job = Job.objects.create(
            owner=focal,
            entity=actors.entity,
            kind="statistics_import",
            parameters={"year": OPEN_YEAR, "layout": "ctip", "dry_run": True, "country": ""},
            status=Job.Status.DONE,
            result_name="matrix.csv",
            result_content_type="text/csv",
            result_data=b"a,b\n",
        )
        monitor = actors.by_role[Role.MONITOR]
        party = incidents.party_save(
            actor=monitor,
            raw={"situation": conflict.pk, "name": "Matrix group", "kind": "non_state_armed_group"},
        )
        incident = incidents.incident_record(actor=monitor, raw=incident_raw(conflict, party.name))
        abductee = incidents.abductee_add(
            actor=monitor,
            incident=incident,
            raw={"group": "girls", "names": ABDUCTEE_NAME, "status": "released"},
        )
        survey = surveys.survey_save(
            actor=actors.by_role[Role.ANALYST],
            entity=actors.entity,
            raw={"code": "matrix-survey", "indicators": ["unpaid_work"], "breakdowns": ["sex"]},
        )
        for person in (actors.by_role[Role.ANALYST], monitor):
            warning.watch_add(
                actor=actors.by_role[Role.ADMINISTRATOR], situation=conflict, user=person
            )
        assessment = warning.assessment_record(
            actor=actors.by_role[Role.ANALYST],
            situation=conflict,
            as_of=date.today(),
            scores={"1.1": {"score": 2, "evidence": WARNING_EVIDENCE}},
        )
        fund = funds.fund_save(
            actor=actors.by_role[Role.FUND_MANAGER],
            raw={"code": "MATRIXFUND", "name": "Matrix trust fund", "purpose": "trafficking"},
        )
        grant = funds.grant_save(
            actor=actors.by_role[Role.FUND_MANAGER],
            fund=fund,
            raw={
                "grant_id": "M-1",
                "grantee": "Matrix Shelter (fictitious)",
                "country": "IRQ",
                "amount": "1000",
                "currency": "USD",
                "start": "2025-01-01",
                "end": "2025-12-31",
                "status": "active",
            },
        )
        grant.grantee_entity = actors.entity  # its focal point may send figures from cases
        grant.save(update_fields=["grantee_entity"])
        supplier = suppliers.supplier_save(
            actor=actors.by_role[Role.PROCUREMENT_OFFICER],
            raw={
                "ungm_number": "M-1",
                "name": "Matrix Builders",
                "country": "IRQ",
                "sector": "construction",
            },
        )
        funds.call_save(
            actor=actors.by_role[Role.FUND_MANAGER],
            fund=fund,
            raw={"title": "Matrix call", "opens_on": "2026-01-01", "closes_on": "2026-03-31"},
        )
        alert = Alert.objects.create(
            situation=conflict, kind="signal", subject="tips", month=date(2026, 1, 1), value=9
        )
        surveys.responses_import(
            survey=survey,
            actor=actors.by_role[Role.ANALYST],
            rows=[
                (n, {"respondent_id": f"M{n}", "weight": "1", "sex": "F", "unpaid_work": "yes"})
                for n in range(2, 6)
            ],
        )
        return cls(
            actors=actors,
            provider=provider,
            conflict=conflict,
            open_round=open_round,
            published_round=published_round,
            submission=submission,
            cluster=cluster,
            screening=screening,
            case=case,
            tip=tip,
            referral=referral,
            allegation=allegation,
            draft=draft,
            decision=decision,
            response=response,
            job=job,
            token=fresh_token(worker),
            editor=make_user(actors.entity, Role.LEGAL_OFFICER),
            party=party,
            incident=incident,
            abductee=abductee,
            survey=survey,
            assessment=assessment,
            alert=alert,
            fund=fund,
            grant=grant,
            supplier=supplier,
        )

    # --- one object per request, for the requests that change or destroy it -------------

    def fresh_case(self) -> Case:
        return cases.case_open(
            actor=self.own(Role.CASEWORKER), raw={**CASE, "names": f"P{next(_serial)}"}
        ).case

    def fresh_draft(self) -> Decision:
        """A draft by the second legal officer, so the first (and an administrator) may
        publish it: nobody publishes their own edit."""
        return caselaw.decision_save(
            actor=self.editor,
            raw={**DECISIONS[2], "title": f"Draft {next(_serial)}"},
        )

    def fresh_report(self) -> int:
        """A report not yet recorded, of a new grant to the own entity (a past year)."""
        grant = funds.grant_save(
            actor=self.own(Role.FUND_MANAGER),
            fund=self.fund,
            raw={
                "grant_id": f"M-R{next(_serial)}",
                "grantee": "Matrix grantee",
                "country": "IRQ",
                "amount": "10",
                "currency": "USD",
                "start": "2024-01-01",
                "end": "2024-12-31",
                "status": "active",
            },
        )
        grant.grantee_entity = self.actors.entity
        grant.save(update_fields=["grantee_entity"])
        return grant.reports.get().pk

    def fresh_proposal(self, *, reviewed: bool = False) -> Proposal:
        """A proposal of the world's fund, not yet decided (reviewed once, if asked)."""
        manager = self.own(Role.FUND_MANAGER)
        proposal = funds.proposal_save(
            actor=manager,
            call=self.fund.calls.get(),
            raw={
                "applicant": f"Matrix NGO {next(_serial)}",
                "country": "IRQ",
                "amount": "100",
                "currency": "USD",
                "start": "2027-01-01",
                "end": "2027-12-31",
                "services": ["shelter"],
            },
        )
        if reviewed:
            funds.proposal_review(
                actor=make_user(self.actors.entity, Role.FUND_MANAGER), proposal=proposal, score=50
            )
        return proposal

    def serial(self) -> int:
        return next(_serial)

    def fresh_alert(self) -> Alert:
        """An alert not yet acknowledged: each can be acknowledged once."""
        n = next(_serial)
        return Alert.objects.create(
            situation=self.conflict,
            kind="signal",
            subject="cases",
            month=date(2000 + n // 12, n % 12 + 1, 1),
        )

    def fresh_token(self) -> ApiToken:
        return fresh_token(self.own(Role.CASEWORKER))

    def fresh_submission(self, *, submitted: bool = False) -> Submission:
        """A draft (or submitted) submission of the own entity for a country of its own."""
        focal = self.own(Role.FOCAL_POINT)
        taken = Submission.objects.filter(round=self.open_round).values("country_of_detection")
        country = Country.objects.exclude(alpha3__in=taken).order_by("alpha3").first()
        assert country is not None
        submission = _import(focal, self.open_round, country.alpha3)
        if submitted:
            statistics.submission_submit(actor=focal, submission=submission)
        return submission

    def round_to_publish(self) -> int:
        """A round of its own with a validated submission, so publishing it can succeed and
        leaves the open and the published rounds as the other entries expect them."""
        round_ = ReportingRound.objects.filter(year=TO_PUBLISH_YEAR).first()
        if round_ is None:
            round_ = statistics.round_open(
                actor=None, year=TO_PUBLISH_YEAR, deadline=date(TO_PUBLISH_YEAR + 1, 6, 30)
            )
            focal = self.own(Role.FOCAL_POINT)
            submission = _import(focal, round_, "JOR")
            statistics.submission_submit(actor=focal, submission=submission)
            statistics.submission_validate(actor=self.other(Role.ANALYST), submission=submission)
        return TO_PUBLISH_YEAR

    def report_text_to_approve(self) -> str:
        """A new draft of the published year's introduction, by the other entity's analyst,
        for the approve entry's requester (never its last editor) to approve."""
        from ctip.reports.services import narrative_save

        narrative_save(
            actor=self.other(Role.ANALYST),
            year=PUBLISHED_YEAR,
            section="introduction",
            language="en",
            text=f"Draft {self.serial()} for {{year}}.",
        )
        return f"/reports/{PUBLISHED_YEAR}/introduction/en/approve/"

    def fresh_user(self) -> User:
        return make_user(self.actors.entity, Role.CASEWORKER)


def fresh_token(user: User) -> ApiToken:
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    token, _raw = core.api_token_create(actor=user, name=f"matrix {next(_serial)}")
    return token


def _import(focal: User, round_: ReportingRound, country: str) -> Submission:
    result = import_file(
        actor=focal,
        entity=focal.entity,
        round_=round_,
        data=records_csv(8, country, round_.year),
        filename="records.csv",
    )
    assert result.ok, result.as_dict()
    return Submission.objects.get(
        round=round_, entity=focal.entity, country_of_detection_id=country
    )
