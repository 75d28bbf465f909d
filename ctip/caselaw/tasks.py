"""The case-law job of the worker: the public's recent searches counted again after decisions
change, so that their next visitor does not wait for the count."""

from __future__ import annotations

from django_tasks import task

from ctip.caselaw import selectors


@task()
def keep_searches() -> int:
    return selectors.keep_recent_searches()
