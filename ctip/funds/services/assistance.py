"""Assistance a fund pays for, case by case: which providers a conduct officer may refer a
victim of sexual exploitation and abuse to (the grantees of the SEA fund that record their
cases in CTIP, with a grant running today), and the record that a case is funded."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from ctip.cases.models import Case
from ctip.core.models import Entity, User
from ctip.funds.codes import GrantStatus, Purpose
from ctip.funds.models import FundedCase, Grant


def sea_grants(today: datetime.date) -> QuerySet[Grant]:
    """Active grants of a fund for victims of sexual exploitation and abuse, to a grantee
    that records its cases in CTIP: where a victim can be referred today."""
    return Grant.objects.filter(
        fund__purpose=Purpose.SEA,
        status=GrantStatus.ACTIVE,
        grantee_entity__isnull=False,
        start__lte=today,
        end__gte=today,
    ).select_related("grantee_entity", "fund")


def sea_providers(today: datetime.date) -> QuerySet[Entity]:
    return Entity.objects.filter(pk__in=sea_grants(today).values("grantee_entity_id")).order_by(
        "code"
    )


def funded_case(*, grant: Grant, case: Case, source: str, referred_by: User) -> FundedCase:
    """Called inside the referring service's transaction (its audit event covers it)."""
    return FundedCase.objects.create(grant=grant, case=case, source=source, referred_by=referred_by)
