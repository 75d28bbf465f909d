"""Who works with trust funds: the one place for the funds app's access rules.

A fund is run by the fund managers of its entity (OHCHR's or UNODC's fund secretariat):
they define it, keep its grants and read its portfolio. Nobody of another entity reads its
grants (the same 404 as a missing fund). What each fund commits, per country, year and
currency, is public: grantees' names are not published, so that a shelter cannot be found
through its grant.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import not_found, require_role
from ctip.funds.models import Fund, Grant

MANAGERS = (Role.FUND_MANAGER,)


def require_manager(user: User) -> None:
    require_role(user, *MANAGERS)


def funds_scope(user: User) -> QuerySet[Fund]:
    require_manager(user)
    return Fund.objects.filter(entity_id=user.entity_id)


def require_fund(user: User, fund: Fund) -> None:
    """For services handed a fund: 403 for another role, 404 for another entity's fund."""
    require_manager(user)
    if fund.entity_id != user.entity_id:
        raise not_found()


def grants_scope(user: User) -> QuerySet[Grant]:
    require_manager(user)
    return Grant.objects.filter(fund__entity_id=user.entity_id)
