from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ctip.core import selectors, services
from ctip.core.audit import AuditAction
from ctip.core.codes import Role
from ctip.core.models import AuditEvent, ConflictSituation, Country, Entity, User
from ctip.core.testing import make_entity, make_user

pytestmark = pytest.mark.django_db


def test_entity_codes_are_validated_and_unique():
    make_entity("UNAMI")
    with pytest.raises(ValidationError) as error:
        services.entity_create(actor=None, code="unami", name="Duplicate", kind="un_mission")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.entity_create(actor=None, code="<script>", name="x", kind="un_mission")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.entity_create(actor=None, code="OK1", name="x", kind="spaceship")
    assert "kind" in error.value.message_dict
    assert Entity.objects.count() == 1


def test_only_administrators_create_entities_and_users():
    entity = make_entity()
    focal_point = make_user(entity, Role.FOCAL_POINT)
    with pytest.raises(PermissionDenied):
        services.entity_create(actor=focal_point, code="NEW", name="x", kind="ngo")
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=focal_point,
            email="a@b.org",
            full_name="A",
            entity=entity,
            role=Role.ADMINISTRATOR,
            password="a-long-enough-password",
        )
    admin = make_user(entity, Role.ADMINISTRATOR)
    created = services.entity_create(actor=admin, code="NEW", name="New NGO", kind="ngo")
    assert AuditEvent.objects.filter(
        action=AuditAction.ENTITY_CREATED, actor=admin, object_id=str(created.pk)
    ).exists()


def test_user_creation_checks_email_role_and_password_strength():
    entity = make_entity()
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=None,
            email="not-an-email",
            full_name="X",
            entity=entity,
            role=Role.CASEWORKER,
            password="a-long-enough-password",
        )
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.user_create(
            actor=None,
            email="x@y.org",
            full_name="X",
            entity=entity,
            role=Role.CASEWORKER,
            password="short",
        )
    with pytest.raises(ValidationError) as error:
        services.user_create(
            actor=None,
            email="x@y.org",
            full_name="X",
            entity=entity,
            role="superhero",
            password="a-long-enough-password",
        )
    assert "role" in error.value.message_dict
    assert not User.objects.filter(email="x@y.org").exists()


def test_role_change_is_a_permission_change_in_the_audit_log():
    entity = make_entity()
    admin, user = make_user(entity, Role.ADMINISTRATOR), make_user(entity, Role.CASEWORKER)
    services.user_set_role(actor=admin, user=user, role=Role.FOCAL_POINT)
    event = AuditEvent.objects.get(action=AuditAction.USER_ROLE_CHANGED)
    assert event.details == {"from": "caseworker", "to": "focal_point"}
    assert event.actor == admin


def test_deactivation_revokes_api_tokens():
    entity = make_entity()
    user = make_user(entity)
    token, _raw = services.api_token_create(actor=user, name="script")
    services.user_deactivate(actor=None, user=user)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_api_tokens_are_stored_hashed():
    user = make_user(make_entity())
    token, raw = services.api_token_create(actor=user, name="script")
    assert raw.startswith("ctip_") and raw not in (token.token_hash, token.prefix)
    assert token.token_hash == services.hash_token(raw)


def test_country_codes_in_any_iso_form(reference_data):
    assert services.country_by_code("irq").alpha3 == "IRQ"
    assert services.country_by_code("IQ").alpha3 == "IRQ"
    assert services.country_by_code("368").alpha3 == "IRQ"
    with pytest.raises(ValidationError) as error:
        services.country_by_code("XXX")
    assert "XXX" in str(error.value)


def test_conflict_situation_needs_countries_and_a_sane_period(reference_data):
    iraq = [Country.objects.get(alpha3="IRQ")]
    with pytest.raises(ValidationError):
        services.conflict_situation_save(
            actor=None, name="X", countries=[], start_date=date(2014, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.conflict_situation_save(
            actor=None,
            name="X",
            countries=iraq,
            start_date=date(2014, 1, 1),
            end_date=date(2013, 1, 1),
        )
    assert not ConflictSituation.objects.exists()
    situation = services.conflict_situation_save(
        actor=None, name="X", countries=iraq, start_date=date(2014, 1, 1)
    )
    services.conflict_situation_save(
        actor=None,
        situation=situation,
        name="Y",
        countries=iraq,
        start_date=date(2014, 1, 1),
        end_date=date(2017, 12, 9),
    )
    situation.refresh_from_db()
    assert (situation.name, situation.end_date) == ("Y", date(2017, 12, 9))


def test_home_figures_count_real_rows():
    entity = make_entity()
    admin = make_user(entity, Role.ADMINISTRATOR)
    make_user(entity)
    services.login_failed(email="nobody@x.org", request=None, locked_out=False)  # type: ignore[arg-type]
    with translation.override("en"):
        figures = dict(selectors.home_figures(user=admin))
    assert figures[f"Colleagues in {entity.code}"] == 2
    assert figures["Failed sign-ins in the last 24 hours"] == 1
    with translation.override("en"):
        caseworker_figures = dict(selectors.home_figures(user=make_user(entity)))
    assert "Audit events" not in caseworker_figures


def test_identity_views_are_audited():
    user = make_user(make_entity())
    services.identity_viewed(actor=user, target=user, fields=["full_name", "date_of_birth"])
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_VIEWED)
    assert event.details == {"fields": ["date_of_birth", "full_name"]}
