import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from ctip.cases import services
from ctip.cases.field_exports import as_form_rows
from ctip.cases.models import Case, CaseIdentity, Screening
from ctip.cases.xlsform import LANGUAGES, rows, workbook_bytes
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import assert_access, make_user, signed_in_client

pytestmark = pytest.mark.django_db
SCREENING = {
    "screened_on": "2026-10-02",
    "place": "Lampedusa hotspot",
    "setting": "reception",
    "indicator_set": "ilo_forced_labour",
    "ilo_forced_labour_documents": "yes",
    "ilo_forced_labour_debt": "yes",
    "ilo_forced_labour_wages": "no",
    "outcome": "presumed_victim",
    "reason": "Passport kept by the employer; a debt that keeps growing.",
}
CASE = {
    "names": "Amina Y.",
    "date_of_birth": "2009-04-01",
    "contacts": "+39 000 000",
    "narrative": "Recruited in Kano with a promise of work in a hair salon.",
    "sex": "F",
    "age_band": "9--17",
    "citizenship": "NGA",
    "forms_of_exploitation": ["SexualExploitation"],
    "consent_referral": "yes",
    "consent_date": "2026-10-02",
    "best_interests": "Placed in a specialised shelter for girls.",
}


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


def test_a_screening_records_answers_and_needs_a_reason(actors):
    worker = actors.by_role[Role.CASEWORKER]
    screening = services.screening_record(actor=worker, raw=SCREENING)
    assert screening.answers == {
        "ilo_forced_labour.documents": "yes",
        "ilo_forced_labour.debt": "yes",
        "ilo_forced_labour.wages": "no",
    }
    assert screening.yes_count == 2
    with pytest.raises(ValidationError) as error:
        services.screening_record(
            actor=worker,
            raw={
                **SCREENING,
                "reason": "",
                "setting": "moon",
                "ilo_forced_labour_debt": "perhaps",
                "screened_on": "2099-01-01",
            },
        )
    assert set(error.value.message_dict) == {
        "reason",
        "setting",
        "ilo_forced_labour_debt",
        "screened_on",
    }
    assert Screening.objects.count() == 1


def test_a_case_opens_from_a_screening_with_identity_encrypted_and_duplicates_warned(actors):
    worker = actors.by_role[Role.CASEWORKER]
    screening = services.screening_record(actor=worker, raw=SCREENING)
    opened = services.case_open(actor=worker, raw=CASE, screening=screening)
    case = opened.case
    assert case.reference.startswith(f"{actors.entity.code}-C")
    assert case.caseworker == worker and screening.__class__.objects.get().case == case
    assert not opened.duplicates_here and not opened.duplicates_elsewhere
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT names, date_of_birth, narrative, best_interests FROM cases_caseidentity "
            "WHERE case_id = %s",
            [case.pk],
        )
        stored = " ".join(cursor.fetchone())
    assert "Amina" not in stored and "Kano" not in stored and "2009" not in stored
    # the same person again, spelt with other capitals and spaces
    again = services.case_open(actor=worker, raw={**CASE, "names": " amina  y. "})
    assert again.duplicates_here == [case.reference]
    elsewhere = services.case_open(actor=actors.other_by_role[Role.CASEWORKER], raw=CASE)
    assert elsewhere.duplicates_here == [] and elsewhere.duplicates_elsewhere == 2
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=worker,
            raw={
                **CASE,
                "citizenship": "XXX",
                "consent_date": "",
                "forms_of_exploitation": ["Magic"],
            },
        )
    assert set(error.value.message_dict) == {"citizenship", "consent_date", "forms_of_exploitation"}


