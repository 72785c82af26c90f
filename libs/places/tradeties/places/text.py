"""Text plumbing shared by the gazetteer and the lexicons: sentence splitting and one
Aho-Corasick matcher with the word-boundary and case rules that place names and keywords need."""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")

# a run of plain characters is taken whole (possessive ++): only a stop ends a sentence, so giving
# back the run's characters one by one (quadratic on a line without a stop) could find nothing
_SENTENCE = re.compile(r"(?:[^.!?。！？；\n]++|[.!?](?![\s\"'”’)\]]|$))+(?:[.!?]+[\"'”’)\]]*|[。！？；]+|$)|[.!?。！？；]+")


def is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uac00" <= ch <= "\ud7af"


_PREFIX, _SUFFIX, _CASE = 1, 2, 4  # a Matcher key's flags (low bits of its _meta entry)

_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d")


class _Decomposed(dict):
    """str.translate table computed lazily: each character to its NFKD form without combining marks
    (decomposition works character by character, so translating equals normalising the string)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _DASHES:  # 巴登—符腾堡, Baden–Württemberg: a name's hyphen written as a dash
            out = self[code] = "-"
            return out
        # CJK stays whole: NFKD would split a hangul syllable into jamo (서울 never matched) and
        # strip the kana voicing marks (ボー became ホー, ヴォー ウォー)
        out = self[code] = (
            ch if is_cjk(ch) else "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        )
        return out


_DECOMPOSED = _Decomposed()


def fold(s: str) -> str:
    """Lower-case and strip accents, keeping CJK: the form keys and texts are matched in."""
    if s.isascii():
        return s.lower()
    return s.translate(_DECOMPOSED).replace("’", "'").lower()


class _AlignedFold(dict):
    """str.translate table computed lazily: each character to its one-character fold."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        f = fold(c)
        out = f if len(f) == 1 else (c.lower()[:1] or c)
        self[code] = out
        return out


_ALIGNED = _AlignedFold()


def fold_aligned(text: str) -> str:
    """fold() that keeps every character at its offset, so match spans index the original text."""
    if text.isascii():
        return text.lower()
    return text.translate(_ALIGNED)


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    in_title: bool


def split_sentences(title: str, body: str) -> tuple[str, list[Sentence]]:
    """The document as one string (title, blank line, body) and its sentences with offsets."""
    full = f"{title}\n\n{body}" if title else body
    title_end = len(title) if title else 0
    sentences: list[Sentence] = []
    paragraph = 0
    for block in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", full):
        for m in _SENTENCE.finditer(block.group()):
            piece = m.group()
            if not piece.strip():
                continue
            s0 = block.start() + m.start()
            sentences.append(Sentence(len(sentences), s0, s0 + len(piece), piece.strip(), paragraph, s0 < title_end))
        paragraph += 1
    if not sentences:
        sentences.append(Sentence(0, 0, len(full), full, 0, False))
    return full, sentences


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    start: int
    end: int
    value: T
    surface: str


