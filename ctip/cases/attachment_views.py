"""Pages of the files attached to a case: add, download (an audited read), delete.

The upload reaches the view already parsed in memory (`ctip.cases.uploads`); the download is
a POST, like the identity read, so no link followed from elsewhere records a read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.cases import selectors, services
from ctip.cases.services.attachments import max_bytes, too_large_message
from ctip.cases.views import _errors, _user


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:  # none sent, or skipped for its size (`ctip.cases.uploads`)
            too_large = int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes()
            raise ValidationError(
                {"file": too_large_message() if too_large else _("Choose a file.")}
            )
        services.attachment_add(
            actor=user,
            case=case,
            name=upload.name or "",
            content=upload.read(),
            description=request.POST.get("description", ""),
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("File attached, encrypted."))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """The file, once, for the response being built: saved by the browser, never shown in
    it, never kept by a cache."""
    user = _user(request)
    case = selectors.case_get(user=user, case_id=pk)
    attachment = selectors.attachment_get(user=user, case=case, attachment_id=attachment_pk)
    found = services.attachment_read(actor=user, attachment=attachment)
    content_type = found.content_type
    if content_type == "text/plain":
        content_type += "; charset=utf-8"
    response = HttpResponse(found.content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, found.name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, case_id=pk)
    attachment = selectors.attachment_get(user=user, case=case, attachment_id=attachment_pk)
    try:
        services.attachment_delete(actor=user, attachment=attachment)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("File deleted."))
    return redirect("cases:detail", pk=pk)