def test_identity_is_for_the_assigned_caseworker_and_focal_points_only(actors):
    worker = actors.by_role[Role.CASEWORKER]
    case = services.case_open(actor=worker, raw=CASE).case
    colleague = make_user(actors.entity, Role.CASEWORKER)
    url = reverse("cases:detail", args=[case.pk])
    reveal = reverse("cases:act", args=[case.pk, "identity"])
    for user, sees in (
        (worker, True),
        (actors.by_role[Role.FOCAL_POINT], True),
        (colleague, False),
    ):
        client = signed_in_client(user)
        answer = client.post(reveal)
        assert ("Amina" in answer.content.decode()) is sees, user.email
        assert "Amina" not in client.get(url).content.decode()  # shown once, kept nowhere
        if not sees:
            assert answer.status_code == 404
    assert AuditEvent.objects.filter(action="cases.identity_viewed").count() == 2
    for role in (Role.ANALYST, Role.ADMINISTRATOR, Role.CONDUCT_OFFICER, Role.LEGAL_OFFICER):
        assert signed_in_client(actors.by_role[role]).get(url).status_code == 403
    assert signed_in_client(actors.other_by_role[Role.CASEWORKER]).get(url).status_code == 404


def test_who_may_use_the_case_pages(actors):
    field = [Role.CASEWORKER, Role.FOCAL_POINT]
    case = services.case_open(actor=actors.by_role[Role.CASEWORKER], raw=CASE).case
    for url in (
        reverse("cases:index"),
        reverse("cases:new"),
        reverse("cases:screen", args=["child"]),
        reverse("cases:xlsform"),
    ):
        assert_access(actors, url, allowed=field, denied=[403], other_entity_sees=True)
    assert_access(actors, reverse("cases:detail", args=[case.pk]), allowed=field, denied=[403])


def test_screening_page_can_open_a_case_in_one_step(actors):
    client = signed_in_client(actors.by_role[Role.CASEWORKER])
    answer = client.post(
        reverse("cases:screen", args=["ilo_forced_labour"]),
        {
            **SCREENING,
            "open_case": "on",
            **{f"ilo_forced_labour_{q}": "unknown" for q in ("vulnerability",)},
        },
    )
    assert answer.status_code == 302 and "/cases/new/?screening=" in answer["Location"]
    page = client.post(answer["Location"], {**CASE, "forms_of_exploitation": "SexualExploitation"})
    assert page.status_code == 302
    assert Screening.objects.get().case == Case.objects.get()


def test_the_xlsform_converts_with_pyxform_in_six_languages(tmp_path):
    from pyxform.xls2xform import convert

    result = convert(xlsform=io.BytesIO(workbook_bytes()), file_type=".xlsx", validate=False)
    xml = result.xform
    assert "ctip_screening" in xml
    for _code, name in LANGUAGES:
        assert f'lang="{name}"' in xml
    assert "Était-on" not in xml  # labels come from CTIP's catalogues, not invented here
    survey, choices, _settings = rows()
    child = next(r for r in survey if r[1] == "child")
    assert "${under_18} = 'yes'" in child[-3]  # skip logic: shown for any child
    documents = next(r for r in survey if r[1] == "ilo_forced_labour_documents")
    labels = documents[2 : 2 + len(LANGUAGES)]
    assert len(set(labels)) == len(LANGUAGES)  # the question in six different languages
    assert {r[0] for r in choices[1:]} == {
        "answer",
        "setting",
        "outcome",
        "yes_no",
        "indicator_set",
    }
    out = tmp_path / "form.xlsx"
    call_command("export_xlsform", "screening", str(out))
    assert out.stat().st_size > 1000


def kobo_export(rows_: list[dict]) -> bytes:
    """A KoBoToolbox CSV export of the form: grouped fields carry their group's name."""
    header = [
        "start",
        "end",
        "screened_on",
        "place",
        "setting",
        "under_18",
        "indicator_set",
        "ilo_forced_labour/ilo_forced_labour_documents",
        "ilo_forced_labour/ilo_forced_labour_debt",
        "child/child_married",
        "outcome",
        "reason",
        "_uuid",
        "_submission_time",
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, delimiter=";")
    writer.writeheader()
    for row in rows_:
        writer.writerow({k: row.get(k, "") for k in header})
    return buffer.getvalue().encode("utf-8-sig")


