"""A dry run reports what the real run would do: the same created / changed / removed /
unchanged counts, from the same comparison, and writes nothing (not even an audit event)."""

import dataclasses
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import signed_in_client
from ctip.countries import services
from ctip.countries.models import NationalResponse, TreatyStatus
from ctip.tabular import read_dicts

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "untc_status_sample.csv"
NEXT = (  # against the sample: Iraq unchanged, Afghanistan corrected, Chad new, 10 gone
    b'Participant,Signature,"Ratification, Accession(a)"\n'
    b"Iraq,,9 Feb 2009 a\nAfghanistan,,16 Aug 2010 a\nChad,,1 Jan 2020 a\n"
)


def counts(report):
    return {k: v for k, v in dataclasses.asdict(report).items() if k not in {"errors", "dry_run"}}


def treaty_import(data, **kwargs):
    rows = read_dicts(data, "status.csv", 5000)
    return services.treaty_status_import(
        actor=None, instrument="UNTOC-TIP", rows=rows, source="test", **kwargs
    )


def test_a_treaty_status_dry_run_counts_what_the_import_would_do(reference_data):
    # given the sample table
    treaty_import(SAMPLE.read_bytes())
    before = list(TreatyStatus.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    # when
    dry = treaty_import(NEXT, dry_run=True)
    # then: nothing written, and the counts are the real run's
    assert list(TreatyStatus.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events
    real = treaty_import(NEXT)
    assert (
        counts(dry) == counts(real) == {"created": 1, "changed": 1, "removed": 10, "unchanged": 1}
    )


def test_the_treaty_status_command_dry_run_says_so(reference_data, tmp_path):
    treaty_import(SAMPLE.read_bytes())
    file = tmp_path / "next.csv"
    file.write_bytes(NEXT)
    out = StringIO()
    call_command(
        "import_treaty_status", str(file), "--instrument", "UNTOC-TIP", "--dry-run", stdout=out
    )
    assert out.getvalue().strip() == (
        "Dry run, nothing written: UNTOC-TIP: 1 new, 1 changed, 10 removed, 1 unchanged."
    )
    assert TreatyStatus.objects.filter(instrument="UNTOC-TIP").count() == 12


def test_a_national_response_dry_run_counts_what_the_import_would_do(reference_data, actors):
    # given an entry for Iraq and one for Syria
    officer = actors.by_role[Role.LEGAL_OFFICER]
    entry = {"year": "2024", "criminalization": "full"}
    services.responses_import(
        actor=officer, rows=[(2, {"country": "IRQ", **entry}), (3, {"country": "SYR", **entry})]
    )
    touched = NationalResponse.objects.get(country_id="IRQ").updated_at
    rows = [
        (2, {"country": "IRQ", **entry}),  # as it is
        (3, {"country": "SYR", **entry, "notes": "corrected"}),
        (4, {"country": "NGA", **entry}),
    ]
    # when / then
    dry = services.responses_import(actor=officer, rows=rows, dry_run=True)
    assert NationalResponse.objects.count() == 2
    assert not NationalResponse.objects.filter(notes="corrected").exists()
    real = services.responses_import(actor=officer, rows=rows)
    assert counts(dry) == counts(real) == {"created": 1, "changed": 1, "removed": 0, "unchanged": 1}
    # an unchanged entry is left as it was, not rewritten
    assert NationalResponse.objects.get(country_id="IRQ").updated_at == touched


def test_the_page_dry_run_shows_the_same_counts(reference_data, actors):
    # given the sample table
    treaty_import(SAMPLE.read_bytes())
    client = signed_in_client(actors.by_role[Role.LEGAL_OFFICER])
    # when
    page = client.post(
        reverse("countries:manage"),
        {
            "kind": "treaty",
            "treaty-instrument": "UNTOC-TIP",
            "treaty-source": "test",
            "treaty-dry_run": "on",
            "treaty-file": SimpleUploadedFile("next.csv", NEXT),
        },
    )
    # then
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 new, 1 changed, 10 removed, 1 unchanged" in text
    assert TreatyStatus.objects.filter(instrument="UNTOC-TIP").count() == 12
