"""The pages, the API, the commands and the field form, as monitors, analysts, focal
points and the public use them; files shaped like real exports."""

import io
from pathlib import Path

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ctip.cases.models import Case
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import signed_in_client, token_client
from ctip.incidents import xlsform
from ctip.incidents.models import Incident
from ctip.incidents.tests.builders import NARRATIVE, SECRETS, raw, verified

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"


def test_a_monitor_records_and_a_second_verifies_on_the_pages(
    monitor, second_monitor, situation, party
):
    page = signed_in_client(monitor)
    form = {**raw(situation), "source_1": "A teacher", "reliability_1": "reliable"}
    response = page.post("/incidents/new/", form)
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incidents/{incident.pk}/"
    shown = page.get(f"/incidents/{incident.pk}/").content.decode()
    assert incident.reference in shown and NARRATIVE not in shown
    details = page.post(f"/incidents/{incident.pk}/details/").content.decode()
    assert NARRATIVE in details and "A teacher" in details
    page.post(f"/incidents/{incident.pk}/start/")
    page.post(
        f"/incidents/{incident.pk}/decide/",
        {"status": "verified", "basis": "un_observed", "decided_on": "2025-05-11"},
    )
    incident.refresh_from_db()
    assert incident.status == "under_verification"  # the recorder may not decide
    other = signed_in_client(second_monitor)
    assert incident.reference in other.get("/incidents/").content.decode()  # awaiting decision
    other.post(
        f"/incidents/{incident.pk}/decide/",
        {"status": "verified", "basis": "un_observed", "decided_on": "2025-05-11"},
    )
    incident.refresh_from_db()
    assert incident.status == "verified"
    patterns = other.get("/incidents/patterns/").content.decode()
    assert 'data-party="Group A" data-violation="abduction"' in patterns


def test_a_bad_form_says_which_field_and_writes_nothing(monitor, situation, party):
    page = signed_in_client(monitor)
    response = page.post("/incidents/new/", {**raw(situation), "country": "IRQ", "violations": []})
    assert response.status_code == 200 and not Incident.objects.exists()
    text = response.content.decode()
    assert "A country of Test conflict" in text and "One or more of" in text


