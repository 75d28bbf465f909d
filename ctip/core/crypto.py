"""Encryption of identity fields at rest, and blind indexes for matching without clear text.

A stored value reads `ctip1:<key id>:<base64(nonce | ciphertext | tag)>`. The key id lets
`ctip rotate_keys` move values to a new key while old ones still decrypt. The associated data
binds a value to its column, so a ciphertext copied into another column fails to decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
import unicodedata
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

from ctip.keyfile import Keyring, parse_keyring

PREFIX = "ctip1"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    pass


# A running process notices a rotated key file within this many seconds (`ctip rotate_keys`
# waits longer than this before it re-encrypts, so no process writes under the old key after).
KEYRING_RELOAD_SECONDS = 1.0


class _WatchedKeyring:
    """The keyring of this process, re-read when its key file changes on disk.

    Starts from `settings.CTIP_KEYRING`; when that came from a key file, the file's identity
    (inode, size, mtime) is looked at no more than once a second and the file re-read when it
    changed, so `ctip rotate_keys` takes effect in running web and task workers without a
    restart. Keys from the environment (CTIP_ENCRYPTION_KEYS) change only with a restart.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.base: Keyring | None = None
        self.ring: Keyring | None = None
        self.stamp: tuple[int, int, int] | None = None
        self.checked_at = 0.0

    @staticmethod
    def _stamp(ring: Keyring) -> tuple[int, int, int] | None:
        try:
            info = os.stat(ring.source)
        except OSError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def get(self, *, refresh: bool = False) -> Keyring:
        base: Keyring = settings.CTIP_KEYRING
        with self.lock:
            if self.base is not base or self.ring is None:
                self.base, self.ring = base, base
                self.stamp, self.checked_at = self._stamp(base), time.monotonic()
            from_file = bool(base.source) and base.source != "env"
            due = refresh or time.monotonic() - self.checked_at >= KEYRING_RELOAD_SECONDS
            if from_file and due:
                self.checked_at = time.monotonic()
                stamp = self._stamp(base)
                if stamp is not None and stamp != self.stamp:
                    self.ring = parse_keyring(
                        Path(base.source).read_text("utf-8"), source=base.source
                    )
                    self.stamp = stamp
            return self.ring


_watched = _WatchedKeyring()


def keyring(*, refresh: bool = False) -> Keyring:
    return _watched.get(refresh=refresh)


def encrypt(plaintext: str, *, context: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.keys[ring.current]).encrypt(
        nonce, plaintext.encode("utf-8"), context.encode()
    )
    return f"{PREFIX}:{ring.current}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str:
    return stored.split(":", 2)[1]


def decrypt(stored: str, *, context: str, ring: Keyring | None = None) -> str:
    explicit = ring is not None
    ring = ring or keyring()
    try:
        prefix, key_id, payload = stored.split(":", 2)
        if prefix != PREFIX:
            raise ValueError
        raw = base64.b64decode(payload)
    except ValueError as exc:
        raise DecryptionError(f"not a CTIP ciphertext in {context}") from exc
    if key_id not in ring.keys and not explicit:
        ring = keyring(refresh=True)  # another process may have just rotated the key file
    if key_id not in ring.keys:
        raise DecryptionError(f"key {key_id!r} for {context} is not in the keyring")
    try:
        return (
            AESGCM(ring.keys[key_id])
            .decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
            .decode("utf-8")
        )
    except InvalidTag as exc:
        raise DecryptionError(f"value in {context} fails authentication") from exc


def normalise_for_matching(value: str) -> str:
    """Case, accents' composition and spacing must not split one person into two."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash (HMAC-SHA256) of a normalised value: equal inputs match, nothing reverses.

    `purpose` separates indexes (a name and a document number never share one space).
    """
    message = f"{purpose}\x00{normalise_for_matching(value)}".encode()
    return hmac.new(keyring().blind_index_key, message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose value is encrypted with AES-GCM before it reaches the database.

    Only equality on a companion blind-index column can be queried; the ciphertext itself is
    not searchable, on purpose.
    """

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any
    ) -> None:  # type: ignore[override]
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.encryption_context = f"{cls._meta.label_lower}.{name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), context=self.encryption_context)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value, context=self.encryption_context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull"}:
            return None  # ciphertext comparisons would silently never match
        return super().get_lookup(lookup_name)


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
