"""The encoding page and its one-file download, as the server gives them (the browser side,
and its parity with the command, is tested in tests/browser/test_linkage_journey.py)."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ctip.linkage.keys import RULES
from ctip.linkage.views import SCRIPTS, messages

pytestmark = pytest.mark.django_db
STATIC = Path(__file__).parents[2] / "static"


def json_block(html: str, element_id: str) -> Any:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found, element_id
    return json.loads(found.group(1))


def test_the_page_is_open_to_anyone_and_gives_the_rules_and_nothing_to_submit():
    answer = Client().get("/public/linkage/encoder/")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert json_block(html, "linkage-rules") == RULES
    assert json_block(html, "linkage-messages") == messages()
    # no form, no named field: the file and the secret cannot be posted anywhere
    encoder = html[html.index('id="encoder"') :]
    assert "<form" not in encoder and " name=" not in encoder.split("</div>")[0]
    assert 'type="password"' in html


def test_the_download_is_one_file_with_its_scripts_inline_and_no_network():
    answer = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/public/linkage/encoder/offline.html")
    html = answer.content.decode()
    assert answer["Content-Disposition"] == 'attachment; filename="ctip-encoder.html"'
    assert "<script src" not in html and "<link" not in html
    for name in SCRIPTS:
        assert (STATIC / name).read_text(encoding="utf-8") in html
    assert "connect-src 'none'" in html
    assert 'dir="rtl"' in html
    assert "رمّز الهويات قبل أن تغادر جهازك" in html  # the page in the reader's language
    assert json_block(html, "linkage-messages")["encoded"].startswith("رُمِّز")


def test_every_message_the_scripts_say_is_given_by_the_page():
    said = set()
    for name in SCRIPTS:
        said |= set(
            re.findall(r'(?:say|broken)\("(\w+)"', (STATIC / name).read_text(encoding="utf-8"))
        )
    assert said and said <= set(messages())
