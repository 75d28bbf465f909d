"""The register of units (issue 18): one unit however it is typed, on allegations and
certifications alike; an unknown unit is registered, never refused; merges move everything,
audited; another entity's officer finds nothing."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from ctip.conduct import figures, selectors, services
from ctip.conduct.models import Allegation, Unit, UnitCertification, unit_key
from ctip.conduct.tests.builders import RAW, record
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import found_in_list, signed_in_client, token_client

pytestmark = pytest.mark.django_db
SPELLINGS = ("BANBAT-2", "Banbat 2", "BANBAT 2 ")


def certify(officer, unit: str, **changes: str) -> UnitCertification:
    return services.certification_save(
        actor=officer,
        raw={
            "country": "PAK",
            "unit": unit,
            "deployed_on": "2025-10-01",
            "personnel": "500",
            "training_done": "yes",
            "no_prior_misconduct": "yes",
            "certified_on": "2025-09-01",
            **changes,
        },
    )


def unit_of(row: Allegation | UnitCertification) -> Unit:
    assert row.registered_unit is not None
    return row.registered_unit


def registered(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- matching -------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [*SPELLINGS, "banbat ٢", "Bânbat_2", "  banBAT–2", "BANBAT²"])
def test_spellings_of_one_unit_share_a_key(typed):
    assert unit_key(typed) == "banbat2"


def test_other_units_have_other_keys():
    assert len({unit_key(u) for u in ("Battalion 3", "Battalion 4", "Battalion 34")}) == 3
    assert unit_key(" - ") == ""


def test_allegations_typed_differently_name_one_registered_unit(officer):
    # when three allegations type the same unit three ways
    allegations = [record(officer, unit=typed) for typed in SPELLINGS]
    # then the first spelling was registered, once and audited, and all three name it
    unit = Unit.objects.get()
    assert (unit.name, unit.key, unit.country_id, unit.entity_id) == (
        "BANBAT-2",
        "banbat2",
        "PAK",
        officer.entity_id,
    )
    assert registered("conduct.unit_registered") == 1
    for allegation in allegations:
        allegation.refresh_from_db()
        assert (allegation.unit, allegation.registered_unit_id) == ("BANBAT-2", unit.pk)


def test_the_same_name_in_another_contingent_or_mission_is_another_unit(actors, officer):
    record(officer, unit="Battalion 3")
    record(officer, unit="Battalion 3", contingent_country="NPL")
    record(officer, unit="Battalion 3", contingent_country="")
    other = actors.other_by_role[Role.CONDUCT_OFFICER]
    record(other, unit="battalion 3")
    assert Unit.objects.count() == 4
    assert Unit.objects.filter(country__isnull=True).count() == 1
    # and a second allegation without a contingent finds the unit without a country
    record(officer, unit="BATTALION-3", contingent_country="")
    assert Unit.objects.count() == 4


def test_a_unit_typed_as_nothing_is_no_unit(officer):
    allegation = record(officer, unit=" — ")
    assert (allegation.unit, allegation.registered_unit) == ("", None)
    assert not Unit.objects.exists()


def test_a_certification_typed_differently_is_the_allegations_unit(officer):
    # given allegations of "BANBAT-2", and a certification typed "banbat 2"
    for typed in SPELLINGS:
        record(officer, unit=typed)
    certification = certify(officer, "banbat 2")
    # then the certification names the registered unit, and the unit is certified
    assert certification.unit == "BANBAT-2"
    assert unit_of(certification).name == "BANBAT-2"
    assert selectors.uncertified_units(officer) == []
    # and typed again another way, the same certification is updated, not a second one
    certify(officer, "Banbat-2", personnel="600")
    assert UnitCertification.objects.get().personnel == 600


def test_the_patterns_count_one_unit_once(officer):
    # given three allegations of one unit typed three ways, and its certification
    for typed in SPELLINGS:
        record(officer, unit=typed)
    record(officer, unit="Engineers")
    certify(officer, "Banbat 2", personnel="1000")
    # when the patterns are computed
    found = figures.unit_patterns(datetime.date(2026, 6, 1))
    # then the unit is one row, of three allegations, with its rate, and flagged
    assert [(p.unit, p.allegations) for p in found] == [("BANBAT-2", 3), ("Engineers", 1)]
    assert found[0].per_thousand == 3.0 and found[0].flagged
    assert selectors.uncertified_units(officer) == [(officer.entity.code, "PAK", "Engineers")]
    # and the page shows one row for it
    page = signed_in_client(officer).get(reverse("conduct:patterns")).content.decode()
    assert page.count('data-unit="BANBAT-2"') == 1 and 'data-unit="Banbat 2"' not in page
    assert "<td>BANBAT-2</td><td>3</td><td>3.0</td>" in page


def test_an_unknown_unit_never_blocks_a_recording_over_the_api(officer):
    answer = token_client(officer).post(
        "/api/v1/conduct/allegations",
        {**RAW, "contingent_country": "PAK", "unit": "banbat  2"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["unit"] == "banbat 2"
    answer = token_client(officer).post(
        "/api/v1/conduct/allegations",
        {**RAW, "contingent_country": "PAK", "unit": "BANBAT-2"},
        content_type="application/json",
    )
    assert answer.json()["unit"] == "banbat 2"
    assert Unit.objects.count() == 1


# --- adding ---------------------------------------------------------------------------------


def test_a_unit_is_registered_ahead_and_its_spelling_then_used(officer):
    unit = services.unit_add(actor=officer, raw={"country": "PAK", "name": " BANBAT-2 "})
    assert (unit.name, unit.registered_by) == ("BANBAT-2", officer)
    assert registered("conduct.unit_registered") == 1
    assert record(officer, unit="banbat 2").unit == "BANBAT-2"
    with pytest.raises(Exception, match="Already registered as “BANBAT-2”"):
        services.unit_add(actor=officer, raw={"country": "PAK", "name": "Banbat 2"})
    with pytest.raises(Exception, match="alpha-3"):
        services.unit_add(actor=officer, raw={"country": "XX", "name": "Other"})


def test_only_conduct_officers_register_units(actors):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.unit_add(actor=actors.by_role[Role.ANALYST], raw={"name": "Battalion 1"})


# --- merging --------------------------------------------------------------------------------


def test_a_merge_moves_allegations_and_certifications_and_is_audited(officer):
    # given "BANBAT II" with two allegations and a certification, and "BANBAT-2" with one
    merged = [record(officer, unit="BANBAT II") for _ in range(2)]
    kept = record(officer, unit="BANBAT-2")
    certify(officer, "BANBAT II", deployed_on="2025-04-01", personnel="800")
    unit, into = Unit.objects.get(key="banbatii"), Unit.objects.get(key="banbat2")
    # when the first is merged into the second
    moved = services.unit_merge(actor=officer, unit=unit, into=into)
    # then everything names the second, and the first is its alias
    assert (moved.allegations, moved.certifications, moved.duplicates) == (2, 1, 0)
    for allegation in [*merged, kept]:
        allegation.refresh_from_db()
        assert (allegation.unit, allegation.registered_unit_id) == ("BANBAT-2", into.pk)
    certification = UnitCertification.objects.get()
    assert (certification.unit, certification.registered_unit_id) == ("BANBAT-2", into.pk)
    unit.refresh_from_db()
    assert unit.merged_into_id == into.pk
    assert list(selectors.units_for(officer)) == [into]
    event = AuditEvent.objects.get(action="conduct.unit_merged")
    assert event.details["unit"] == "BANBAT II" and event.details["into"] == "BANBAT-2"
    assert event.details["allegations"] == 2 and event.details["certifications"] == 1
    # and the merged spelling, typed again, leads to the unit it was merged into
    assert record(officer, unit="banbat ii").registered_unit_id == into.pk
    assert Unit.objects.count() == 2
    assert [(p.unit, p.allegations) for p in figures.unit_patterns(datetime.date(2026, 6, 1))] == [
        ("BANBAT-2", 4)
    ]


def test_a_merge_keeps_one_certification_per_deployment(officer):
    # given both units certified for the same deployment, only the merged one completely
    record(officer, unit="BANBAT II")
    record(officer, unit="BANBAT-2")
    certify(officer, "BANBAT II", personnel="800")
    certify(officer, "BANBAT-2", personnel="700", certified_on="")
    certify(officer, "BANBAT-2", deployed_on="2024-01-01", personnel="650")
    unit, into = Unit.objects.get(key="banbatii"), Unit.objects.get(key="banbat2")
    # when merged
    moved = services.unit_merge(actor=officer, unit=unit, into=into)
    # then the complete certification is kept, now the second unit's, and the other dropped
    assert (moved.certifications, moved.duplicates) == (1, 1)
    left = UnitCertification.objects.order_by("deployed_on")
    assert [(c.unit, c.personnel, c.complete) for c in left] == [
        ("BANBAT-2", 650, True),
        ("BANBAT-2", 800, True),
    ]
    dropped = AuditEvent.objects.get(action="conduct.unit_merged").details["dropped"]
    assert "2025-10-01 personnel=700" in dropped


@pytest.mark.parametrize("case", ["itself", "other contingent", "already merged"])
def test_a_merge_that_makes_no_sense_is_refused_and_changes_nothing(officer, case):
    from django.core.exceptions import ValidationError

    record(officer, unit="BANBAT II")
    record(officer, unit="BANBAT-2")
    record(officer, unit="BANBAT-2", contingent_country="BGD")
    unit = Unit.objects.get(key="banbatii")
    into = {
        "itself": unit,
        "other contingent": Unit.objects.get(key="banbat2", country="BGD"),
        "already merged": Unit.objects.get(key="banbat2", country="PAK"),
    }[case]
    if case == "already merged":
        services.unit_merge(actor=officer, unit=unit, into=into)
    before = list(Allegation.objects.order_by("pk").values_list("unit", "registered_unit_id"))
    with pytest.raises(ValidationError) as raised:
        services.unit_merge(actor=officer, unit=unit, into=into)
    assert "into" in raised.value.message_dict
    after = list(Allegation.objects.order_by("pk").values_list("unit", "registered_unit_id"))
    assert after == before


def test_another_entitys_officer_cannot_see_or_merge_the_units(actors, officer):
    # given two units of the own entity
    record(officer, unit="BANBAT II")
    record(officer, unit="BANBAT-2")
    unit, into = Unit.objects.get(key="banbatii"), Unit.objects.get(key="banbat2")
    other = actors.other_by_role[Role.CONDUCT_OFFICER]
    own_unit = unit_of(record(other, unit="Own unit"))
    # the service: the same 404 as a missing unit, whichever of the two is not theirs
    with pytest.raises(Http404):
        services.unit_merge(actor=other, unit=unit, into=into)
    with pytest.raises(Http404):
        services.unit_merge(actor=other, unit=own_unit, into=into)
    # the pages: the list shows only their own, the merge page is a 404, GET or POST
    client = signed_in_client(other)
    page = client.get(reverse("conduct:units")).content.decode()
    assert found_in_list(page) == "1" and "BANBAT" not in page
    url = reverse("conduct:unit_merge", args=[unit.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"into": into.pk}).status_code == 404
    assert not AuditEvent.objects.filter(action="conduct.unit_merged").exists()
    unit.refresh_from_db()
    assert unit.merged_into is None


# --- pages ----------------------------------------------------------------------------------


def test_the_units_page_lists_registers_and_merges(officer):
    # given two spellings of a unit that are one
    record(officer, unit="BANBAT II")
    record(officer, unit="BANBAT-2")
    client = signed_in_client(officer)
    page = client.get(reverse("conduct:units")).content.decode()
    assert found_in_list(page) == "2" and 'data-unit="BANBAT II"' in page
    # a unit registered from the page; a second spelling of it is refused, naming it
    answer = client.post(reverse("conduct:units"), {"name": "Engineers", "country": "PAK"})
    assert answer.status_code == 302 and Unit.objects.filter(name="Engineers").exists()
    answer = client.post(reverse("conduct:units"), {"name": "ENGINEERS", "country": "PAK"})
    assert answer.status_code == 200 and "Already registered as" in answer.content.decode()
    # the merge page offers the other units of the contingent only
    unit, into = Unit.objects.get(key="banbatii"), Unit.objects.get(key="banbat2")
    url = reverse("conduct:unit_merge", args=[unit.pk])
    page = client.get(url).content.decode()
    assert f'value="{into.pk}"' in page and "Engineers" in page
    answer = client.post(url, {"into": into.pk}, follow=True)
    assert "merged into" in answer.content.decode()
    assert list(Unit.objects.filter(merged_into__isnull=True).order_by("name")) == [
        into,
        Unit.objects.get(name="Engineers"),
    ]
    # a unit not offered (merged already) is a form error, not a 500
    answer = client.post(reverse("conduct:unit_merge", args=[into.pk]), {"into": unit.pk})
    assert answer.status_code == 200
    assert client.get(url).status_code == 404  # the alias has no page of its own
    # and the list exports what it shows, audited
    answer = client.get(reverse("conduct:units"), {"export": "csv"})
    assert "BANBAT-2" in answer.content.decode("utf-8-sig")
    assert AuditEvent.objects.filter(action="export.created").count() == 1


def test_the_forms_suggest_the_registered_units(actors, officer):
    services.unit_add(actor=officer, raw={"country": "PAK", "name": "BANBAT-2"})
    record(actors.other_by_role[Role.CONDUCT_OFFICER], unit="Elsewhere")
    client = signed_in_client(officer)
    for name in ("new", "certifications"):
        page = client.get(reverse(f"conduct:{name}")).content.decode()
        assert 'list="id_unit-units"' in page and '<datalist id="id_unit-units">' in page
        assert '<option value="BANBAT-2" label="BANBAT-2 — Pakistan">' in page
        assert "Elsewhere" not in page
