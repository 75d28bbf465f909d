"""Linkage keys: an identity (given name, family name, date of birth, sex) turned into a
1,024-bit Bloom filter (a cryptographic linkage key) on the entity's own machine. The names
set bits in the first half of the filter, the date of birth and the sex in quarters of their
own (field-level filters), so that the analyst's scoring can tell a namesake born on another
day from the same person with a name spelt otherwise.

The hashing is clkhash's: keys derived from the round's shared secret with HKDF-SHA256, one
per feature, and each token set into the filter by keyed BLAKE2b. What is ours is the choice
of tokens, written in `rules.json` so that the encoding page computes the same key:

- the name: bigrams of every name token, given and family names together, so the order of the
  names does not matter and a typo changes a few bigrams only;
- the name's consonant skeleton: letters of Arabic, Persian and Cyrillic script transliterated,
  spelling variants folded (kh → k, ou → u, ...), vowels dropped, so that "Mohammed",
  "Muhammad" and "محمد" give the same skeleton "mhmd";
- the date of birth: the year, the day and month each, and the unordered pair of day and
  month, so a day and month swapped still agree on two tokens of four;
- the sex.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bitarray import bitarray
from clkhash.bloomfilter import blake_encode_ngrams
from clkhash.key_derivation import generate_key_lists
from django.utils.translation import gettext as _

RULES = json.loads((Path(__file__).with_name("rules.json")).read_text(encoding="utf-8"))
BITS: int = RULES["bits"]
KEY_BYTES = BITS // 8
KEY_CHARS = 4 * -(-KEY_BYTES // 3)  # base64, with padding
FEATURES = tuple(RULES["bits_per_token"])  # name, skeleton, date_of_birth, sex
# where each feature sets its bits: (offset, size), size a power of two (clkhash's rule)
SEGMENTS: dict[str, tuple[int, int]] = {
    name: (offset, size) for name, (offset, size) in RULES["segments"].items()
}


def bits_of(feature: str) -> slice:
    """The bit positions a feature may set."""
    offset, size = SEGMENTS[feature]
    return slice(offset, offset + size)


IDENTITY_COLUMNS = ("given_name", "family_name", "date_of_birth", "sex")
CLEAR_IDENTITY_COLUMNS = ("given_name", "family_name", "names", "full_name", "date_of_birth")
MIN_SECRET_CHARS = 16
MAX_NAME_CHARS = 500
_DATE_PATTERNS = (
    re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{1,2})(?:-(?P<d>[0-9]{1,2}))?)?"),
    re.compile(r"(?P<d>[0-9]{1,2})[/.](?P<m>[0-9]{1,2})[/.](?P<y>[0-9]{4})"),
)
# Arabic-Indic and Persian digits read as 0-9 (the browser encoder does the same)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_SEXES = {"f": "f", "female": "f", "m": "m", "male": "m"}


class IdentityProblem(ValueError):
    """A value that cannot be encoded; `field` names the column."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Identity:
    given_name: str = ""
    family_name: str = ""
    date_of_birth: str = ""
    sex: str = ""


