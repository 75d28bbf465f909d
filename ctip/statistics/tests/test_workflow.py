import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ctip.core.codes import Role
from ctip.core.models import Country
from ctip.core.testing import make_user
from ctip.statistics import disclosure, services
from ctip.statistics.figures import CellKey, area_rows, flows, round_figures
from ctip.statistics.importing import import_file
from ctip.statistics.models import PublishedRelease, Submission
from ctip.statistics.tests.conftest import ctip_csv

pytestmark = pytest.mark.django_db
ROW = {"year_of_identification": 2025, "country_of_detection": "IRQ"}


def load(mission, round_, rows):
    result = import_file(
        actor=mission["focal_point"],
        entity=mission["entity"],
        round_=round_,
        data=ctip_csv(rows),
        filename="f.csv",
    )
    assert result.ok, result.as_dict()
    return Submission.objects.get(
        entity=mission["entity"],
        round=round_,
        country_of_detection_id=rows[0]["country_of_detection"],
    )


def people(n, **fields):
    return [{**ROW, **fields} for _ in range(n)]


def test_figures_match_an_independent_count(mission, round_2025):
    rows = (
        people(
            7,
            sex="F",
            age_band="9--17",
            citizenship="SYR",
            armed_group_involved="1",
            forms_of_exploitation="SexualExploitation",
        )
        + people(
            5, sex="M", age_band="30--38", citizenship="IRQ", forms_of_exploitation="ForcedLabour"
        )
        + people(2, sex="F", age_band="24--26", forms_of_exploitation="ForcedLabour;Other")
    )
    submission = load(mission, round_2025, rows)
    figures = round_figures([submission])
    v = "Detected trafficking victims"
    assert figures.value("IRQ", v) == 14
    assert figures.value("IRQ", v, sex="F") == 9
    assert figures.value("IRQ", v, sex="F", age="Y0T17") == 7  # girls
    assert figures.value("IRQ", v, sex="M", age="Y_GE18") == 5  # men
    assert figures.value("IRQ", v, dimension="Citizenship", category="Foreigners") == 7
    assert figures.value("IRQ", v, dimension="Citizenship", category="Nationals") == 5
    assert figures.value("IRQ", v, dimension="Citizenship", category="Unknown") == 2
    assert figures.value("IRQ", v, dimension="Conflict", category="Conflict-related") == 7
    assert figures.value("IRQ", v, dimension="Form of exploitation", category="ForcedLabour") == 7
    [asia] = area_rows(figures, "region")
    assert (asia.code, asia.victims, asia.foreign_share) == ("142", 14, 58.3)


def test_the_workflow_from_draft_to_published(
    mission, round_2025, analyst, django_capture_on_commit_callbacks
):
    submission = load(mission, round_2025, people(12, sex="F") + people(3, sex="M"))
    focal_point = mission["focal_point"]
    # a caseworker may prepare data but only a focal point submits
    with pytest.raises(PermissionDenied):
        services.submission_submit(actor=mission["caseworker"], submission=submission)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(actor=focal_point, submission=submission)
    assert submission.status == "submitted"
    assert analyst.email in mail.outbox[-1].to
    # the analyst returns it with a comment, the focal point is told
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(actor=analyst, submission=submission, comment="Check sex totals")
    assert mail.outbox[-1].to == [focal_point.email] and "Check sex" in mail.outbox[-1].body
    assert submission.status == "returned" and submission.is_editable
    services.submission_submit(actor=focal_point, submission=submission)
    # nobody validates their own submission
    focal_analyst = make_user(mission["entity"], Role.ANALYST)
    submission.created_by = focal_analyst
    with pytest.raises(ValidationError):
        services.submission_validate(actor=focal_analyst, submission=submission)
    services.submission_validate(actor=analyst, submission=submission)
    release = services.round_publish(actor=analyst, round_=round_2025)
    submission.refresh_from_db()
    assert submission.status == "published" and not submission.is_editable
    kinds = list(submission.events.values_list("kind", flat=True))
    assert kinds == [
        "created",
        "imported",
        "submitted",
        "returned",
        "submitted",
        "validated",
        "published",
    ]
    cells = {
        (c["area"], c["sex"], c["age"], c["dimension"], c["category"]): (c["value"], c["status"])
        for c in release.cells
        if c["indicator"] == "Detected trafficking victims"
    }
    assert cells[("IRQ", "_T", "_T", "Total", "Total")] == (15, "F")
    assert cells[("IRQ", "M", "_T", "Total", "Total")] == (None, "A")  # 3 men: fewer than 5
    # 12 women are hidden so that 15 - 12 does not give the 3 men away; not "<5", not small
    assert cells[("IRQ", "F", "_T", "Total", "Total")] == (None, "D")
    assert cells[("142", "_T", "_T", "Total", "Total")] == (15, "F")  # Asia
    with pytest.raises(PermissionError):
        release.save()
    second = services.round_publish(actor=analyst, round_=round_2025)
    assert second.version == 2 and PublishedRelease.objects.count() == 2


