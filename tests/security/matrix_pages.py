"""Matrix entries of the core, cases and conduct pages."""

from __future__ import annotations

import datetime

from ctip.core.codes import Role
from tests.security.entries import (
    ADMIN,
    CONDUCT,
    EVERYONE,
    FIELD,
    SHARED,
    conflict,
    const,
    get,
    new_entity,
    new_user,
    post,
    public_report,
    serial,
    tip,
)
from tests.security.world import ALLEGATION, CASE, OTHER_NAMES, SCREENING

CORE = [
    get("", const("/"), allowed=EVERYONE, scope=SHARED),
    get("accounts/login/", const("/accounts/login/"), public=True, signed_in=302, unverified=302),
    post(
        "accounts/login/",
        const("/accounts/login/"),
        public=True,
        ok=200,
        data=lambda w: {"username": "nobody@matrix.test", "password": "wrong"},
    ),
    post("accounts/logout/", const("/accounts/logout/"), public=True),
    get("accounts/otp/", const("/accounts/otp/"), allowed=EVERYONE, scope=SHARED, unverified=200),
    post(
        "accounts/otp/",
        const("/accounts/otp/"),
        allowed=EVERYONE,
        scope=SHARED,
        ok=200,
        unverified=200,
        data=lambda w: {"code": "000000"},
    ),
    get("accounts/otp/setup/", const("/accounts/otp/setup/"), allowed=EVERYONE, scope=SHARED),
    post(
        "accounts/otp/setup/",
        const("/accounts/otp/setup/"),
        allowed=EVERYONE,
        scope=SHARED,
        ok=200,
        data=lambda w: {"code": "000000"},
    ),
    get("accounts/profile/", const("/accounts/profile/"), allowed=EVERYONE, scope=SHARED),
    post(
        "accounts/profile/",
        const("/accounts/profile/"),
        allowed=EVERYONE,
        scope=SHARED,
        ok=200,
        data=lambda w: {"create_token": "1", "name": "matrix"},
    ),
    post(
        "accounts/tokens/<int:token_id>/revoke/",
        lambda w: f"/accounts/tokens/{w.fresh_token().pk}/revoke/",
        allowed=frozenset({Role.CASEWORKER}),  # the token's owner only
    ),
    post("i18n/setlang/", const("/i18n/setlang/"), public=True, data=lambda w: {"language": "en"}),
    get("entities/", const("/entities/"), allowed=EVERYONE, scope=SHARED),
    post(
        "entities/", const("/entities/"), allowed=ADMIN, scope=SHARED, cross=ADMIN, data=new_entity
    ),
    get(
        "entities/<str:code>/",
        lambda w: f"/entities/{w.actors.entity.code}/",
        allowed=EVERYONE,
        cross=ADMIN,
    ),
    get("users/", const("/users/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post("users/", const("/users/"), allowed=ADMIN, scope=SHARED, cross=ADMIN, data=new_user),
    post(
        "users/<int:user_id>/",
        lambda w: f"/users/{w.fresh_user().pk}/",
        allowed=ADMIN,
        cross=ADMIN,
        data=lambda w: {"role": Role.FOCAL_POINT},
    ),
    get("countries/", const("/countries/"), allowed=EVERYONE, scope=SHARED),
    get("conflicts/", const("/conflicts/"), allowed=EVERYONE, scope=SHARED),
    get("conflicts/new/", const("/conflicts/new/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post(
        "conflicts/new/",
        const("/conflicts/new/"),
        allowed=ADMIN,
        scope=SHARED,
        cross=ADMIN,
        data=conflict,
    ),
    get(
        "conflicts/<int:situation_id>/",
        lambda w: f"/conflicts/{w.conflict.pk}/",
        allowed=ADMIN,
        scope=SHARED,
        cross=ADMIN,
    ),
    post(
        "conflicts/<int:situation_id>/",
        lambda w: f"/conflicts/{w.conflict.pk}/",
        allowed=ADMIN,
        scope=SHARED,
        cross=ADMIN,
        data=conflict,
    ),
    get("audit/", const("/audit/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post("audit/verify/", const("/audit/verify/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post("audit/export/", const("/audit/export/"), allowed=ADMIN, scope=SHARED, cross=ADMIN),
    post(
        "audit/checkpoint/",
        const("/audit/checkpoint/"),
        allowed=ADMIN,
        scope=SHARED,
        cross=ADMIN,
        ok=200,
    ),
    get(
        "jobs/<str:job_id>/",
        lambda w: f"/jobs/{w.job.pk}/",
        allowed=frozenset({Role.FOCAL_POINT}),  # whoever started the job
    ),
    get(
        "jobs/<str:job_id>/download/",
        lambda w: f"/jobs/{w.job.pk}/download/",
        allowed=frozenset({Role.FOCAL_POINT}),
    ),
    get("notifications/", const("/notifications/"), allowed=EVERYONE, scope=SHARED),
    get("healthz", const("/healthz"), public=True),
    # only a scraper holding CTIP_METRICS_TOKEN gets an answer (core/tests/test_operations.py)
    get("metrics", const("/metrics"), public=True, ok=404),
]

CASES = [
    get(
        "cases/",
        const("/cases/"),
        never=CASE["names"],
        allowed=FIELD,
        scope=SHARED,
        hidden=lambda w: w.case.reference,
    ),
    get(  # issue 18: what the list shows, as a CSV: the other entity's has none of it
        "cases/",
        const("/cases/?export=csv"),
        never=CASE["names"],
        allowed=FIELD,
        scope=SHARED,
        hidden=lambda w: w.case.reference,
        variant="export",
    ),
    get(
        "cases/screen/<str:indicator_set>/",
        const("/cases/screen/ilo_forced_labour/"),
        allowed=FIELD,
        scope=SHARED,
    ),
    post(
        "cases/screen/<str:indicator_set>/",
        const("/cases/screen/ilo_forced_labour/"),
        allowed=FIELD,
        scope=SHARED,
        data=lambda w: SCREENING,
    ),
    get(
        "cases/screenings/",
        const("/cases/screenings/"),
        allowed=FIELD,
        scope=SHARED,
        hidden=lambda w: w.case.reference,  # the case its screening opened
    ),
    get(
        "cases/screenings/",
        const("/cases/screenings/?export=csv"),
        allowed=FIELD,
        scope=SHARED,
        hidden=lambda w: w.case.reference,
        never=SCREENING["reason"],
        variant="export",
    ),
    get("cases/xlsform.xlsx", const("/cases/xlsform.xlsx"), allowed=FIELD, scope=SHARED),
    get(
        "cases/new/",
        lambda w: f"/cases/new/?screening={w.screening.pk}",
        allowed=FIELD,
    ),
    post(
        "cases/new/",
        const("/cases/new/"),
        allowed=FIELD,
        scope=SHARED,
        data=lambda w: {**CASE, "names": f"N{next(serial)}"},
    ),
    get("cases/referrals/", const("/cases/referrals/"), allowed=FIELD, scope=SHARED),
    get(
        "cases/referrals/<int:pk>/",
        lambda w: f"/cases/referrals/{w.referral.pk}/",
        allowed=FIELD,
        never=OTHER_NAMES,  # the referral shares the profile, not the identity
    ),
    post(
        "cases/referrals/<int:pk>/",
        lambda w: f"/cases/referrals/{w.referral.pk}/",
        allowed=FIELD,
        data=lambda w: {"answer": "accept"},
    ),
    get("cases/directory/", const("/cases/directory/"), allowed=FIELD, scope=SHARED),
    post(
        "cases/directory/",
        const("/cases/directory/"),
        allowed=frozenset({Role.FOCAL_POINT}),
        scope=SHARED,
        data=lambda w: {"service": "shelter", "country": "SYR", "area": ""},
    ),
    get(
        "cases/tips/",
        const("/cases/tips/"),
        allowed=FIELD,
        scope=SHARED,
        hidden=lambda w: f"/cases/tips/{w.tip.pk}/",
    ),
    get(
        "cases/tips/",
        const("/cases/tips/?export=csv&status=new"),
        allowed=FIELD,
        scope=SHARED,
        never="Girls kept in a house",  # the tip's text, never in the queue nor its export
        variant="export",
    ),
    post(
        "cases/tips/",
        const("/cases/tips/"),
        allowed=FIELD,
        data=lambda w: {"tip": w.tip.pk, "status": "screening", "note": "Team sent"},
    ),
    get("cases/tips/<int:pk>/", lambda w: f"/cases/tips/{w.tip.pk}/", allowed=FIELD),
    post(
        "cases/tips/<int:pk>/",
        lambda w: f"/cases/tips/{w.tip.pk}/",
        allowed=FIELD,
        data=lambda w: {"status": "screening", "note": "Team sent"},
    ),
    get("public/tips/", const("/public/tips/"), public=True),
    get("public/linkage/encoder/", const("/public/linkage/encoder/"), public=True),
    get(
        "public/linkage/encoder/offline.html",
        const("/public/linkage/encoder/offline.html"),
        public=True,
    ),
    post("public/tips/", const("/public/tips/"), public=True, ok=200, data=tip),
    get("cases/<int:pk>/refer/", lambda w: f"/cases/{w.case.pk}/refer/", allowed=FIELD),
    post(
        "cases/<int:pk>/refer/",
        lambda w: f"/cases/{w.case.pk}/refer/",
        allowed=FIELD,
        data=lambda w: {
            "to_entity": w.provider.code,
            "services": ["shelter"],
            "parts": ["profile"],
        },
    ),
    get(
        "cases/<int:pk>/",
        lambda w: f"/cases/{w.case.pk}/",
        allowed=FIELD,
        never=CASE["names"],  # shown only after the audited "identity" action
    ),
    post(
        "cases/<int:pk>/<str:action>/",
        lambda w: f"/cases/{w.case.pk}/identity/",
        allowed=FIELD,  # the assigned caseworker and the focal points
        ok=200,  # the identity is in this answer, never kept for a later one
    ),
    post(
        "cases/<int:pk>/<str:action>/",
        lambda w: f"/cases/{w.fresh_case().pk}/status/",
        allowed=FIELD,
        data=lambda w: {"status": "closed"},
        variant="status",
    ),
    # issue 18: the edit form shows the identity (an audited read) to the assigned caseworker
    # and the focal points; notes and follow-ups are theirs too
    get("cases/<int:pk>/edit/", lambda w: f"/cases/{w.case.pk}/edit/", allowed=FIELD),
    post(
        "cases/<int:pk>/edit/",
        lambda w: f"/cases/{w.fresh_case().pk}/edit/",
        allowed=FIELD,
        data=lambda w: {**CASE, "consent_referral": "on", "consent_statistics": "on", "sex": "M"},
    ),
    post(
        "cases/<int:pk>/<str:action>/",
        lambda w: f"/cases/{w.case.pk}/note/",
        allowed=FIELD,
        data=lambda w: {"text": "A note from the matrix."},
        variant="note",
    ),
    post(
        "cases/<int:pk>/<str:action>/",
        lambda w: f"/cases/{w.case.pk}/follow_up/",
        allowed=FIELD,
        data=lambda w: {
            "due_on": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
            "what": "A follow-up from the matrix.",
        },
        variant="follow_up",
    ),
    post(
        "cases/<int:pk>/<str:action>/",
        lambda w: f"/cases/{w.case.pk}/goal/",
        allowed=FIELD,
        data=lambda w: {"goal": "A goal from the matrix."},
        variant="goal",
    ),
]

CONDUCT_PAGES = [
    get(
        "conduct/",
        const("/conduct/"),
        never=ALLEGATION["subject_identity"],
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: w.allegation.reference,
    ),
    get(
        "conduct/",
        const("/conduct/?export=csv"),
        never=ALLEGATION["subject_identity"],
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: w.allegation.reference,
        variant="export",
    ),
    get(
        "conduct/export.<str:fmt>",
        const("/conduct/export.csv"),
        never=ALLEGATION["subject_identity"],
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: w.allegation.reference,
    ),
    get("conduct/new/", const("/conduct/new/"), allowed=CONDUCT, scope=SHARED),
    post(
        "conduct/new/",
        const("/conduct/new/"),
        allowed=CONDUCT,
        scope=SHARED,
        data=lambda w: ALLEGATION,
    ),
    get("conduct/vetting/", const("/conduct/vetting/"), allowed=CONDUCT, scope=SHARED),
    post(
        "conduct/vetting/",
        const("/conduct/vetting/"),
        allowed=CONDUCT,
        scope=SHARED,
        ok=200,
        data=lambda w: {"identifier": "P-99999", "purpose": "deployment"},
    ),
    get(
        "conduct/certifications/",
        const("/conduct/certifications/"),
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: "Battalion 9",
    ),
    post(
        "conduct/certifications/",
        const("/conduct/certifications/"),
        allowed=CONDUCT,
        scope=SHARED,
        data=lambda w: {"country": "PAK", "unit": "Battalion 9", "deployed_on": "2026-01-01"},
    ),
    get("conduct/patterns/", const("/conduct/patterns/"), allowed=CONDUCT, scope=SHARED),
    get(
        "conduct/<int:pk>/",
        lambda w: f"/conduct/{w.allegation.pk}/",
        allowed=CONDUCT,
        never=ALLEGATION["subject_identity"],  # shown only after the "identities" action
    ),
    post(
        "conduct/<int:pk>/<str:action>/",
        lambda w: f"/conduct/{w.allegation.pk}/step/",
        allowed=CONDUCT,
        data=lambda w: {"step": "victim_safe"},
    ),
    post(
        "conduct/<int:pk>/<str:action>/",
        lambda w: f"/conduct/{w.allegation.pk}/identities/",
        allowed=CONDUCT,
        ok=200,  # the identities are in this answer, never kept for a later one
        variant="identities",
    ),
    get("public/conduct/", const("/public/conduct/"), public=True),
    get("public/conduct/report/", const("/public/conduct/report/"), public=True),
    post(
        "public/conduct/report/",
        const("/public/conduct/report/"),
        public=True,
        ok=200,
        data=public_report,
    ),
]


# --- issue 18: files attached to a case, approvals of the case plan and of the closure --------
# (one new object per request: a download, a deletion or an answer changes or uses it up)

from tests.security.entries import FOCAL  # noqa: E402 - with the entries that use it
from tests.security.world import World  # noqa: E402

MATRIX_PDF = b"%PDF-1.4\nA report from the matrix\n%%EOF\n"


def _fresh_attachment(w: World) -> str:
    from ctip.cases import services as case_services

    worker = w.own(Role.CASEWORKER)  # the assigned caseworker, so the uploader
    found = case_services.attachment_add(
        actor=worker, case=w.case, name="matrix.pdf", content=MATRIX_PDF
    )
    return f"/cases/{w.case.pk}/attachments/{found.pk}/"


def _fresh_closure_request(w: World) -> str:
    from ctip.cases import services as case_services

    case = w.fresh_case()
    asked = case_services.approval_request(actor=w.own(Role.CASEWORKER), case=case, kind="closure")
    return f"/cases/{case.pk}/approvals/{asked.pk}/"


def _fresh_case_with_a_plan(w: World) -> str:
    from ctip.cases import services as case_services

    case = w.fresh_case()
    case_services.goal_add(actor=w.own(Role.CASEWORKER), case=case, text="A matrix goal")
    return f"/cases/{case.pk}/plan_approval/"


def _attachment_upload(w: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("matrix.pdf", MATRIX_PDF), "description": "Matrix"}


CASES += [
    post(
        "cases/<int:pk>/attachments/",
        lambda w: f"/cases/{w.case.pk}/attachments/",
        allowed=FIELD,  # the assigned caseworker and the focal points
        data=_attachment_upload,
    ),
    post(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        _fresh_attachment,
        allowed=FIELD,
        ok=200,  # the file, to the assigned caseworker and the focal points (audited)
    ),
    post(
        "cases/<int:pk>/attachments/<int:attachment_pk>/delete/",
        lambda w: _fresh_attachment(w) + "delete/",
        allowed=FIELD,  # its uploader (the assigned caseworker) and the focal points
    ),
    post(
        "cases/<int:pk>/approvals/<int:approval_pk>/",
        _fresh_closure_request,
        allowed=FOCAL,  # the supervisor: a focal point of the case's entity
        data=lambda w: {"decision": "approve"},
    ),
    post(
        "cases/<int:pk>/<str:action>/",
        _fresh_case_with_a_plan,
        allowed=FIELD,
        variant="plan_approval",
    ),
    post(
        "cases/<int:pk>/<str:action>/",
        lambda w: f"/cases/{w.fresh_case().pk}/closure/",
        allowed=FIELD,
        data=lambda w: {"closing_status": "closed"},
        variant="closure",
    ),
]


# --- issue 18 (conduct): the register of units, and a merge (a new unit per merge: a merge
# uses the unit up). The world's allegation registered "Battalion 9" in the own entity.


def _battalion_9(w: World) -> int:
    from ctip.conduct.models import Unit

    return Unit.objects.get(entity=w.actors.entity, country_id="PAK", key="battalion9").pk


def _fresh_unit_merge(w: World) -> str:
    from ctip.conduct import services as conduct_services

    unit = conduct_services.unit_add(
        actor=w.own(Role.CONDUCT_OFFICER),
        raw={"country": "PAK", "name": f"Matrix battalion {next(serial)}"},
    )
    return f"/conduct/units/{unit.pk}/merge/"


CONDUCT_PAGES += [
    get(
        "conduct/units/",
        const("/conduct/units/"),
        never=ALLEGATION["subject_identity"],
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: "Battalion 9",
    ),
    get(
        "conduct/units/",
        const("/conduct/units/?export=csv"),
        never=ALLEGATION["subject_identity"],
        allowed=CONDUCT,
        scope=SHARED,
        hidden=lambda w: "Battalion 9",
        variant="export",
    ),
    post(
        "conduct/units/",
        const("/conduct/units/"),
        allowed=CONDUCT,
        scope=SHARED,
        data=lambda w: {"name": f"Matrix unit {next(serial)}", "country": "PAK"},
    ),
    get(
        "conduct/units/<int:pk>/merge/",
        lambda w: f"/conduct/units/{_battalion_9(w)}/merge/",
        never=ALLEGATION["subject_identity"],
        allowed=CONDUCT,  # another entity's conduct officers: 404
    ),
    post(
        "conduct/units/<int:pk>/merge/",
        _fresh_unit_merge,
        allowed=CONDUCT,  # another entity's conduct officers: 404
        data=lambda w: {"into": _battalion_9(w)},
    ),
]
