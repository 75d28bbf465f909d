"""A victim of sexual exploitation and abuse referred to assistance paid by the SEA trust
fund: a case at a grantee that records its cases in CTIP, with consent, counted by the fund,
the identity in the case only."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from ctip.cases.models import Case, CaseIdentity
from ctip.conduct import services
from ctip.conduct.codes import ConductAction
from ctip.conduct.tests.builders import record
from ctip.core.audit import AuditEvent
from ctip.core.codes import EntityKind, Role
from ctip.core.testing import make_entity, make_user, signed_in_client
from ctip.funds import services as funds
from ctip.funds.models import FundedCase

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
NAMES = "Grace Referral-Test"


@pytest.fixture
def provider(actors):
    ngo = make_entity("SEANGO", kind=EntityKind.NGO)
    manager = make_user(actors.other_entity, Role.FUND_MANAGER)
    fund = funds.fund_save(
        actor=manager, raw={"code": "SEATF", "name": "SEA fund", "purpose": "sea"}
    )
    grant = funds.grant_save(
        actor=manager,
        fund=fund,
        raw={
            "grant_id": "SEA-1",
            "grantee": "SEA NGO",
            "country": "CAF",
            "amount": "1000",
            "currency": "USD",
            "start": (TODAY - datetime.timedelta(days=30)).isoformat(),
            "end": (TODAY + datetime.timedelta(days=300)).isoformat(),
            "status": "active",
        },
    )
    grant.grantee_entity = ngo
    grant.save()
    return ngo


def _raw(provider, **changes):  # type: ignore[no-untyped-def]
    return {
        "provider": str(provider.pk),
        "names": NAMES,
        "sex": "F",
        "age_band": "18--20",
        "consent_referral": "on",
        "consent_sharing": "on",
        "consent_date": TODAY.isoformat(),
        **changes,
    }


def test_a_victim_is_referred_to_a_provider_the_fund_pays(officer, provider):
    allegation = record(officer)
    case = services.victim_refer(actor=officer, allegation=allegation, raw=_raw(provider))
    assert case.entity == provider and case.forms_of_exploitation == "SexualExploitation"
    assert CaseIdentity.objects.get(case=case).names == NAMES  # decrypted by the field
    funded = FundedCase.objects.get()
    assert (funded.case, funded.grant.grant_id, funded.source) == (
        case,
        "SEA-1",
        allegation.reference,
    )
    event = AuditEvent.objects.get(action=ConductAction.VICTIM_REFERRED)
    assert event.details == {"case": case.reference, "grant": "SEA-1"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM funds_fundedcase")
        assert NAMES not in str(cursor.fetchall())


def test_no_referral_without_consent_or_to_a_provider_the_fund_does_not_pay(
    officer, provider, actors
):
    allegation = record(officer)
    with pytest.raises(ValidationError) as error:
        services.victim_refer(
            actor=officer, allegation=allegation, raw=_raw(provider, consent_sharing="")
        )
    assert set(error.value.message_dict) == {"consent_sharing"}
    with pytest.raises(ValidationError) as unpaid:
        services.victim_refer(actor=officer, allegation=allegation, raw=_raw(actors.entity))
    assert set(unpaid.value.message_dict) == {"provider"}
    assert not Case.objects.exists() and not FundedCase.objects.exists()


def test_only_the_allegations_officers_refer(officer, provider, actors):
    allegation = record(officer)
    with pytest.raises(PermissionDenied):
        services.victim_refer(
            actor=actors.by_role[Role.CASEWORKER], allegation=allegation, raw=_raw(provider)
        )
    with pytest.raises(Http404):
        services.victim_refer(
            actor=actors.other_by_role[Role.CONDUCT_OFFICER],
            allegation=allegation,
            raw=_raw(provider),
        )


def test_the_allegation_page_refers(officer, provider):
    allegation = record(officer)
    client = signed_in_client(officer)
    assert "SEANGO" in client.get(f"/conduct/{allegation.pk}/").content.decode()
    answer = client.post(f"/conduct/{allegation.pk}/refer/", _raw(provider), follow=True)
    assert "Referred: case" in answer.content.decode()
    assert NAMES not in answer.content.decode()
    assert FundedCase.objects.count() == 1