def test_validation_errors_block_and_warnings_need_an_explanation(mission, round_2025):
    focal_point = mission["focal_point"]
    submission = services.submission_start(
        actor=focal_point, round_=round_2025, country=Country.objects.get(alpha3="NGA")
    )
    cell = {
        "actor": focal_point,
        "submission": submission,
        "age": "_T",
        "dimension": "Total",
        "category": "Total",
    }
    services.cell_set(indicator="Detected trafficking victims", sex="_T", raw="10", **cell)
    services.cell_set(indicator="Detected trafficking victims", sex="F", raw="12", **cell)
    with pytest.raises(ValidationError, match="no more than the total"):
        services.submission_submit(actor=focal_point, submission=submission)
    services.cell_set(indicator="Detected trafficking victims", sex="F", raw="8", **cell)
    services.cell_set(indicator="Persons prosecuted", sex="_T", raw="2", **cell)
    services.cell_set(indicator="Persons convicted", sex="_T", raw="4", **cell)
    with pytest.raises(ValidationError, match="Explain the warning"):
        services.submission_submit(actor=focal_point, submission=submission)
    services.warning_explain(
        actor=focal_point,
        submission=submission,
        rule="convicted_le_prosecuted",
        cell="convicted_le_prosecuted",
        comment="Convictions include cases prosecuted in 2024.",
    )
    services.submission_submit(actor=focal_point, submission=submission)
    assert submission.status == "submitted"
    with pytest.raises(ValidationError):
        services.cell_set(indicator="Persons convicted", sex="_T", raw="5", **cell)


def test_typed_values_are_checked(mission, round_2025):
    focal_point = mission["focal_point"]
    submission = services.submission_start(
        actor=focal_point, round_=round_2025, country=Country.objects.get(alpha3="NGA")
    )
    cell = {
        "actor": focal_point,
        "submission": submission,
        "indicator": "Persons prosecuted",
        "sex": "_T",
        "age": "_T",
        "dimension": "Total",
        "category": "Total",
    }
    for bad in ["-1", "1e9", "=1+1", "12345678901", "ten"]:
        with pytest.raises(ValidationError):
            services.cell_set(raw=bad, **cell)
    assert services.cell_set(raw="", **cell).value_status == "not_reported"
    assert services.cell_set(raw="0", **cell).value == 0


AREAS = {"AAA": ("S1", "R1"), "BBB": ("S1", "R1"), "CCC": ("S2", "R1")}


@hsettings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.tuples(
            st.sampled_from(list(AREAS)),
            st.sampled_from(["F", "M", "_U"]),
            st.sampled_from(["Y0T17", "Y_GE18", "_U"]),
        ),
        st.integers(min_value=0, max_value=30),
        min_size=1,
    )
)
def test_no_group_reveals_a_suppressed_cell(counts):
    # given country tables by sex × age, with every margin and area total
    cells: dict[CellKey, int] = {}
    for (country, sex, age), n in counts.items():
        for s in {sex, "_T"}:
            for a in {age, "_T"}:
                key = (country, "V", s, a, "Total", "Total")
                cells[key] = cells.get(key, 0) + n
    disclosure.add_area_totals(cells, AREAS)
    # when
    suppression = disclosure.suppress(cells, 5, AREAS)
    hidden = suppression.hidden
    # then exactly the small cells are primary, and no group has exactly one hidden cell
    assert suppression.small == {key for key, n in cells.items() if 0 < n < 5}
    assert all(cells[key] >= 5 for key in suppression.secondary)
    for group in disclosure.groups(cells, AREAS):
        assert sum(key in hidden for key in group) != 1, group