def name_tokens(text: str) -> list[str]:
    """Lower-case Latin tokens of a name in any script the rules know."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    letters = RULES["letters"]
    out = []
    for char in decomposed:
        if unicodedata.category(char) == "Mn":
            continue
        char = letters.get(char, char)
        out.append(char if re.fullmatch(r"[a-z]*", char) else " ")
    return "".join(out).split()


def skeleton(token: str) -> str:
    """The consonants of a name token, with spelling variants folded."""
    for before, after in RULES["skeleton_folds"]:
        token = token.replace(before, after)
    kept = [
        char
        for i, char in enumerate(token)
        if char not in RULES["vowels"] and not (i and char in RULES["semivowels"])
    ]
    if kept and kept[-1] == "h":
        kept.pop()
    return "".join(char for i, char in enumerate(kept) if not i or char != kept[i - 1])


def bigrams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def date_tokens(text: str) -> list[str]:
    text = text.strip().translate(_DIGITS)
    if not text:
        return []
    for pattern in _DATE_PATTERNS:
        found = pattern.fullmatch(text[:10] if pattern is _DATE_PATTERNS[0] else text)
        if found:
            break
    else:
        raise IdentityProblem(
            "date_of_birth",
            _("a date as YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY, not “%(value)s”")
            % {"value": text[:40]},
        )
    year, month, day = found["y"], found["m"], found["d"]
    if not 1900 <= int(year) <= 2100 or any(
        part is not None and not 1 <= int(part) <= 31 for part in (month, day)
    ):
        raise IdentityProblem(
            "date_of_birth",
            _("a date of birth between 1900 and 2100, not “%(value)s”") % {"value": text},
        )
    tokens = [f"y{year}"]
    parts = [f"{int(p):02d}" for p in (month, day) if p is not None]
    if month is not None:
        tokens.append(f"m{parts[0]}")
    if day is not None:
        tokens += [f"d{parts[1]}", "p" + "".join(sorted(parts))]
    return tokens


def tokens(identity: Identity) -> dict[str, list[str]]:
    """The tokens of each feature, in the order of FEATURES."""
    names = [
        token
        for field in ("given_name", "family_name")
        for token in name_tokens(_checked_name(field, getattr(identity, field)))
    ]
    sex = _SEXES.get(identity.sex.strip().lower())
    return {
        "name": sorted({gram for name in names for gram in bigrams(name)}),
        "skeleton": sorted(
            {gram for name in names if (bones := skeleton(name)) for gram in bigrams(bones)}
        ),
        "date_of_birth": date_tokens(identity.date_of_birth),
        "sex": [sex] if sex else [],
    }


def _checked_name(field: str, value: str) -> str:
    if len(value) > MAX_NAME_CHARS:
        raise IdentityProblem(field, _("at most %(n)s characters") % {"n": MAX_NAME_CHARS})
    return value


@lru_cache(maxsize=8)
def feature_keys(secret: str) -> tuple[bytes, ...]:
    """One 64-byte key per feature, derived from the round's shared secret (HKDF-SHA256)."""
    keys = generate_key_lists(
        secret.encode("utf-8"),
        len(FEATURES),
        num_hashing_methods=1,
        info=RULES["version"].encode(),
    )
    return tuple(key for (key,) in keys)


def encode(identity: Identity, secret: str) -> str:
    """The linkage key (base64 of BITS bits), or "" when the identity has no name at all."""
    features = tokens(identity)
    if not features["name"]:
        return ""
    keys = feature_keys(secret)
    bloom = bitarray(BITS)
    bloom.setall(False)
    for key, feature in zip(keys, FEATURES, strict=True):
        grams = features[feature]
        if grams:
            k = RULES["bits_per_token"][feature]
            offset, size = SEGMENTS[feature]
            part = blake_encode_ngrams(grams, (key,), [k] * len(grams), size, "utf-8")
            bloom[offset : offset + size] |= part
    return base64.b64encode(bloom.tobytes()).decode("ascii")


def decode(key: str) -> bitarray:
    """The Bloom filter of a stored key; ValueError when it is not one."""
    raw = base64.b64decode(key, validate=True)
    if len(raw) != KEY_BYTES:
        raise ValueError(f"a linkage key has {KEY_BYTES} bytes, this one {len(raw)}")
    bloom = bitarray()
    bloom.frombytes(raw)
    return bloom


def read_secret(path: Path) -> str:
    """The shared secret: the first line of the file, at least MIN_SECRET_CHARS long."""
    try:
        first = path.read_text(encoding="utf-8").splitlines()[:1]
    except (OSError, UnicodeDecodeError) as error:
        raise IdentityProblem(
            "secret", _("cannot read the secret file: %(e)s") % {"e": error}
        ) from None
    secret = first[0].strip() if first else ""
    if len(secret) < MIN_SECRET_CHARS:
        raise IdentityProblem(
            "secret",
            _("the secret file's first line must hold at least %(n)s characters")
            % {"n": MIN_SECRET_CHARS},
        )
    return secret
