"""The lists' search, filters, sorting, pages and export, on the users' list."""

from ctip.core.audit import AuditEvent
from ctip.core.codes import Role
from ctip.core.testing import make_user, signed_in_client


def test_the_users_list_finds_sorts_pages_and_exports(actors):
    admin = signed_in_client(actors.by_role[Role.ADMINISTRATOR])
    for n in range(30):
        make_user(actors.entity, Role.CASEWORKER, email=f"worker{n:02}@list.test")
    page = admin.get("/users/", {"q": "worker1", "sort": "-email"}).content.decode()
    assert 'data-testid="list-count">10 found' in page
    assert page.index("worker19@list.test") < page.index("worker10@list.test")
    page = admin.get("/users/", {"role": Role.CASEWORKER}).content.decode()
    assert "Page 1 of 2" in page and 'rel="next"' in page
    assert "page=2" in page and "role=caseworker" in page  # the pager keeps the filter
    answer = admin.get("/users/", {"q": "worker1", "export": "csv"})
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Email,Name,Entity,Role,Active" and len(lines) == 11
    event = AuditEvent.objects.get(action="export.created")
    assert event.details["list"] == "users" and event.details["searched"] is True
    assert "worker1" not in str(event.details)  # a search may hold a name: never kept


def test_a_search_with_sql_or_markup_is_only_text(actors):
    admin = signed_in_client(actors.by_role[Role.ADMINISTRATOR])
    answer = admin.get("/users/", {"q": "' OR 1=1 --<script>", "page": "999999"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'data-testid="list-count">0 found' in page and "<script>" not in page


def test_only_administrators_list_users(actors):
    for role in (Role.CASEWORKER, Role.ANALYST):
        answer = signed_in_client(actors.by_role[role]).get("/users/", {"export": "csv"})
        assert answer.status_code == 403
