"""The identity of a person in a case: shown only in the response to the audited read."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse

from ctip.cases.tests.builders import CASE, a_case
from ctip.core.codes import Role
from ctip.core.testing import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


def test_the_identity_is_in_the_response_and_never_in_a_session(actors):
    # given a case and its caseworker, signed in
    worker = actors.by_role[Role.CASEWORKER]
    case = a_case(worker)
    client = signed_in_client(worker)
    # when the caseworker asks for the identity, then opens the page again
    answer = client.post(reverse("cases:act", args=[case.pk, "identity"]))
    again = client.get(reverse("cases:detail", args=[case.pk]))
    # then the answer itself shows it, uncached, and no session row holds it
    assert answer.status_code == 200 and CASE["names"] in answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    assert CASE["names"] not in again.content.decode()
    rows = list(Session.objects.all())
    assert rows
    for row in rows:
        decoded = str(SessionStore().decode(row.session_data))
        for secret in (CASE["names"], CASE["date_of_birth"], "Kano"):
            assert secret not in decoded and secret not in row.session_data


@pytest.fixture
def decrypt_calls(monkeypatch):
    """Count every decryption (the encrypted fields call `ctip.core.crypto.decrypt`)."""
    from ctip.core import crypto

    calls: list[str] = []
    real = crypto.decrypt

    def counting(stored, *, context, ring=None):  # type: ignore[no-untyped-def]
        calls.append(context)
        return real(stored, context=context, ring=ring)

    monkeypatch.setattr(crypto, "decrypt", counting)
    return calls


def test_lists_and_the_case_page_never_decrypt_an_identity(actors, decrypt_calls):
    # given cases with identities, a referral carrying identity and a tip, all encrypted
    from ctip.cases import services
    from ctip.core.codes import EntityKind
    from ctip.core.testing import make_entity, make_user

    worker = actors.by_role[Role.CASEWORKER]
    case = a_case(worker, consent_sharing="yes")
    a_case(worker, names="Someone else")
    ngo = make_entity("SAFEHOME", kind=EntityKind.NGO)
    ngo_focal = make_user(ngo, Role.FOCAL_POINT)
    services.offer_save(actor=ngo_focal, service="shelter", country="ITA")
    services.referral_create(
        actor=worker, case=case, to_entity=ngo, services=["shelter"], parts=["identity"]
    )
    services.tip_receive(entity=actors.entity, raw={"what": "A house near the market"})
    client = signed_in_client(worker)
    provider = signed_in_client(ngo_focal)
    decrypt_calls.clear()
    # when the lists and the case page are loaded
    pages = [
        client.get(reverse("cases:index")),
        client.get(reverse("cases:detail", args=[case.pk])),
        client.get(reverse("cases:tips")),
        provider.get(reverse("cases:referrals")),
    ]
    # then nothing was decrypted, and no identity is on them
    assert [p.status_code for p in pages] == [200] * 4
    assert decrypt_calls == []
    assert not any(CASE["names"] in p.content.decode() for p in pages)


def test_the_identity_read_decrypts_and_is_audited(actors, decrypt_calls):
    from ctip.core.models import AuditEvent

    worker = actors.by_role[Role.CASEWORKER]
    case = a_case(worker)
    decrypt_calls.clear()
    signed_in_client(worker).post(reverse("cases:act", args=[case.pk, "identity"]))
    assert decrypt_calls and all(c.startswith("cases.caseidentity.") for c in decrypt_calls)
    assert AuditEvent.objects.filter(action="cases.identity_viewed", actor=worker).count() == 1


def test_the_migration_moves_identities_re_encrypted_and_back(transactional_db, request):
    # given a database at 0002, with a case whose identity is in the case's own columns
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from ctip.core.crypto import decrypt, encrypt

    executor = MigrationExecutor(connection)
    before, after = (
        [("cases", "0002_referrals_services_tips")],
        [("cases", "0005_remove_case_identity_fields")],
    )
    executor.migrate(before)
    # whatever happens below, the tests after this one get the current schema back
    request.addfinalizer(
        lambda: MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    )
    old = executor.loader.project_state(before).apps
    entity = old.get_model("core", "Entity").objects.create(code="MIGR", name="Migration test")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_case (entity_id, reference, names, date_of_birth, contacts, "
            "documents, narrative, best_interests, identity_hash, identified_on, sex, age_band, "
            "languages, displacement_status, forms_of_exploitation, means_of_control, "
            "recruiter_relation, trafficking_status, status_decided_by, consent_sharing, "
            "consent_referral, consent_statistics, consent_scope, non_punishment, risk_level, "
            "status, opened_at) VALUES (%s, 'MIGR-1', %s, %s, '', '', %s, '', 'h', '2026-01-01', "
            "'F', 'unknown', '', 'unknown', '', '', '', 'possible', '', FALSE, FALSE, FALSE, '', "
            "FALSE, "
            "'medium', 'active', '2026-01-01 00:00:00')",
            [
                entity.pk,
                encrypt("Amina Y.", context="cases.case.names"),
                encrypt("2009-04-01", context="cases.case.date_of_birth"),
                encrypt("Kano", context="cases.case.narrative"),
            ],
        )
    # when migrating forward
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    # then the identity table holds it, encrypted for its new columns
    with connection.cursor() as cursor:
        cursor.execute("SELECT names, narrative, contacts FROM cases_caseidentity")
        names, narrative, contacts = cursor.fetchone()
    assert decrypt(names, context="cases.caseidentity.names") == "Amina Y."
    assert decrypt(narrative, context="cases.caseidentity.narrative") == "Kano"
    assert contacts == ""
    # and going back restores the case's columns
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT names FROM cases_case WHERE reference = 'MIGR-1'")
        assert decrypt(cursor.fetchone()[0], context="cases.case.names") == "Amina Y."
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
