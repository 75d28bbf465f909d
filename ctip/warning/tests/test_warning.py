"""Early warning through its services, pages, API and command: the test against history, the
combination into levels, signals from the other apps, alerts once, assessments with their
evidence encrypted, and who may see what."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404

from ctip.cases.models import Screening
from ctip.core import services as core
from ctip.core.audit import AuditEvent
from ctip.core.codes import Role
from ctip.core.models import Country, Notification
from ctip.core.testing import make_user, signed_in_client, token_client
from ctip.incidents.models import Incident
from ctip.incidents.tests.builders import verified
from ctip.warning import framework, reporting, services
from ctip.warning.codes import Level, Signal, WarningAction
from ctip.warning.models import Alert, Assessment, Computation, SignalMonth
from ctip.warning.signals import against_history, look_back
from ctip.warning.tasks import enqueue_if_due

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2025, 12, 5)  # tests November 2025
EVIDENCE = "The mining road is held by Group A since March"


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.fixture
def situation(db):
    return core.conflict_situation_save(
        actor=None,
        name="Warning conflict",
        countries=list(Country.objects.filter(alpha3__in=["CAF"])),
        start_date=datetime.date(2023, 1, 1),
    )


@pytest.fixture
def analyst(actors, situation):
    user = actors.by_role[Role.ANALYST]
    services.watch_add(actor=actors.by_role[Role.ADMINISTRATOR], situation=situation, user=user)
    return user


@pytest.fixture
def monitor(actors, situation):
    user = actors.by_role[Role.MONITOR]
    services.watch_add(actor=actors.by_role[Role.ADMINISTRATOR], situation=situation, user=user)
    return user


def _screenings(entity, month: datetime.date, n: int) -> None:
    recorded = datetime.datetime.combine(month, datetime.time(12), datetime.UTC)
    Screening.objects.bulk_create(
        Screening(
            entity=entity,
            screened_on=month,
            created_at=recorded,
            setting="camp",
            indicator_set="ilo_forced_labour",
            outcome="presumed_victim",
            reason="test",
        )
        for _ in range(n)
    )


@pytest.fixture
def history(actors, situation):
    """Presumed victims in CAF: 1 a month in 2025 until October, then 9 in November."""
    actors.entity.country = Country.objects.get(alpha3="CAF")
    actors.entity.save()
    for month in range(1, 11):
        _screenings(actors.entity, datetime.date(2025, month, 10), 1)
    _screenings(actors.entity, datetime.date(2025, 11, 10), 9)
    return actors.entity


# --- the test against history and the combination -----------------------------------------


def test_a_month_above_its_range_scores_2_and_two_in_a_row_3():
    values = dict.fromkeys(range(12), 2.0) | {12: 9.0, 13: 9.0}
    tested = against_history(values, 0, 13, proportion=False)
    assert [t.score for t in tested[:6]] == [None] * 6  # too little history
    assert tested[11].score == 0 and tested[11].expected == 2
    assert tested[12].upper == pytest.approx(2 + 2 * 2**0.5)
    assert tested[12].score == 2 and tested[13].score == 3


def test_no_data_is_unknown_and_a_proportions_missing_month_is_not_zero():
    assert {t.score for t in against_history({}, 0, 20, proportion=False)} == {None}
    values = dict.fromkeys(range(0, 14, 2), 0.1) | {14: 0.30}
    tested = against_history(values, 0, 14, proportion=True)
    assert tested[13].value is None and tested[13].score is None
    assert tested[14].expected == pytest.approx(0.10) and tested[14].score == 2


def test_combine_follows_the_published_weights():
    scores = dict.fromkeys((i.code for i in framework.INDICATORS), None)
    scores |= {"1.1": 3, "1.x": 0, "7.v": 3}
    little = framework.combine(scores)
    assert little.coverage == pytest.approx(4 / sum(i.weight for i in framework.INDICATORS))
    assert little.level is None and little.score is None  # one or two indicators decide nothing
    combined = framework.combine(scores | {"2.1": 3, "3.1": 0})
    by_code = {f.factor.code: f.score for f in combined.factors}
    assert by_code["RF1"] == pytest.approx(0.5) and by_code["RF7"] == 1.0
    assert by_code["RF4"] is None  # unknown, not 0
    assert combined.score == pytest.approx((0.5 + 1 + 0 + 1) / 4)
    assert combined.level == Level.HIGH
    assert framework.level_of(0.2499) == Level.LOW and framework.level_of(0.5) == Level.HIGH


def test_look_back_finds_the_first_warning_before_a_spike_and_false_alarms():
    leads, false_alarms = look_back({3, 5, 20}, [7, 8, 30], last=40)
    assert [(lead.spike, lead.warning, lead.months) for lead in leads] == [
        (7, 3, 4),
        (30, None, None),
    ]
    assert false_alarms == 1  # month 20: nothing within 6 months
    assert look_back({20}, [], last=24)[1] == 0  # its 6 months have not passed yet


# --- signals from the other apps, alerts --------------------------------------------------


def test_signals_count_each_apps_records_and_alert_the_watchers_once(
    history, analyst, monitor, actors
):
    Notification.objects.all().delete()  # those telling the watchers who joined
    _results, run = services.compute(AS_OF)
    stored = SignalMonth.objects.get(signal=Signal.PRESUMED_VICTIMS, month="2025-11-01")
    assert stored.value == 9 and stored.score == 2
    assert stored.expected == 1  # from January, its first month, to October 2025
    before = SignalMonth.objects.get(signal=Signal.PRESUMED_VICTIMS, month="2024-12-01")
    assert before.value is None  # before its first month: unknown, not a quiet 0
    assert run.alerts == 1 and run.situations == 1  # too little known for a level
    alert = Alert.objects.get()
    november = datetime.date(2025, 11, 1)
    assert (alert.kind, alert.subject, alert.month) == ("signal", "presumed_victims", november)
    assert alert.value is None  # a count of another app's records is never shown
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {analyst.pk, monitor.pk}  # the watchers, nobody else
    assert AuditEvent.objects.filter(action=WarningAction.COMPUTED).count() == 1
    services.compute(AS_OF)
    assert Alert.objects.count() == 1 and Notification.objects.count() == 2  # once


def test_as_of_a_date_counts_nothing_recorded_or_verified_after_it(actors, situation):
    monitor, second = actors.by_role[Role.MONITOR], make_user(actors.entity, Role.MONITOR)
    verified(monitor, second, situation, on="2025-06-01", date="2025-05-10", party="unknown")
    later = {"on": "2025-12-20", "date": "2025-05-12", "party": "unknown"}
    verified(monitor, second, situation, **later)  # decided after the date asked
    Incident.objects.update(created_at=datetime.datetime(2025, 5, 15, tzinfo=datetime.UTC))
    # recorded only today, though dated and verified in time: not known then
    verified(monitor, second, situation, on="2025-06-01", date="2025-05-11", party="unknown")
    results = services.evaluate(datetime.date(2025, 12, 5))
    may = next(t for t in results[0].situation.tested[Signal.INCIDENTS] if t.month == 2025 * 12 + 4)
    assert may.value == 1
    abducted = next(
        t for t in results[0].situation.tested[Signal.ABDUCTIONS] if t.month == 2025 * 12 + 4
    )
    assert abducted.value == 2  # the girls of the incident verified in time


def test_a_computation_that_cannot_audit_stores_nothing(history, audit_fails):
    from conftest import AuditWriteFailed

    with pytest.raises(AuditWriteFailed):
        services.compute(AS_OF)
    assert not SignalMonth.objects.exists() and not Alert.objects.exists()
    assert not Computation.objects.exists() and not Notification.objects.exists()


def test_the_worker_enqueues_the_days_computation_once(history):
    today = datetime.date.today()
    assert enqueue_if_due(today) is True  # the tests' task backend runs it at once
    assert Computation.objects.get().as_of == today
    assert enqueue_if_due(today) is False


# --- assessments ----------------------------------------------------------------------------


def test_an_assessment_keeps_evidence_encrypted_and_changes_the_level(history, analyst, situation):
    services.compute(AS_OF)
    assessment = services.assessment_record(
        actor=analyst,
        situation=situation,
        as_of=AS_OF,
        scores={c: {"score": 3, "evidence": EVIDENCE} for c in ("1.1", "1.x", "2.1", "4.x", "5.1")},
    )
    # RF1, RF2, RF4 and RF5 at 1; TIP (weight 2) at 2/3, from the screenings' rise
    assert assessment.score == pytest.approx((4 + 2 * 2 / 3) / 6)
    assert assessment.level == Level.VERY_HIGH
    with connection.cursor() as cursor:
        cursor.execute("SELECT evidence FROM warning_indicatorscore")
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert EVIDENCE not in stored
    event = AuditEvent.objects.get(action=WarningAction.ASSESSED)
    assert set(event.details) == {"situation", "as_of"}  # administrators read it: no score
    assert not Alert.objects.filter(kind="level").exists()  # back-dated: it alerts nobody


def test_an_assessment_names_each_bad_indicator_and_writes_nothing(situation, analyst):
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            actor=analyst,
            situation=situation,
            as_of=AS_OF,
            scores={"1.1": {"score": 5}, "3.x": {"score": 2}, "7.v": {"score": 1}},
        )
    assert set(error.value.message_dict) == {"1.1", "3.x", "scores"}
    assert not Assessment.objects.exists()


def test_only_watching_analysts_assess_and_others_see_a_missing_situation(
    situation, analyst, monitor, actors
):
    with pytest.raises(PermissionDenied):
        services.assessment_record(actor=monitor, situation=situation, as_of=AS_OF, scores={})
    stranger = actors.other_by_role[Role.ANALYST]
    with pytest.raises(Http404):
        services.assessment_record(actor=stranger, situation=situation, as_of=AS_OF, scores={})
    with pytest.raises(ValidationError):
        services.watch_add(
            actor=actors.by_role[Role.ADMINISTRATOR],
            situation=situation,
            user=actors.by_role[Role.CASEWORKER],
        )


def test_an_alert_is_acknowledged_once_with_a_note(history, monitor):
    services.compute(AS_OF)
    alert = Alert.objects.get(kind="signal")
    with pytest.raises(ValidationError):
        services.alert_acknowledge(actor=monitor, alert=alert, note="  ")
    services.alert_acknowledge(actor=monitor, alert=alert, note="Asked the field team.")
    with pytest.raises(ValidationError):
        services.alert_acknowledge(actor=monitor, alert=alert, note="Again.")
    alert.refresh_from_db()
    assert alert.note == "Asked the field team." and alert.acknowledged_by == monitor


# --- pages, API, exports, command ----------------------------------------------------------


def test_the_situation_page_shows_level_signals_and_alerts_but_no_evidence(
    history, analyst, situation
):
    services.compute(AS_OF)
    services.assessment_record(
        actor=analyst,
        situation=situation,
        as_of=AS_OF,
        scores={"1.1": {"score": 2, "evidence": EVIDENCE}},
    )
    page = signed_in_client(analyst).get(f"/warning/situations/{situation.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-signal="presumed_victims" class="raised"' in text
    assert "Presumed victims in screenings" in text and EVIDENCE not in text
    evidence = signed_in_client(analyst).get(f"/warning/assessments/{Assessment.objects.get().pk}/")
    assert EVIDENCE in evidence.content.decode()
    assert AuditEvent.objects.filter(action=WarningAction.EVIDENCE_VIEWED).count() == 1


def test_the_assessment_form_keeps_what_was_typed_and_marks_the_bad_field(situation, analyst):
    answer = signed_in_client(analyst).post(
        f"/warning/situations/{situation.pk}/assess/",
        {"as_of": "2025-12-01", "score_1_1": "2", "evidence_1_1": "", "sources_1_1": "Radio Ndeke"},
    )
    text = answer.content.decode()
    assert answer.status_code == 200 and "Say what the score rests on" in text
    assert "Radio Ndeke" in text and not Assessment.objects.exists()


def test_exports_are_a_pdf_and_a_workbook_and_audited(history, analyst, situation):
    import openpyxl

    services.compute(AS_OF)
    client = signed_in_client(analyst)
    pdf = client.get(f"/warning/situations/{situation.pk}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/warning/situations/{situation.pk}/export.xlsx").content)
    )
    assert book.sheetnames == ["Assessment", "Risk factors", "Signals", "History"]
    assert AuditEvent.objects.filter(action=WarningAction.EXPORTED).count() == 2


def test_a_pdf_reads_markup_in_a_name_as_text(history, analyst, situation):
    situation.name = '#panic("x") *bold* $x$ ]['
    situation.save()
    services.compute(AS_OF)
    state = services.evaluate(AS_OF)[0].situation
    assert reporting.pdf(situation, state).startswith(b"%PDF")


def test_api_lists_watched_situations_and_records_an_assessment(history, analyst, situation):
    services.compute(AS_OF)
    client = token_client(analyst)
    found = client.get("/api/v1/warning/situations").json()
    assert found[0]["name"] == "Warning conflict" and found[0]["signals_above_range"] == [
        "presumed_victims"
    ]
    bad = client.post(
        f"/api/v1/warning/situations/{situation.pk}/assessments",
        {"as_of": "2025-12-01", "scores": {"1.1": {"score": 9}}},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "1.1" in json.dumps(bad.json())
    framework_page = client.get("/api/v1/public/warning/framework").json()
    assert {f["code"] for f in framework_page["factors"]} == {f.code for f in framework.FACTORS}


def test_command_prints_one_line_per_situation(history, situation):
    out = io.StringIO()
    call_command("early_warning", "--as-of", AS_OF.isoformat(), stdout=out)
    assert out.getvalue().splitlines() == ["Warning conflict\tunknown\tpresumed_victims"]
    assert not SignalMonth.objects.exists()  # printed, not stored, without --save


def test_rescoring_one_indicator_keeps_the_others_and_their_evidence(situation, analyst):
    first = {"1.1": {"score": 2, "evidence": EVIDENCE}, "4.x": {"score": 1, "evidence": "Road"}}
    services.assessment_record(actor=analyst, situation=situation, as_of=AS_OF, scores=first)
    again = {"4.x": {"score": 1, "evidence": ""}, "6.x": {"score": 2, "evidence": "Closed"}}
    second = services.assessment_record(
        actor=analyst, situation=situation, as_of=AS_OF, scores=again
    )
    kept = {s.indicator: (s.score, s.evidence) for s in second.scores.all()}
    assert kept["1.1"] == (2, EVIDENCE)  # left out: carried over
    assert kept["4.x"] == (1, "Road")  # same score, no new evidence: the evidence kept
    assert kept["6.x"] == (2, "Closed") and kept["3.x"] == (None, "")


def test_an_assessment_before_the_situation_began_is_refused(situation, analyst):
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            actor=analyst, situation=situation, as_of=datetime.date(1, 1, 1), scores={}
        )
    assert set(error.value.message_dict) == {"as_of"}


def test_a_new_watcher_is_announced_to_those_who_watch(situation, analyst, actors):
    Notification.objects.all().delete()
    newcomer = make_user(actors.other_entity, Role.MONITOR)
    services.watch_add(actor=actors.by_role[Role.ADMINISTRATOR], situation=situation, user=newcomer)
    told = Notification.objects.filter(subject__contains=newcomer.email)
    assert set(told.values_list("user_id", flat=True)) == {analyst.pk, newcomer.pk}


def test_counts_of_other_apps_records_never_leave_early_warning(history, analyst, situation):
    services.compute(AS_OF)
    found = token_client(analyst).get(f"/api/v1/warning/situations/{situation.pk}").json()
    screened = next(s for s in found["signals"] if s["signal"] == "presumed_victims")
    assert screened["score"] == 2 and screened["value"] is None and screened["months"] == []
    page = signed_in_client(analyst).get(f"/warning/situations/{situation.pk}/").content.decode()
    assert "9.0" not in page and ">9<" not in page


def test_save_is_for_today_only(history):
    with pytest.raises(CommandError):
        call_command("early_warning", "--as-of", AS_OF.isoformat(), "--save")
    assert not Computation.objects.exists()
