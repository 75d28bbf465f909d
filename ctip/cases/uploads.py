"""A file attached to a case never touches the disk in clear.

Django keeps an upload in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) and writes a
larger one to a temporary file: a medical report of a trafficking victim in /tmp. This
handler, first in FILE_UPLOAD_HANDLERS (settings.py), takes the files
posted to the attachment page into memory, up to CTIP_CASE_ATTACHMENT_MAX_BYTES, and skips a
larger one (the page then says it is too large); the service encrypts the bytes before they
reach the database. Every other upload goes on to Django's handlers unchanged.

The request's body is parsed before any view runs (`RefuseNulBytesMiddleware` reads the
form), so the handler cannot be chosen by the view: it recognises the attachment page by
its URL."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.urls import Resolver404, resolve

from ctip.cases.services.attachments import max_bytes

HANDLER = "ctip.cases.uploads.AttachmentUploadHandler"
VIEW_NAME = "cases:attachment_add"


def is_attachment_upload(path: str) -> bool:
    try:
        return resolve(path).view_name == VIEW_NAME
    except Resolver404:
        return False


class AttachmentUploadHandler(FileUploadHandler):
    """In memory, for the attachment page only, up to the limit; no file at all above it."""

    activated = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.activated = self.request is not None and is_attachment_upload(self.request.path_info)
        self.limit = max_bytes()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.activated:
            self.buffer = io.BytesIO()
            raise StopFutureHandlers()  # no other handler (none writing to disk) sees it

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if not self.activated:
            return raw_data
        if self.buffer.tell() + len(raw_data) > self.limit:
            self.buffer = io.BytesIO()
            raise SkipFile()  # the rest is read and dropped, never kept
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if not self.activated:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
