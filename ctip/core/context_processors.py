from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ctip.core.codes import Role


def _report_author(user: Any) -> bool:
    from ctip.reports.policies import is_author

    return is_author(user)


# (label, url name, roles allowed or the app's own rule, or None for everyone signed in)
NAVIGATION: list[tuple[Any, str, frozenset[str] | Callable[[Any], bool] | None]] = [
    (_("Home"), "core:home", None),
    (_("Entities"), "core:entity_list", None),
    (_("Conflict situations"), "core:conflict_list", None),
    (_("Countries"), "core:country_list", None),
    (_("Cases"), "cases:index", frozenset({Role.CASEWORKER, Role.FOCAL_POINT})),
    (
        _("Reporting"),
        "statistics:rounds",
        frozenset({Role.FOCAL_POINT, Role.CASEWORKER, Role.ANALYST, Role.ADMINISTRATOR}),
    ),
    (_("Case law"), "caselaw:manage", frozenset({Role.LEGAL_OFFICER, Role.ADMINISTRATOR})),
    (
        _("Treaties and legislation"),
        "countries:manage",
        frozenset({Role.LEGAL_OFFICER, Role.ADMINISTRATOR}),
    ),
    (_("Conduct"), "conduct:register", frozenset({Role.CONDUCT_OFFICER})),
    (_("Incidents"), "incidents:index", frozenset({Role.MONITOR})),
    (_("Incident patterns"), "incidents:patterns", frozenset({Role.ANALYST})),
    (_("Abductions to report"), "incidents:report", frozenset({Role.FOCAL_POINT})),
    (_("Surveys"), "surveys:index", frozenset({Role.ANALYST, Role.FOCAL_POINT})),
    (_("Early warning"), "warning:index", frozenset({Role.ANALYST, Role.MONITOR})),
    (_("Watchers of situations"), "warning:watchers", frozenset({Role.ADMINISTRATOR})),
    (_("Trust funds"), "funds:index", frozenset({Role.FUND_MANAGER})),
    (_("Reports to trust funds"), "funds:grantee_reports", frozenset({Role.FOCAL_POINT})),
    (_("Suppliers"), "suppliers:index", frozenset({Role.PROCUREMENT_OFFICER})),
    (_("Annual report"), "reports:index", _report_author),
    (_("Audit log"), "core:audit_list", frozenset({Role.ADMINISTRATOR})),
    (_("Users"), "core:user_list", frozenset({Role.ADMINISTRATOR})),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"navigation": []}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, roles in NAVIGATION
        if roles is None or (roles(user) if callable(roles) else user.role in roles)  # type: ignore[union-attr]
    ]
    unread = user.notifications.filter(read_at=None).count()  # type: ignore[union-attr]
    return {"navigation": items, "unread_notifications": unread}
