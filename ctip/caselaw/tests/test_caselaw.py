import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from ctip.caselaw import selectors, services
from ctip.caselaw.demo import DECISIONS
from ctip.caselaw.models import Decision
from ctip.caselaw.text import highlight, index_text, query_terms
from ctip.core.codes import Role
from ctip.core.models import AuditEvent
from ctip.core.testing import assert_access, make_user, token_client

pytestmark = pytest.mark.django_db


def titles(query, **filters):
    result = selectors.decision_search(user=None, query=query, filters=filters)
    return {d.title for d in result.page.object_list}


def test_chinese_is_indexed_as_two_character_pieces():
    assert index_text("人口贩运 case") == "人口 口贩 贩运 case"
    assert [t.tokens for t in query_terms("贩运 儿童")] == [("贩运",), ("儿童",)]


def test_two_character_chinese_words_are_found(published):
    chinese = DECISIONS[0]["title"]
    assert titles("贩运") == {chinese}
    assert titles("儿童") == {chinese}
    assert titles("强迫婚姻") == {chinese}  # a four-character word, as a phrase
    assert titles("婚强") == set()  # pieces out of order are not the word
    assert titles("贩运 被告人") == {chinese}


def test_arabic_russian_french_spanish_and_english_words_are_found(published):
    assert titles("الأيزيدية") == set()
    assert titles("أيزيديات") == {DECISIONS[1]["title"]}
    assert titles("уязвимое") == {DECISIONS[4]["title"]}
    assert titles("enfants") == {DECISIONS[3]["title"]}
    assert titles("reparación") == {DECISIONS[5]["title"]}
    assert titles("reparacion") == {DECISIONS[5]["title"]}  # accents folded
    assert titles("cannab") == {DECISIONS[7]["title"]}  # word prefix
    assert titles("consent irrelevant") == {DECISIONS[2]["title"]}


def test_results_are_ranked_filtered_and_counted_in_facets(published):
    result = selectors.decision_search(user=None, query="slavery")
    ranked = [d.title for d in result.page.object_list]
    assert ranked == [DECISIONS[6]["title"], DECISIONS[7]["title"]]  # most mentions first
    everything = selectors.decision_search(user=None)
    assert everything.total == len(DECISIONS)
    assert dict(everything.facets["conflict"]) == {"yes": 3, "no": 5}
    assert dict(everything.facets["victims"])["NGA"] == 1
    assert titles("", conflict="yes") == {DECISIONS[i]["title"] for i in (1, 3, 6)}
    assert titles("", country="NGA", year="2023") == {DECISIONS[2]["title"]}
    assert titles("", form="SexualExploitation", verdict="convicted") == {
        DECISIONS[i]["title"] for i in (0, 1, 2, 6)
    }


def test_highlight_escapes_and_marks():
    terms = query_terms("trafficking")
    snippet = highlight("<b>Trafficking</b> in persons", terms)
    assert snippet == "&lt;b&gt;<mark>Trafficking</mark>&lt;/b&gt; in persons"
    assert "<mark>贩运</mark>" in highlight("被告人贩运妇女", query_terms("贩运"))


