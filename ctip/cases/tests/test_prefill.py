"""A screening's answers are the starting values of the case it opens."""

import re

from django.urls import reverse

from ctip.cases import services
from ctip.cases.prefill import case_initial
from ctip.cases.tests.builders import SCREENING
from ctip.core.codes import Role
from ctip.core.testing import signed_in_client


def test_answers_yes_become_means_and_forms_and_no_suggests_nothing(actors):
    worker = actors.by_role[Role.CASEWORKER]
    screening = services.screening_record(actor=worker, raw=SCREENING)
    initial = case_initial(screening)
    assert initial["identified_on"] == "2026-10-02"
    # documents and debt answered yes; wages answered no
    assert initial["means_of_control"] == ["DebtBondage", "WithholdsDocuments"]
    assert initial["forms_of_exploitation"] == ["ForcedLabour"]
    assert case_initial(None) == {}


def test_the_case_form_opened_from_a_screening_is_filled_in(actors):
    worker = actors.by_role[Role.CASEWORKER]
    screening = services.screening_record(actor=worker, raw=SCREENING)
    page = (
        signed_in_client(worker)
        .get(reverse("cases:new") + f"?screening={screening.pk}")
        .content.decode()
    )
    ticked = re.findall(
        r'<input type="checkbox" name="means_of_control" value="(\w+)"[^>]*checked', page
    )
    assert ticked == ["DebtBondage", "WithholdsDocuments"]
    assert 'value="2026-10-02"' in page
