"""Countries and M49 regions: loading the shipped tables, and their names in each language.

Country names are the United Nations' short names (UNSD M49) in the six UN languages, read
from `data/m49_names.csv`; `Country.name` keeps the English one.
"""

import csv
import unicodedata
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from ctip.core.models import Country, Region

DATA_DIR = Path(__file__).parent / "data"

# The columns of m49_names.csv, in the order of the file.
NAME_LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")


def _name_column(language: str) -> str:
    """The names column for a Django language code: zh-hans → zh, fr-ca → fr, else en."""
    base = language.lower().replace("_", "-").split("-")[0]
    return base if base in NAME_LANGUAGES else "en"


@cache
def un_country_names() -> dict[str, dict[str, str]]:
    """{alpha3: {language: UN short name}} for every country or area in the shipped table."""
    with open(DATA_DIR / "m49_names.csv", encoding="utf-8") as handle:
        return {
            row["alpha3"]: {language: row[language] for language in NAME_LANGUAGES}
            for row in csv.DictReader(handle)
        }


def country_name_for_code(alpha3: str, language: str | None = None) -> str:
    """The UN name of a country given by its alpha-3 code, in the active (or given) language,
    falling back to English, then to the code itself."""
    names = un_country_names().get(alpha3.upper())
    if names is None:
        return alpha3
    column = _name_column(language or translation.get_language() or "en")
    return names.get(column) or names["en"]


def country_name(country: Country, language: str | None = None) -> str:
    """The country's UN name in the active (or given) language, falling back to English."""
    names = un_country_names().get(country.alpha3)
    if names is None:
        return country.name
    column = _name_column(language or translation.get_language() or "en")
    return names.get(column) or names["en"] or country.name


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
    names = un_country_names()
    for row in countries:
        Country.objects.update_or_create(
            alpha3=row["alpha3"],
            defaults={
                "alpha2": row["alpha2"],
                "numeric": row["m49"],
                "name": names[row["alpha3"]]["en"],
                "region_id": row["region"] or None,
                "subregion_id": row["subregion"] or None,
                "intermediate_region_id": row["intermediate_region"] or None,
            },
        )
    return {"regions": len(regions), "countries": len(countries)}


def _folded(text: str) -> str:
    """Compared without case, accents or the kind of apostrophe: "cote d'ivoire" is found."""
    return " ".join(name_sort_key(text.replace("’", "'")).split())


@cache
def _codes_by_name() -> dict[str, str]:
    index: dict[str, str] = {}
    for alpha3, names in un_country_names().items():
        for name in names.values():
            index.setdefault(_folded(name), alpha3)
    return index


def country_code_from_text(text: str) -> str | None:
    """The alpha-3 code a person meant: a code in any case ("irq"), a name in any of the six
    UN languages ("Iraq", "Ирак"), or a picked entry ("Iraq (IRQ)"). None if none fits."""
    text = text.strip()
    known = un_country_names()
    if text.endswith(")") and "(" in text:
        code = text.rsplit("(", 1)[1][:-1].strip().upper()
        if code in known:
            return code
    if text.upper() in known:
        return text.upper()
    return _codes_by_name().get(_folded(text))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(alpha-3 code, UN name) of every country, ordered by the name in the active (or given)
    language, ignoring accents and case. Chinese names are in code-point order."""
    return list(_countries_by_name(_name_column(language or translation.get_language() or "en")))


@cache
def _countries_by_name(column: str) -> tuple[tuple[str, str], ...]:
    """Sorted once per language: every page with a country list or filter asks for it."""
    pairs = [(alpha3, names[column] or names["en"]) for alpha3, names in un_country_names().items()]
    return tuple(sorted(pairs, key=lambda pair: name_sort_key(pair[1])))


def name_sort_key(name: str) -> str:
    """Accents and case do not change the order ("Égypte" sorts with "E")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
