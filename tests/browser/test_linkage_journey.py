"""The encoding page gives the same file as `ctip encode_identities`, byte for byte, sends
nothing, and works from a downloaded copy with no network. Then the journey of issue 13: a
mission's focal point encodes a file in the page and imports it, a Member State's file of the
same people under other spellings is there too, and the analyst confirms a cluster."""

import csv
import io
import random
from datetime import date
from pathlib import Path

import pytest

from ctip.core.codes import EntityKind, Role
from ctip.core.reference import load_reference_data
from ctip.core.testing import make_entity, make_user
from ctip.linkage import synthetic
from ctip.linkage.files import encode_table
from ctip.linkage.keys import Identity
from ctip.statistics import services
from ctip.statistics.figures import round_figures
from ctip.statistics.importing import import_file
from ctip.statistics.models import DuplicateCluster, Submission
from tests.browser.helpers import HOME, set_up_two_factor, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).parents[1] / "fixtures" / "linkage"
SECRET = "the round's secret, passed out of band"
ENCODER = "/public/linkage/encoder/"
CLEAR_COLUMNS = [
    "year_of_identification",
    "country_of_detection",
    "citizenship",
    "sex",
    "given_name",
    "family_name",
    "date_of_birth",
]


def encode_in_page(page, path: Path, tmp_path: Path, secret: str = SECRET) -> str:
    """Choose the file, type the secret, encode, download: the downloaded file's text."""
    page.set_input_files("#encoder-file", str(path))
    page.fill("#encoder-secret", secret)
    page.click("#encoder-run")
    page.wait_for_selector("[data-testid=encoder-download]:not([hidden])")
    with page.expect_download() as info:
        page.click("[data-testid=encoder-download]")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_text(encoding="utf-8")


def command_output(path: Path, secret: str = SECRET):
    return encode_table(path.read_bytes(), path.name, secret)


@pytest.mark.parametrize(
    "name", ["identities.csv", "identities_semicolon.csv"], ids=["scripts", "semicolons"]
)
def test_the_page_encodes_as_the_command_does_and_sends_nothing(page, tmp_path, name):
    page.goto(ENCODER, wait_until="networkidle")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    text = encode_in_page(page, FIXTURES / name, tmp_path)
    expected = command_output(FIXTURES / name)
    assert text == expected.text
    assert "given_name" not in text.splitlines()[0] and "Murad" not in text
    status = page.get_by_test_id("encoder-status").inner_text()
    assert f"Encoded {expected.rows} rows" in status
    # the file and the secret stayed in the browser: the only URL opened is the download's
    assert all(url.startswith("blob:") for url in requests), requests


def test_rows_that_cannot_be_encoded_are_named_and_nothing_is_offered(page, tmp_path):
    page.goto(ENCODER)
    page.set_input_files("#encoder-file", str(FIXTURES / "identities_bad_dates.csv"))
    page.fill("#encoder-secret", SECRET)
    page.click("#encoder-run")
    status = page.get_by_test_id("encoder-status")
    status.filter(has_text="Nothing was written").wait_for()
    expected = command_output(FIXTURES / "identities_bad_dates.csv")
    shown = page.locator("[data-testid=encoder-problems] li").all_inner_texts()
    assert shown == [str(problem) for problem in expected.problems]
    assert "row 2, column date_of_birth" in shown[0]
    assert page.locator("[data-testid=encoder-download]").is_hidden()
    # a short secret is refused before anything is read
    page.fill("#encoder-secret", "short")
    page.click("#encoder-run")
    assert "at least 16 characters" in status.inner_text()


def test_the_downloaded_page_works_from_disk_with_no_network(page, browser, tmp_path):
    page.goto(ENCODER)
    answer = page.request.get("/public/linkage/encoder/offline.html")
    assert "attachment" in answer.headers["content-disposition"]
    saved = tmp_path / "ctip-encoder.html"
    saved.write_bytes(answer.body())
    context = browser.new_context(accept_downloads=True)
    context.set_offline(True)
    offline = context.new_page()
    offline.goto(saved.as_uri())
    text = encode_in_page(offline, FIXTURES / "identities.csv", tmp_path)
    assert text == command_output(FIXTURES / "identities.csv").text
    context.close()


