"""Limits for actions that must not be repeated without bound: the public forms (anonymous
reports and tips, per address) and look-ups that could serve as an oracle (per user).

Counted in the database (`RateLimitCounter`) per clock hour, so that a limit holds across web
workers and machines. Addresses are kept only as keyed hashes, and counters are deleted once
they are two hours old.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from ctip.core.crypto import blind_index
from ctip.core.models import RateLimitCounter


def hit(bucket: str, key: str, per_hour: int) -> bool:
    """Count one more use of `bucket` by `key` in this hour. True when it is over the limit
    (the use is then not counted, so a refused flood does not extend itself)."""
    now = timezone.now()
    window = now.replace(minute=0, second=0, microsecond=0)
    counters = RateLimitCounter.objects.filter(bucket=bucket, key=key, window_start=window)
    for _attempt in range(3):
        if counters.filter(count__lt=per_hour).update(count=F("count") + 1):
            return False
        if counters.exists():
            return True
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(bucket=bucket, key=key, window_start=window)
        except IntegrityError:
            pass  # another worker created it meanwhile: count on it
        RateLimitCounter.objects.filter(window_start__lt=window - timedelta(hours=1)).delete()
    return True


def too_many(request: HttpRequest, bucket: str, per_hour: int) -> bool:
    """Count one more submission from this request's address in `bucket`; True past
    `per_hour`. The address is kept only as a keyed hash, and only for the hour."""
    address = blind_index(str(request.META.get("REMOTE_ADDR", "")), purpose="ratelimit")
    return hit(bucket, address, per_hour)
