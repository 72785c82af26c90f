"""Faithful fixtures of syndicated copies an editor went through, made from the real pages of
../shared/benchmarks/article-extraction (read at test time): the body of a real article, then a
copy of it under a new headline and a credit line with the edits a syndicating desk makes — a few
words changed in every paragraph, one paragraph dropped and one added, house style for quotes and
numbers; and follow-up stories, different articles that reuse an earlier story's paragraphs as
their background. ``SAME_EVENT``: real pages of that set that report one event independently
(distinct articles that must stay distinct). ``copies_among``: which pairs of sketches the crawler
takes for copies (its LSH candidates that ``resemblance.copy_of`` confirms)."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import defaultdict
from functools import lru_cache

from tradeties.crawler import resemblance

from .helpers import SHARED
from .hostile_web import page

GROUND_TRUTH = SHARED / "benchmarks" / "article-extraction" / "ground-truth.json"
#: Independent reports of one event in that set (URL fragments): WeWork, Stadia, impeachment, Hong Kong.
SAME_EVENT = (
    ("techcrunch.com/2019/11/18/new-york-state", "venturebeat.com/2019/11/18/new-york-state"),
    ("digg.com/2019/is-stadia", "mspoweruser.com/google-stadia", "wccftech.com/stadia", "hollywoodreporter.com/news/google-bets"),
    (
        "cbsnews.com/news/impeachment",
        "deccanherald.com/international/impeachment",
        "nationalreview.com/2019/11/trump-impeachment",
    ),
    (
        "express.co.uk/news/world/1206313/hong-kong",
        "theguardian.com/commentisfree/2019/nov/18/the-guardian",
        "washingtonexaminer.com/opinion/why-beijing",
    ),
)
#: Word swaps of a copy desk (a few per paragraph, picked at random among those that apply).
SWAPS = (
    ("said", "told reporters"),
    ("says", "said"),
    ("about", "around"),
    ("also", "additionally"),
    ("but", "however"),
    ("big", "large"),
    ("announced", "unveiled"),
    ("people", "individuals"),
    ("company", "firm"),
    ("because", "as"),
    ("very", "highly"),
    ("new", "latest"),
    ("more than", "over"),
    ("including", "such as"),
    ("will", "is set to"),
    ("would", "could"),
    ("help", "assist"),
    ("show", "demonstrate"),
    ("start", "begin"),
    ("get", "obtain"),
    ("before", "prior to"),
    ("after", "following"),
)
_DIGITS = dict(zip("123456789", "one two three four five six seven eight nine".split(), strict=True))
ADDED = (
    "The report could not be independently verified, and representatives did not immediately respond to "
    "requests for comment on Tuesday."
)


@lru_cache(maxsize=1)
def bodies() -> dict[str, list[str]]:
    """URL → paragraphs of every article of the set."""
    truth = json.loads(GROUND_TRUTH.read_text("utf-8"))
    return {a["url"]: [p.strip() for p in a["articleBody"].split("\n") if p.strip()] for a in truth.values()}


def articles() -> list[list[str]]:
    """The paragraphs of the set's articles of 250–2,500 words in 6 paragraphs or more (to copy), in set order."""
    return [paras for paras in bodies().values() if len(paras) >= 6 and 250 <= sum(len(p.split()) for p in paras) <= 2500]


def house_style(p: str) -> str:
    p = p.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    p = re.sub(r"\b(\d{1,3}),(\d{3})\b", r"\1\2", p)
    p = re.sub(r"\bper ?cent\b", "%", p)
    return re.sub(r"(?<![\d.,$])\b([1-9])\b(?![.,]?\d)", lambda m: _DIGITS[m.group(1)], p)


def edited(paras: list[str], seed: int, words_per_paragraph: int = 2) -> list[str]:
    """A copy desk's version of ``paras``: house style, ``words_per_paragraph`` swaps in each
    paragraph, one paragraph (not the lead) dropped, one added."""
    rng = random.Random(seed)
    out = []
    for p in paras:
        p = house_style(p)
        found = [s for s in SWAPS if re.search(rf"\b{s[0]}\b", p)]
        rng.shuffle(found)
        for old, new in found[:words_per_paragraph]:
            p = re.sub(rf"\b{old}\b", new, p, count=1)
        out.append(p)
    del out[rng.randrange(2, len(out) - 1)]
    out.insert(rng.randrange(1, len(out)), ADDED)
    return out


def original_page(title: str, paras: list[str]) -> bytes:
    return page(title, paras).encode()


def copy_page(title: str, paras: list[str], seed: int, **edits: int) -> bytes:
    """The edited copy under a new headline, with a credit line on top."""
    credit = "This article first appeared on a partner site and is republished with permission."
    return page(f"Analysis: {title.lower()}", [credit, *edited(paras, seed, **edits)]).encode()


def follow_up(earlier: list[str], news: list[str]) -> list[str]:
    """A different story on the same subject: paragraphs of its own (from ``news``) and, as
    background, paragraphs of the ``earlier`` story (from the second on) verbatim, as many words of
    each, the background half of the earlier story's words."""
    background = _first_words(earlier[1:], sum(len(p.split()) for p in earlier) // 2)
    return [*_first_words(news, sum(len(p.split()) for p in background)), *background]


def _first_words(paras: list[str], words: int) -> list[str]:
    """The first paragraphs of ``paras`` up to ``words`` words (at least one)."""
    out: list[str] = []
    for p in paras:
        if out and sum(len(q.split()) for q in out) + len(p.split()) > words:
            break
        out.append(p)
    return out


def copies_among(sketches: dict[str, bytes]) -> set[frozenset[str]]:
    """The pairs the state store would merge: sharing an LSH band (found through an index of the
    bands, as the store does, not by comparing a million pairs), then ``copy_of`` each other."""
    by_band = defaultdict(set)
    for key, value in sketches.items():
        for band in enumerate(resemblance.bands(value)):
            by_band[band].add(key)
    candidates = {frozenset(p) for keys in by_band.values() for p in itertools.combinations(sorted(keys), 2)}
    return {p for p in candidates if (a := sorted(p)) and resemblance.copy_of(sketches[a[0]], {a[1]: sketches[a[1]]})}
