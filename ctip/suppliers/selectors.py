"""Reads of the supplier register, scoped through `ctip.suppliers.policies`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ctip.core.models import User
from ctip.core.selectors import one_or_404
from ctip.suppliers import policies
from ctip.suppliers.codes import SupplierStatus
from ctip.suppliers.models import Supplier


def suppliers_for(
    *, user: User, status: str = "", flagged: bool = False, query: str = ""
) -> QuerySet[Supplier]:
    """The register with each supplier's open flags counted; an unknown status finds nothing."""
    found = (
        policies.suppliers_scope(user)
        .select_related("country")
        .annotate(open_flags=Count("flags", filter=Q(flags__closed_on__isnull=True)))
    )
    if status:
        found = found.filter(status=status) if status in SupplierStatus.values else found.none()
    if flagged:
        found = found.filter(open_flags__gt=0)
    if query:
        found = found.filter(Q(name__icontains=query) | Q(ungm_number__iexact=query.strip()))
    return found


def supplier_get(*, user: User, supplier_id: Any) -> Supplier:
    return one_or_404(policies.suppliers_scope(user).select_related("country"), supplier_id)
