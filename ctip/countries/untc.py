"""Reading the UN Treaty Collection's status tables: participants' names and dated actions.

A status table has a `Participant` column (the UN's short names, often with footnote
numbers: “China 6, 7”), a `Signature` column and one column for consent to be bound whose
header lists the marks it uses, e.g. “Ratification, Accession(a), Succession(d)”: a date
like “26 Sep 2003 a” is an accession. ISO dates (2003-09-26) are read as well.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from functools import cache

import pycountry

from ctip.countries.codes import UNTC_MARKS, ConsentKind

# Participants that are not States: regional economic integration organizations.
ORGANIZATIONS = {"european union": "European Union", "european community": "European Union"}

# UN names that pycountry does not know, by the ISO alpha-3 code they stand for.
UN_NAMES = {
    "republic of korea": "KOR",
    "democratic people's republic of korea": "PRK",
    "republic of moldova": "MDA",
    "united republic of tanzania": "TZA",
    "democratic republic of the congo": "COD",
    "state of palestine": "PSE",
    "holy see": "VAT",
    "turkey": "TUR",
    "czech republic": "CZE",
    "swaziland": "SWZ",
    "the former yugoslav republic of macedonia": "MKD",
    "cape verde": "CPV",
    "micronesia (federated states of)": "FSM",
    "netherlands (kingdom of the)": "NLD",
    "united states": "USA",
    "russia": "RUS",
    "ivory coast": "CIV",
    "east timor": "TLS",
    "burma": "MMR",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
DATE_WITH_MARK = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})\s*([A-Za-z]{0,2})$")
ISO_WITH_MARK = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*([A-Za-z]{0,2})$")
FOOTNOTES = re.compile(r"[\s\d,*]+$")


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("’", "'").casefold().split())


@cache
def _country_index() -> dict[str, str]:
    index = dict(UN_NAMES)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name", "alpha_3", "alpha_2"):
            value = getattr(country, attribute, None)
            if value:
                index.setdefault(_key(value), country.alpha_3)
    return index


def participant_name(raw: str) -> str:
    """The participant's name without footnote numbers."""
    return FOOTNOTES.sub("", raw.strip()).strip()


def resolve_participant(raw: str) -> tuple[str, str]:
    """(alpha-3 code, "") for a State, ("", organization) for an organization, ("", "") if
    the name is unknown."""
    key = _key(participant_name(raw))
    if key in ORGANIZATIONS:
        return "", ORGANIZATIONS[key]
    index = _country_index()
    if key in index:
        return index[key], ""
    # The UN writes “Bolivia (Plurinational State of)” where ISO writes “Bolivia,
    # Plurinational State of”.
    turned = re.sub(r"^(.*?)\s*\((.*)\)$", r"\1, \2", key)
    return index.get(turned, ""), ""


def parse_action(raw: str) -> tuple[datetime.date | None, str]:
    """A date and the mark after it (“a”, “d”, “A”, “AA”, “c” or “”). Empty gives (None, "").
    Raises ValueError for anything that is not such a date."""
    text = " ".join(raw.split())
    if not text:
        return None, ""
    if match := ISO_WITH_MARK.match(text):
        return datetime.date.fromisoformat(match[1]), match[2]
    match = DATE_WITH_MARK.match(text)
    if not match or match[2].lower() not in MONTHS:
        raise ValueError(text)
    day, month, year = int(match[1]), MONTHS[match[2].lower()], int(match[3])
    return datetime.date(year, month, day), match[4]


def consent_kind(mark: str, header: str = "") -> str:
    """The kind of consent for a mark; an unmarked date in a column headed only
    “Accession” (or the like) is that kind."""
    if mark not in UNTC_MARKS:
        raise ValueError(mark)
    if not mark:
        words = _key(header)
        for kind in ConsentKind:
            if words.startswith(kind.value.replace("_", " ")):
                return kind.value
    return UNTC_MARKS[mark].value
