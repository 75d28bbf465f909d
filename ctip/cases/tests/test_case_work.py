"""Issue 18, cases: every field shown in words, edits with their history, stricter input,
the choice of reporting round, notes and follow-ups."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ctip.cases import selectors, services
from ctip.cases.codes import CasesAction
from ctip.cases.forms import CaseForm, ScreeningForm
from ctip.cases.models import (
    Case,
    CaseEvent,
    CaseGoal,
    CaseIdentity,
    CaseNote,
    FollowUp,
    Screening,
)
from ctip.cases.tests.builders import CASE, SCREENING, a_case
from ctip.core.codes import Role
from ctip.core.models import AuditEvent, ConflictSituation
from ctip.core.testing import confirmed_device, make_user, signed_in_client

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def countries(reference_data):
    pass


@pytest.fixture
def situation(db):
    return ConflictSituation.objects.create(name="Sahel 2012-", start_date="2012-01-01")


def form_of(case: Case, **changes: object) -> dict[str, object]:
    """What the edit form posts for `case` opened from CASE, with `changes`."""
    return {**CASE, "identified_on": case.identified_on.isoformat(), **changes}


def raw_column(table: str, column: str, pk_name: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_name} = %s", [pk])  # noqa: S608
        return " ".join(str(row[0]) for row in cursor.fetchall())


# --- 1. every field entered at opening, in words ------------------------------------------------


def test_the_case_page_shows_every_field_entered_at_opening_in_words(worker, situation):
    # given a case opened with the fields the user test found missing
    case = a_case(
        worker,
        forms_of_exploitation=["SexualExploitation", "ForcedBegging"],
        means_of_control=["DebtBondage"],
        conflict_situation=str(situation.pk),
        languages="Hausa, English",
        identified_on="2026-09-30",
        recruiter_relation="Acquainted",
        consent_scope="Referral to shelters only",
    )
    # when the caseworker opens the case page
    page = signed_in_client(worker).get(reverse("cases:detail", args=[case.pk]))
    # then each is there as words, never as a code
    facts = page.content.decode().split('data-testid="case-facts"')[1].split("</dl>")[0]
    for words in (
        "Sexual exploitation",
        "Forced begging",
        "Debt bondage",
        "Sahel 2012-",
        "Hausa, English",
        "2026-09-30",
        "Acquaintance",
        "Nigeria",
        "Referral to shelters only",
        "Forms of exploitation",
        "Means of control",
        "Conflict situation",
        "Languages",
        "Identified on",
    ):
        assert words in facts, words
    for code in ("SexualExploitation", "DebtBondage", "Acquainted", "NGA"):
        assert code not in facts, code


# --- 2. editing a case --------------------------------------------------------------------------


def test_an_edit_writes_the_change_keeps_previous_values_and_audits_field_names(worker):
    # given an open case
    case = a_case(worker)
    # when the caseworker changes the sex, a form of exploitation and the names
    changed = services.case_update(
        actor=worker,
        case=case,
        raw=form_of(case, sex="M", forms_of_exploitation=["ForcedLabour"], names="Amina Z."),
    )
    # then the case and its identity hold the new values
    assert sorted(changed) == ["forms_of_exploitation", "names", "sex"]
    case.refresh_from_db()
    assert (case.sex, case.forms_of_exploitation) == ("M", "ForcedLabour")
    assert services.identity_view(actor=worker, case=case)["names"] == "Amina Z."
    assert case.identity_hash == services.identity_hash("Amina Z.", CASE["date_of_birth"])
    # the timeline keeps the previous values, the identity one encrypted
    event = CaseEvent.objects.get(case=case, kind="edited")
    assert event.changes == {"sex": "F", "forms_of_exploitation": "SexualExploitation"}
    assert json.loads(event.previous_identity) == {"names": "Amina Y."}
    assert "Amina" not in raw_column("cases_caseevent", "previous_identity", "id", event.pk)
    assert "Amina" not in event.note
    # the audit event names the fields, never a value
    audit = AuditEvent.objects.filter(action=CasesAction.CASE_EDITED).get()
    assert audit.details == {"changed": changed}
    assert "Amina" not in json.dumps(audit.details)
    # nothing changed: nothing written
    assert services.case_update(actor=worker, case=case, raw=form_of(case, sex="M",
        forms_of_exploitation=["ForcedLabour"], names="Amina Z.")) == []  # fmt: skip
    assert CaseEvent.objects.filter(case=case, kind="edited").count() == 1


def test_a_failed_audit_write_leaves_neither_the_edit_nor_its_event(worker, request):
    case = a_case(worker)
    audit_fails = request.getfixturevalue("audit_fails")
    with pytest.raises(audit_fails):
        services.case_update(actor=worker, case=case, raw=form_of(case, sex="M", names="X"))
    case.refresh_from_db()
    assert case.sex == "F"
    assert CaseIdentity.objects.get(case=case).names == "Amina Y."
    assert not CaseEvent.objects.filter(case=case, kind="edited").exists()


def test_who_may_edit_a_case(actors, worker):
    case = a_case(worker)
    colleague = make_user(actors.entity, Role.CASEWORKER)
    raw = form_of(case, sex="M")
    for other in (actors.other_by_role[Role.CASEWORKER], actors.other_by_role[Role.FOCAL_POINT]):
        with pytest.raises(Exception) as error:
            services.case_update(actor=other, case=case, raw=raw)
        assert error.type.__name__ == "Http404"
    with pytest.raises(Exception) as error:
        services.case_update(actor=colleague, case=case, raw=raw)  # not assigned
    assert error.type.__name__ == "Http404"
    with pytest.raises(PermissionDenied):
        services.case_update(actor=actors.by_role[Role.ANALYST], case=case, raw=raw)
    # a focal point of the entity may
    assert services.case_update(actor=actors.by_role[Role.FOCAL_POINT], case=case, raw=raw)


def test_a_closed_case_is_not_edited(actors, worker):
    case = a_case(worker)
    services.case_set_status(actor=actors.by_role[Role.FOCAL_POINT], case=case, status="closed")
    with pytest.raises(ValidationError):
        services.case_update(actor=worker, case=case, raw=form_of(case, sex="M"))
    page = signed_in_client(worker).get(reverse("cases:edit", args=[case.pk]))
    assert page.status_code == 302


def test_the_edit_page_is_prefilled_audited_and_saves(actors, worker):
    case = a_case(worker, languages="Hausa", means_of_control=["DebtBondage"])
    client = signed_in_client(worker)
    url = reverse("cases:edit", args=[case.pk])
    # given the form, pre-filled (the identity through the audited read, not cached)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'value="Amina Y."' in html and 'value="Hausa"' in html
    assert re.search(r'<input[^>]*value="DebtBondage"[^>]*checked', html)
    assert AuditEvent.objects.filter(action=CasesAction.IDENTITY_VIEWED).count() == 1
    # when the caseworker changes the sex and saves
    data = {**form_of(case, sex="M", languages="Hausa", means_of_control=["DebtBondage"])}
    data = {k: v for k, v in data.items() if v not in ("", None)}
    data["consent_referral"] = "on"
    response = client.post(url, data)
    # then the case page's timeline shows what it was
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.sex == "M" and case.languages == "Hausa"
    timeline = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Case edited" in timeline and "Sex: was Female" in timeline


def test_the_edit_page_refuses_other_entities_and_sessions_without_second_factor(actors, worker):
    case = a_case(worker)
    url = reverse("cases:edit", args=[case.pk])
    other = actors.other_by_role[Role.FOCAL_POINT]
    assert signed_in_client(other).get(url).status_code == 404
    assert signed_in_client(other).post(url, form_of(case, sex="M")).status_code == 404
    colleague = make_user(actors.entity, Role.CASEWORKER)
    assert signed_in_client(colleague).get(url).status_code == 404
    assert signed_in_client(actors.by_role[Role.ANALYST]).get(url).status_code == 403
    # a caseworker with an authenticator who has not given the code gets nothing
    confirmed_device(worker)
    response = signed_in_client(worker, verified=False).get(url)
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]
    assert "Amina" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=CasesAction.IDENTITY_VIEWED).exists()


def test_previous_identity_values_show_only_with_the_audited_identity_read(actors, worker):
    case = a_case(worker)
    services.case_update(actor=worker, case=case, raw=form_of(case, names="Amina Z."))
    colleague = make_user(actors.entity, Role.CASEWORKER)
    page = signed_in_client(colleague).get(reverse("cases:detail", args=[case.pk]))
    html = page.content.decode()
    assert "Names: changed" in html and "Amina" not in html
    shown = signed_in_client(worker).post(reverse("cases:act", args=[case.pk, "identity"]))
    history = shown.content.decode().split('data-testid="identity-history"')[1]
    assert "Names: Amina Y." in history.split("</ul>")[0]
    assert AuditEvent.objects.filter(action=CasesAction.IDENTITY_VIEWED).count() == 2
    with pytest.raises(Exception) as error:
        services.identity_history(actor=colleague, case=case)
    assert error.type.__name__ == "Http404"


# --- 3. validation ------------------------------------------------------------------------------


def test_total_is_no_sex_of_a_person(worker):
    assert "_T" not in dict(CaseForm().fields["sex"].choices)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as error:
        a_case(worker, sex="_T")
    assert set(error.value.message_dict) == {"sex"}


@pytest.mark.parametrize(
    "born, fine",
    [
        ("31/02/2001", False),
        ("2001-02-31", False),
        ("31.02.2001", False),
        ("28/02/2001", True),
        ("2001-02-28", True),
        ("about 1990", True),
        ("2999-01-01", False),
        ("01/01/2999", False),
        ("about 2999", False),
        ("1850-01-01", False),
        ("12/05/01", False),
    ],
)
def test_an_impossible_or_future_date_of_birth_is_refused(worker, born, fine):
    if fine:
        assert a_case(worker, date_of_birth=born).pk
        return
    with pytest.raises(ValidationError) as error:
        a_case(worker, date_of_birth=born)
    assert set(error.value.message_dict) == {"date_of_birth"}
    assert born not in str(error.value.message_dict)  # the message never repeats an identity


def test_dates_of_the_case_and_long_texts_are_checked_by_name(worker):
    future = (TODAY() + datetime.timedelta(days=2)).isoformat()
    with pytest.raises(ValidationError) as error:
        a_case(
            worker,
            identified_on=future,
            consent_date="1850-02-01",
            languages="x" * 201,
            consent_scope="y" * 301,
        )
    assert set(error.value.message_dict) == {
        "identified_on",
        "consent_date",
        "languages",
        "consent_scope",
    }
    assert Case.objects.count() == 0


def test_the_case_form_keeps_typed_values_and_marks_the_bad_field(worker):
    client = signed_in_client(worker)
    data = {**CASE, "date_of_birth": "31/02/2001", "languages": "Hausa, Yoruba"}
    page = client.post(reverse("cases:new"), data)
    html = page.content.decode()
    assert page.status_code == 200 and Case.objects.count() == 0
    assert 'value="Hausa, Yoruba"' in html and 'value="Amina Y."' in html
    field = re.search(r'<input[^>]*name="date_of_birth"[^>]*>', html)
    assert field is not None and 'aria-invalid="true"' in field.group(0)
    assert "There is no such date" in html
    assert "no-store" in page["Cache-Control"]


def test_the_screening_outcome_has_no_default(worker):
    form = ScreeningForm(indicator_set="ilo_forced_labour")
    assert form.fields["outcome"].choices[0][0] == ""  # type: ignore[attr-defined]
    html = signed_in_client(worker).get("/cases/screen/ilo_forced_labour/").content.decode()
    outcome = html.split('name="outcome"')[1].split("</select>")[0]
    assert 'value="" selected' in outcome and 'value="presumed_victim" selected' not in outcome
    data = {k: v for k, v in SCREENING.items() if k != "outcome"}
    page = signed_in_client(worker).post("/cases/screen/ilo_forced_labour/", data)
    assert page.status_code == 200 and Screening.objects.count() == 0


def test_a_presumed_victim_needs_an_indicator_answered_yes(worker):
    no_yes = {
        **SCREENING,
        "ilo_forced_labour_documents": "no",
        "ilo_forced_labour_debt": "unknown",
        "ilo_forced_labour_wages": "no",
    }
    with pytest.raises(ValidationError) as error:
        services.screening_record(actor=worker, raw=no_yes)
    assert set(error.value.message_dict) == {"outcome"}
    assert services.screening_record(actor=worker, raw={**no_yes, "outcome": "not_a_victim"})
    page = signed_in_client(worker).post("/cases/screen/ilo_forced_labour/", no_yes)
    html = page.content.decode()
    assert page.status_code == 200 and "at least one indicator answered yes" in html
    assert "Lampedusa hotspot" in html  # what was typed stays
    assert Screening.objects.count() == 1


# --- 4. the reporting round ---------------------------------------------------------------------


@pytest.fixture
def rounds(db):
    from ctip.statistics.models import ReportingRound

    year = TODAY().year
    return {
        y: ReportingRound.objects.create(year=y, deadline=datetime.date(y + 1, 6, 30))
        for y in (year - 1, year)
    }


def test_the_round_is_chosen_among_open_ones_and_a_wrong_one_is_explained(worker, rounds):
    from ctip.statistics.codes import RoundState
    from ctip.statistics.models import VictimRecord

    year = TODAY().year
    rounds[year].state = RoundState.CLOSED
    rounds[year].save()
    case = a_case(worker, consent_statistics="yes", country_of_detection="ITA")
    client = signed_in_client(worker)
    # the page offers the open round and says why this year's is missing
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="round-explained"' in html
    select = html.split('name="round"')[1].split("</select>")[0]
    assert f'value="{year - 1}"' in select and f'value="{year}"' not in select
    # the closed round is refused, and so is a round of another year
    secret = "the round's shared secret"
    url = reverse("cases:act", args=[case.pk, "statistics"])
    page = client.post(url, {"round": year, "linkage_secret": secret}, follow=True)
    assert f"Reporting round: The {year} reporting round is not open" in page.content.decode()
    page = client.post(url, {"round": year - 1, "linkage_secret": secret}, follow=True)
    assert f"counts people identified in {year - 1}" in page.content.decode()
    assert not VictimRecord.objects.exists()
    # once this year's round is open, it is the default and the case goes in
    rounds[year].state = RoundState.OPEN
    rounds[year].save()
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'value="{year}" selected' in html and 'data-testid="round-explained"' not in html
    services.case_report(actor=worker, case=case, linkage_secret=secret, year=str(year))
    assert VictimRecord.objects.get().year_of_identification == year


def test_no_open_round_says_so(worker):
    case = a_case(worker, consent_statistics="yes", country_of_detection="ITA")
    html = signed_in_client(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="no-round"' in html
    with pytest.raises(ValidationError) as error:
        services.case_report(actor=worker, case=case, linkage_secret="x" * 20)
    assert set(error.value.message_dict) == {"round"}


# --- 5. notes and follow-ups --------------------------------------------------------------------


def test_a_note_is_encrypted_audited_and_on_the_timeline_for_those_who_see_identity(actors):
    worker = actors.by_role[Role.CASEWORKER]
    case = a_case(worker)
    client = signed_in_client(worker)
    response = client.post(
        reverse("cases:act", args=[case.pk, "note"]), {"text": "Met her at the shelter."}
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert "shelter" not in raw_column("cases_casenote", "text", "id", note.pk)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert "Met her at the shelter." in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    read = AuditEvent.objects.filter(action=CasesAction.NOTES_READ).get()
    assert read.details == {"notes": 1, "follow_ups": 0, "goals": 0}
    # a colleague not assigned sees that there is a note, not what it says
    colleague = make_user(actors.entity, Role.CASEWORKER)
    html = signed_in_client(colleague).get(reverse("cases:detail", args=[case.pk])).content
    assert b"Met her" not in html and b'data-kind="note"' in html
    with pytest.raises(Exception) as error:
        services.note_add(actor=colleague, case=case, text="x")
    assert error.type.__name__ == "Http404"
    # another entity gets 404
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert (
        other.post(reverse("cases:act", args=[case.pk, "note"]), {"text": "x"}).status_code == 404
    )
    # an empty note is refused, by name
    with pytest.raises(ValidationError) as refused:
        services.note_add(actor=worker, case=case, text="  ")
    assert set(refused.value.message_dict) == {"text"}
    assert CaseNote.objects.count() == 1


def test_a_failed_audit_write_leaves_no_note(worker, request):
    case = a_case(worker)
    audit_fails = request.getfixturevalue("audit_fails")
    with pytest.raises(audit_fails):
        services.note_add(actor=worker, case=case, text="x")
    assert not CaseNote.objects.exists()


def test_follow_ups_due_are_the_users_and_overdue_ones_show_on_the_case(actors, worker):
    case = a_case(worker)
    today = TODAY()
    client = signed_in_client(worker)
    url = reverse("cases:act", args=[case.pk, "follow_up"])
    assert client.post(url, {"due_on": today.isoformat(), "what": "Call the lawyer"}).status_code
    services.follow_up_add(
        actor=worker,
        case=case,
        raw={"due_on": (today + datetime.timedelta(days=30)).isoformat(), "what": "Court"},
    )
    first, later = FollowUp.objects.order_by("due_on")
    assert "lawyer" not in raw_column("cases_followup", "what", "id", first.pk)
    # my follow-ups due today: the first; in a month: both; never the text
    assert list(selectors.follow_ups_due(user=worker, on=today)) == [first]
    month = today + datetime.timedelta(days=30)
    assert list(selectors.follow_ups_due(user=worker, on=month)) == [first, later]
    assert "what" in selectors.follow_ups_due(user=worker, on=today)[0].get_deferred_fields()
    # nobody else's list has them
    for user in (
        make_user(actors.entity, Role.CASEWORKER),
        actors.other_by_role[Role.CASEWORKER],
        actors.by_role[Role.ANALYST],
    ):
        assert not selectors.follow_ups_due(user=user, on=month).exists()
    # overdue: listed on the case page
    FollowUp.objects.filter(pk=first.pk).update(due_on=today - datetime.timedelta(days=3))
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    overdue = html.split('data-testid="overdue"')[1].split("</section>")[0]
    assert "Call the lawyer" in overdue and "Court" not in overdue
    # done: off the list, on the timeline
    done = reverse("cases:act", args=[case.pk, "follow_up_done"])
    client.post(done, {"follow_up": first.pk})
    assert list(selectors.follow_ups_due(user=worker, on=month)) == [later]
    assert CaseEvent.objects.filter(case=case, kind="follow_up_done").exists()
    # another entity cannot close it
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert other.post(done, {"follow_up": later.pk}).status_code == 404


def test_a_follow_up_needs_a_date_from_today_and_a_text(worker):
    case = a_case(worker)
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    for raw, bad in (
        ({"due_on": yesterday, "what": "x"}, {"due_on"}),
        ({"due_on": "2026-02-31", "what": "x"}, {"due_on"}),
        ({"due_on": "9999-01-01", "what": ""}, {"due_on", "what"}),
    ):
        with pytest.raises(ValidationError) as error:
            services.follow_up_add(actor=worker, case=case, raw=raw)
        assert set(error.value.message_dict) == bad
    assert not FollowUp.objects.exists()


def test_the_purge_takes_notes_follow_ups_and_previous_identities_with_the_identity(actors, worker):
    case = a_case(worker)
    services.case_update(actor=worker, case=case, raw=form_of(case, names="Amina Z."))
    services.note_add(actor=worker, case=case, text="Her mother lives in Kano.")
    services.follow_up_add(
        actor=worker, case=case, raw={"due_on": TODAY().isoformat(), "what": "Call Amina"}
    )
    services.goal_add(actor=worker, case=case, text="Reunite Amina with her mother")
    services.case_set_status(actor=actors.by_role[Role.FOCAL_POINT], case=case, status="closed")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=9999))
    assert services.identities_purge() == 1
    assert CaseNote.objects.get().text == "" and FollowUp.objects.get().what == ""
    assert CaseEvent.objects.get(case=case, kind="edited").previous_identity == ""
    assert CaseGoal.objects.get().text == ""


# --- 6. the case plan ---------------------------------------------------------------------------


def test_a_case_plan_has_encrypted_goals_whose_status_moves_on_the_timeline(actors, worker):
    case = a_case(worker)
    client = signed_in_client(worker)
    # given a goal added on the page
    client.post(reverse("cases:act", args=[case.pk, "goal"]), {"goal": "Back to school"})
    goal = CaseGoal.objects.get()
    assert goal.status == "planned"
    assert "school" not in raw_column("cases_casegoal", "text", "id", goal.pk)
    # when it is in progress, then achieved
    url = reverse("cases:act", args=[case.pk, "goal_status"])
    client.post(url, {"goal": goal.pk, "goal_status": "in_progress"})
    client.post(url, {"goal": goal.pk, "goal_status": "achieved"})
    # then the page shows it, and the timeline what it was
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Back to school" in html and 'data-goal-status="achieved"' in html
    assert "Status: was In progress" in html and "Status: was Planned" in html
    # a colleague not assigned sees the status, not the goal; another entity gets 404
    colleague = make_user(actors.entity, Role.CASEWORKER)
    seen = signed_in_client(colleague).get(reverse("cases:detail", args=[case.pk])).content
    assert b"Back to school" not in seen and b'data-goal-status="achieved"' in seen
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert other.post(url, {"goal": goal.pk, "goal_status": "dropped"}).status_code == 404
    with pytest.raises(ValidationError) as error:
        services.goal_set_status(actor=worker, goal=goal, status="won")
    assert set(error.value.message_dict) == {"goal_status"}
    goal.refresh_from_db()
    assert goal.status == "achieved"


def test_a_failed_audit_write_leaves_no_goal(worker, request):
    case = a_case(worker)
    audit_fails = request.getfixturevalue("audit_fails")
    with pytest.raises(audit_fails):
        services.goal_add(actor=worker, case=case, text="x")
    assert not CaseGoal.objects.exists()
