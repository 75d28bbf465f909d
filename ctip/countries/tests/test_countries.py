import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from django.urls import reverse

from ctip.caselaw.demo import DECISIONS
from ctip.caselaw.services import decisions_import
from ctip.core.codes import Role
from ctip.core.models import AuditEvent, ConflictSituation, Country
from ctip.core.testing import (
    assert_access,
    make_entity,
    make_user,
    signed_in_client,
    token_client,
)
from ctip.countries import selectors, services, untc
from ctip.countries.demo import SOURCE, load_demo_data
from ctip.countries.models import NationalResponse, TreatyStatus
from ctip.statistics.codes import Indicator
from ctip.statistics.models import PublishedRelease, ReportingRound
from ctip.tabular import read_dicts

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "untc_status_sample.csv"
D = datetime.date


@pytest.fixture(autouse=True)
def countries_reference(reference_data):
    pass


def import_sample(instrument="UNTOC-TIP", data=None, name="status.csv", **kwargs):
    rows = read_dicts(data if data is not None else SAMPLE.read_bytes(), name, 5000)
    return services.treaty_status_import(
        actor=None, instrument=instrument, rows=rows, source="test", **kwargs
    )


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_un_names_footnotes_and_marks_are_read():
    assert untc.resolve_participant("Bolivia (Plurinational State of)") == ("BOL", "")
    assert untc.resolve_participant("China 4, 5") == ("CHN", "")
    assert untc.resolve_participant("Republic of Korea") == ("KOR", "")
    assert untc.resolve_participant("Cote d’Ivoire") == ("CIV", "")
    assert untc.resolve_participant("European Union") == ("", "European Union")
    assert untc.resolve_participant("Atlantis") == ("", "")
    assert untc.parse_action("26 Sep 2003 a") == (D(2003, 9, 26), "a")
    assert untc.parse_action("6 Sep 2006 AA") == (D(2006, 9, 6), "AA")
    assert untc.parse_action(" 2003-09-26 d ") == (D(2003, 9, 26), "d")
    assert untc.parse_action("") == (None, "")
    with pytest.raises(ValueError):
        untc.parse_action("31 Feb 2003")
    assert untc.consent_kind("a") == "accession"
    assert untc.consent_kind("", "Accession") == "accession"
    assert untc.consent_kind("", "Ratification, Accession(a)") == "ratification"


def test_the_untc_table_imports_and_parties_are_counted_as_of_any_date(tmp_path):
    code, out, err = run(
        "import_treaty_status", str(SAMPLE), "--instrument", "UNTOC-TIP", "--source", "UNTC"
    )
    assert code == 0, err
    assert "12 new" in out
    eu = TreatyStatus.objects.get(organization="European Union")
    assert eu.consent_kind == "approval" and eu.country is None
    assert TreatyStatus.objects.get(country_id="MNE").consent_kind == "succession"
    assert TreatyStatus.objects.get(country_id="BOL").signature == D(2000, 12, 12)

    code, out, _err = run("treaty_parties", "UNTOC-TIP", "--as-of", "2006-09-05")
    lines = out.splitlines()
    assert lines[0] == "4"
    assert {line.split("\t")[0] for line in lines[1:]} == {"TUR", "USA", "GBR", "BOL"}
    _code, out, _err = run("treaty_parties", "UNTOC-TIP", "--as-of", "2006-09-06")
    assert out.splitlines()[0] == "5"  # the European Union's approval that day counts
    assert "-\tEuropean Union\t2006-09-06" in out
    _code, out, _err = run("treaty_parties", "UNTOC-TIP", "--as-of", "2016-01-01")
    assert out.splitlines()[0] == "12"
    _code, out, _err = run("treaty_parties", "UNTOC-TIP", "--not-parties", "--as-of", "2016-01-01")
    lines = out.splitlines()
    assert int(lines[0]) == 195 - 11  # UN Member and observer States; the EU is no State
    assert "SOM\tSomalia" in lines and "PAK\tPakistan" in lines
    assert not any(line.startswith("IRQ") for line in lines)


def test_a_denounced_instrument_no_longer_binds():
    data = (
        b"Participant,Signature,Ratification,Denunciation\n"
        b"Singapore,,25 Oct 1965,19 Apr 1979\nMalaysia,,13 Oct 1958,\n"
    )
    report = import_sample("ILO-C105", data)
    assert not report.errors
    assert {s.country_id for s in selectors.parties("ILO-C105", D(1970, 1, 1))} == {"SGP", "MYS"}
    assert {s.country_id for s in selectors.parties("ILO-C105", D(1980, 1, 1))} == {"MYS"}