KOBO_ROW = {
    "screened_on": "2026-09-30",
    "place": "Tripoli",
    "setting": "detention",
    "under_18": "yes",
    "indicator_set": "ilo_forced_labour",
    "ilo_forced_labour/ilo_forced_labour_documents": "yes",
    "child/child_married": "no",
    "outcome": "further_assessment",
    "reason": "Documents kept; needs a second interview.",
    "_uuid": "3b5c1d8e-0000-4000-8000-000000000001",
}


def test_a_kobo_export_imports_once_and_bad_rows_are_named(actors, tmp_path):
    path = tmp_path / "kobo.csv"
    second = {**KOBO_ROW, "_uuid": "3b5c1d8e-0000-4000-8000-000000000002", "setting": "camp"}
    path.write_bytes(kobo_export([KOBO_ROW, second]))
    entity = actors.entity.code
    call_command("import_screenings", str(path), "--entity", entity, "--dry-run")
    assert not Screening.objects.exists()
    call_command("import_screenings", str(path), "--entity", entity)
    first = Screening.objects.get(submission_id=KOBO_ROW["_uuid"])
    assert first.answers == {
        "ilo_forced_labour.documents": "yes",
        "child.married": "no",
    }
    assert first.under_18 is True and first.outcome == "further_assessment"
    call_command("import_screenings", str(path), "--entity", entity)  # idempotent
    assert Screening.objects.count() == 2

    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        kobo_export(
            [
                {**KOBO_ROW, "_uuid": "x1", "setting": "=cmd|' /C calc'!A0"},
                {**KOBO_ROW, "_uuid": ""},
                {**KOBO_ROW, "_uuid": "x3", "ilo_forced_labour/ilo_forced_labour_debt": "maybe"},
                {**KOBO_ROW, "_uuid": "x4"},
            ]
        )
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("import_screenings", str(bad), "--entity", entity)
    assert exit_.value.code == 1
    assert Screening.objects.count() == 2  # nothing of the bad file, not even the good row
    report = services.screenings_import(
        entity=actors.entity,
        rows=as_form_rows(
            list(
                enumerate(
                    [
                        {**KOBO_ROW, "_uuid": "x1", "setting": "=cmd"},
                        {**KOBO_ROW, "_uuid": ""},
                    ],
                    start=2,
                )
            )
        ),
    )
    assert {(e["row"], e["column"]) for e in report.errors} == {(2, "setting"), (3, "_uuid")}


def test_no_identity_reaches_people_outside_the_entity(actors):
    services.case_open(actor=actors.by_role[Role.CASEWORKER], raw=CASE)
    for role in (Role.ANALYST, Role.ADMINISTRATOR):
        page = signed_in_client(actors.by_role[role]).get(reverse("cases:index"))
        assert page.status_code == 403
    assert Client().get(reverse("cases:index")).status_code == 302


def test_demo_data_loads():
    from ctip.cases.demo import load_demo_data
    from ctip.core.demo import load_demo_data as core_demo

    core_demo()
    created = load_demo_data()
    assert created["screenings"] == 8 and created["cases"] >= 1
    assert {c.status for c in Case.objects.all()} <= {
        "active",
        "follow_up",
        "closed",
        "closed_referred",
    }
    from ctip.cases.models import Tip

    assert Tip.objects.count() == 2


@pytest.fixture
def referred(actors):
    """A case of the actors' entity and a provider NGO listed in the directory."""
    from ctip.core.codes import EntityKind
    from ctip.core.testing import make_entity

    ngo = make_entity("SAFEHOME", kind=EntityKind.NGO)
    ngo_focal = make_user(ngo, Role.FOCAL_POINT)
    services.offer_save(actor=ngo_focal, service="shelter", country="ITA", area="Sicily")
    case = services.case_open(actor=actors.by_role[Role.CASEWORKER], raw=CASE).case
    return case, ngo, ngo_focal


