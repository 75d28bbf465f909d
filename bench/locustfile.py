"""Realistic CTIP users for locust, driven by bench/load.py (which prepares the accounts and
writes their details to the JSON file named by CTIP_LOAD_PLAN).

Public readers (most of the traffic), caseworkers on their lists and cases, focal points
checking an import, analysts on the round page (signed in with their second factor), and
API clients with a bearer token. Think time 1-5 s, or none with CTIP_LOAD_NO_THINK=1 (then
only the public readers run, for the requests-per-second measure).
"""
# ruff: noqa: S311 - random picks of synthetic traffic, not secrets

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from pathlib import Path

from locust import FastHttpUser, HttpUser, between, constant, task

PLAN = json.loads(Path(os.environ["CTIP_LOAD_PLAN"]).read_text(encoding="utf-8"))
NO_THINK = os.environ.get("CTIP_LOAD_NO_THINK") == "1"
THINK = constant(0) if NO_THINK else between(1, 5)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_analyst = itertools.count()


def totp(key_hex: str, at: float) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as django-otp's TOTP device checks it."""
    counter = struct.pack(">Q", int(at // 30))
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Signed(HttpUser):
    abstract = True
    wait_time = THINK

    def sign_in(self, email: str, otp_key: str = "") -> None:
        page = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF.search(page.text).group(1)
        form = {"username": email, "password": PLAN["password"], "csrfmiddlewaretoken": token}
        answer = self.client.post("/accounts/login/", form, name="sign in")
        if otp_key:
            token = CSRF.search(answer.text).group(1)
            code = {"code": totp(otp_key, time.time()), "csrfmiddlewaretoken": token}
            self.client.post("/accounts/otp/", code, name="second factor")


class PublicReader(FastHttpUser):
    weight = 10
    wait_time = THINK

    @task(3)
    def statistics(self) -> None:
        self.client.get(f"/public/statistics/{PLAN['published_year']}/", name="public statistics")

    @task(2)
    def caselaw(self) -> None:
        query = random.choice(["trafficking", "贩运", "forced marriage", "enfants", "يزيديات"])
        self.client.get("/public/caselaw/", params={"q": query}, name="public case law search")

    @task(2)
    def country(self) -> None:
        country = random.choice(PLAN["countries"])
        self.client.get(f"/public/countries/{country}/", name="public country profile")

    @task
    def home(self) -> None:
        self.client.get("/", name="home (public)")

    @task
    def treaties(self) -> None:
        self.client.get("/public/treaties/", name="public treaties")

    @task
    def incidents(self) -> None:
        self.client.get("/public/incidents/", name="public incidents")


class Caseworker(Signed):
    weight = 3
    if NO_THINK:
        weight = 0

    def on_start(self) -> None:
        self.sign_in(PLAN["caseworker"])

    @task(3)
    def cases(self) -> None:
        self.client.get("/cases/", name="cases list")

    @task(2)
    def case(self) -> None:
        self.client.get(f"/cases/{random.choice(PLAN['case_ids'])}/", name="case")

    @task
    def home(self) -> None:
        self.client.get("/", name="home (signed in)")


class FocalPoint(Signed):
    weight = 1
    if NO_THINK:
        weight = 0

    def on_start(self) -> None:
        self.sign_in(PLAN["focal_point"])

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home (signed in)")

    @task(3)
    def round_page(self) -> None:
        self.client.get(f"/statistics/rounds/{PLAN['open_year']}/", name="round page (1M records)")

    @task
    def check_an_import(self) -> None:
        url = f"/statistics/rounds/{PLAN['open_year']}/import/"
        token = CSRF.search(self.client.get(url, name="import page").text).group(1)
        self.client.post(
            url,
            {"csrfmiddlewaretoken": token, "encoding": ""},
            files={"file": ("records.csv", PLAN["import_csv"].encode(), "text/csv")},
            name="import check (20 rows)",
        )


class Analyst(Signed):
    weight = 1
    if NO_THINK:
        weight = 0

    def on_start(self) -> None:
        email, key = PLAN["analysts"][next(_next_analyst) % len(PLAN["analysts"])]
        self.sign_in(email, key)

    @task(2)
    def round_page(self) -> None:
        self.client.get(f"/statistics/rounds/{PLAN['open_year']}/", name="round page (1M records)")

    @task
    def home(self) -> None:
        self.client.get("/", name="home (signed in)")


class ApiClient(FastHttpUser):
    weight = 2
    wait_time = THINK
    if NO_THINK:
        weight = 0

    default_headers = {"Authorization": f"Bearer {PLAN['api_token']}"}

    @task(2)
    def public_release(self) -> None:
        self.client.get(
            f"/api/v1/public/statistics/{PLAN['published_year']}", name="API public release"
        )

    @task
    def rounds(self) -> None:
        self.client.get("/api/v1/statistics/rounds", name="API rounds")

    @task
    def caselaw(self) -> None:
        self.client.get("/api/v1/public/caselaw", params={"q": "trafficking"}, name="API case law")
