"""Encryption keys: where they come from and what shape they have.

Kept free of Django imports so that settings can load and check the keys at start-up.
A keyring is JSON: {"current": "<key id>", "keys": {"<key id>": "<base64 of 32 bytes>"},
"blind_index_key": "<base64 of 32 bytes>"}. It comes from the environment variable
CTIP_ENCRYPTION_KEYS (the JSON itself) or from the file named by CTIP_KEY_FILE — never
from the database it protects.
"""

from __future__ import annotations

import base64
import datetime as dt
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


@dataclass(frozen=True)
class Keyring:
    current: str
    keys: dict[str, bytes]
    blind_index_key: bytes
    source: str = field(default="", compare=False)

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
            },
            indent=2,
        )

    def with_new_key(self) -> Keyring:
        """A keyring with a fresh current key; the old keys stay so old values still decrypt."""
        key_id = dt.datetime.now(dt.UTC).strftime("k%Y%m%d%H%M%S")
        while key_id in self.keys:
            key_id += "x"
        keys = {**self.keys, key_id: secrets.token_bytes(KEY_BYTES)}
        return Keyring(key_id, keys, self.blind_index_key, self.source)


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
    return Keyring(current, keys, blind_index_key, source)


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
    key_id = dt.datetime.now(dt.UTC).strftime("k%Y%m%d%H%M%S")
    return Keyring(key_id, {key_id: secrets.token_bytes(KEY_BYTES)}, secrets.token_bytes(KEY_BYTES))


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