def clear_file(path: Path, people, country: str) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CLEAR_COLUMNS)
    for who in people:
        identity = [who.given_name, who.family_name, who.date_of_birth]
        writer.writerow([2025, country, "ERI", who.sex, *identity])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_an_entity_encodes_in_the_page_imports_and_the_analyst_confirms(page, tmp_path):
    # given a round, a Member State's encoded file already submitted, and a mission whose
    # focal point holds the same three women under other spellings, and one of its own
    load_reference_data()
    round_ = services.round_open(actor=None, year=2025, deadline=date(2026, 6, 30))
    rng = random.Random(63)
    women = [synthetic.person(rng, 1980, 2005, sex="F") for _ in range(3)]
    state = make_entity("LBY-ANTI", EntityKind.MEMBER_STATE)
    state_file = clear_file(tmp_path / "state.csv", women, "LBY")
    encoded = encode_table(state_file.read_bytes(), "state.csv", SECRET)
    assert import_file(
        actor=None, entity=state, round_=round_, data=encoded.text.encode(), filename="s.csv"
    ).ok
    services.submission_submit(
        actor=make_user(state, Role.FOCAL_POINT), submission=Submission.objects.get(entity=state)
    )
    mission = make_entity("UNSMIL")
    focal = make_user(mission, Role.FOCAL_POINT, email="focal@unsmil.test")
    analyst = make_user(make_entity("CTIP"), Role.ANALYST, email="analyst@ctip.test")
    variants = [
        Identity(women[0].family_name, women[0].given_name, women[0].date_of_birth, "F"),
        synthetic.variant(rng, women[1], 1),
        synthetic.variant(rng, women[2], 1),
        synthetic.person(rng, 1980, 2005, sex="F"),
    ]
    mission_file = clear_file(tmp_path / "mission.csv", variants, "LBY")

    # when the focal point's file with names in clear goes to the import page, it is refused
    sign_in(page, focal.email)
    page.wait_for_url(HOME)
    page.goto("/statistics/rounds/2025/import/")
    page.set_input_files("input[name=file]", str(mission_file))
    page.click("main button[type=submit]")
    assert "identities in clear" in page.locator("main").inner_text()
    assert not Submission.objects.filter(entity=mission).exists()
    # so the focal point encodes it in the page, and imports the encoded file
    page.goto(ENCODER)
    text = encode_in_page(page, mission_file, tmp_path)
    assert "linkage_key" in text.splitlines()[0]
    page.goto("/statistics/rounds/2025/import/")
    page.set_input_files("input[name=file]", str(tmp_path / "mission-encoded.csv"))
    page.click("main button[type=submit]")
    page.get_by_test_id("import-now").click()  # checked, then imported without a new upload
    page.wait_for_selector("[data-testid=import-outcome]:has-text('Imported')")
    assert "Imported 4 rows" in page.get_by_test_id("import-outcome").inner_text()
    page.goto("/statistics/rounds/2025/")
    page.click("td a:has-text('Libya')")
    page.click("button:has-text('Submit for validation')")
    sign_out(page)

    # then the analyst searches for duplicates, sees the comparison and confirms a cluster
    sign_in(page, analyst.email)
    set_up_two_factor(page)
    page.goto("/statistics/rounds/2025/")
    page.click("button:has-text('Search for duplicates')")
    page.wait_for_selector("[data-cluster-status=proposed]")
    assert page.locator("[data-cluster-status=proposed]").count() == 3
    first = page.locator(
        "article.cluster", has=page.locator("[data-cluster-status=proposed]")
    ).first
    assert "linkage keys" in first.inner_text()
    assert first.locator("li[data-agrees=yes]", has_text="sex").count() == 1
    first.locator("button:has-text('Same person')").click()
    page.wait_for_selector("[data-cluster-status=confirmed]")
    assert DuplicateCluster.objects.filter(status="confirmed").count() == 1
    submissions = list(Submission.objects.filter(round=round_))
    figures = round_figures(submissions, deduplicate=True)
    assert figures.value("LBY", "Detected trafficking victims") == 3 + 4 - 1
