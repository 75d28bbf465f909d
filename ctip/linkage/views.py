"""The encoding page: the browser turns identities into linkage keys, and nothing is sent.

The page is public (an entity's focal point may have no CTIP account) and holds no data:
the file and the secret stay in the browser. The same page downloads as one HTML file that
works from disk with no network (`encoder_offline`)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ctip.linkage.keys import MAX_NAME_CHARS, MIN_SECRET_CHARS, RULES
from ctip.tabular import ENCODINGS

SCRIPTS = ("ctip/linkage/keys.js", "ctip/linkage/encoder.js")


def messages() -> dict[str, str]:
    """What the script says, translated here; `%(name)s` is filled in by the script."""
    return {
        "date_format": _("a date as YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY, not “%(value)s”"),
        "date_range": _("a date of birth between 1900 and 2100, not “%(value)s”"),
        "name_too_long": _("at most %(n)s characters"),
        "row_problem": _("row %(row)s, column %(column)s: %(message)s"),
        "nothing_written": _("Nothing was written: %(n)s rows cannot be encoded."),
        "encoded": _(
            "Encoded %(rows)s rows into %(out)s (%(blank)s without a name, left without a key)."
        ),
        "already_encoded": _("The file already has a linkage_key column: it is encoded."),
        "no_names": _(
            "The file has no given_name or family_name column: there is nothing to encode."
        ),
        "utf16_broken": _("The file starts as UTF-16 but is cut off or broken: save it again."),
        "utf16_no_bom": _(
            "The file has no UTF-16 byte-order mark: save it as “Unicode text” or as CSV UTF-8."
        ),
        "not_utf8": _(
            "The file is not UTF-8 (byte 0x%(byte)s on line %(line)s). Save it as “CSV UTF-8” "
            "and encode it again; or, if it comes from an older spreadsheet in a Western "
            "European language, choose the encoding Latin-1."
        ),
        "too_many_rows": _("At most %(n)s rows per file."),
        "too_large": _("The file is larger than %(n)s MB: split it and import each part."),
        "nul": _("The file contains NUL bytes: it is not a text CSV file."),
        "empty": _("The file is empty."),
        "twice": _("Each column once: %(columns)s appear more than once in the header."),
        "wider": _("Row %(row)s has more cells than the header."),
        "broken_csv": _("Broken CSV near line %(line)s: %(error)s"),
        "csv_after_quote": _("a character follows the quote that closes a cell"),
        "csv_open_quote": _("a quoted cell is never closed"),
        "spreadsheet": _(
            "This page reads CSV files: save the sheet as “CSV UTF-8” and choose that file "
            "(ctip encode_identities reads .xlsx workbooks too)."
        ),
        "no_file": _("Choose a file first."),
        "secret_short": _("The secret must hold at least %(n)s characters."),
        "working": _("Encoding…"),
        "failed": _("The file could not be encoded. Nothing was written."),
    }


def _context(offline: bool) -> dict[str, object]:
    return {
        "rules": RULES,
        "script_messages": messages(),
        "encodings": ENCODINGS,
        "min_secret": MIN_SECRET_CHARS,
        "max_name": MAX_NAME_CHARS,
        "offline": offline,
    }


def encoder(request: HttpRequest) -> HttpResponse:
    return render(request, "linkage/encoder.html", _context(offline=False))


def encoder_offline(request: HttpRequest) -> HttpResponse:
    """The page as one file, its scripts inline: saved to disk, it runs with no network."""
    context = _context(offline=True)
    context["script"] = "\n".join(_static_text(name) for name in SCRIPTS)
    response = render(request, "linkage/encoder_offline.html", context)
    response["Content-Disposition"] = 'attachment; filename="ctip-encoder.html"'
    return response


def _static_text(name: str) -> str:
    found = finders.find(name)
    if not isinstance(found, str):
        raise FileNotFoundError(name)
    text = Path(found).read_text(encoding="utf-8")
    if "</script" in text.lower():  # would end the inline script early
        raise ValueError(f"{name} must not contain </script")
    return text