def test_bad_rows_are_named_and_nothing_is_written():
    import_sample()
    before = sorted(TreatyStatus.objects.values_list("participant", "consent_date"))
    data = (
        b'Participant,Signature,"Ratification, Accession(a)"\n'
        b"Atlantis,,1 Jan 2005\n"
        b"Iraq,,31 Feb 2009 a\n"
        b"France,,1 Jan 1999\n"
        b'"=HYPERLINK(""http://x"")",,1 Jan 2005\n'
        b"Chad,,1 Jan 2005 x\n"
        b"Chad,,2 Jan 2005\n"
        b"Peru,,1 Jan 2099\n"
        b"Mali,,\n"
    )
    report = import_sample(data=data)
    found = {(e["row"], e["column"]) for e in report.errors}
    consent = "Ratification, Accession(a)"
    assert (2, "Participant") in found  # unknown State
    assert (3, consent) in found  # no 31 February
    assert (4, consent) in found  # before the Protocol was adopted
    assert (5, "Participant") in found  # an injection string is just an unknown name
    assert (6, consent) in found  # unknown mark
    assert (7, "Participant") in found  # Chad twice
    assert (8, consent) in found  # in the future
    assert (9, consent) in found  # neither signature nor consent
    assert sorted(TreatyStatus.objects.values_list("participant", "consent_date")) == before
    report = import_sample(data=b"Name,Date\nIraq,1 Jan 2005\n")
    assert report.errors[0]["column"] == "header"


def test_a_new_table_replaces_the_old_one_and_is_audited():
    import_sample()
    data = (
        b'Participant,Signature,"Ratification, Accession(a)"\n'
        b"Iraq,,9 Feb 2009 a\nAfghanistan,,16 Aug 2010 a\nChad,,1 Jan 2020 a\n"
    )
    dry = import_sample(data=data, dry_run=True)
    assert dry.dry_run and not dry.errors
    assert TreatyStatus.objects.filter(instrument="UNTOC-TIP").count() == 12
    report = import_sample(data=data)
    assert (report.created, report.changed, report.unchanged, report.removed) == (1, 1, 1, 10)
    assert TreatyStatus.objects.filter(instrument="UNTOC-TIP").count() == 3
    event = AuditEvent.objects.filter(action="countries.treaty_status_imported").latest("sequence")
    assert event.details["removed"] == 10


def test_status_exports_read_back_unchanged():
    import_sample()
    client = Client()
    for fmt in ("csv", "json"):
        body = client.get(reverse("countries:treaty_export", args=["UNTOC-TIP", fmt])).content
        report = import_sample(data=body, name=f"export.{fmt}")
        assert not report.errors, report.errors
        assert report.unchanged == 12 and report.changed == report.removed == 0


def response(country="IRQ", year="2024", **values):
    return {"country": country, "year": year, "criminalization": "full", **values}


