"""The public pages, kept rendered until the data changes.

A public page shows only published, disclosure-controlled figures, the same for every
anonymous reader in a language. So it is rendered once per address, query and language and
kept in the cache under the sequence of the last audited event that may have changed data
(`AuditChainHead.changed_sequence`, set by `audit_record` in the same transaction as the
change): every write commits with its audit event, so a write moves the key and the next
reader gets a fresh page, in every worker process. Reads, sign-ins and exports leave the key
as it is. Pages expire after CTIP_PUBLIC_CACHE_SECONDS all the same (a date that turns at
midnight, a change made outside the application).

Signed-in readers are never served from it (their pages carry their menu), nor a request
with messages waiting. The CSRF token of the language form is the one thing in a public page
that is the reader's own: it is cut out of the kept copy and put back for each reader.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.http import urlencode

from ctip.core.audit import data_version

TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
MARK = b"\x00csrf\x00"
KEPT_HEADERS = ("Content-Type", "Content-Language")


def cache_key(request: HttpRequest) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    raw = f"{data_version()}|{translation.get_language()}|{request.path}|{query}"
    return "public-page:" + hashlib.sha256(raw.encode()).hexdigest()


def served_from_cache(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
        and settings.CTIP_PUBLIC_CACHE_SECONDS > 0
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous reader the page as rendered for the last reader since the data
    last changed (see the module's docstring)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not served_from_cache(request):
            return view(request, *args, **kwargs)
        key = cache_key(request)
        kept = cache.get(key)
        if kept is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            body = TOKEN.sub(rb"\1" + MARK + rb"\2", response.content)
            headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
            cache.set(key, (body, headers), settings.CTIP_PUBLIC_CACHE_SECONDS)
            return response
        body, headers = kept
        response = HttpResponse(body.replace(MARK, get_token(request).encode()))
        for header, value in headers.items():
            response[header] = value
        return response

    return wrapped