class Matcher(Generic[T]):
    """Leftmost-longest, non-overlapping dictionary matching on folded text.

    Keys ending in "*" match as prefixes; other Latin keys need word boundaries on both sides;
    CJK keys match anywhere (one-character ones only with ``single_cjk``).
    ``capitalised`` demands an upper-case first letter in the original
    (place names: "Reading" the town, not "reading"); keys of up to three capitals ("AI", "UK",
    "EV") always match case-sensitively.
    """

    def __init__(self, entries: Iterable[tuple[str, T]], capitalised: bool = False, single_cjk: bool = False) -> None:
        # the automaton holds an index into _values: pickled, it is a plain int trie (fast to load)
        # and the values a Packed blob read per hit
        self._auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._values: Sequence[tuple] = []
        table: dict[str, tuple[bool, bool, str, bool, list[T]]] = {}
        for raw, value in entries:
            raw = raw.strip()
            prefix = suffix = False
            if "*" in raw:
                prefix = raw.endswith("*")
                suffix = raw.startswith("*")  # German compounds: "*forum" finds "Wirtschaftsforum"
                raw = raw.strip("*")
            key = fold(raw)
            # one-character keys only where asked: a lone Chinese preposition ("赴", "在") is a cue
            # in the few characters before a place, but inside running text it is part of words
            if len(key) < 2 and not (single_cjk and key and is_cjk(key)):
                continue
            exact = raw if (raw.isupper() and len(raw) <= 3) else ""
            # a key written in lower case (German/French adjectives: "bayerische", "bretonne")
            # matches in lower case even where names must be capitalised
            lower_ok = raw[:1].islower()
            cur = table.get(key)
            if cur is None:
                table[key] = (prefix, suffix, exact, lower_ok, [value])
                continue
            # one key written several ways: the loosest reading of each flag, whatever the order
            merged = (cur[0] or prefix, cur[1] or suffix, cur[2] if cur[2] == exact else "", cur[3] or lower_ok)
            if merged != cur[:4]:
                cur = table[key] = (*merged, cur[4])
            if value not in cur[4]:
                cur[4].append(value)
        values_of = []
        meta = array("I")  # per key: its length << 4 | flags, so most hits are refused without reading _values
        for i, (key, (prefix, suffix, exact, lower_ok, values)) in enumerate(table.items()):
            self._auto.add_word(key, i)
            values_of.append((exact, tuple(values)))
            flags = _PREFIX * prefix | _SUFFIX * suffix | _CASE * (capitalised and not lower_ok)
            meta.append(len(key) << 4 | flags)
        self._values = values_of
        self._meta = meta
        if table:
            self._auto.make_automaton()
        self._empty = not table

    def __getstate__(self) -> dict:
        from .packed import Packed

        state = dict(self.__dict__)
        if not isinstance(self._values, Packed):
            state["_values"] = Packed.of(self._values)
        return state

    def find(self, text: str, folded: str | None = None, accept: Callable[[T], bool] | None = None) -> list[Hit[tuple[T, ...]]]:
        """Matches; with ``accept``, values it rejects are dropped before the leftmost-longest
        choice (so a rejected longer key does not hide an accepted shorter one)."""
        if self._empty:
            return []
        folded = folded if folded is not None else fold_aligned(text)
        return self._chosen(text, folded, self._auto.iter(folded), accept)

    def _chosen(
        self, text: str, folded: str, found: Iterable[tuple[int, int]], accept: Callable[[T], bool] | None
    ) -> list[Hit[tuple[T, ...]]]:
        """The hits among the automaton's (end, key index) pairs ``found`` in ``folded``."""
        cands: list[tuple[int, int, tuple[T, ...]]] = []
        n = len(folded)
        table, metas = self._values, self._meta
        # most hits of a big dictionary sit inside words: the boundary tests come first and read only _meta
        for end, i in found:
            meta = metas[i]
            start = end - (meta >> 4) + 1
            # (a character below U+3040 is not CJK: is_cjk's call spared for Latin text)
            if (
                start > 0
                and not meta & _SUFFIX
                and folded[start - 1].isalnum()
                and ((c := folded[start]) < "\u3040" or not is_cjk(c))
            ):
                continue
            if (
                end + 1 < n
                and not meta & _PREFIX
                and folded[end + 1].isalnum()
                and ((c := folded[end]) < "\u3040" or not is_cjk(c))
            ):
                continue
            exact, values = table[i]
            if exact and text[start : end + 1] != exact:
                continue
            first = folded[start]
            if meta & _CASE and first.isalpha() and not is_cjk(first) and not text[start].isupper():
                continue
            if accept is not None:
                values = tuple(v for v in values if accept(v))
                if not values:
                    continue
            cands.append((start, end + 1, values))
        return [Hit(s, e, v, text[s:e]) for s, e, v in _leftmost_longest(cands)]


class MatcherSet(Generic[T]):
    """Several Matchers' keys in one automaton: one pass over the text instead of one per matcher
    (a pass costs ~0.1 ms per 5,000 characters however few keys match). Each matcher still
    chooses its own hits, as its find() would: its keys, flags and leftmost-longest choice."""

    def __init__(self, matchers: dict[str, Matcher[T]]) -> None:
        self.matchers = matchers
        self._auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._owners: list[list[tuple[str, int]]] = []  # per key here: (matcher, its index of the key)
        index: dict[str, int] = {}
        for name, m in matchers.items():
            for key, i in [] if m._empty else m._auto.items():
                if key not in index:
                    index[key] = len(self._owners)
                    self._owners.append([])
                    self._auto.add_word(key, index[key])
                self._owners[index[key]].append((name, i))
        if index:
            self._auto.make_automaton()

    def find(self, text: str, folded: str, accept: Callable[[T], bool] | None = None) -> dict[str, list[Hit[tuple[T, ...]]]]:
        found: dict[str, list[tuple[int, int]]] = {name: [] for name in self.matchers}
        if self._owners:
            for end, k in self._auto.iter(folded):
                for name, i in self._owners[k]:
                    found[name].append((end, i))
        return {name: m._chosen(text, folded, found[name], accept) for name, m in self.matchers.items()}


def _leftmost_longest(cands: list[tuple[int, int, T]]) -> Iterator[tuple[int, int, T]]:
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    taken_end = -1
    chosen: list[tuple[int, int, T]] = []
    for c in cands:
        if c[0] >= taken_end:
            chosen.append(c)
            taken_end = c[1]
        elif chosen and c[1] - c[0] > chosen[-1][1] - chosen[-1][0] and c[0] >= (chosen[-2][1] if len(chosen) > 1 else -1):
            # a longer match starting inside the previous one wins ("Greater Manchester" over "Greater")
            chosen[-1] = c
            taken_end = c[1]
    return iter(chosen)


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence:
    lo, hi = 0, len(sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sentences[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return sentences[lo]
