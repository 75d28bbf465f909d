"""The issue's promise, end to end through the commands an entity and an analyst run: a
Member State's file and a mission's file hold the same people under other spellings; both
are encoded at the source, imported, matched, confirmed, and each person is counted once."""

import csv
import io
import random
import uuid
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from ctip.core.codes import EntityKind, Role
from ctip.core.testing import make_entity, make_user, signed_in_client
from ctip.linkage import synthetic
from ctip.statistics import services
from ctip.statistics.figures import round_figures
from ctip.statistics.models import DuplicateCluster, Submission, VictimRecord

pytestmark = pytest.mark.django_db
SECRET = "shared by the round's entities, never by CTIP"
COLUMNS = [
    "record_id",
    "year_of_identification",
    "country_of_detection",
    "sex",
    "citizenship",
    "given_name",
    "family_name",
    "date_of_birth",
]
SHARED, OWN = 20, 10


def identities_file(path, people, first_id):
    """Record i's id is the number first_id + i, so a record says which person it is."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i, who in enumerate(people):
            record_id = uuid.UUID(int=first_id + i)
            row = [2025, "IRQ", who.sex, "IRQ", who.given_name, who.family_name, who.date_of_birth]
            writer.writerow([record_id, *row])
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def round_2025(reference_data):
    return services.round_open(actor=None, year=2025, deadline=date(2026, 6, 30))


def test_two_entities_files_are_matched_and_each_person_counted_once(round_2025, tmp_path):
    rng = random.Random(13)
    people = [synthetic.person(rng, 1970, 2012) for _ in range(SHARED + OWN)]
    # the mission writes the shared people down its own way, and has people of its own
    mission_people = [synthetic.variant(rng, who) for who in people[:SHARED]] + [
        synthetic.person(rng, 1970, 2012) for _ in range(OWN)
    ]
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    state, mission = make_entity("IRQ-CCHT", EntityKind.MEMBER_STATE), make_entity("UNAMI")
    analyst = make_user(make_entity("CTIP"), Role.ANALYST)
    for entity, who, first_id in ((state, people, 0), (mission, mission_people, 1000)):
        clear = identities_file(tmp_path / f"{entity.code}.csv", who, first_id)
        before = VictimRecord.objects.count()
        # a file with names in clear is refused whole, with the way out
        code, said = run("import_records", str(clear), "--entity", entity.code, "--round", "2025")
        assert code == 1 and "encode_identities" in said
        assert VictimRecord.objects.count() == before
        encoded = tmp_path / f"{entity.code}-encoded.csv"
        code, said = run(
            "encode_identities", str(clear), str(encoded), "--secret-file", str(secret)
        )
        assert code == 0, said
        text = encoded.read_text()
        assert all(w.family_name.split()[-1] not in text for w in who)
        code, said = run("import_records", str(encoded), "--entity", entity.code, "--round", "2025")
        assert code == 0, said
        focal = make_user(entity, Role.FOCAL_POINT)
        services.submission_submit(actor=focal, submission=Submission.objects.get(entity=entity))

    code, said = run("find_duplicates", "--round", "2025")
    assert code == 0
    clusters = list(DuplicateCluster.objects.prefetch_related("members__record__submission"))
    assert f"{len(clusters)} clusters" in said
    # every cluster pairs the same person (precision), and nearly all shared people are found
    for cluster in clusters:
        a, b = [m.record.record_uuid.int % 1000 for m in cluster.members.all()]
        assert a == b < SHARED
    assert len(clusters) >= SHARED - 1

    # the analyst confirms them on the round page; the figures count each person once
    client = signed_in_client(analyst)
    for cluster in clusters:
        response = client.post(
            reverse("statistics:dedup_decide", args=[cluster.pk]), {"decision": "same"}
        )
        assert response.status_code == 302
    submissions = list(Submission.objects.all())
    total = SHARED + OWN + len(mission_people)
    assert round_figures(submissions).value("IRQ", "Detected trafficking victims") == total
    assert round_figures(submissions, deduplicate=True).value(
        "IRQ", "Detected trafficking victims"
    ) == total - len(clusters)

    code, said = run("export_duplicates", "--round", "2025", str(tmp_path / "dups.csv"))
    assert code == 0
    rows = list(csv.DictReader((tmp_path / "dups.csv").open()))
    assert list(rows[0]) == ["cluster_id", "entity", "record_id", "match_probability"]
    assert len(rows) == 2 * len(clusters)
    assert {r["entity"] for r in rows} == {"IRQ-CCHT", "UNAMI"}
    assert all(0.5 <= float(r["match_probability"]) <= 1 for r in rows)
    uuids = {str(u) for u in VictimRecord.objects.values_list("record_uuid", flat=True)}
    assert {r["record_id"] for r in rows} <= uuids


def test_a_bad_date_of_birth_is_named_and_nothing_is_written(tmp_path):
    clear = tmp_path / "clear.csv"
    clear.write_text(
        "country_of_detection,given_name,family_name,date_of_birth\n"
        "IRQ,Amina,Haddad,1990-01-02\nIRQ,Joy,Mensah,last spring\n"
    )
    (tmp_path / "secret.txt").write_text(SECRET)
    out = tmp_path / "out.csv"
    code, said = run(
        "encode_identities", str(clear), str(out), "--secret-file", str(tmp_path / "secret.txt")
    )
    assert code == 1 and "row 3, column date_of_birth" in said
    assert not out.exists()


def test_a_short_secret_is_refused(tmp_path):
    clear = tmp_path / "clear.csv"
    clear.write_text("given_name\nAmina\n")
    (tmp_path / "secret.txt").write_text("short\n")
    with pytest.raises(Exception, match="at least 16"):
        call_command(
            "encode_identities",
            str(clear),
            str(tmp_path / "o.csv"),
            "--secret-file",
            str(tmp_path / "secret.txt"),
        )
