"""Near-duplicate fingerprints: 64-bit SimHash over token 3-shingles of an article's body.

Tokens are words, except in Chinese/Japanese script, which is written without spaces: there each
character is a token (so shingles are character trigrams; a CJK character carries about a word).
The fingerprint covers the body only (``body_text``: leading title and dateline lines dropped,
and a credit line at either end — "This article first appeared in …", "Source: …", "(Reuters)" —
too), so a copy republished under another title with a credit line still lands within
``max_bits``: one credit line alone moved a 300–900-word body by up to 10 bits.

Syndicated copies of an article carry the same body under other titles and boilerplate; after
extraction their texts differ by a few words at most, so their SimHashes differ in a few bits
while unrelated texts differ in about 32. Bodies are near-duplicates when the Hamming distance
is at most ``max_bits``. Lookup uses the pigeonhole bands of Manku et al. (WWW 2007): split the
64 bits into ``max_bits + 1`` blocks; two fingerprints within distance ``max_bits`` agree on at
least one whole block, so only articles sharing a block value are compared (an index lookup in
the state store, no scan).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

#: Han (incl. extensions A and compatibility), hiragana and katakana. Hangul is space-separated.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+", re.UNICODE)
_CJK_CHAR = re.compile(rf"[{_CJK}]")
#: A leading date ("11 June 2019", "June 11, 2019", "2019-06-11", "2019年6月11日"), maybe with a time.
_DATELINE = re.compile(
    r"\W*(?:\d{1,2}\.?\s+\w+\.?\s+\d{4}|\w+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?:[\sT,]+\d{1,2}:\d{2}(?::\d{2})?)?(?=\s|$)"
)
SHINGLE = 3
#: Bumped whenever ``simhash`` of the same page changes (the state store ignores other versions).
#: 1: whole text, word tokens. 2: body only, CJK characters as tokens. 3: credit lines dropped too.
VERSION = 3
#: Below this many shingles a text is too short for a meaningful SimHash (exact hash only).
MIN_SHINGLES = 24


def tokens(text: str) -> list[str]:
    """Words, and single characters inside CJK runs."""
    return _TOKEN.findall(text.lower())


def cjk_chars(text: str) -> int:
    return len(_CJK_CHAR.findall(text))


#: A syndication credit: short, and saying where the text came from (en, de, fr, es, zh).
_CREDIT = re.compile(
    r"first (?:appeared|published)|originally (?:appeared|published)|republished|reprinted|syndicated|"
    r"with (?:kind )?permission|courtesy of|^\W*(?:source|quelle|fuente|via)\s*:|©|\bcopyright\b|"
    r"^\W*\((?:reuters|ap|afp|dpa|xinhua|ansa|efe|kyodo)\)|erschien zuerst|zuerst erschienen|publié initialement|"
    r"publicado originalmente|来源[:：]|转载|原文",
    re.I,
)
_CREDIT_MAX_WORDS = 40


def _without_credits(body: str) -> str:
    paras = [p for p in body.split("\n") if p.strip()]
    kept = list(paras)
    for end in (0, -1):
        if len(kept) > 2 and len(kept[end].split()) <= _CREDIT_MAX_WORDS and _CREDIT.search(kept[end]):
            kept.pop(end)
    return body if len(kept) == len(paras) else "\n\n".join(kept)


def body_text(text: str, title: str | None) -> str:
    """``text`` without its leading title and dateline (extractors keep the <h1> and <time>,
    sometimes on the first paragraph's line) and without a credit line at either end."""
    return _without_credits(_without_title(text, title))


def _without_title(text: str, title: str | None) -> str:
    body = text.lstrip()
    title = " ".join((title or "").split())
    while True:
        if title and " ".join(body[: len(title) * 2].split()).casefold().startswith(title.casefold()):
            body = _cut_prefix(body, title).lstrip()
        elif m := _DATELINE.match(body):
            body = body[m.end() :].lstrip()
        else:
            return body


def _cut_prefix(body: str, title: str) -> str:
    """``body`` after the title it starts with (whitespace-insensitive)."""
    want = len("".join(title.split()))
    seen = 0
    for i, ch in enumerate(body):
        if not ch.isspace():
            seen += 1
            if seen == want:
                return body[i + 1 :]
    return ""


def simhash(text: str) -> int | None:
    words = tokens(text)
    n = len(words) - SHINGLE + 1
    if n < MIN_SHINGLES:
        return None
    digests = b"".join(
        hashlib.blake2b(" ".join(words[i : i + SHINGLE]).encode("utf-8"), digest_size=8).digest() for i in range(n)
    )
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(n, 64)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - n
    value = 0
    for bit in (votes > 0).tolist():
        value = (value << 1) | int(bit)
    return value


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def bands(value: int, max_bits: int) -> list[int]:
    """Block values of ``value`` for a threshold of ``max_bits`` (band i → its bits)."""
    blocks = max_bits + 1
    width, bounds, start = 64 // blocks, [], 0
    for i in range(blocks):
        end = 64 if i == blocks - 1 else start + width
        bounds.append((start, end))
        start = end
    return [(value >> (64 - end)) & ((1 << (end - s)) - 1) for s, end in bounds]


def to_signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= (1 << 63) else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value
