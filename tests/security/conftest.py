"""One world per test module, built once inside a transaction that is rolled back at the end,
so that each test's own transaction (a savepoint inside it) starts from the same objects."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import World


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from conftest import TEST_KEYRING  # the root conftest's keys: the autouse fixture's too
    from ctip.core.reference import load_reference_data
    from ctip.keyfile import parse_keyring

    with (
        django_db_blocker.unblock(),
        override_settings(
            CTIP_KEYRING=parse_keyring(TEST_KEYRING, source="env"),
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_reference_data()
            yield World.build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
