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
import unicodedata
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

from ctip.keyfile import Keyring

PREFIX = "ctip1"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    pass


def keyring() -> Keyring:
    return settings.CTIP_KEYRING


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
    ring = ring or keyring()
    try:
        prefix, key_id, payload = stored.split(":", 2)
        if prefix != PREFIX:
            raise ValueError
        raw = base64.b64decode(payload)
    except ValueError as exc:
        raise DecryptionError(f"not a CTIP ciphertext in {context}") from exc
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
