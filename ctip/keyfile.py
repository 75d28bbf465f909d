"""Encryption keys: where they come from and what shape they have.

Kept free of Django imports so that settings can load and check the keys at start-up.
A keyring is JSON: {"current": "<key id>", "keys": {"<key id>": "<base64 of 32 bytes>"},
"blind_index_key": "<base64 of 32 bytes>", "audit_current": "<key id>", "audit_keys":
{"<key id>": "<base64 of 32 bytes>"}}. The audit keys sign the audit log's hash chain; a key
file written before they existed gets one derived from its blind-index key (id "a0").
The keyring comes from the environment variable CTIP_ENCRYPTION_KEYS (the JSON itself) or
from the file named by CTIP_KEY_FILE — never from the database it protects.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

KEY_BYTES = 32

# Known to everyone who reads this file: fine for tests and a laptop demo, refused in production.
DEVELOPMENT_KEYRING_JSON = json.dumps(
    {
        "current": "dev-0",
        "keys": {"dev-0": base64.b64encode(b"ctip-development-key-not-secret!").decode()},
        "blind_index_key": base64.b64encode(b"ctip-development-hmac-not-secret").decode(),
    }
)


class KeyringError(ValueError):
    pass


DERIVED_AUDIT_KEY_ID = "a0"


def _derived_audit_key(blind_index_key: bytes) -> bytes:
    return hmac.new(blind_index_key, b"ctip audit chain v1", hashlib.sha256).digest()


def _new_key_id(prefix: str, taken: dict[str, bytes]) -> str:
    key_id = prefix + dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    while key_id in taken:
        key_id += "x"
    return key_id


@dataclass(frozen=True)
class Keyring:
    current: str
    keys: dict[str, bytes]
    blind_index_key: bytes
    source: str = field(default="", compare=False)
    audit_current: str = DERIVED_AUDIT_KEY_ID
    audit_keys: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.audit_keys:
            derived = {DERIVED_AUDIT_KEY_ID: _derived_audit_key(self.blind_index_key)}
            object.__setattr__(self, "audit_keys", derived)
            object.__setattr__(self, "audit_current", DERIVED_AUDIT_KEY_ID)

    @property
    def is_development(self) -> bool:
        development = parse_keyring(DEVELOPMENT_KEYRING_JSON, source="")
        return self.blind_index_key == development.blind_index_key or any(
            key in development.keys.values() for key in self.keys.values()
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "current": self.current,
                "keys": {kid: base64.b64encode(key).decode() for kid, key in self.keys.items()},
                "blind_index_key": base64.b64encode(self.blind_index_key).decode(),
                "audit_current": self.audit_current,
                "audit_keys": {
                    kid: base64.b64encode(key).decode() for kid, key in self.audit_keys.items()
                },
            },
            indent=2,
        )

    def with_new_key(self) -> Keyring:
        """A keyring with a fresh current encryption key and a fresh current audit key; the
        old keys stay so old values still decrypt and old audit events still verify."""
        key_id = _new_key_id("k", self.keys)
        audit_id = _new_key_id("a", self.audit_keys)
        return Keyring(
            key_id,
            {**self.keys, key_id: secrets.token_bytes(KEY_BYTES)},
            self.blind_index_key,
            self.source,
            audit_id,
            {**self.audit_keys, audit_id: secrets.token_bytes(KEY_BYTES)},
        )


def _decode_key(value: object, what: str) -> bytes:
    try:
        key = base64.b64decode(str(value), validate=True)
    except ValueError as exc:
        raise KeyringError(f"{what} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise KeyringError(f"{what} must be {KEY_BYTES} bytes, found {len(key)}")
    return key


def parse_keyring(text: str, *, source: str) -> Keyring:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KeyringError(f"keyring from {source or 'default'} is not JSON: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("keys"), dict) or not raw["keys"]:
        raise KeyringError("keyring needs a non-empty 'keys' object")
    keys = {str(kid): _decode_key(value, f"key {kid!r}") for kid, value in raw["keys"].items()}
    current = str(raw.get("current", ""))
    if current not in keys:
        raise KeyringError(f"current key {current!r} is not among the keys")
    blind_index_key = _decode_key(raw.get("blind_index_key", ""), "blind_index_key")
    raw_audit = raw.get("audit_keys") or {}
    if not isinstance(raw_audit, dict):
        raise KeyringError("'audit_keys' must be an object")
    audit_keys = {str(k): _decode_key(v, f"audit key {k!r}") for k, v in raw_audit.items()}
    audit_current = str(raw.get("audit_current", "")) if audit_keys else DERIVED_AUDIT_KEY_ID
    if audit_keys and audit_current not in audit_keys:
        raise KeyringError(f"current audit key {audit_current!r} is not among the audit keys")
    return Keyring(current, keys, blind_index_key, source, audit_current, audit_keys)


def load_keyring(environ: os._Environ[str] | dict[str, str], default_file: Path) -> Keyring:
    if environ.get("CTIP_ENCRYPTION_KEYS"):
        return parse_keyring(environ["CTIP_ENCRYPTION_KEYS"], source="env")
    path = Path(environ.get("CTIP_KEY_FILE") or default_file)
    if path.exists():
        return parse_keyring(path.read_text(encoding="utf-8"), source=str(path))
    if environ.get("CTIP_KEY_FILE"):
        raise KeyringError(f"CTIP_KEY_FILE {path} does not exist")
    return parse_keyring(DEVELOPMENT_KEYRING_JSON, source="")


def new_keyring() -> Keyring:
    key_id, audit_id = _new_key_id("k", {}), _new_key_id("a", {})
    return Keyring(
        key_id,
        {key_id: secrets.token_bytes(KEY_BYTES)},
        secrets.token_bytes(KEY_BYTES),
        "",
        audit_id,
        {audit_id: secrets.token_bytes(KEY_BYTES)},
    )


def write_keyring(keyring: Keyring, path: Path) -> None:
    """Write atomically with owner-only permissions, so a crash never leaves half a key file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(keyring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
