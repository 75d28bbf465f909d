"""Countries and M49 regions: loading the shipped tables, and their names in each language."""

import csv
import gettext as gettext_module
from functools import cache
from pathlib import Path

import pycountry
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from ctip.core.models import Country, Region

DATA_DIR = Path(__file__).parent / "data"

# pycountry's catalogue names for our language codes.
PYCOUNTRY_LANGUAGES = {"zh-hans": "zh_CN", "ar": "ar", "fr": "fr", "es": "es", "ru": "ru"}


@cache
def _iso3166_catalogue(language: str) -> gettext_module.NullTranslations:
    code = PYCOUNTRY_LANGUAGES.get(language)
    if code is None:
        return gettext_module.NullTranslations()
    return gettext_module.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True
    )


def country_name(country: Country, language: str | None = None) -> str:
    """The country's ISO name in the active (or given) language, falling back to English."""
    return _iso3166_catalogue(language or translation.get_language() or "en").gettext(country.name)


def region_name(region: Region | None) -> str:
    return gettext(region.name) if region is not None else ""


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Insert or update regions and countries from the shipped tables. Idempotent."""
    with open(DATA_DIR / "m49_regions.csv", encoding="utf-8") as handle:
        regions = list(csv.DictReader(handle))
    for row in regions:
        Region.objects.update_or_create(
            m49=row["m49"], defaults={"name": row["name"], "level": row["level"]}
        )
    with open(DATA_DIR / "m49_countries.csv", encoding="utf-8") as handle:
        countries = list(csv.DictReader(handle))
    for row in countries:
        iso = pycountry.countries.get(alpha_3=row["alpha3"])
        name = iso.name if iso is not None else row["alpha3"]
        Country.objects.update_or_create(
            alpha3=row["alpha3"],
            defaults={
                "alpha2": row["alpha2"],
                "numeric": row["m49"],
                "name": name,
                "region_id": row["region"] or None,
                "subregion_id": row["subregion"] or None,
                "intermediate_region_id": row["intermediate_region"] or None,
            },
        )
    return {"regions": len(regions), "countries": len(countries)}