def test_flows_are_classed_and_small_pairs_left_out(mission, round_2025):
    rows = (
        people(6, citizenship="SYR")
        + people(5, citizenship="IRQ")
        + people(4, citizenship="NGA")
        + people(7, citizenship="UKR")
    )
    submission = load(mission, round_2025, rows)

    found = {(f.origin, f.destination): (f.victims, f.kind) for f in flows([submission])}
    assert found == {
        ("SYR", "IRQ"): (6, "sub-regional"),
        ("IRQ", "IRQ"): (5, "domestic"),
        ("UKR", "IRQ"): (7, "trans-regional"),
    }


def test_conviction_counts(mission, round_2025):
    from ctip.statistics.figures import RoundFigures, conviction_counts

    key = ("Persons convicted", "_T", "_T", "Total", "Total")
    figures = RoundFigures(cells={("AAA", *key): 0, ("BBB", *key): 7, ("CCC", *key): 40})
    assert conviction_counts(figures) == {"countries": 3, "none": 1, "ten_or_fewer": 2}


def test_a_release_can_carry_a_differentially_private_table(mission, round_2025, analyst):
    submission = load(mission, round_2025, people(40, sex="F"))
    services.submission_submit(actor=mission["focal_point"], submission=submission)
    services.submission_validate(actor=analyst, submission=submission)
    with pytest.raises(ValidationError):
        services.round_publish(actor=analyst, round_=round_2025, epsilon=50)
    release = services.round_publish(actor=analyst, round_=round_2025, epsilon=1.0)
    assert release.dp_epsilon == 1.0
    [cell] = release.dp_cells
    assert cell["area"] == "IRQ" and isinstance(cell["value"], int) and cell["value"] >= 0
    assert abs(cell["value"] - 40) < 40  # noise of scale 1 is tiny next to 40
    page = Client().get("/public/statistics/2025/").content.decode()
    assert "Differentially private counts" in page and "ε = 1.0" in page


def test_laplace_noise_is_unbiased_and_calibrated():
    values = disclosure.laplace_counts([1000] * 2000, epsilon=0.5)
    mean = sum(values) / len(values)
    spread = sum(abs(v - 1000) for v in values) / len(values)
    assert abs(mean - 1000) < 0.5  # unbiased
    assert 1.0 < spread < 3.0  # mean absolute deviation of discrete Laplace, scale 2, is ~2


def test_a_submitted_table_is_kept_and_dropped_when_returned(mission, round_2025, analyst):
    submission = load(mission, round_2025, people(6, sex="F"))
    services.submission_submit(actor=mission["focal_point"], submission=submission)
    assert round_figures([submission]).value("IRQ", "Detected trafficking victims") == 6
    submission.refresh_from_db()
    assert ["Detected trafficking victims", "_T", "_T", "Total", "Total", 6] in (
        submission.table_cache
    )
    # the kept table is what is read: change it behind the application and the figure follows
    Submission.objects.filter(pk=submission.pk).update(
        table_cache=[["Detected trafficking victims", "_T", "_T", "Total", "Total", 99]]
    )
    assert round_figures([submission]).value("IRQ", "Detected trafficking victims") == 99
    services.submission_return(actor=analyst, submission=submission, comment="Check")
    submission.refresh_from_db()
    assert submission.table_cache is None
    assert round_figures([submission]).value("IRQ", "Detected trafficking victims") == 6


def test_flows_and_record_counts_are_kept_on_the_submission(mission, round_2025, analyst):
    submission = load(mission, round_2025, people(7, citizenship="SYR"))
    submission.refresh_from_db()
    assert submission.record_count == 7
    services.submission_submit(actor=mission["focal_point"], submission=submission)
    submission.refresh_from_db()
    assert [(f.origin, f.destination, f.victims) for f in flows([submission])] == [
        ("SYR", "IRQ", 7)
    ]
    submission.refresh_from_db()
    assert submission.origins_cache == {"SYR": 7}
    # the kept counts are what is read
    Submission.objects.filter(pk=submission.pk).update(origins_cache={"SYR": 9})
    submission.refresh_from_db()
    assert flows([submission])[0].victims == 9
    services.submission_return(actor=analyst, submission=submission, comment="Check")
    submission.refresh_from_db()
    assert submission.origins_cache is None
    assert flows([submission])[0].victims == 7
