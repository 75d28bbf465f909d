import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from ctip.conduct import figures, selectors, services
from ctip.conduct.codes import AllegationStatus
from ctip.conduct.models import (
    Allegation,
    AllegationIdentity,
    Investigation,
    VettingCheck,
    add_months,
)
from ctip.conduct.tests.builders import RAW, record
from ctip.core.codes import EntityKind, Role
from ctip.core.models import AuditEvent
from ctip.core.testing import (
    assert_access,
    make_entity,
    make_user,
    signed_in_client,
    token_client,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_allegation_is_in_the_register_at_once_and_people_are_told(
    actors, officer, django_capture_on_commit_callbacks
):
    central = make_user(make_entity("CTIP"), Role.CONDUCT_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        allegation = record(officer)
    assert allegation.reference == f"{actors.entity.code}-2026-0001"
    assert record(officer).reference.endswith("-0002")
    assert allegation in selectors.allegations_for(officer)
    assert allegation in selectors.allegations_for(central)  # the system-wide register
    assert allegation not in selectors.allegations_for(actors.other_by_role[Role.CONDUCT_OFFICER])
    told = {address for message in mail.outbox for address in message.to}
    assert {officer.email, central.email, actors.by_role[Role.FOCAL_POINT].email} <= told
    assert all("Money offered" not in m.body and "C. D." not in m.body for m in mail.outbox)
    # and in the application: the focal point learns that something came, not where it is
    focal = actors.by_role[Role.FOCAL_POINT]
    assert set(focal.notifications.values_list("url", flat=True)) == {""}
    urls = set(officer.notifications.values_list("url", flat=True))
    assert reverse("conduct:detail", args=[allegation.pk]) in urls
    page = signed_in_client(focal).get(reverse("core:notifications")).content.decode()
    assert allegation.reference in page
    assert not focal.notifications.filter(read_at=None).exists()  # read by opening the page
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert allegation.reference not in other.get(reverse("core:notifications")).content.decode()
    # identities and the account are encrypted at rest, the identifier only hashed
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT victim_identities, subject_identity, account, subject_hash "
            "FROM conduct_allegationidentity JOIN conduct_allegation ON allegation_id = id "
            "WHERE id = %s",
            [allegation.pk],
        )
        stored = " ".join(cursor.fetchone())
    assert "Bangui" not in stored and "C. D." not in stored and "P-12345" not in stored
    stored_identity = AllegationIdentity.objects.get(allegation=allegation)
    assert stored_identity.victim_identities == RAW["victim_identities"]


def test_bad_input_names_the_fields_and_writes_nothing(officer):
    with pytest.raises(ValidationError) as error:
        services.allegation_record(
            actor=officer,
            entity=officer.entity,
            raw={
                **RAW,
                "category": "gossip",
                "incident_date": "2026-05-01",  # after the report
                "victims_minors": "3",  # more than the victims
                "contingent_country": "XYZ",
                "unit": "x" * 500,
            },
        )
    assert set(error.value.message_dict) == {
        "category",
        "incident_date",
        "victims_minors",
        "contingent_country",
        "unit",
    }
    assert not Allegation.objects.exists()


def test_showing_identities_is_audited(officer):
    allegation = record(officer)
    client = signed_in_client(officer)
    page = client.get(reverse("conduct:detail", args=[allegation.pk])).content.decode()
    assert "Bangui" not in page
    page = client.post(reverse("conduct:act", args=[allegation.pk, "identities"])).content.decode()
    assert "Bangui" in page and "Money offered" in page
    assert AuditEvent.objects.filter(action="conduct.identity_viewed").count() == 1
    # shown once: the next visit is encrypted again
    assert (
        "Bangui" not in client.get(reverse("conduct:detail", args=[allegation.pk])).content.decode()
    )


def test_who_may_see_conduct_data(actors, officer):
    allegation = record(officer)
    conduct = [Role.CONDUCT_OFFICER]
    urls = [
        reverse(f"conduct:{name}")
        for name in ("register", "new", "vetting", "certifications", "patterns")
    ] + [reverse("conduct:export", args=[fmt]) for fmt in ("csv", "xlsx")]
    for url in urls:
        assert_access(
            actors,
            url,
            allowed=conduct,
            denied=[403],
            other_entity_sees=True,
        )
    assert_access(
        actors, reverse("conduct:detail", args=[allegation.pk]), allowed=conduct, denied=[403]
    )
    # administrators do not read conduct files either
    admin = signed_in_client(actors.by_role[Role.ADMINISTRATOR])
    assert admin.get(reverse("conduct:register")).status_code == 403
    api = token_client(actors.other_by_role[Role.CONDUCT_OFFICER]).get(
        "/api/v1/conduct/allegations"
    )
    assert api.status_code == 200 and api.json() == []
    own = token_client(officer).get("/api/v1/conduct/allegations").json()
    assert [a["reference"] for a in own] == [allegation.reference]
    assert "victim_identities" not in own[0] and "Bangui" not in str(own)
    client = signed_in_client(officer)
    csv_text = client.get(reverse("conduct:export", args=["csv"])).content.decode()
    assert allegation.reference in csv_text and "Bangui" not in csv_text
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(
        BytesIO(client.get(reverse("conduct:export", args=["xlsx"])).content)
    ).active
    assert sheet.cell(2, 1).value == allegation.reference
    assert client.get(reverse("conduct:export", args=["pdf"])).status_code == 404
    analyst = token_client(actors.by_role[Role.ANALYST]).get("/api/v1/conduct/allegations")
    assert analyst.status_code == 403


def test_investigation_deadlines_extensions_and_alerts(officer, django_capture_on_commit_callbacks):
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    allegation = record(officer)
    investigation = services.investigation_save(
        actor=officer,
        allegation=allegation,
        raw={"body": "national", "referred_on": "2026-03-10", "started_on": "2026-03-12"},
    )
    assert investigation.deadline == D(2026, 9, 10)
    allegation.refresh_from_db()
    assert allegation.status == "under_investigation"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadline_alerts(D(2026, 8, 1)) == 0
        assert services.deadline_alerts(D(2026, 8, 12)) == 1  # 29 days left
        assert services.deadline_alerts(D(2026, 8, 13)) == 0  # once
        assert services.deadline_alerts(D(2026, 9, 5)) == 1  # 5 days left
        assert services.deadline_alerts(D(2026, 9, 11)) == 1  # overdue
        assert services.deadline_alerts(D(2026, 9, 20)) == 0
    assert len(mail.outbox) == 3 and "overdue" in mail.outbox[-1].subject
    with pytest.raises(ValidationError):
        services.investigation_extend(
            actor=officer, investigation=investigation, days="30", reason=""
        )
    services.investigation_extend(
        actor=officer, investigation=investigation, days="30", reason="Witness abroad"
    )
    investigation.refresh_from_db()
    assert investigation.deadline == D(2026, 10, 10) and investigation.alerts_sent == []
    with pytest.raises(ValidationError) as error:
        services.investigation_save(
            actor=officer,
            allegation=allegation,
            raw={"body": "national", "referred_on": "2026-03-10", "outcome": "substantiated"},
        )
    assert "finished_on" in error.value.message_dict
    services.investigation_save(
        actor=officer,
        allegation=allegation,
        raw={
            "body": "national",
            "referred_on": "2026-03-10",
            "outcome": "substantiated",
            "finished_on": "2026-08-30",
            "measures": ["repatriation", "imprisonment"],
        },
    )
    allegation.refresh_from_db()
    assert allegation.status == "closed"
    assert services.deadline_alerts(D(2026, 12, 1)) == 0  # finished: no more alerts


def test_vetting_finds_substantiated_allegations_by_keyed_hash_only(actors, officer):
    allegation = record(officer)
    services.investigation_save(
        actor=officer,
        allegation=allegation,
        raw={
            "body": "oversight",
            "referred_on": "2026-03-05",
            "outcome": "substantiated",
            "finished_on": "2026-06-01",
        },
    )
    elsewhere = actors.other_by_role[Role.CONDUCT_OFFICER]
    assert services.vetting_check(actor=elsewhere, identifier=" p-12345 ") is True
    assert services.vetting_check(actor=elsewhere, identifier="P-99999") is False
    assert list(VettingCheck.objects.values_list("hit", flat=True)) == [True, False]
    client = signed_in_client(elsewhere)
    page = client.post(reverse("conduct:vetting"), {"identifier": "P-12345"}).content.decode()
    assert "Hit:" in page and "P-12345" not in page
    events = AuditEvent.objects.filter(action="conduct.vetting_checked")
    assert "12345" not in str(list(events.values_list("details", flat=True)))


def test_patterns_flag_units_and_give_rates(officer):
    for _ in range(3):
        record(officer, unit="Battalion 3")
    record(officer, unit="Engineers")
    services.certification_save(
        actor=officer,
        raw={
            "country": "PAK",
            "unit": "Battalion 3",
            "deployed_on": "2025-10-01",
            "personnel": "850",
            "training_done": "yes",
            "no_prior_misconduct": "yes",
            "certified_on": "2025-09-01",
        },
    )
    found = {p.unit: p for p in figures.unit_patterns(D(2026, 6, 1))}
    assert found["Battalion 3"].flagged and not found["Engineers"].flagged
    assert round(found["Battalion 3"].per_thousand or 0, 2) == 3.53
    assert found["Engineers"].per_thousand is None
    page = signed_in_client(officer).get(reverse("conduct:certifications")).content.decode()
    assert 'data-missing="Engineers"' in page  # allegations, but no certification


def test_public_statistics_use_the_statistics_disclosure_control(actors, officer, settings):
    # given 14 allegations in 2026 and 2 in 2025, all open but 2 closed
    settings.CTIP_CONDUCT_PUBLIC_THRESHOLD = 3
    for _ in range(14):
        record(
            officer, category="sexual_abuse", reported_on="2026-02-01", incident_date="2026-01-01"
        )
    for _ in range(2):
        record(officer, category="rape", reported_on="2025-03-01", incident_date="2025-02-01")
    Allegation.objects.filter(category="rape").update(status=AllegationStatus.CLOSED)
    # when
    stats = figures.public_statistics()
    years = dict(stats["tables"]["year"].rows)
    # then the 2 of 2025 are "<3", and 2026's 14 is hidden to protect them but never "<3"
    assert (years["2025"].text, years["2026"].text) == ("<3", "C")
    assert years["2026"].value is None and stats["total"].value == 16
    # open (14) + closed (2) = total: the open count cannot give the closed ones away
    statuses = dict(stats["tables"]["status"].rows)
    assert statuses["Closed"].status == "A"
    assert stats["open"].status == "D" and stats["open"].value is None


def test_public_page_and_anonymous_report(actors, officer, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    mission = make_entity("MINUSXX", kind=EntityKind.UN_MISSION)
    watcher = make_user(mission, Role.CONDUCT_OFFICER)
    for _ in range(4):
        record(officer, category="sexual_abuse")
    for _ in range(2):
        record(officer, category="rape")
    client = Client()
    form = client.get(reverse("conduct:report"))
    assert form.status_code == 200 and "MINUSXX" in form.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("conduct:report"),
            {
                "entity": "MINUSXX",
                "category": "transactional_sex",
                "personnel_category": "civilian",
                "victims_count": "1",
                "account": "<script>alert(1)</script> at the market",
            },
        )
    assert answer.status_code == 200 and "MINUSXX-2026-0001" in answer.content.decode()
    made = Allegation.objects.get(entity=mission)
    assert made.channel == "public_form" and made.created_by is None
    assert made.identity.account.startswith("<script>")  # kept as written, shown escaped
    assert watcher.email in {a for m in mail.outbox for a in m.to}
    page = client.get(reverse("conduct:public")).content.decode()
    assert "Sexual abuse</th><td>4" in page
    assert 'Transactional sex</th><td><span data-status="A" title="Fewer than 3">&lt;3' in page
    assert 'Rape</th><td><span data-status="A"' in page
    # 6 of the 7 from the officer's mission: hidden, or 7 - 6 would give MINUSXX's 1 away
    assert '<abbr data-status="D"' in page and "7</td>" in page
    bad = client.post(reverse("conduct:report"), {"entity": "NOPE", "account": ""})
    assert bad.status_code == 200 and Allegation.objects.filter(entity__code="NOPE").count() == 0
    statuses = [
        client.post(reverse("conduct:report"), {"entity": "MINUSXX"}).status_code for _ in range(5)
    ]
    assert statuses[-1] == 429  # at most 5 reports an hour from one address
    stats = client.get("/api/v1/public/conduct/statistics").json()
    assert stats["tables"]["category"]["Sexual abuse"] == {"value": 4, "status": "F", "text": "4"}
    assert stats["tables"]["category"]["Rape"] == {"value": None, "status": "A", "text": "<3"}


def test_demo_data_loads(actors):
    from ctip.conduct.demo import load_demo_data
    from ctip.core.demo import load_demo_data as core_demo

    core_demo()
    created = load_demo_data()
    assert created["allegations"] >= 10
    assert Investigation.objects.filter(outcome="ongoing").exists()
    assert any(p.flagged for p in figures.unit_patterns(datetime.date.today()))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ar", "الإبلاغ عن الاستغلال أو الانتهاك الجنسي"),
        ("zh-hans", "举报性剥削或性虐待"),
        ("fr", "Signaler une exploitation ou des atteintes sexuelles"),
        ("es", "Denunciar explotación o abusos sexuales"),
        ("ru", "Сообщить о сексуальной эксплуатации"),
        ("en", "Report sexual exploitation or abuse"),
    ],
)
def test_the_report_form_speaks_the_six_languages(language, words):
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("conduct:report")).content.decode()
    assert words in page
    assert ('dir="rtl"' in page) == (language == "ar")


def test_the_api_refuses_malformed_allegations_and_writes_nothing(officer):
    client = token_client(officer)
    url = "/api/v1/conduct/allegations"
    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.status_code in {400, 422}
    bad = client.post(
        url,
        {**RAW, "victims_count": "9" * 30, "reported_on": "29/02/2026", "channel": "'; DROP"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    named = {error["loc"][-1] for error in bad.json()["detail"]}
    assert {"victims_count", "reported_on", "channel"} <= named
    assert not Allegation.objects.exists()
    good = client.post(url, {**RAW, "contingent_country": "PAK"}, content_type="application/json")
    assert good.status_code == 200 and good.json()["reference"].endswith("-0001")