def test_a_referral_needs_consent_and_shares_only_what_was_agreed(actors, referred):
    case, ngo, ngo_focal = referred
    worker = actors.by_role[Role.CASEWORKER]
    with pytest.raises(ValidationError) as error:  # identity needs consent to sharing
        services.referral_create(
            actor=worker, case=case, to_entity=ngo, services=["shelter"], parts=["identity"]
        )
    assert "parts" in error.value.message_dict
    referral = services.referral_create(
        actor=worker,
        case=case,
        to_entity=ngo,
        services=["shelter", "psychosocial"],
        parts=["profile", "exploitation"],
    )
    assert ngo_focal.notifications.filter(
        url=reverse("cases:referral", args=[referral.pk])
    ).exists()
    client = signed_in_client(ngo_focal)
    page = client.get(reverse("cases:referral", args=[referral.pk])).content.decode()
    assert "SexualExploitation" in page and "Amina" not in page and "Kano" not in page
    # the provider never reaches the case itself
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # nobody else reaches the referral
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert other.get(reverse("cases:referral", args=[referral.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.referral_answer(actor=ngo_focal, referral=referral, answer="decline")  # why?
    with pytest.raises(ValidationError):
        services.referral_answer(actor=ngo_focal, referral=referral, answer="complete")
    client.post(reverse("cases:referral", args=[referral.pk]), {"answer": "accept"})
    referral.refresh_from_db()
    assert referral.status == "accepted"
    client.post(
        reverse("cases:referral", args=[referral.pk]),
        {
            "answer": "service",
            "service": "shelter",
            "started_on": "2026-10-05",
            "outcome": "Placed",
        },
    )
    assert case.deliveries.get().provider == ngo
    client.post(reverse("cases:referral", args=[referral.pk]), {"answer": "complete"})
    referral.refresh_from_db()
    assert referral.status == "completed"
    kinds = list(case.events.values_list("kind", flat=True))
    assert {"referred", "referral_accepted", "service", "referral_completed"} <= set(kinds)
    assert worker.notifications.filter(subject__contains="Completed").exists()


def test_no_referral_without_consent_to_referral(actors, referred):
    case, ngo, _focal = referred
    case.consent_referral = False
    case.save()
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            actor=actors.by_role[Role.CASEWORKER],
            case=case,
            to_entity=ngo,
            services=["shelter"],
            parts=["profile"],
        )
    assert "case" in error.value.message_dict


def test_identity_shared_with_consent_is_audited_when_the_provider_opens_it(actors, referred):
    case, ngo, ngo_focal = referred
    case.consent_sharing = True
    case.save()
    referral = services.referral_create(
        actor=actors.by_role[Role.CASEWORKER],
        case=case,
        to_entity=ngo,
        services=["shelter"],
        parts=["identity"],
    )
    page = signed_in_client(ngo_focal).get(reverse("cases:referral", args=[referral.pk]))
    assert "Amina" in page.content.decode()
    assert AuditEvent.objects.filter(action="cases.identity_viewed", entity=ngo).exists()


def test_who_may_use_referrals_and_the_directory(actors, referred):
    case, _ngo, _focal = referred
    field = [Role.CASEWORKER, Role.FOCAL_POINT]
    for url in (reverse("cases:referrals"), reverse("cases:directory")):
        assert_access(actors, url, allowed=field, denied=[403], other_entity_sees=True)
    assert_access(actors, reverse("cases:refer", args=[case.pk]), allowed=field, denied=[403])


def test_a_consenting_case_flows_into_the_round_without_identity(actors):
    import datetime

    from ctip.statistics.models import ReportingRound, VictimRecord

    worker = actors.by_role[Role.CASEWORKER]
    year = datetime.date.today().year
    ReportingRound.objects.create(year=year, deadline=datetime.date(year + 1, 6, 30))
    raw = {**CASE, "consent_statistics": "yes", "country_of_detection": "ITA"}
    case = services.case_open(actor=worker, raw=raw).case
    secret = "the round's shared secret"
    with pytest.raises(ValidationError):
        services.case_report(actor=worker, case=case, linkage_secret="short")
    services.case_report(actor=worker, case=case, linkage_secret=secret)
    services.case_report(actor=worker, case=case, linkage_secret=secret)  # again: replaced
    record = VictimRecord.objects.get()
    assert (record.sex, record.age_band, record.citizenship_id) == ("F", "9--17", "NGA")
    assert record.submission.country_of_detection_id == "ITA"
    assert record.submission.record_count == 1
    # the same key an entity makes at the source for this person: cases and files match
    from ctip.linkage.keys import Identity, encode

    assert record.linkage_key == encode(Identity("Amina Y.", "", "2009-04-01", "F"), secret)
    stored = str(VictimRecord.objects.values().get())
    assert "Amina" not in stored and "2009-04-01" not in stored
    # the analyst sees the pseudonymised record in the submission, never the case
    analyst = signed_in_client(actors.other_by_role[Role.ANALYST])
    page = analyst.get(reverse("statistics:submission", args=[record.submission_id]))
    assert page.status_code == 200 and "1 victim record" in page.content.decode()
    assert "Amina" not in page.content.decode()
    assert analyst.get(reverse("cases:detail", args=[case.pk])).status_code == 403
    refused = services.case_open(actor=worker, raw={**CASE, "names": "Other"}).case
    with pytest.raises(ValidationError):
        services.case_report(actor=worker, case=refused, linkage_secret=secret)  # no consent


def test_anonymous_tips_reach_the_chosen_entity_only(actors, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from ctip.cases.models import Tip

    cache.clear()
    client = Client()
    assert client.get(reverse("cases:tip")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("cases:tip"),
            {
                "entity": actors.entity.code,
                "what": "Girls kept in a house behind the market <b>at night</b>",
                "where": "Bangui, PK5",
            },
        )
    assert answer.status_code == 200 and "received" in answer.content.decode()
    tip = Tip.objects.get()
    with connection.cursor() as cursor:
        cursor.execute('SELECT what, "where" FROM cases_tip')
        assert "market" not in " ".join(cursor.fetchone())
    focal = actors.by_role[Role.FOCAL_POINT]
    assert focal.notifications.filter(url=reverse("cases:tips")).exists()
    queue = signed_in_client(focal).get(reverse("cases:tips")).content.decode()
    assert "market" not in queue  # the queue never shows (nor decrypts) the text
    page = signed_in_client(focal).get(reverse("cases:tip_read", args=[tip.pk]))
    assert "behind the market &lt;b&gt;" in page.content.decode()  # shown, escaped
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert "market" not in other.get(reverse("cases:tips")).content.decode()
    assert other.get(reverse("cases:tip_read", args=[tip.pk])).status_code == 404
    assert (
        other.post(reverse("cases:tips"), {"tip": tip.pk, "status": "dismissed"}).status_code == 404
    )
    with pytest.raises(ValidationError):
        services.tip_triage(actor=focal, tip=tip, status="dismissed")  # why?
    services.tip_triage(actor=focal, tip=tip, status="screening", note="Team sent")
    assert Tip.objects.get().status == "screening"
    assert (
        client.post(reverse("cases:tip"), {"entity": actors.entity.code, "what": ""}).status_code
        == 200
    )
    statuses = [
        client.post(reverse("cases:tip"), {"entity": actors.entity.code, "what": "x"}).status_code
        for _ in range(5)
    ]
    assert statuses[-1] == 429
    assert_access(
        actors,
        reverse("cases:tips"),
        allowed=[Role.CASEWORKER, Role.FOCAL_POINT],
        denied=[403],
        other_entity_sees=True,
    )


def test_a_case_is_transferred_with_its_history_only_with_consent(actors):
    worker = actors.by_role[Role.CASEWORKER]
    focal = actors.by_role[Role.FOCAL_POINT]
    case = services.case_open(actor=worker, raw=CASE).case
    with pytest.raises(ValidationError):
        services.case_transfer(actor=focal, case=case, to_entity=actors.other_entity)
    case.consent_sharing = True
    case.save()
    with pytest.raises(PermissionDenied):  # a caseworker cannot hand a case over
        services.case_transfer(actor=worker, case=case, to_entity=actors.other_entity)
    services.case_transfer(actor=focal, case=case, to_entity=actors.other_entity, note="Moved")
    case.refresh_from_db()
    assert case.entity == actors.other_entity and case.caseworker is None
    assert "transferred" in set(case.events.values_list("kind", flat=True))
    assert signed_in_client(worker).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    receiving = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    page = receiving.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "opened" in page and "transferred" in page  # the history came along


def test_identities_of_long_closed_cases_are_purged(actors, settings):
    import datetime

    from django.utils import timezone

    settings.CTIP_CASE_RETENTION_DAYS = 30
    worker = actors.by_role[Role.CASEWORKER]
    old = services.case_open(actor=worker, raw=CASE).case
    recent = services.case_open(actor=worker, raw={**CASE, "names": "B."}).case
    active = services.case_open(actor=worker, raw={**CASE, "names": "C."}).case
    for case in (old, recent):  # closed by a focal point (a caseworker asks for it)
        services.case_set_status(actor=actors.by_role[Role.FOCAL_POINT], case=case, status="closed")
    Case.objects.filter(pk=old.pk).update(closed_at=timezone.now() - datetime.timedelta(days=40))
    assert services.identities_purge(dry_run=True) == 1
    call_command("purge_identities")
    old.refresh_from_db()
    assert not CaseIdentity.objects.filter(case=old).exists() and old.identity_hash == ""
    assert old.sex == "F" and old.identity_purged_at is not None  # the rest stays
    assert CaseIdentity.objects.get(case=recent).names == "B."
    assert CaseIdentity.objects.get(case=active).names == "C."
    assert AuditEvent.objects.filter(action="cases.identities_purged").get().details["cases"] == 1
    assert services.identities_purge() == 0


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ar", "الإبلاغ عن حالة محتملة للاتجار بالأشخاص"),
        ("zh-hans", "举报可能的贩运案件"),
        ("fr", "Signaler un cas possible de traite"),
        ("es", "Denunciar un posible caso de trata"),
        ("ru", "Сообщить о возможном случае торговли людьми"),
        ("en", "Report a possible case of trafficking"),
    ],
)
def test_the_tip_page_speaks_the_six_languages(language, words):
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("cases:tip")).content.decode()
    assert words in page and ('dir="rtl"' in page) == (language == "ar")


def test_the_focal_point_assigns_the_case_and_identity_follows(actors):
    worker = actors.by_role[Role.CASEWORKER]
    colleague = make_user(actors.entity, Role.CASEWORKER)
    case = services.case_open(actor=worker, raw=CASE).case
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    focal.post(reverse("cases:act", args=[case.pk, "assign"]), {"caseworker": colleague.pk})
    case.refresh_from_db()
    assert case.caseworker == colleague
    assert services.may_see_identity(colleague, case) and not services.may_see_identity(
        worker, case
    )
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=worker, case=case, caseworker_id=str(worker.pk))
    outsider = make_user(actors.other_entity, Role.CASEWORKER)
    with pytest.raises(ValidationError):
        services.case_assign(
            actor=actors.by_role[Role.FOCAL_POINT], case=case, caseworker_id=str(outsider.pk)
        )