def test_drafts_are_private_and_a_reviewer_publishes(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    reviewer = make_user(actors.entity, Role.LEGAL_OFFICER)
    draft = services.decision_save(actor=officer, raw={**DECISIONS[0], "title": "草稿 贩运"})
    assert draft.status == "draft" and titles("草稿") == set()
    assert selectors.decision_search(user=None, query="草稿").total == 0
    with pytest.raises(PermissionDenied):
        services.decision_publish(actor=officer, decision=draft)
    other_officer = actors.other_by_role[Role.LEGAL_OFFICER]
    assert not selectors.visible_decisions(other_officer).filter(pk=draft.pk).exists()
    services.decision_publish(actor=reviewer, decision=draft)
    assert titles("草稿") == {"草稿 贩运"}
    published = selectors.decision_search(user=None, query="草稿")  # counted anew, not kept
    assert published.total == 1 and dict(published.facets["verdict"])
    edited = services.decision_save(
        actor=reviewer, raw={**DECISIONS[0], "title": "草稿 改"}, decision=draft
    )
    assert (edited.version, edited.status) == (2, "draft")
    assert titles("草稿") == set()  # an unreviewed edit is not public
    assert selectors.decision_search(user=None, query="草稿").total == 0
    assert [v.version for v in edited.versions.all()] == [2, 1]
    assert AuditEvent.objects.filter(action="caselaw.decision_published").count() == 1


def test_bad_input_names_the_fields_and_writes_nothing(actors):
    officer = actors.by_role[Role.LEGAL_OFFICER]
    raw = {
        **DECISIONS[2],
        "country": "XXX",
        "decision_date": "2999-01-01",
        "verdict": "=cmd|' /C calc'!A0",
        "victims_count": "1e9",
        "forms_of_exploitation": "Slavery",
        "fact_summary": "",
    }
    with pytest.raises(ValidationError) as caught:
        services.decision_save(actor=officer, raw=raw)
    assert set(caught.value.message_dict) == {
        "country",
        "decision_date",
        "verdict",
        "victims_count",
        "forms_of_exploitation",
        "fact_summary",
    }
    assert not Decision.objects.exists()
    created, errors = services.decisions_import(
        actor=None, entity=actors.entity, rows=[DECISIONS[0], raw]
    )
    assert created == 0 and {e["row"] for e in errors} == {2}
    assert not Decision.objects.exists()


def test_pages_and_api_are_guarded(published):
    actors = published
    decision = Decision.objects.first()
    assert decision is not None
    editors = [Role.LEGAL_OFFICER, Role.ADMINISTRATOR]
    assert_access(
        actors, reverse("caselaw:manage"), allowed=editors, denied=[403], other_entity_sees=True
    )
    assert_access(
        actors, reverse("caselaw:new"), allowed=editors, denied=[403], other_entity_sees=True
    )
    assert_access(
        actors, reverse("caselaw:staff_detail", args=[decision.pk]), allowed=editors, denied=[403]
    )
    assert_access(
        actors, reverse("caselaw:edit", args=[decision.pk]), allowed=editors, denied=[403]
    )
    for url in (
        reverse("caselaw:search") + "?q=贩运",
        reverse("caselaw:detail", args=[decision.pk]),
        reverse("caselaw:digest"),
        "/api/v1/public/caselaw?q=%E8%B4%A9%E8%BF%90",
    ):
        from django.test import Client

        assert Client().get(url).status_code == 200, url
    draft = services.decision_save(actor=actors.by_role[Role.LEGAL_OFFICER], raw=DECISIONS[2])
    from django.test import Client

    assert Client().get(reverse("caselaw:detail", args=[draft.pk])).status_code == 404
    assert Client().get(f"/api/v1/public/caselaw/{draft.pk}").status_code == 404
    other = token_client(actors.other_by_role[Role.LEGAL_OFFICER])
    assert other.post(f"/api/v1/caselaw/decisions/{draft.pk}/publish").status_code == 404
    analyst = token_client(actors.by_role[Role.ANALYST])
    refused = analyst.post(
        "/api/v1/caselaw/decisions", data=DECISIONS[2], content_type="application/json"
    )
    assert refused.status_code == 403


def test_search_page_highlights_and_exports(published):
    from django.test import Client

    page = Client().get(reverse("caselaw:search"), {"q": "贩运"}).content.decode()
    assert "<mark>贩运</mark>" in page and "1 decision found" in page
    assert "8 decisions from 8 jurisdictions" in page
    rows = json.loads(Client().get(reverse("caselaw:export", args=["json"]), {"q": "贩运"}).content)
    assert [r["country"] for r in rows] == ["CHN"]
    digest = Client().get(reverse("caselaw:digest")).content.decode()
    assert "Non-punishment of victims (2)" in digest


def test_api_creates_a_draft_and_names_bad_fields(actors):
    officer = token_client(actors.by_role[Role.LEGAL_OFFICER])
    response = officer.post(
        "/api/v1/caselaw/decisions", data=DECISIONS[2], content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "draft"
    bad = officer.post(
        "/api/v1/caselaw/decisions",
        data={**DECISIONS[2], "country": "ZZZ"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "country" in bad.json()["detail"]


def test_commands_import_and_export(actors, tmp_path, capsys):
    source = tmp_path / "decisions.json"
    source.write_text(json.dumps(DECISIONS, ensure_ascii=False), encoding="utf-8")
    call_command("import_decisions", str(source), "--entity", actors.entity.code, "--publish")
    assert Decision.objects.filter(status="published").count() == len(DECISIONS)
    out = tmp_path / "out.csv"
    call_command("export_decisions", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert "贩运" in text and "أيزيديات" in text
    broken = tmp_path / "broken.json"
    broken.write_text('[{"title": "x"}', encoding="utf-8")
    with pytest.raises(Exception, match="Broken JSON"):
        call_command("import_decisions", str(broken), "--entity", actors.entity.code)


def test_postgresql_finds_words_spelled_alike_when_nothing_matches_exactly(published):
    from django.db import connection

    result = selectors.decision_search(user=None, query="cannabus")
    if connection.vendor != "postgresql":
        assert result.total == 0 and not result.approximate  # SQLite: exact words only
        return
    assert result.approximate
    assert DECISIONS[7]["title"] in {d.title for d in result.page.object_list}
    exact = selectors.decision_search(user=None, query="cannabis")
    assert not exact.approximate and exact.total >= 1
    assert selectors.decision_search(user=None, query="zzzzqqqq").total == 0


def test_a_draft_s_words_never_surface_in_the_public_search(actors):
    """Not as a result, nor as "words spelled alike": a name in an unpublished draft."""
    officer = actors.by_role[Role.LEGAL_OFFICER]
    services.decision_save(actor=officer, raw={**DECISIONS[0], "title": "Qwertyuiopovich case"})
    for query in ("Qwertyuiopovich", "Qwertyuiopovitch"):  # exact, and spelled alike
        result = selectors.decision_search(user=None, query=query)
        assert result.total == 0 and not result.approximate and not result.facets["country"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"verdict": "=cmd|' /C calc'!A0"}, "verdict"),
        ({"title": "x" * 301}, "title"),
        ({"country": "IRQ' OR 1=1"}, "country"),
        ({"victims_count": "1" * 50}, "victims_count"),
        ({"charges": [{"legislation": "Art. 1"}]}, "charge"),
        ({"language": None}, "language"),
        ({"fact_summary": {"$gt": ""}}, "fact_summary"),
        ({"victims_count": "²"}, "victims_count"),
        ({"conflict_situation": "²"}, "conflict_situation"),
    ],
)
def test_a_hostile_body_is_a_4xx_naming_the_field_and_writes_nothing(actors, change, field):
    # given
    officer = token_client(actors.by_role[Role.LEGAL_OFFICER])
    # when
    answer = officer.post(
        "/api/v1/caselaw/decisions",
        data={**DECISIONS[2], **change},
        content_type="application/json",
    )
    # then
    assert answer.status_code == 422, answer.content
    assert field in answer.content.decode()
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="caselaw.").exists()


def test_odd_numbers_in_the_query_string_are_ignored_not_a_500(published):
    from django.test import Client

    for query in ({"page": "²"}, {"page": "9" * 40}, {"year": "²"}, {"year": "9" * 40}):
        assert Client().get(reverse("caselaw:search"), query).status_code == 200, query
    assert Client().get("/api/v1/public/caselaw/abc").status_code in {404, 422}


def test_the_write_api_documents_its_body():
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    decision = schema["DecisionIn"]["properties"]
    assert "convicted" in decision["verdict"]["enum"]
    assert decision["title"]["maxLength"] == 300


def test_a_kept_searchs_first_pages_are_ranked_once(published, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "KEPT_HEAD", 4)
    rankings = []
    ranked = selectors._RankedIds._ranked

    def counted(self, window):
        rankings.append((window.start, window.stop))
        return ranked(self, window)

    monkeypatch.setattr(selectors._RankedIds, "_ranked", counted)
    order = selectors.ranked_ids(user=None)
    pages = [
        [d.pk for d in selectors.decision_search(user=None, page=n).page.object_list]
        for n in (1, 2, 3, 1)
    ]
    # then the pages are those of the full ranking, the first two read from one head
    assert pages == [order[0:2], order[2:4], order[4:6], order[0:2]]
    assert rankings == [(0, len(order)), (0, 4), (4, 6)]