def test_an_abductee_released_and_referred_on_the_pages(
    actors, monitor, second_monitor, situation, party
):
    incident = verified(monitor, second_monitor, situation)
    page = signed_in_client(monitor)
    page.post(f"/incidents/{incident.pk}/abductee/", {"group": "girls", "names": "Aline D."})
    girl = incident.abductees.get()
    assert "Aline" not in page.get(f"/incidents/abductees/{girl.pk}/").content.decode()
    page.post(
        f"/incidents/abductees/{girl.pk}/status/", {"status": "released", "status_on": "2025-07-01"}
    )
    caseworker = actors.by_role[Role.CASEWORKER]
    response = page.post(
        f"/incidents/abductees/{girl.pk}/refer/",
        {
            "to_entity": monitor.entity.code,
            "caseworker": str(caseworker.pk),
            "consent_referral": "on",
            "consent_date": "2025-07-02",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    cases = signed_in_client(caseworker).get(f"/cases/{case.pk}/")
    assert cases.status_code == 200


def test_import_page_checks_then_writes_and_names_bad_rows(monitor, situation, party):
    page = signed_in_client(monitor)
    data = (FIXTURES / "incidents" / "template.csv").read_bytes()
    checked = page.post(
        "/incidents/import/", {"file": SimpleUploadedFile("t.csv", data), "dry_run": "on"}
    )
    assert "3 incidents imported" in checked.content.decode() and not Incident.objects.exists()
    page.post("/incidents/import/", {"file": SimpleUploadedFile("t.csv", data)})
    assert Incident.objects.count() == 3
    first = Incident.objects.get(external_id="MRM-CAR-2025-0001")
    assert str(first.latitude) == "10.27000" and first.status_imported
    bad = data.replace(b"2025-04-11", b"2025-04-31").replace(b"MRM-CAR", b"MRM-NEW")
    response = page.post("/incidents/import/", {"file": SimpleUploadedFile("b.csv", bad)})
    assert "Nothing was written" in response.content.decode() and Incident.objects.count() == 3
    garbage = page.post(
        "/incidents/import/", {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not a workbook")}
    )
    assert garbage.status_code == 200 and 'data-testid="problem"' in garbage.content.decode()


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("kobo/incidents_xml_values_and_headers.csv", 2),
        ("odk/incidents_central.csv", 1),
    ],
)
def test_field_exports_import_as_they_come(monitor, situation, party, fixture, expected):
    out = io.StringIO()
    call_command(
        "import_incidents", str(FIXTURES / fixture), "--entity", monitor.entity.code, stdout=out
    )
    assert f"{expected} incidents imported" in out.getvalue()
    first = Incident.objects.order_by("date")[0]
    assert first.latitude is not None and first.status == "reported"
    assert first.external_id.count("-") == 4  # the submission's instance id, uuid: dropped
    details = first.details
    assert details.sources  # encrypted, and kept


def test_the_command_refuses_all_on_one_bad_row(monitor, situation, party, tmp_path, capsys):
    text = (FIXTURES / "incidents" / "template.csv").read_text().replace("AGA", "Nobody")
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(SystemExit):
        call_command("import_incidents", str(path), "--entity", monitor.entity.code)
    assert "row 2, column party" in capsys.readouterr().err
    assert not Incident.objects.exists()
    call_command("import_incidents", str(path), "--entity", monitor.entity.code, "--create-parties")
    assert str(Incident.objects.get(external_id="MRM-CAR-2025-0001").party) == "Nobody"


def test_the_xlsform_converts_with_pyxform_in_six_languages():
    from pyxform.xls2xform import convert

    result = convert(
        xlsform=io.BytesIO(xlsform.workbook_bytes()), file_type=".xlsx", validate=False
    )
    assert "ctip_incident" in result.xform
    for _code, name in xlsform.LANGUAGES:
        assert f'lang="{name}"' in result.xform
    _survey, choices, _settings = xlsform.rows()
    abduction = next(row for row in choices if row[:2] == ["violation", "abduction"])
    assert abduction[2:] == [
        "Abduction",
        "绑架",
        "الاختطاف",
        "Enlèvement",
        "Secuestro",
        "Похищение",
    ]


def test_patterns_export_and_command_read_back_with_pandas(
    actors, monitor, second_monitor, situation, party, tmp_path
):
    verified(monitor, second_monitor, situation)
    verified(monitor, second_monitor, situation, party="", girls="0", boys="3")
    analyst = signed_in_client(actors.other_by_role[Role.ANALYST])
    body = analyst.get("/incidents/patterns.csv").content
    frame = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")
    assert list(frame.columns) == ["party", "violation", "year", "verified_incidents", "victims"]
    assert frame["verified_incidents"].sum() == 4  # two incidents × two violations
    assert AuditEvent.objects.filter(action="incidents.patterns_exported").exists()
    out = tmp_path / "patterns.csv"
    call_command("export_incident_patterns", "--from", "2025-01-01", "--to", "2025-12-31", str(out))
    assert pd.read_csv(out).to_dict("records")[0] == {
        "party": "Group A",
        "violation": "abduction",
        "year": 2025,
        "verified_incidents": 1,
        "victims": 2,
    }


def test_api_lists_records_and_counts_without_secrets(
    actors, monitor, second_monitor, situation, party
):
    verified(monitor, second_monitor, situation)
    api = token_client(monitor)
    listed = api.get("/api/v1/incidents")
    assert listed.status_code == 200 and all(s not in listed.content.decode() for s in SECRETS)
    bad = api.post(
        "/api/v1/incidents",
        {**raw(situation), "girls": 0, "country": "XXX"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "country" in bad.content.decode()
    assert Incident.objects.count() == 1
    stranger = token_client(actors.other_by_role[Role.MONITOR]).get("/api/v1/incidents")
    assert stranger.json() == []
    counted = token_client(actors.other_by_role[Role.ANALYST]).get("/api/v1/incidents/patterns")
    assert counted.json()["verified_only"] and len(counted.json()["rows"]) == 2
    public = signed_in_client(actors.by_role[Role.CASEWORKER]).get("/api/v1/public/incidents")
    assert public.json()["rows"][0]["verified_incidents"]["status"] == "A"


def test_the_public_page_says_what_its_marks_mean_and_hides_small_counts(
    actors, monitor, second_monitor, situation, party
):
    verified(monitor, second_monitor, situation)  # one incident, two girls: both small
    page = signed_in_client(actors.by_role[Role.CASEWORKER]).get("/public/incidents/")
    text = page.content.decode()
    assert "“&lt;k” means fewer than k" in text  # the legend whole, not cut by a raw "<"
    assert NARRATIVE not in text and "Group A" not in text
    figures, abductions = text.split('data-testid="public-abductions"')
    assert figures.count('data-status="A"') == 3  # incidents, victims, girls: all "<5"
    assert abductions.count('data-status="A"') == 4  # the total's and the pool's two
    assert "Other or unidentified parties" in abductions  # Group A is not listed


def test_the_evidence_pack_counts_verified_and_says_how_many_are_not(
    actors, monitor, second_monitor, situation, party
):
    verified(monitor, second_monitor, situation)
    from ctip.incidents.tests.builders import record

    record(monitor, situation)  # attributed to the party, not verified
    own = signed_in_client(monitor).get(f"/incidents/parties/{party.pk}/").content.decode()
    assert "1 more incident attributed to the party is not verified" in own
    assert 'data-violation="abduction"' in own and "1 incident, 2 victims" in own
    stranger = signed_in_client(actors.other_by_role[Role.MONITOR])
    theirs = stranger.get(f"/incidents/parties/{party.pk}/").content.decode()
    assert "No verified incident attributed to the party." in theirs  # not their entity's


def test_the_import_page_refuses_a_file_beyond_its_rows_and_keeps_nothing(
    monitor, situation, party, monkeypatch
):
    from ctip.core.models import Job
    from ctip.incidents import views

    monkeypatch.setattr(views, "MAX_PAGE_ROWS", 2)
    data = (FIXTURES / "incidents" / "template.csv").read_bytes()  # three rows
    page = signed_in_client(monitor).post(
        "/incidents/import/", {"file": SimpleUploadedFile("t.csv", data)}
    )
    assert 'data-testid="problem"' in page.content.decode()
    assert not Incident.objects.exists() and not Job.objects.exists()


def test_the_correction_page_keeps_the_narrative_and_saves_the_counts(monitor, situation, party):
    from ctip.incidents.tests.builders import record

    incident = record(monitor, situation)
    page = signed_in_client(monitor)
    form = page.get(f"/incidents/{incident.pk}/edit/").content.decode()
    assert 'name="girls"' in form and 'value="2"' in form and NARRATIVE not in form
    data = {**raw(situation), "girls": "4"}
    data.pop("narrative")
    data.pop("sources")
    assert page.post(f"/incidents/{incident.pk}/edit/", data).status_code == 302
    incident.refresh_from_db()
    assert incident.girls == 4 and incident.details.narrative == NARRATIVE
