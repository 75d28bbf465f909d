"""The public search index answers the public's searches as the database would, for the
version it was built from only, and never holds a draft."""

import pytest
from django.db import connection

from ctip.caselaw import search_index, selectors, services
from ctip.caselaw.demo import DECISIONS
from ctip.caselaw.models import Decision
from ctip.core.codes import Role

QUERIES = ["", "贩运", "儿童", "trafficking", "consent irrelevant", "enfants", "أيزيديات", "traff"]


def _built() -> search_index.Index:
    version = selectors.published_version()
    search_index.build(version, selectors.visible_decisions(None))
    index = search_index.current(version)
    assert index is not None
    return index


def _counted_by_the_database(monkeypatch, **search):
    with monkeypatch.context() as patched:
        patched.setattr(search_index, "current", lambda version: None)
        selectors.kept().clear()
        return selectors.decision_search(user=None, **search)


def _every_filter() -> list[dict[str, str]]:
    """One filter of each kind, with a value the demo decisions hold, and two together."""
    one = Decision.objects.filter(status="published").order_by("pk")[0]
    return [
        {},
        {"country": one.country_id or ""},
        {"year": str(one.decision_date.year)},
        {"verdict": one.verdict},
        {"conflict": "yes"},
        {"conflict": "no"},
        {"form": one.forms_of_exploitation.split(";")[-1]},
        {"victims": one.victim_nationalities.split(";")[0]},
        {"defendants": one.defendant_nationalities.split(";")[0]},
        {"issue": one.evidential_issues.split(";")[0]},
        {"verdict": one.verdict, "year": str(one.decision_date.year)},
        {"country": "ZZZ"},
        {"year": "not a year"},
    ]


def test_the_index_answers_every_search_as_the_database_counts_it(published, monkeypatch):
    _built()
    for filters in _every_filter():
        for query in QUERIES:
            by_index = selectors.decision_search(user=None, query=query, filters=filters)
            counted = _counted_by_the_database(monkeypatch, query=query, filters=filters)
            where = f"{query!r} {filters}"
            assert (by_index.total, by_index.facets) == (counted.total, counted.facets), where
            pages = [[d.pk for d in r.page.object_list] for r in (by_index, counted)]
            if connection.vendor == "sqlite" or not query:  # both rank by BM25 on SQLite
                assert pages[0] == pages[1], where
            else:  # PostgreSQL's own search ranks by ts_rank_cd: the same decisions
                assert sorted(pages[0]) == sorted(pages[1]), where
    assert selectors.decision_search(user=None, query="trafficking").total > 0


def test_the_index_counts_facets_in_memory_not_in_the_database(
    published, django_assert_max_num_queries
):
    _built()
    selectors.decision_search(user=None, query="warmed")  # the index loaded in this process
    with django_assert_max_num_queries(6):  # the version (4), the decisions of the page (1)
        result = selectors.decision_search(user=None, query="trafficking")
    assert result.total and result.facets["verdict"]


def test_a_draft_never_enters_the_index(published):
    officer = published.by_role[Role.LEGAL_OFFICER]
    services.decision_save(actor=officer, raw={**DECISIONS[0], "title": "Zyxwvutsrqpon draft"})
    index = _built()
    assert index.answer(selectors.query_terms("Zyxwvutsrqpon"), {}, 10)[1] == 0
    assert len(index.ids) == Decision.objects.filter(status="published").count()
    assert selectors.decision_search(user=None, query="Zyxwvutsrqpon").total == 0
    assert selectors.decision_search(user=officer, query="Zyxwvutsrqpon").total == 1


def test_an_index_of_an_earlier_version_is_never_read(published):
    index = _built()
    officer = published.by_role[Role.LEGAL_OFFICER]
    draft = services.decision_save(actor=officer, raw={**DECISIONS[0], "title": "Qjxz 贩运"})
    Decision.objects.filter(pk=draft.pk).update(status="published")  # a write outside services
    assert search_index.current(selectors.published_version()) is None
    found = selectors.decision_search(user=None, query="Qjxz")
    assert [d.pk for d in found.page.object_list] == [draft.pk]  # counted by the database
    assert draft.pk not in index.ids


