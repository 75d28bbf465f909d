"""Identities that the old "show identity" actions left in sessions are removed on upgrade."""

import importlib

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

pytestmark = pytest.mark.django_db
scrub = importlib.import_module("ctip.core.migrations.0007_scrub_identities_from_sessions").scrub


def test_the_upgrade_scrubs_identities_from_every_session_and_keeps_the_rest():
    # given a session the old code wrote, and one without identities
    old = SessionStore()
    old.update({"_auth_user_id": "7", "case-identity-3": {"names": "Amina Ndoye"}})
    old["conduct-identities-9"] = {"victim_identities": "Grace N."}
    old.create()
    clean = SessionStore()
    clean["_auth_user_id"] = "8"
    clean.create()
    # when
    scrub(apps, None)
    # then
    assert SessionStore(session_key=old.session_key).load() == {"_auth_user_id": "7"}
    assert SessionStore(session_key=clean.session_key).load() == {"_auth_user_id": "8"}
    assert not any("Amina" in s.get_decoded().__repr__() for s in Session.objects.all())
