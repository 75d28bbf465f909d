"""Permission matrix and behaviour of every statistics page and endpoint."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ctip.core.audit import data_version
from ctip.core.codes import Role
from ctip.core.testing import assert_access, signed_in_client, token_client
from ctip.statistics import expectations, services
from ctip.statistics.importing import import_file
from ctip.statistics.models import ReportingRound, Submission
from ctip.statistics.tests.conftest import ctip_csv

pytestmark = pytest.mark.django_db
REPORTERS = [Role.FOCAL_POINT, Role.CASEWORKER, Role.ANALYST, Role.ADMINISTRATOR]
ROW = {"year_of_identification": 2025, "country_of_detection": "IRQ", "sex": "F"}


@pytest.fixture
def submission(actors, round_2025):
    result = import_file(
        actor=actors.by_role[Role.FOCAL_POINT],
        entity=actors.entity,
        round_=round_2025,
        data=ctip_csv([ROW] * 8),
        filename="f.csv",
    )
    assert result.ok
    return Submission.objects.get()


def test_round_pages(actors, round_2025):
    assert_access(
        actors,
        reverse("statistics:rounds"),
        allowed=REPORTERS,
        denied=[403],
        other_entity_sees=True,
    )
    assert_access(
        actors,
        reverse("statistics:round", args=[2025]),
        allowed=REPORTERS,
        denied=[403],
        other_entity_sees=True,
    )
    assert_access(
        actors,
        reverse("statistics:template", args=[2025]),
        allowed=REPORTERS,
        denied=[403],
        other_entity_sees=True,
    )


def test_import_page_is_for_the_entity_that_reports(actors, round_2025):
    assert_access(
        actors,
        reverse("statistics:import", args=[2025]),
        allowed=[Role.FOCAL_POINT, Role.CASEWORKER],
        denied=[403],
        other_entity_sees=True,
    )


def test_a_submission_is_seen_by_its_entity_and_the_analysts_only(actors, submission):
    url = reverse("statistics:submission", args=[submission.pk])
    assert_access(
        actors,
        url,
        allowed=REPORTERS,
        denied=[403, 404],
        cross_entity=[Role.ANALYST, Role.ADMINISTRATOR],
    )
    focal_elsewhere = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert focal_elsewhere.get(url).status_code == 404


def test_another_entity_cannot_submit_or_edit(actors, submission):
    other = signed_in_client(actors.other_by_role[Role.FOCAL_POINT])
    assert other.post(reverse("statistics:submit", args=[submission.pk])).status_code == 404
    response = other.post(
        reverse("statistics:grid", args=[submission.pk]),
        {"cell|Persons prosecuted|_T|_T|Total": "5"},
    )
    assert response.status_code == 404
    assert not submission.aggregates.exists()


def test_focal_point_submits_and_analyst_validates_through_the_pages(actors, submission):
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    focal.post(reverse("statistics:submit", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "submitted"
    caseworker = signed_in_client(actors.by_role[Role.CASEWORKER])
    caseworker.post(reverse("statistics:review", args=[submission.pk, "validate"]))
    submission.refresh_from_db()
    assert submission.status == "submitted"  # a caseworker cannot validate
    analyst = signed_in_client(actors.other_by_role[Role.ANALYST])
    analyst.post(reverse("statistics:review", args=[submission.pk, "validate"]))
    submission.refresh_from_db()
    assert submission.status == "validated"
    page = analyst.get(reverse("statistics:round", args=[2025])).content.decode()
    assert "Western Asia" in page


def test_import_page_shows_row_errors_and_writes_nothing(actors, round_2025):
    client = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.csv", ctip_csv([ROW, {**ROW, "sex": "X"}]))
    response = client.post(reverse("statistics:import", args=[2025]), {"file": bad}, follow=True)
    page = response.content.decode()
    assert "1 errors in 1 of 2 rows" in page and "<td>3</td>" in page
    assert 'data-testid="import-now"' not in page
    assert not Submission.objects.exists()
    good = SimpleUploadedFile("good.csv", ctip_csv([ROW, ROW]))
    response = client.post(reverse("statistics:import", args=[2025]), {"file": good}, follow=True)
    assert "Dry run: all 2 rows are valid" in response.content.decode()
    assert not Submission.objects.exists()  # checked, not written
    response = client.post(
        reverse("statistics:import_confirm", args=[response.context["job"].pk]), follow=True
    )
    assert "Imported 2 rows" in response.content.decode()


def test_publish_and_internal_export_are_for_analysts(actors, submission):
    url = reverse("statistics:export", args=[2025, "csv"])
    assert_access(
        actors,
        url,
        allowed=[Role.ANALYST, Role.ADMINISTRATOR],
        denied=[403],
        other_entity_sees=True,
    )
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    assert focal.post(reverse("statistics:publish", args=[2025])).status_code == 403


def test_the_public_sees_only_published_disclosure_controlled_figures(actors, submission):
    assert Client().get(reverse("statistics:public_release", args=[2025])).status_code == 404
    focal, analyst = actors.by_role[Role.FOCAL_POINT], actors.other_by_role[Role.ANALYST]
    services.submission_submit(actor=focal, submission=submission)
    services.submission_validate(actor=analyst, submission=submission)
    services.round_publish(actor=analyst, round_=submission.round)
    page = Client().get(reverse("statistics:public_release", args=[2025])).content.decode()
    assert "&lt;5" in page or "<5" in page
    assert "Iraq" in page
    api = Client().get("/api/v1/public/statistics/2025").json()
    iraq_total = next(
        c
        for c in api["cells"]
        if c["area"] == "IRQ"
        and c["sex"] == "_T"
        and c["age"] == "_T"
        and c["dimension"] == "Total"
    )
    assert (iraq_total["value"], iraq_total["status"], iraq_total["text"]) == (8, "F", "8")
    assert Client().get(reverse("statistics:public_export", args=[2025, "csv"])).status_code == 200


def test_api_submissions_are_scoped(actors, submission):
    assert_access(
        actors,
        "/api/v1/statistics/submissions",
        allowed=REPORTERS,
        denied=[403],
        other_entity_sees=True,
        api=True,
    )
    other = token_client(actors.other_by_role[Role.FOCAL_POINT])
    assert other.get("/api/v1/statistics/submissions").json() == []
    assert other.get(f"/api/v1/statistics/submissions/{submission.pk}").status_code == 404
    own = (
        token_client(actors.by_role[Role.CASEWORKER])
        .get(f"/api/v1/statistics/submissions/{submission.pk}")
        .json()
    )
    assert {
        "indicator": "Detected trafficking victims",
        "sex": "F",
        "age": "_T",
        "dimension": "Total",
        "category": "Total",
        "value": 8,
    } in own["table"]


def test_api_import_with_dry_run(actors, round_2025):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = token_client(actors.by_role[Role.FOCAL_POINT])
    response = client.post(
        "/api/v1/statistics/rounds/2025/import",
        {"file": SimpleUploadedFile("r.csv", ctip_csv([ROW])), "dry_run": "true"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["ok"] and response.json()["dry_run"]
    assert not Submission.objects.exists()
    analyst = token_client(actors.by_role[Role.ANALYST])
    response = analyst.post(
        "/api/v1/statistics/rounds/2025/import",
        {"file": SimpleUploadedFile("r.csv", ctip_csv([ROW]))},
    )
    assert response.status_code == 403


def test_analysts_see_years_side_by_side_and_figures_link_to_submissions(actors, submission):
    focal = actors.by_role[Role.FOCAL_POINT]
    services.submission_submit(actor=focal, submission=submission)
    analyst = signed_in_client(actors.by_role[Role.ANALYST])
    rounds = analyst.get(reverse("statistics:rounds")).content.decode()
    assert "Across years" in rounds and "<td>2025</td><td>1</td><td>1</td><td>8</td>" in rounds
    page = analyst.get(reverse("statistics:round", args=[2025]) + "?country=IRQ").content.decode()
    assert 'href="?country=IRQ"' in page and submission.entity.code in page
    other = analyst.get(reverse("statistics:round", args=[2025]) + "?country=NGA").content.decode()
    assert "No submission yet." in other
    assert (
        "Across years"
        not in signed_in_client(focal).get(reverse("statistics:rounds")).content.decode()
    )


def test_the_grid_covers_every_dimension_and_refuses_bad_cells_whole(actors, submission):
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    url = reverse("statistics:grid", args=[submission.pk])
    page = reverse("statistics:submission", args=[submission.pk])
    answer = focal.post(
        url,
        {
            "dimension": "Form of exploitation",
            "cell|Persons prosecuted|_T|_T|ForcedLabour": "4",
            "cell|Persons prosecuted|F|_T|ForcedLabour": "n/a",
        },
    )
    assert answer.status_code == 302 and "dimension=Form+of+exploitation" in answer["Location"]
    cells = {
        (c.category, c.sex): (c.value, c.value_status)
        for c in submission.aggregates.filter(dimension="Form of exploitation")
    }
    assert cells == {
        ("ForcedLabour", "_T"): (4, "reported"),
        ("ForcedLabour", "F"): (None, "not_applicable"),
    }
    shown = focal.get(page + "?dimension=Form+of+exploitation").content.decode()
    assert 'name="cell|Persons prosecuted|_T|_T|ForcedLabour" value="4"' in shown

    # citizenship: nationals, foreigners and any country added by its ISO code
    shown = focal.get(page + "?dimension=Citizenship&add=syr").content.decode()
    assert 'name="cell|Persons convicted|_T|_T|SYR"' in shown
    focal.post(url, {"dimension": "Citizenship", "cell|Persons convicted|_T|_T|SYR": "2"})
    assert submission.aggregates.get(dimension="Citizenship", category="SYR").value == 2
    assert "XYZ" in focal.get(page + "?dimension=Citizenship&add=XYZ").content.decode()
    # or by its name, in any UN language
    shown = focal.get(page + "?dimension=Citizenship&add=Libye").content.decode()
    assert 'name="cell|Persons convicted|_T|_T|LBY"' in shown

    # one bad cell: nothing of the post is written
    before = submission.aggregates.count()
    answer = focal.post(
        url,
        {
            "dimension": "Citizenship",
            "cell|Persons convicted|_T|_T|IRQ": "3",
            "cell|Persons convicted|_T|_T|Atlantis": "1",
        },
        follow=True,
    )
    assert "is not a category of Citizenship" in answer.content.decode()
    assert submission.aggregates.count() == before
    with pytest.raises(Exception, match="category"):
        services.cell_set(
            actor=actors.by_role[Role.FOCAL_POINT],
            submission=submission,
            indicator="Persons convicted",
            sex="_T",
            age="_T",
            dimension="Conflict",
            category="Total",
            raw="1",
        )


def test_coverage_compares_expected_with_received(actors, submission, round_2025):
    from datetime import date

    from ctip.core.codes import EntityKind
    from ctip.core.models import Country
    from ctip.core.testing import make_entity
    from ctip.statistics.models import ReportingRound

    analyst = actors.by_role[Role.ANALYST]
    round_2025.deadline = date(2099, 1, 1)
    round_2025.save()
    state = make_entity("MOJ-SYR", kind=EntityKind.MEMBER_STATE)
    state.country = Country.objects.get(alpha3="SYR")
    state.save()
    previous = ReportingRound.objects.create(year=2024, deadline=date(2025, 6, 30))
    Submission.objects.create(
        round=previous, entity=actors.other_entity, country_of_detection_id="LBY"
    )
    added = expectations.expected_propose(actor=analyst, round_=round_2025)
    assert added == 2  # last round's reporter, and the Member State for its own country
    expectations.expected_add(
        actor=analyst,
        round_=round_2025,
        entity=actors.entity,
        country=submission.country_of_detection,
    )
    services.submission_submit(actor=actors.by_role[Role.FOCAL_POINT], submission=submission)
    found = selectors_coverage(round_2025, analyst)
    states = {(r.entity, r.country): r.state for r in found.rows}
    assert states == {
        (actors.entity.code, submission.country_of_detection_id): "on_time",
        (actors.other_entity.code, "LBY"): "missing",
        ("MOJ-SYR", "SYR"): "missing",
    }
    assert (found.expected, found.received, found.on_time, found.missing) == (3, 1, 1, 2)

    url = reverse("statistics:round", args=[2025])
    page = signed_in_client(analyst).get(url).content.decode()
    assert "1 of 3 expected submissions received (1 on time); 2 missing" in page
    api = token_client(analyst).get("/api/v1/statistics/rounds/2025/coverage").json()
    assert api["missing"] == 2
    assert (
        token_client(actors.by_role[Role.FOCAL_POINT])
        .get("/api/v1/statistics/rounds/2025/coverage")
        .status_code
        == 403
    )

    expect = reverse("statistics:expected", args=[2025])
    assert_access(
        actors,
        expect,
        method="post",
        data={"action": "add", "entity": state.code, "country": "SYR"},
        allowed=[Role.ANALYST, Role.ADMINISTRATOR],
        ok=302,
        denied=[403],
        other_entity_sees=True,
    )
    missing_row = round_2025.expected.get(entity=state)
    signed_in_client(analyst).post(expect, {"action": "remove", "expected": missing_row.pk})
    assert not round_2025.expected.filter(entity=state).exists()


def selectors_coverage(round_, user):
    from ctip.statistics.selectors import coverage

    return coverage(user=user, round_=round_)


def test_the_round_figures_are_kept_until_the_next_audited_change(actors, submission):
    analyst = signed_in_client(actors.by_role[Role.ANALYST])
    url = reverse("statistics:round", args=[2025])

    def iraq_row() -> str:
        page = analyst.get(url).content.decode()
        start = page.find("?country=IRQ")
        return page[start : start + 300] if start >= 0 else ""

    services.submission_submit(actor=actors.by_role[Role.FOCAL_POINT], submission=submission)
    before = iraq_row()
    assert "<td>8</td>" in before
    # when more records of the same submission are counted (a write with its audit event)
    submission.refresh_from_db()
    services.submission_return(
        actor=actors.by_role[Role.ANALYST], submission=submission, comment="x"
    )
    # then the next reading counts again: a returned submission is not counted
    assert "<td>8</td>" not in iraq_row()


# --- the analysts' round page: what is the same for every analyst is rendered once ----------


def _clusters_and_expectations(actors, submission, clusters=4):
    """Clusters of the submission's records and expected submissions: rows the page would
    otherwise read and render for every reader."""
    from ctip.core.models import Country
    from ctip.statistics.models import DuplicateCluster

    analyst = actors.by_role[Role.ANALYST]
    records = list(submission.records.all())
    for n in range(clusters):
        cluster = DuplicateCluster.objects.create(round=submission.round, match_probability=0.9)
        cluster.members.create(record=records[2 * n])
        cluster.members.create(record=records[2 * n + 1])
    for code in ("SYR", "LBY", "NGA"):
        expectations.expected_add(
            actor=analyst,
            round_=submission.round,
            entity=actors.other_entity,
            country=Country.objects.get(alpha3=code),
        )


def _expect_form_token(page: str) -> str:
    """The CSRF token of the form that expects a submission (in the analysts' part)."""
    import re

    form = re.search(
        r'action="/statistics/rounds/2025/expected/" class="inline"><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
    )
    assert form is not None
    return form.group(1)


def test_the_round_page_reads_the_same_few_queries_however_much_it_shows(
    actors, submission, django_assert_max_num_queries
):
    # given a round with clusters of duplicates and expected submissions
    _clusters_and_expectations(actors, submission)
    client = signed_in_client(actors.by_role[Role.ANALYST])
    url = reverse("statistics:round", args=[2025])
    client.get(url)  # the first reading renders what every analyst sees, and keeps it
    # when the page is read again, then neither clusters nor coverage rows are read one by
    # one: the session, the user and the device, the round, the list's count and page, the
    # data version and the clusters' count, the unread notifications
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert 'data-testid="coverage-summary"' in page and "data-cluster=" in page


def test_what_every_analyst_sees_is_rendered_once_with_each_readers_own_csrf_token(
    actors, submission
):
    # given two readers who see every entity, each with their own CSRF secret
    _clusters_and_expectations(actors, submission)
    readers = [
        signed_in_client(actors.by_role[role], enforce_csrf_checks=True)
        for role in (Role.ANALYST, Role.ADMINISTRATOR)
    ]
    url = reverse("statistics:round", args=[2025])
    # when both read the round page
    first, second = (reader.get(url) for reader in readers)
    # then the coverage, clusters and forms (a country list of every country) were rendered
    # for the first reader and kept for the second
    assert "statistics/_round_desk.html" in {t.name for t in first.templates}
    assert "statistics/_round_desk.html" not in {t.name for t in second.templates}
    assert "core/widgets/country_input.html" not in {t.name for t in second.templates}
    # and the same content reached both, each form carrying its reader's token
    pages = [response.content.decode() for response in (first, second)]
    # three expected submissions and the one that came unexpected
    assert pages[0].count('data-coverage="') == pages[1].count('data-coverage="') == 4
    assert pages[0].count("data-cluster=") == pages[1].count("data-cluster=") == 4
    round_ = ReportingRound.objects.get(year=2025)
    placeholder, _html = cache.get(f"round-desk:{round_.pk}:{data_version()}:en:1")
    assert placeholder not in pages[0] + pages[1]
    expect = reverse("statistics:expected", args=[2025])
    data = {"action": "add", "entity": actors.entity.code, "country": "TCD"}
    # the first reader's token is refused to the second; the second's own is taken
    refused = readers[1].post(expect, {**data, "csrfmiddlewaretoken": _expect_form_token(pages[0])})
    assert refused.status_code == 403
    answer = readers[1].post(expect, {**data, "csrfmiddlewaretoken": _expect_form_token(pages[1])})
    assert answer.status_code == 302
    # and the next reading shows it (the audited change moved the key)
    page = readers[0].get(url).content.decode()
    assert page.count('data-coverage="') == 5


def test_a_focal_point_gets_no_analysts_part_and_a_start_form_rendered_once(actors, submission):
    # given an analyst who has read the page, keeping its analysts' part
    _clusters_and_expectations(actors, submission)
    url = reverse("statistics:round", args=[2025])
    signed_in_client(actors.by_role[Role.ANALYST]).get(url)
    focal = signed_in_client(actors.by_role[Role.FOCAL_POINT])
    # when a focal point reads the page twice
    focal.get(url)
    second = focal.get(url)
    page = second.content.decode()
    # then it shows none of the analysts' part, and the form to start a table, its list of
    # every country rendered once for the language and kept
    assert 'id="coverage"' not in page and "data-cluster=" not in page
    assert 'name="country"' in page and 'id="id_country-countries"' in page
    assert "core/widgets/country_input.html" not in {t.name for t in second.templates}
