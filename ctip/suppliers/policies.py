"""Who keeps the supplier register: the one place for the suppliers app's access rules.

A procurement office's register is its procurement officers': they add and import suppliers,
record acceptances of the Supplier Code of Conduct, flags, due-diligence checks and contracts,
and clear or suspend suppliers. Another entity's officers reach nothing of it (the same 404
as a missing supplier): an allegation against a supplier is unproven until checked.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ctip.core.codes import Role
from ctip.core.models import User
from ctip.core.policies import not_found, require_role
from ctip.suppliers.models import Supplier

OFFICERS = (Role.PROCUREMENT_OFFICER,)


def require_officer(user: User) -> None:
    require_role(user, *OFFICERS)


def suppliers_scope(user: User) -> QuerySet[Supplier]:
    require_officer(user)
    return Supplier.objects.filter(entity_id=user.entity_id)


def require_supplier(user: User, supplier: Supplier) -> None:
    require_officer(user)
    if supplier.entity_id != user.entity_id:
        raise not_found()
