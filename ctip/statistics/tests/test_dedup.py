import pytest

from ctip.core.codes import Role
from ctip.core.testing import make_entity, make_user, signed_in_client
from ctip.linkage.keys import Identity, encode
from ctip.statistics import duplicates, services
from ctip.statistics.figures import round_figures
from ctip.statistics.importing import import_file
from ctip.statistics.models import DuplicateCluster, Submission, VictimRecord
from ctip.statistics.tests.conftest import ctip_csv

pytestmark = pytest.mark.django_db
ROW = {
    "year_of_identification": 2025,
    "country_of_detection": "LBY",
    "citizenship": "NGA",
    "sex": "F",
    "age_band": "18--20",
}


SECRET = "a secret the round's entities share"


def key(person: str) -> str:
    """A linkage key for "Given Family|date of birth"."""
    names, _, born = person.partition("|")
    given, _, family = names.partition(" ")
    return encode(Identity(given, family, born, "F"), SECRET)


def report(entity, round_, n, person_names):
    focal = make_user(entity, Role.FOCAL_POINT)
    keys = [key(name) for name in person_names] + [""] * (n - len(person_names))
    rows = [{**ROW, "linkage_key": k} for k in keys[:n]]
    assert import_file(
        actor=focal, entity=entity, round_=round_, data=ctip_csv(rows), filename="f.csv"
    ).ok
    submission = Submission.objects.get(entity=entity)
    services.submission_submit(actor=focal, submission=submission)
    return submission


def test_the_same_woman_reported_by_two_entities_is_counted_once(round_2025, analyst):
    # given UNHCR and IOM both report Aisha and Grace; IOM also reports Ruth
    unhcr, iom = make_entity("UNHCR", "un_agency"), make_entity("IOM", "un_agency")
    first = report(unhcr, round_2025, 2, ["Aisha Saleh|2005-01-01", "Grace Okafor|2004-05-05"])
    second = report(
        iom, round_2025, 3, ["AICHA SALEH|2005-01-01", "Okafor Grace|2004-05-05", "Ruth Abdi|2001"]
    )
    # when the analyst searches for duplicates
    assert duplicates.dedup_run(actor=analyst, round_=round_2025) == 2
    clusters = list(DuplicateCluster.objects.all())
    assert all(c.members.count() == 2 and c.match_probability > 0.9 for c in clusters)
    # the analyst sees what was compared: the keys' similarity and the quasi-identifiers
    page = signed_in_client(analyst).get(f"/statistics/rounds/{round_2025.year}/")
    html = page.content.decode()
    assert "linkage keys: 1.00" in html or "linkage keys: 0.9" in html
    assert html.count('data-agrees="yes"') == 4 * len(clusters)
    submissions = [first, second]
    assert (
        round_figures(submissions, deduplicate=True).value("LBY", "Detected trafficking victims")
        == 5
    )
    # then confirmed clusters count once, rejected ones twice, raw totals stay as reported
    duplicates.dedup_decide(actor=analyst, cluster=clusters[0], same_person=True)
    duplicates.dedup_decide(actor=analyst, cluster=clusters[1], same_person=False)
    deduplicated = round_figures(submissions, deduplicate=True)
    assert deduplicated.value("LBY", "Detected trafficking victims") == 4
    assert deduplicated.value("LBY", "Detected trafficking victims", sex="F") == 4
    assert round_figures(submissions).value("LBY", "Detected trafficking victims") == 5
    # and a new search keeps the decisions
    assert duplicates.dedup_run(actor=analyst, round_=round_2025) == 0
    assert DuplicateCluster.objects.count() == 2


def test_repeats_within_one_entity_are_not_cross_entity_duplicates(round_2025, analyst):
    report(
        make_entity("UNHCR", "un_agency"), round_2025, 2, ["Same Person|2001", "Same Person|2001"]
    )
    assert duplicates.dedup_run(actor=analyst, round_=round_2025) == 0


PEOPLE = [
    "Amina Haddad|1990-01-02",
    "Joy Mensah|1985-07-21",
    "Hawa Diallo|2001-11-30",
    "Esther Bekele|1979-03-14",
    "Mariam Qasim|1995-09-09",
    "Layla Nasser|1999-12-01",
]


def test_published_figures_are_deduplicated(round_2025, analyst):
    first = report(make_entity("UNHCR", "un_agency"), round_2025, 6, PEOPLE)
    second = report(make_entity("IOM", "un_agency"), round_2025, 6, PEOPLE)
    duplicates.dedup_run(actor=analyst, round_=round_2025)
    for cluster in DuplicateCluster.objects.all():
        duplicates.dedup_decide(actor=analyst, cluster=cluster, same_person=True)
    for submission in (first, second):
        services.submission_validate(actor=analyst, submission=submission)
    release = services.round_publish(actor=analyst, round_=round_2025)
    total = next(
        c
        for c in release.cells
        if c["area"] == "LBY"
        and c["sex"] == "_T"
        and c["age"] == "_T"
        and c["dimension"] == "Total"
        and c["indicator"] == "Detected trafficking victims"
    )
    assert (total["value"], total["status"]) == (6, "F")
    assert VictimRecord.objects.count() == 12  # nothing deleted: the raw data stays


def test_only_analysts_run_and_decide(actors, round_2025):
    url = f"/statistics/rounds/{round_2025.year}/dedup/"
    for role in (Role.FOCAL_POINT, Role.CASEWORKER, Role.ADMINISTRATOR):
        assert signed_in_client(actors.by_role[role]).post(url).status_code == 403
    assert signed_in_client(actors.by_role[Role.ANALYST]).post(url).status_code == 302
