import pytest
from django.utils import translation

from ctip.core.models import Country, Region
from ctip.core.reference import (
    NAME_LANGUAGES,
    country_name,
    country_name_for_code,
    load_reference_data,
    region_name,
    un_country_names,
)

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


def test_names_are_the_un_names_in_the_six_languages(reference_data):
    # given the countries loaded from the shipped tables
    congo = Country.objects.get(alpha3="COD")
    bolivia = Country.objects.get(alpha3="BOL")
    korea = Country.objects.get(alpha3="KOR")
    taiwan = Country.objects.get(alpha3="TWN")
    # then each has the UN short name in each language, not the ISO 3166 one
    assert congo.name == "Democratic Republic of the Congo"
    assert bolivia.name == "Bolivia (Plurinational State of)"
    assert korea.name == "Republic of Korea"
    assert taiwan.name == "China, Taiwan Province of China"
    expected = {
        "IRN": "Iran (Islamic Republic of)",
        "TUR": "Türkiye",
        "GBR": "United Kingdom of Great Britain and Northern Ireland",
        "HKG": "China, Hong Kong Special Administrative Region",
        "CIV": "Côte d’Ivoire",
    }
    for alpha3, name in expected.items():
        assert Country.objects.get(alpha3=alpha3).name == name
    assert country_name(bolivia, "fr") == "Bolivie (État plurinational de)"
    assert country_name(bolivia, "es") == "Bolivia (Estado Plurinacional de)"
    assert country_name(bolivia, "ru") == "Боливия (Многонациональное Государство)"
    assert country_name(congo, "ar") == "جمهورية الكونغو الديمقراطية"
    assert country_name(korea, "zh-hans") == "大韩民国"
    with translation.override("fr"):
        assert country_name(congo) == "République démocratique du Congo"
    with translation.override("zh-hans"):
        assert country_name(taiwan) == "中国台湾省"


def test_every_country_has_a_name_in_each_un_language(reference_data):
    names = un_country_names()
    assert set(names) == set(Country.objects.values_list("alpha3", flat=True))
    for alpha3, by_language in names.items():
        assert set(by_language) == set(NAME_LANGUAGES)
        for language, name in by_language.items():
            assert name.strip() == name and name, (alpha3, language)


def test_an_unknown_language_falls_back_to_english(reference_data):
    iraq = Country.objects.get(alpha3="IRQ")
    assert country_name(iraq, "de") == "Iraq"
    assert country_name_for_code("irq", "ru") == "Ирак"
    assert country_name_for_code("XXX") == "XXX"


def test_loading_replaces_old_iso_names(reference_data):
    # given a row still carrying the ISO 3166 name from an earlier release
    Country.objects.filter(alpha3="COD").update(name="Congo, The Democratic Republic of the")
    # when the reference data is loaded again
    load_reference_data()
    # then it has the UN name
    assert Country.objects.get(alpha3="COD").name == "Democratic Republic of the Congo"
