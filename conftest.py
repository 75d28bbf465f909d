"""Fixtures shared by every CTIP test: fixed test keys, immediate tasks, actors of each role."""

import json
import os

import pytest

os.environ.setdefault("CTIP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# kept searches per process: xdist workers share a data folder but not a database
os.environ.setdefault("CTIP_SEARCH_CACHE", "memory")

TEST_KEYRING = json.dumps(
    {
        "current": "test-1",
        "keys": {"test-1": "dGVzdC1rZXktMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA="},
        "blind_index_key": "dGVzdC1ibGluZC1pbmRleC1rZXktMDAwMDAwMDAwMDA=",
    }
)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import caches
    from django.utils import translation

    from ctip.caselaw import search_index
    from ctip.keyfile import parse_keyring

    for kept in caches.all():  # what one test kept (a search's facets) is not another's
        kept.clear()
    # nor the search index one test built (the tests' versions repeat as their data rolls back)
    settings.CTIP_SEARCH_INDEX_DIR = tmp_path / "search-index"
    search_index._loaded.clear()
    # nor the language a page in another language left active in this worker's thread
    translation.activate(settings.LANGUAGE_CODE)

    settings.CTIP_KEYRING = parse_keyring(TEST_KEYRING, source="env")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


@pytest.fixture
def reference_data(db):
    from ctip.core.reference import load_reference_data

    load_reference_data()


@pytest.fixture
def actors(db):
    from ctip.core.testing import Actors

    return Actors.create()


class AuditWriteFailed(RuntimeError):
    """Raised by the `audit_fails` fixture in place of writing an audit event."""


@pytest.fixture
def audit_fails(monkeypatch):
    """Make every audit write fail, to show that a service's change rolls back with it:

    with pytest.raises(AuditWriteFailed):
        service(...)
    # then: the database is as it was
    """
    from ctip.core.models import AuditEvent

    def refuse(self, *args, **kwargs):
        raise AuditWriteFailed("audit write refused by the test")

    monkeypatch.setattr(AuditEvent, "save", refuse)
    return AuditWriteFailed
