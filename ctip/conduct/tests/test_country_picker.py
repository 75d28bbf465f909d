"""Countries in the conduct forms are picked by name, shown by name, and still typed as codes."""

import pytest
from django.urls import reverse

from ctip.conduct.models import Allegation, UnitCertification
from ctip.conduct.tests.builders import RAW, record
from ctip.core.testing import signed_in_client

pytestmark = pytest.mark.django_db


def test_the_contingent_is_picked_by_its_name_in_the_users_language(officer):
    # given a conduct officer working in Spanish
    client = signed_in_client(officer, HTTP_ACCEPT_LANGUAGE="es")
    page = client.get(reverse("conduct:new")).content.decode()
    assert "Pakistán (PAK)" in page and 'list="id_contingent_country-countries"' in page
    # when they pick the contingent from the list
    answer = client.post(reverse("conduct:new"), {**RAW, "contingent_country": "Pakistán (PAK)"})
    # then the allegation names it, and the register and the page show the name
    assert answer.status_code == 302
    allegation = Allegation.objects.get()
    assert allegation.contingent_country_id == "PAK"
    assert "Pakistán" in client.get(reverse("conduct:register")).content.decode()
    assert (
        "Pakistán" in client.get(reverse("conduct:detail", args=[allegation.pk])).content.decode()
    )


def test_a_typed_code_still_works_and_a_wrong_name_is_kept_and_named(officer):
    client = signed_in_client(officer)
    wrong = client.post(reverse("conduct:new"), {**RAW, "contingent_country": "Pakistan!"})
    page = wrong.content.decode()
    assert wrong.status_code == 200 and not Allegation.objects.exists()
    assert 'value="Pakistan!"' in page and "Contingent&#x27;s nationality</a>:" in page
    typed = client.post(reverse("conduct:new"), {**RAW, "contingent_country": "pak"})
    assert typed.status_code == 302
    assert Allegation.objects.get().contingent_country_id == "PAK"


def test_a_certification_takes_a_name_and_lists_it_by_name(officer):
    record(officer)
    client = signed_in_client(officer, HTTP_ACCEPT_LANGUAGE="fr")
    answer = client.post(
        reverse("conduct:certifications"),
        {"country": "Pakistan", "unit": "Battalion 3", "deployed_on": "2025-01-01"},
    )
    assert answer.status_code in (200, 302)
    assert UnitCertification.objects.get().country_id == "PAK"
    listing = client.get(reverse("conduct:certifications")).content.decode()
    assert "<td>Pakistan</td>" in listing and "<td>PAK</td>" not in listing
