"""The public's searches are kept for the decisions' current version, and counted again by
the worker when decisions change, so that their next visitor does not wait for the count."""

import pytest

from ctip.caselaw import search_index, selectors, services
from ctip.caselaw.demo import DECISIONS
from ctip.core.codes import Role


@pytest.fixture
def counts(monkeypatch):
    """The searches counted (facets computed by the database or the index), by their
    decisions' number."""
    counted: list[int] = []
    facets, answer = selectors._facets, search_index.Index.answer

    def counting(decisions):
        found = facets(decisions)
        counted.append(found[1])
        return found

    def answering(index, *args):
        found = answer(index, *args)
        counted.append(found[1])
        return found

    monkeypatch.setattr(selectors, "_facets", counting)
    monkeypatch.setattr(search_index.Index, "answer", answering)
    return counted


def test_after_a_publication_the_worker_counts_the_recent_searches_again(
    published, counts, django_capture_on_commit_callbacks
):
    officer = published.by_role[Role.LEGAL_OFFICER]
    reviewer = published.other_by_role[Role.LEGAL_OFFICER]
    reviewer.entity = officer.entity
    reviewer.save()
    before = selectors.decision_search(user=None, query="贩运")
    assert counts == [before.total]
    draft = services.decision_save(actor=officer, raw={**DECISIONS[0], "title": "贩运 新"})
    counts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_publish(actor=reviewer, decision=draft)
    # the job (immediate in the tests) counted this search and the search with no words
    assert sorted(counts) == sorted([before.total + 1, len(DECISIONS) + 1])
    counts.clear()
    after = selectors.decision_search(user=None, query="贩运")
    assert counts == []  # the visitor is answered from what the worker kept
    assert after.total == before.total + 1
    assert "贩运 新" in {d.title for d in after.page.object_list}
    selectors.kept().clear()
    assert after.facets == selectors.decision_search(user=None, query="贩运").facets


def test_what_the_worker_counts_is_what_a_visitor_would_count(published):
    filters = {"verdict": "convicted"}
    selectors.decision_search(user=None, query="trafficking", filters=filters)
    selectors.kept().clear()  # as after a change: nothing kept for the new version
    terms = tuple(selectors.query_terms("trafficking"))
    selectors.kept().set(selectors.RECENT_KEY, [(terms, (("verdict", "convicted"),))])
    assert selectors.keep_recent_searches() == 2
    assert selectors.keep_recent_searches() == 0  # a second job finds them kept
    kept = selectors.decision_search(user=None, query="trafficking", filters=filters)
    selectors.kept().clear()
    counted = selectors.decision_search(user=None, query="trafficking", filters=filters)
    assert (kept.total, kept.facets) == (counted.total, counted.facets)
    assert [d.pk for d in kept.page.object_list] == [d.pk for d in counted.page.object_list]


def test_only_the_public_s_searches_are_remembered_and_at_most_fifty(published, monkeypatch):
    officer = published.by_role[Role.LEGAL_OFFICER]
    selectors.decision_search(user=officer, query="Qwertyuiopovich")  # may see drafts
    assert selectors.kept().get(selectors.RECENT_KEY) is None
    monkeypatch.setattr(selectors, "RECENT_SEARCHES", 3)
    for word in ("alpha", "beta", "gamma", "delta", "beta"):
        selectors.decision_search(user=None, query=word)
    recent = selectors.kept().get(selectors.RECENT_KEY)
    assert [terms[0].text for terms, _filters in recent] == ["beta", "delta", "gamma"]
    # each was kept when it was made: only the search with no words is counted
    assert selectors.keep_recent_searches() == 1


def test_a_search_kept_in_files_is_read_by_another_process(published, settings, tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    settings.CACHES = {
        **settings.CACHES,
        "searches": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    result = selectors.decision_search(user=None, query="贩运")
    elsewhere = FileBasedCache(str(tmp_path), {})  # what the worker or another web process opens
    key = selectors._search_of(None, result.terms, {}).cache_key
    assert elsewhere.get(key)[1] == result.total
    assert elsewhere.get(selectors.RECENT_KEY)[0][0] == tuple(result.terms)


def test_an_unknown_search_cache_is_refused_with_a_clear_message():
    import os
    import subprocess
    import sys

    env = {**os.environ, "CTIP_SEARCH_CACHE": "redis"}
    done = subprocess.run(
        [sys.executable, "-c", "import ctip.settings"], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "CTIP_SEARCH_CACHE must be files, database or memory." in done.stderr
