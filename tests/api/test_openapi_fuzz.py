"""The whole API, fuzzed from its own OpenAPI description (schemathesis), with the tokens of
several roles: no answer may be a server error or break the schema it promises.

Bounded (a few examples per operation and role) so that it runs in `make test` on both
databases; raise CTIP_FUZZ_EXAMPLES for a longer hunt.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from ctip.api import api
from ctip.core.codes import Role

EXAMPLES = int(os.environ.get("CTIP_FUZZ_EXAMPLES", "12"))
ROLES = (Role.FOCAL_POINT, Role.ANALYST, Role.LEGAL_OFFICER, Role.CONDUCT_OFFICER)


schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection(db, reference_data):
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's own test client turns that off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(actors, request):
    """Authorization headers per role, for users of one entity with an open round."""
    from ctip.core import services

    headers = {}
    for role in ROLES:
        user = actors.by_role[role]
        user.is_verified = lambda: True  # minted as from a session past the second factor
        _token, raw = services.api_token_create(actor=user, name="fuzz")
        headers[role] = {"Authorization": f"Bearer {raw}"}
    return headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error_and_no_schema_violation(case, bearer):
    for role in ROLES:
        response = case.call(headers=bearer[role])
        if os.environ.get("CTIP_FUZZ_TRACE"):
            print("TRACE", case.method, case.path, role, response.status_code)
        case.validate_response(
            response,
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
        )
