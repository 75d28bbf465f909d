"""Public pages are kept rendered until an audited change: served again without being
rendered, refreshed by the next write, never for a signed-in reader, and with each reader's
own CSRF token."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ctip.core.audit import AuditAction, audit_record, changes_data
from ctip.core.codes import Role
from ctip.core.testing import signed_in_client
from ctip.warning.tests.builders import assessed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """A French request leaves French active in this thread: give back English after."""
    with translation.override("en"):
        yield


PAGE = "/public/early-warning/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def queries(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return page, len(captured)


def test_a_public_page_is_served_again_until_an_audited_change(reference_data, actors):
    reader = Client()
    first, rendered = queries(reader, PAGE)
    again, served = queries(reader, PAGE)
    # then the second reading renders nothing: one query, for the version (the page differs
    # only by the reader's CSRF token, masked afresh for each response)
    assert TOKEN.sub("", again) == TOKEN.sub("", first) and served == 1 < rendered
    # and a read or a sign-in leaves it kept
    audit_record(actor=None, action=AuditAction.LOGIN)
    assert queries(reader, PAGE)[1] == 1
    # when a write commits with its audit event, the next reader sees the change
    assessed(actors, "Newly cleared conflict", datetime.date.today(), cleared=True)
    fresh, _ = queries(Client(), PAGE)
    assert "Newly cleared conflict" in fresh and "Newly cleared conflict" not in first


def test_only_reads_sign_ins_and_copies_leave_the_cache():
    assert not changes_data("auth.login") and not changes_data("cases.identity_viewed")
    assert not changes_data("cases.notes_read") and not changes_data("export.created")
    assert changes_data("statistics.published") and changes_data("warning.shared")
    assert changes_data("funds.proposal_reviewed")  # a write, though it ends in "viewed"
    assert changes_data("a.new_action_nobody_listed")


def test_a_signed_in_reader_gets_their_own_page(reference_data, actors):
    queries(Client(), PAGE)
    analyst = signed_in_client(actors.by_role[Role.ANALYST])
    page, _ = queries(analyst, PAGE)
    assert "Sign out" in page


def test_each_language_is_kept_apart(reference_data):
    Client().get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    french = Client().get(PAGE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in french


def test_a_reader_of_a_kept_page_switches_language_with_their_own_token(reference_data):
    Client().get(PAGE)  # kept for the next reader
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(PAGE).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found
    token = found.group(1)
    switched = reader.post(
        "/i18n/setlang/", {"language": "fr", "csrfmiddlewaretoken": token, "next": PAGE}
    )
    assert switched.status_code == 302
    assert '<html lang="fr"' in reader.get(PAGE).content.decode()


def test_two_different_queries_never_share_a_kept_page():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from ctip.core.public_cache import cache_key

    def key(query: str) -> str:
        request = RequestFactory().get("/public/conduct/" + query)
        request.user = AnonymousUser()
        return cache_key(request)

    assert key("?x=1&year=2024") != key("?x%3D%5B%271%27%5D%26year=2024")
    assert key("?year=2024&x=1") == key("?x=1&year=2024")