def test_national_response_is_validated_field_by_field(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    with pytest.raises(ValidationError) as error:
        services.response_save(
            actor=officer,
            raw=response(country="XXX", year="3000", criminalization="most", action_plan="maybe"),
        )
    assert set(error.value.message_dict) == {"country", "year", "criminalization", "action_plan"}
    saved = services.response_save(
        actor=officer, raw=response(action_plan="oui", survivor_council="", referral_mechanism="no")
    )
    assert (saved.action_plan, saved.survivor_council, saved.referral_mechanism) == (
        True,
        None,
        False,
    )
    with pytest.raises(ValidationError):  # one entry per country and year
        services.response_save(actor=officer, raw=response())
    with pytest.raises(Http404):  # another entity's legal officer cannot touch it
        services.response_save(
            actor=actors.other_by_role[Role.LEGAL_OFFICER], raw=response(), response=saved
        )


def test_response_import_refuses_another_entitys_entries(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    services.response_save(actor=officer, raw=response())
    other = actors.other_by_role[Role.LEGAL_OFFICER]
    rows = [(2, response(notes="corrected")), (3, response("SYR")), (4, response("SYR"))]
    report = services.responses_import(actor=other, rows=rows)
    assert {(e["row"], e["column"]) for e in report.errors} == {(2, "country"), (4, "year")}
    assert not NationalResponse.objects.filter(country_id="SYR").exists()
    report = services.responses_import(actor=officer, rows=rows[:2])
    assert (report.created, report.changed) == (1, 1)
    assert NationalResponse.objects.get(country_id="IRQ").notes == "corrected"


def publish_convictions(year, values, threshold=5):
    """A published release with conviction totals per area, as the statistics app writes it:
    a number, or "A" (hidden, fewer than the threshold) or "D" (hidden to protect another)."""
    round_ = ReportingRound.objects.create(year=year, deadline=D(year + 1, 6, 30))
    cells = [
        {
            "area": area,
            "indicator": Indicator.CONVICTED.value,
            "sex": "_T",
            "age": "_T",
            "dimension": "Total",
            "category": "Total",
            "value": value if isinstance(value, int) else None,
            "status": value if isinstance(value, str) else "F",
        }
        for area, value in values.items()
    ]
    return PublishedRelease.objects.create(
        round=round_,
        version=1,
        published_by=make_user(make_entity(), Role.ANALYST),
        method="test",
        threshold=threshold,
        cells=cells,
        submission_ids=[],
    )


def test_cross_country_figures_are_computed(actors):
    codes = sorted(selectors.un_states())[:100]
    levels = ["full"] * 87 + ["partial"] * 9 + ["none"] * 4
    rows = [
        (n, response(c, "2020", criminalization=level))
        for n, (c, level) in enumerate(zip(codes, levels, strict=True), start=2)
    ]
    officer = actors.by_role[Role.LEGAL_OFFICER]
    assert not services.responses_import(actor=officer, rows=rows).errors
    # a later entry counts from its year on, not before
    services.response_save(actor=officer, raw=response(codes[-1], "2024"))
    publish_convictions(2024, {"IRQ": 0, "SYR": "A", "NGA": 51, "FRA": 10, "BRA": "D", "002": 3})
    figures = selectors.cross_country_figures(2024)
    shares = {s.code: (s.count, round(s.percent)) for s in figures.criminalization}
    assert shares == {"full": (88, 88), "partial": (9, 9), "none": (3, 3)}
    earlier = selectors.cross_country_figures(2023).criminalization
    assert {s.code: s.count for s in earlier} == {"full": 87, "partial": 9, "none": 4}
    # the region "002" is no country; "<5" is 10 or fewer; Brazil's hidden figure is unknown
    counts = (
        figures.convictions_reported,
        figures.convictions_known,
        figures.convictions_few,
        figures.convictions_none,
    )
    assert counts == (5, 4, 3, 1)
    page = Client().get(reverse("countries:index") + "?year=2024").content.decode()
    assert "88%" in page
    assert "Of 5 countries that published convictions for the year, 3 convicted 10" in page
    assert "75% and 25% of the 4 countries" in page
    assert "The figure of 1 country is confidential" in page
    api = Client().get("/api/v1/public/national-response?year=2024").json()
    assert api["figures"]["criminalization"]["partial"] == {"count": 9, "percent": 9.0}
    assert api["figures"]["convictions_none"] == 1


def test_the_country_profile_brings_everything_together(actors):
    import_sample()
    officer = actors.by_role[Role.LEGAL_OFFICER]
    services.response_save(
        actor=officer, raw=response(legislation="Law No. 28 of 2012 on Combating Human Trafficking")
    )
    ConflictSituation.objects.create(
        name="Conflict with ISIL (Da'esh) in Iraq", start_date=D(2014, 6, 10)
    ).countries.add(Country.objects.get(alpha3="IRQ"))
    ConflictSituation.objects.create(
        name="Armed conflict in the Central African Republic", start_date=D(2012, 12, 10)
    )
    _created, errors = decisions_import(
        actor=None, entity=actors.entity, rows=DECISIONS, publish=True
    )
    assert not errors
    publish_convictions(2024, {"IRQ": "A"})
    page = Client().get(reverse("countries:profile", args=["irq"])).content.decode()
    assert "Law No. 28 of 2012" in page
    assert 'data-instrument="UNTOC-TIP">Party' in page
    assert 'data-instrument="CRC">Not a party' in page
    assert "Conflict with ISIL" in page
    assert 'data-testid="convicted-2024"><span data-status="A" title="Fewer than 5">&lt;5' in page
    iraq_decisions = sum(1 for d in DECISIONS if d.get("country") == "IRQ")
    assert f"{iraq_decisions} published decision" in page
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("countries:profile", args=["IRQ"]))
    text = chinese.content.decode()
    assert "伊拉克" in text and "判例" in text
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get(reverse("countries:profile", args=["IRQ"]))
    assert 'dir="rtl"' in arabic.content.decode()
    assert Client().get(reverse("countries:profile", args=["XXX"])).status_code == 404
    profile = Client().get("/api/v1/public/countries/IRQ").json()
    assert profile["national_response"][0]["criminalization"] == "full"
    assert {t["instrument"]: t["party"] for t in profile["treaties"]}["UNTOC-TIP"] is True
    assert profile["statistics"][0]["convicted"] == {"value": None, "status": "A", "text": "<5"}


def test_a_hidden_figure_counts_only_when_what_is_published_decides_it(actors):
    # "<12" may be 11: not known to be 10 or fewer; a secondary cell says nothing
    publish_convictions(2024, {"IRQ": "A", "SYR": "D", "FRA": 3}, threshold=12)
    figures = selectors.cross_country_figures(2024)
    assert (figures.convictions_reported, figures.convictions_known) == (3, 1)
    assert (figures.convictions_few, figures.convictions_unknown) == (1, 2)
    api = Client().get("/api/v1/public/national-response?year=2024").json()["figures"]
    assert (api["convictions_ten_or_fewer"], api["convictions_unknown"]) == (1, 2)


def test_public_treaty_pages_and_api():
    import_sample()
    client = Client()
    page = client.get(reverse("countries:treaty", args=["UNTOC-TIP"]) + "?as_of=2006-09-05")
    assert page.status_code == 200
    assert "4 parties as of" in page.content.decode()
    listing = client.get(reverse("countries:treaties") + "?as_of=2016-01-01").content.decode()
    assert 'data-instrument="UNTOC-TIP">12<' in listing
    api = client.get("/api/v1/public/treaties/UNTOC-TIP?as_of=2006-09-06").json()
    assert api["count"] == 5 and "SOM" in api["non_parties"]
    assert client.get("/api/v1/public/treaties/UNTOC-TIP?as_of=soon").status_code == 422
    assert client.get("/api/v1/public/treaties/NOPE").status_code == 404
    assert client.get(reverse("countries:treaty", args=["NOPE"])).status_code == 404
    assert client.get(reverse("countries:treaty_export", args=["UNTOC", "xml"])).status_code == 404


def test_who_may_use_the_desk_and_the_write_api(actors):
    editors = [Role.LEGAL_OFFICER, Role.ADMINISTRATOR]
    entry = services.response_save(actor=actors.by_role[Role.LEGAL_OFFICER], raw=response())
    for name in ("countries:manage", "countries:response_new"):
        assert_access(actors, reverse(name), allowed=editors, denied=[403], other_entity_sees=True)
    assert_access(
        actors, reverse("countries:response_edit", args=[entry.pk]), allowed=editors, denied=[403]
    )
    url = "/api/v1/countries/national-response"
    body = {"rows": [response("SYR")], "dry_run": True}
    assert Client().post(url, body, content_type="application/json").status_code == 401
    for role, user in [*actors.by_role.items(), *actors.other_by_role.items()]:
        answer = token_client(user).post(url, body, content_type="application/json")
        assert answer.status_code == (200 if role in editors else 403), (role, answer.content)


def test_the_write_api_imports_with_row_errors(actors):
    client = token_client(actors.by_role[Role.LEGAL_OFFICER])
    consent = "Ratification, Accession(a)"
    rows = [
        {"Participant": "Iraq", "Signature": "", consent: "9 Feb 2009 a"},
        {"Participant": "Nowhere", "Signature": "", consent: "9 Feb 2009"},
    ]
    url = "/api/v1/countries/treaty-status/UNTOC-TIP"
    bad = client.post(url, {"source": "UNTC", "rows": rows}, content_type="application/json")
    assert bad.status_code == 422 and "Nowhere" in bad.content.decode()
    assert not TreatyStatus.objects.exists()
    good = client.post(url, {"source": "UNTC", "rows": rows[:1]}, content_type="application/json")
    assert good.status_code == 200 and good.json()["created"] == 1
    caseworker = token_client(actors.by_role[Role.CASEWORKER])
    refused = caseworker.post(
        url, {"source": "UNTC", "rows": rows[:1]}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_the_desk_page_imports_files_and_reports_bad_rows(actors):
    client = signed_in_client(actors.by_role[Role.LEGAL_OFFICER])
    latin1 = "Participant,Ratification\nIraq,9 Février 2009\n".encode("latin-1")
    page = client.post(
        reverse("countries:manage"),
        {
            "kind": "treaty",
            "treaty-instrument": "UNTOC",
            "treaty-source": "UNTC",
            "treaty-file": SimpleUploadedFile("status.csv", latin1),
        },
    )
    assert page.status_code == 400 and "not UTF-8" in page.content.decode()
    page = client.post(
        reverse("countries:manage"),
        {
            "kind": "treaty",
            "treaty-instrument": "UNTOC-TIP",
            "treaty-source": "UNTC",
            "treaty-file": SimpleUploadedFile("status.csv", SAMPLE.read_bytes()),
        },
    )
    assert page.status_code == 200 and "12 new" in page.content.decode()
    rows = b"country,year,criminalization\nIRQ,2024,full\nIRQ,20x4,full\n"
    page = client.post(
        reverse("countries:manage"),
        {"kind": "response", "response-file": SimpleUploadedFile("r.csv", rows)},
    )
    assert page.status_code == 400 and "A year from" in page.content.decode()
    assert not NationalResponse.objects.exists()


def test_demo_data_loads_and_says_it_is_synthetic():
    make_entity("CTIP")
    created = load_demo_data()
    assert created["treaty_statuses"] > 1000 and created["national_responses"] == 390
    assert set(TreatyStatus.objects.values_list("source", flat=True)) == {SOURCE}
    assert TreatyStatus.objects.filter(instrument="ASEAN-ACTIP").count() <= 10
    assert json.loads(Client().get("/api/v1/public/treaties").content)[0]["parties"] > 150


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ar", ("العراق", "التشريعات والاستجابة الوطنية", "بروتوكول الاتجار بالأشخاص")),
        ("zh-hans", ("伊拉克", "立法与国家应对", "《贩运人口议定书》")),
        ("fr", ("Iraq", "Législation et réponse nationale", "Protocole relatif à la traite")),
        ("es", ("Iraq", "Legislación y respuesta nacional", "Protocolo sobre la Trata")),
        ("ru", ("Ирак", "Законодательство и национальные меры", "Протокол о торговле людьми")),
    ],
)
def test_the_country_profile_speaks_the_six_languages(language, words):
    import_sample()
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("countries:profile", args=["IRQ"]))
    text = page.content.decode()
    for word in words:
        assert word in text, (language, word)


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/countries/national-response", {"rows": [response(year="1800")]}, "year"),
        ("/api/v1/countries/national-response", {"rows": [response(country="IRQ;")]}, "country"),
        (
            "/api/v1/countries/national-response",
            {"rows": [response(criminalization="=cmd|' /C calc'!A0")]},
            "criminalization",
        ),
        ("/api/v1/countries/national-response", {"rows": [response(notes="x" * 5001)]}, "notes"),
        ("/api/v1/countries/national-response", {"rows": "IRQ"}, "rows"),
        ("/api/v1/countries/national-response", [1, 2], "payload"),
        ("/api/v1/countries/treaty-status/UNTOC-TIP", {"source": "", "rows": []}, "source"),
        ("/api/v1/countries/treaty-status/UNTOC-TIP", {"source": "UNTC", "rows": [7]}, "rows"),
    ],
)
def test_a_hostile_body_is_a_422_naming_the_field_and_writes_nothing(actors, url, body, field):
    # given
    client = token_client(actors.by_role[Role.LEGAL_OFFICER])
    # when
    answer = client.post(url, body, content_type="application/json")
    # then
    assert answer.status_code == 422, answer.content
    assert field in answer.content.decode()
    assert not NationalResponse.objects.exists() and not TreatyStatus.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="countries.").exists()


def test_the_write_api_documents_its_bodies():
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    row = schema["NationalResponseRowIn"]["properties"]
    assert row["criminalization"]["enum"] == ["", "full", "partial", "none"]
    assert row["notes"]["maxLength"] == 5000
    assert schema["TreatyStatusImportIn"]["required"] == ["source", "rows"]
