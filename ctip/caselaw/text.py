"""Text for full-text search in every UN language, on SQLite and PostgreSQL alike.

Word-based indexes find Arabic, French, Russian, Spanish and English words, but Chinese is
written without spaces: a whole sentence would be one "word", and SQLite's trigram tokenizer
finds nothing for the two-character words Chinese is made of (贩运, 儿童). So every run of
CJK characters is indexed as its overlapping two-character pieces ("人口贩运" → "人口 口贩 贩运")
and a query is cut the same way and matched as a phrase: any word of two or more characters
is found exactly where it occurs. A one-character query matches pieces starting with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_RUN = re.compile(f"[{CJK}]+")
WORD = re.compile(rf"[{CJK}]+|[^\W_]+", re.UNICODE)
MAX_TERMS = 8


def fold(text: str) -> str:
    """Lower case without diacritics (é → e, Arabic short vowels dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def bigrams(run: str) -> list[str]:
    return [run] if len(run) < 2 else [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(*parts: str) -> str:
    """The text an index stores: folded words, CJK runs as their two-character pieces."""
    tokens: list[str] = []
    for match in WORD.finditer(fold(" ".join(p for p in parts if p))):
        word = match.group()
        tokens.extend(bigrams(word) if CJK_RUN.fullmatch(word) else [word])
    return " ".join(tokens)


@dataclass(frozen=True)
class Term:
    """One query word: its index tokens, matched as a phrase; `prefix` for the last token."""

    text: str
    tokens: tuple[str, ...]
    prefix: bool


def query_terms(query: str) -> list[Term]:
    terms = []
    for match in WORD.finditer(fold(query)):
        word = match.group()
        if CJK_RUN.fullmatch(word):
            terms.append(Term(word, tuple(bigrams(word)), prefix=len(word) == 1))
        else:
            terms.append(Term(word, (word,), prefix=len(word) >= 3))
    return terms[:MAX_TERMS]


def highlight(text: str, terms: list[Term], width: int = 240) -> SafeString:
    """An escaped snippet of `text` around the first match, each match in <mark>."""
    if not text:
        return mark_safe("")
    folded = fold(text)
    if len(folded) != len(text):  # folding changed lengths: match on the text itself
        folded = text.casefold()
    spans: list[tuple[int, int]] = []
    for term in terms:
        pattern = re.escape(term.text) + (r"[^\W_]*" if term.prefix else "")
        if not CJK_RUN.fullmatch(term.text):
            pattern = r"(?<![^\W_])" + pattern
        spans.extend(m.span() for m in re.finditer(pattern, folded))
    spans.sort()
    start = max(0, spans[0][0] - width // 3) if spans else 0
    end = min(len(text), start + width)
    pieces: list[str] = []
    position = start
    for a, b in spans:
        if a < position or b > end:
            continue
        pieces.append(escape(text[position:a]))
        pieces.append(f"<mark>{escape(text[a:b])}</mark>")
        position = b
    pieces.append(escape(text[position:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)


def best_snippet(texts: list[str], terms: list[Term]) -> SafeString:
    """The snippet of the first text that has a match (else of the first text)."""
    for text in texts:
        snippet = highlight(text, terms)
        if "<mark>" in snippet:
            return snippet
    return highlight(texts[0] if texts else "", terms)
