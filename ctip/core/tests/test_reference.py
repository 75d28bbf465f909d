import pytest
from django.utils import translation

from ctip.core.models import Country, Region
from ctip.core.reference import country_name, load_reference_data, region_name

pytestmark = pytest.mark.django_db


def test_countries_carry_the_m49_hierarchy(reference_data):
    nigeria = Country.objects.get(alpha3="NGA")
    assert (nigeria.alpha2, nigeria.numeric) == ("NG", "566")
    assert (nigeria.region_id, nigeria.subregion_id, nigeria.intermediate_region_id) == (
        "002",
        "202",
        "011",
    )
    iraq = Country.objects.get(alpha3="IRQ")
    assert iraq.region and iraq.subregion
    assert (iraq.region.name, iraq.subregion.name, iraq.intermediate_region) == (
        "Asia",
        "Western Asia",
        None,
    )
    colombia = Country.objects.get(alpha3="COL")
    assert colombia.intermediate_region and colombia.intermediate_region.name == "South America"


def test_loading_twice_changes_nothing(reference_data):
    before = Country.objects.count(), Region.objects.count()
    load_reference_data()
    assert (Country.objects.count(), Region.objects.count()) == before == (249, 30)


def test_names_are_translated(reference_data):
    iraq = Country.objects.get(alpha3="IRQ")
    with translation.override("zh-hans"):
        assert country_name(iraq) == "伊拉克"
        assert region_name(iraq.subregion) == "西亚"
    with translation.override("ar"):
        assert country_name(iraq) == "العراق"
    assert country_name(iraq, "en") == "Iraq"
