"""Limits for the public forms (anonymous reports and tips) that need no sign-in."""

from django.core.cache import cache
from django.http import HttpRequest

from ctip.core.crypto import blind_index


def too_many(request: HttpRequest, bucket: str, per_hour: int) -> bool:
    """Count one more submission from this address in `bucket`; True past `per_hour`.
    The address is kept only as a keyed hash, and only for the hour."""
    key = f"ratelimit:{bucket}:" + blind_index(
        str(request.META.get("REMOTE_ADDR", "")), purpose="ratelimit"
    )
    count = cache.get_or_set(key, 0, timeout=3600) or 0
    if count >= per_hour:
        return True
    cache.incr(key)
    return False
