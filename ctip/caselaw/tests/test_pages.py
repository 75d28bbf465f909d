"""The legal officers' pages: countries by name, four-eyes publishing, labels as words."""

import pytest
from django.urls import reverse

from ctip.caselaw import services
from ctip.caselaw.demo import DECISIONS
from ctip.caselaw.forms import initial_from
from ctip.caselaw.models import Decision
from ctip.core.codes import Role
from ctip.core.testing import make_user, signed_in_client

pytestmark = pytest.mark.django_db


def a_draft(actors):
    return services.decision_save(actor=actors.by_role[Role.LEGAL_OFFICER], raw=DECISIONS[2])


def posted(decision, **changes):
    data = {k: v for k, v in initial_from(decision).items() if v is not None}
    data.update(changes)
    return data


def test_the_author_is_not_offered_to_publish_their_own_draft(actors):
    # given a draft saved by one legal officer
    draft = a_draft(actors)
    author = signed_in_client(actors.by_role[Role.LEGAL_OFFICER])
    reviewer = signed_in_client(make_user(actors.entity, Role.LEGAL_OFFICER))
    url = reverse("caselaw:staff_detail", args=[draft.pk])
    # when the author and another legal officer open it
    own_page = author.get(url).content.decode()
    review_page = reviewer.get(url).content.decode()
    # then only the other one is offered to review and publish it
    publish_url = reverse("caselaw:publish", args=[draft.pk])
    assert publish_url not in own_page and 'data-testid="awaiting-review"' in own_page
    assert publish_url in review_page


def test_the_author_cannot_publish_by_posting_either(actors):
    draft = a_draft(actors)
    author = signed_in_client(actors.by_role[Role.LEGAL_OFFICER])
    response = author.post(reverse("caselaw:publish", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    assert Decision.objects.get(pk=draft.pk).status == "draft"
    assert "Another legal officer reviews and publishes your changes." in response.content.decode()


def test_countries_are_picked_by_name_in_the_users_language(actors):
    # given a legal officer working in French
    draft = a_draft(actors)
    client = signed_in_client(actors.by_role[Role.LEGAL_OFFICER], HTTP_ACCEPT_LANGUAGE="fr")
    edit = reverse("caselaw:edit", args=[draft.pk])
    page = client.get(edit).content.decode()
    assert "<datalist" in page and "République démocratique du Congo (COD)" in page
    # when they pick countries by name or type a code
    data = posted(
        draft,
        country="Iraq (IRQ)",
        victim_nationalities="Nigéria; cod",
        defendant_nationalities="Türkiye",
    )
    response = client.post(edit, data)
    # then the codes are saved
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Decision.objects.get(pk=draft.pk)
    assert saved.country_id == "IRQ"
    assert (saved.victim_nationalities, saved.defendant_nationalities) == ("COD;NGA", "TUR")


def test_an_unknown_country_names_the_field_and_keeps_what_was_typed(actors):
    draft = a_draft(actors)
    client = signed_in_client(actors.by_role[Role.LEGAL_OFFICER])
    response = client.post(
        reverse("caselaw:edit", args=[draft.pk]),
        posted(draft, country="Atlantis", victim_nationalities="Iraq; Narnia"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in page
    assert '<a href="#id_country">Country</a>' in page
    assert 'value="Atlantis"' in page and 'value="Iraq; Narnia"' in page
    assert "“Narnia”" in page
    assert Decision.objects.get(pk=draft.pk).version == 1


def test_the_decision_page_shows_names_and_words_not_codes(actors):
    # given a published decision with nationalities and forms of exploitation as codes
    raw = {**DECISIONS[0]}
    services.decisions_import(actor=None, entity=actors.entity, rows=[raw], publish=True)
    decision = Decision.objects.get()
    # when anyone reads it in English
    page = signed_in_client(actors.by_role[Role.LEGAL_OFFICER]).get(
        reverse("caselaw:detail", args=[decision.pk])
    )
    text = page.content.decode()
    # then countries and codes are words
    assert "Myanmar" in text and "Viet Nam" in text
    assert "ForcedMarriage" not in text and "Forced marriage" in text
