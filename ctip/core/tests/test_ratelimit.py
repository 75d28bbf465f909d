"""Public-form and oracle limits hold across workers (issue 11, item 6)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from ctip.core.models import RateLimitCounter
from ctip.core.ratelimit import hit, too_many

pytestmark = pytest.mark.django_db


def test_the_limit_holds_when_each_request_lands_on_another_worker():
    request = RequestFactory().post("/public/tips/", REMOTE_ADDR="203.0.113.7")
    answers = []
    for _ in range(5):
        cache.clear()  # what another worker process, with its own memory, would see
        answers.append(too_many(request, "tips", 3))
    assert answers == [False, False, False, True, True]
    other = RequestFactory().post("/public/tips/", REMOTE_ADDR="203.0.113.8")
    assert too_many(other, "tips", 3) is False


def test_the_address_is_kept_only_as_a_keyed_hash():
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.23")
    too_many(request, "conduct-report", 5)
    counter = RateLimitCounter.objects.get()
    assert "198.51.100.23" not in counter.key and len(counter.key) == 64


def test_refused_uses_are_not_counted_and_old_hours_are_forgotten():
    for _ in range(10):
        hit("oracle", "user-1", 2)
    assert RateLimitCounter.objects.get().count == 2
    RateLimitCounter.objects.update(window_start=timezone.now() - timedelta(hours=3))
    assert hit("oracle", "user-1", 2) is False
    assert RateLimitCounter.objects.count() == 1  # the old hour was deleted