def test_the_worker_builds_the_index_once_and_removes_the_older(published, settings):
    version = selectors.published_version()
    assert search_index.build(version, selectors.visible_decisions(None))
    assert not search_index.build(version, selectors.visible_decisions(None))  # already built
    officer = published.by_role[Role.LEGAL_OFFICER]
    services.decision_save(actor=officer, raw={**DECISIONS[0], "title": "another"})
    assert selectors.keep_recent_searches() == 1  # the job: the new version's index, then the
    folders = list(settings.CTIP_SEARCH_INDEX_DIR.iterdir())  # search with no words counted
    assert len(folders) == 1
    index = search_index.current(selectors.published_version())
    assert index is not None and index.folder == folders[0]


def test_an_unreadable_index_leaves_the_database_to_count(published, client):
    index = _built()
    (index.folder / "facets.npz").write_bytes(b"not an archive")
    search_index._loaded.clear()
    assert search_index.current(selectors.published_version()) is None
    response = client.get("/public/caselaw/", {"q": "trafficking"})
    assert response.status_code == 200
    assert response.context["result"].total > 0


def test_the_keyword_filter_is_counted_by_the_database(published, monkeypatch):
    _built()
    asked = []
    monkeypatch.setattr(search_index.Index, "answer", lambda *args: asked.append(args))
    result = selectors.decision_search(user=None, filters={"keyword": "debt bondage"})
    assert asked == []
    assert result.total == 1


def test_the_public_page_is_answered_from_the_index(published, client, monkeypatch):
    _built()
    monkeypatch.setattr(selectors, "_facets", lambda *args: pytest.fail("counted by the database"))
    response = client.get("/public/caselaw/", {"q": "trafficking", "page": "1"})
    assert response.status_code == 200
    titles = {d.title for d in response.context["result"].page.object_list}
    assert titles and titles <= {d["title"] for d in DECISIONS}


def test_the_command_builds_the_index_as_the_worker_does(published):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("keep_searches", stdout=out)
    assert "Search index ready" in out.getvalue()
    assert search_index.current(selectors.published_version()) is not None


def test_a_job_that_cannot_write_the_index_still_keeps_the_searches(published, monkeypatch):
    def full_disk(folder, published):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search_index, "_write", full_disk)
    assert selectors.keep_recent_searches() == 1  # the search with no words, by the database
    assert search_index.current(selectors.published_version()) is None
    assert not [p for p in search_index._folder("x").parent.iterdir() if p.name != "x"]


def test_the_worker_s_index_holds_no_draft(published):
    officer = published.by_role[Role.LEGAL_OFFICER]
    services.decision_save(actor=officer, raw={**DECISIONS[0], "title": "Zyxwvutsrqpon draft"})
    selectors.keep_recent_searches()  # the job, as the worker runs it
    index = search_index.current(selectors.published_version())
    assert index is not None
    assert len(index.ids) == Decision.objects.filter(status="published").count()
    assert index.answer(selectors.query_terms("Zyxwvutsrqpon"), {}, 10)[1] == 0


def test_a_lost_text_file_leaves_the_database_to_count(published, client):
    index = _built()
    (index.folder / "text.sqlite").unlink()
    response = client.get("/public/caselaw/", {"q": "trafficking"})
    assert response.status_code == 200
    assert response.context["result"].total > 0


def test_the_index_folder_s_other_contents_are_left_alone(published, settings):
    _built()
    other = settings.CTIP_SEARCH_INDEX_DIR / "static"
    other.mkdir()
    search_index.remove_all_but(selectors.published_version())
    assert other.exists()
