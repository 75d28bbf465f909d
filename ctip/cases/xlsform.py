"""The screening as an XLSForm that KoBoToolbox and ODK Collect run offline.

Labels in the six UN languages come from CTIP's own translations; choices from the code
lists; skip logic shows each set of indicators only when it is chosen, and the questions for
children also whenever the person is under 18. The field names are the ones `clean_screening`
reads back (`set_question`), so a KoBo / ODK export imports without a mapping.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from ctip.cases.codes import INDICATOR_SETS, Answer, Outcome, Setting

FORM_ID = "ctip_screening"
VERSION = "2026120401"
LANGUAGES = [
    ("en", "English (en)"),
    ("zh-hans", "Chinese (zh)"),
    ("ar", "Arabic (ar)"),
    ("fr", "French (fr)"),
    ("es", "Spanish (es)"),
    ("ru", "Russian (ru)"),
]


def labels(text: Any) -> list[str]:
    found = []
    for code, _name in LANGUAGES:
        with translation.override(code):
            found.append(str(text))
    return found


def public_key_value(pem: bytes) -> str:
    """The `public_key` setting from an RSA public key in PEM: base64 without the armour,
    on one line, as KoBoToolbox and ODK Central read it. Anything else is refused, because
    a form carrying a wrong key would send submissions no one can decrypt."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        raise ValueError(
            _("The file is not a public key in PEM (-----BEGIN PUBLIC KEY-----).")
        ) from None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
        raise ValueError(_("The key must be an RSA public key of at least 2048 bits."))
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode("ascii")


def rows(public_key: str = "") -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """(survey, choices, settings) sheets as lists of rows, headers first. With
    `public_key` (see `public_key_value`), the collecting app encrypts each submission
    end to end: the server stores only what the key's holder can read."""
    from django.utils.translation import gettext_lazy as _

    label_headers = [f"label::{name}" for _code, name in LANGUAGES]
    survey: list[list[Any]] = [
        ["type", "name", *label_headers, "relevant", "required", "constraint"]
    ]

    def add(
        kind: str,
        name: str,
        label: Any,
        relevant: str = "",
        required: str = "",
        constraint: str = "",
    ) -> None:
        survey.append(
            [
                kind,
                name,
                *(labels(label) if label else [""] * len(LANGUAGES)),
                relevant,
                required,
                constraint,
            ]
        )

    add("start", "start", "")
    add("end", "end", "")
    add("date", "screened_on", _("Date"), required="yes", constraint=". <= today()")
    add("text", "screener_name", _("Your name"))
    add("text", "place", _("Place"))
    add("select_one setting", "setting", _("Setting"), required="yes")
    add("select_one yes_no", "under_18", _("Is the person under 18?"))
    add("select_one indicator_set", "indicator_set", _("Indicators"), required="yes")
    for code, indicator_set in INDICATOR_SETS.items():
        relevant = f"${{indicator_set}} = '{code}'"
        if code == "child":
            relevant = f"{relevant} or ${{under_18}} = 'yes'"
        add("begin_group", code, indicator_set.title, relevant=relevant)
        for question in indicator_set.questions:
            add("select_one answer", f"{code}_{question.code}", question.text)
        add("end_group", f"{code}_end", "")
    # as on the page (`clean_screening`): a presumed victim needs a "yes" in the chosen set
    any_yes = " or ".join(
        f"(${{indicator_set}} = '{code}' and ("
        + " or ".join(f"${{{code}_{q.code}}} = 'yes'" for q in indicator_set.questions)
        + "))"
        for code, indicator_set in INDICATOR_SETS.items()
    )
    add(
        "select_one outcome",
        "outcome",
        _("Outcome"),
        required="yes",
        constraint=f". != 'presumed_victim' or {any_yes}",
    )
    add("text", "reason", _("Reason"), required="yes")
    choices: list[list[Any]] = [["list_name", "name", *label_headers]]
    for list_name, options in (
        ("answer", Answer.choices),
        ("setting", Setting.choices),
        ("outcome", Outcome.choices),
        ("yes_no", [("yes", _("Yes")), ("no", _("No"))]),
        ("indicator_set", [(c, s.title) for c, s in INDICATOR_SETS.items()]),
    ):
        for value, label in options:
            choices.append([list_name, value, *labels(label)])
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        ["CTIP screening", FORM_ID, VERSION, "English (en)"],
    ]
    if public_key:
        settings[0].append("public_key")
        settings[1].append(public_key)
    return survey, choices, settings


def workbook_bytes(public_key: str = "") -> bytes:
    return sheets_to_xlsx(rows(public_key))


def sheets_to_xlsx(sheets: tuple[list[list[Any]], ...]) -> bytes:
    """An XLSForm workbook from its (survey, choices, settings) rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows in zip(("survey", "choices", "settings"), sheets, strict=True):
        sheet = workbook.create_sheet(title)
        for row in sheet_rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
