"""Error pages, dates and times, and codes shown as words (issue 18, “Names, not codes”)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.formats import reset_format_cache
from django.views.defaults import server_error

from ctip.core.audit import AuditAction, audit_record
from ctip.core.codes import Role
from ctip.core.models import Job
from ctip.core.services import job_start
from ctip.core.testing import signed_in_client

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 12, 31, 14, 5, tzinfo=datetime.UTC)


@pytest.fixture
def ctip_formats():
    """CTIP's format modules, as settings.FORMAT_MODULE_PATH names them."""
    with override_settings(FORMAT_MODULE_PATH=["ctip.core.formats"]):
        reset_format_cache()
        yield
    reset_format_cache()


def rendered(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_english_dates_are_day_first(ctip_formats):
    day = datetime.date(2026, 12, 31)
    assert rendered('{{ d|date:"SHORT_DATE_FORMAT" }}', "en", d=day) == "31/12/2026"
    assert rendered('{{ d|date:"DATE_FORMAT" }}', "en", d=day) == "31 December 2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "31/12/2026 14:05 UTC"),
        ("fr", "31/12/2026 14:05 UTC"),
        ("es", "31/12/2026 14:05 UTC"),
        ("ru", "31.12.2026 14:05 UTC"),
        ("ar", "31\u200f/12\u200f/2026 14:05 UTC"),
        ("zh-hans", "2026年12月31日 14:05 UTC"),
    ],
)
def test_times_carry_the_time_zone_in_every_language(ctip_formats, language, expected):
    assert rendered('{{ t|date:"SHORT_DATETIME_FORMAT" }}', language, t=WHEN) == expected
    assert rendered('{{ t|date:"DATETIME_FORMAT" }}', language, t=WHEN).endswith("14:05 UTC")


def test_an_unknown_address_is_the_styled_404_page(settings):
    settings.DEBUG = False
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="not-found"' in page and 'href="/static/ctip/ctip.css"' in page
    assert 'lang="fr"' in page
    assert "Traceback" not in page


def test_the_500_page_needs_no_database_and_shows_no_traceback():
    request = RequestFactory().get("/broken/")
    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and 'data-testid="server-error"' in page
    assert len(queries) == 0 and "Traceback" not in page


def test_the_audit_log_shows_actions_and_times_in_words(actors, ctip_formats):
    admin = actors.by_role[Role.ADMINISTRATOR]
    audit_record(actor=admin, action=AuditAction.REFERENCE_LOADED, details={})
    page = signed_in_client(admin).get("/audit/").content.decode()
    assert "Reference data loaded" in page
    assert f">{AuditAction.REFERENCE_LOADED.value}<" not in page
    assert " UTC</td>" in page


def test_a_job_is_named_in_words(actors, ctip_formats):
    admin = actors.by_role[Role.ADMINISTRATOR]
    job = job_start(actor=admin, kind="audit_export", parameters={}, task=None)
    page = signed_in_client(admin).get(f"/jobs/{job.id}/").content.decode()
    assert "Export of the audit log" in page and ": audit_export<" not in page
    assert " UTC" in page
    assert Job.objects.filter(pk=job.pk).exists()


def test_the_country_list_is_in_the_order_of_the_users_language(actors, reference_data):
    client = signed_in_client(actors.by_role[Role.ADMINISTRATOR], HTTP_ACCEPT_LANGUAGE="fr")
    page = client.get("/countries/").content.decode()
    assert page.index("Afrique du Sud") < page.index("Allemagne") < page.index("Égypte")
    assert page.index("Égypte") < page.index("Espagne")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("irq", "IRQ"),
        ("Iraq (IRQ)", "IRQ"),
        ("Ирак", "IRQ"),
        ("伊拉克", "IRQ"),
        ("cote d'ivoire", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Atlantis", None),
    ],
)
def test_the_country_field_takes_names_in_any_un_language_or_codes(typed, code):
    from ctip.core.forms import CountryField

    field = CountryField(label="Country")
    if code is None:
        with pytest.raises(ValidationError) as caught:
            field.clean(typed)
        assert typed in caught.value.messages[0]
    else:
        assert field.clean(typed) == code
