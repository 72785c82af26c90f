"""The person and club cues around a name (tradeties.places.people.NameCues), read once per name."""

from __future__ import annotations

import random
import re

import pytest

from tradeties.places.people import _CLUB, NameCues
from tradeties.places.place import Place

# what NameCues.word_before reads in one anchored pass over the reversed text: the word a search
# for this pattern from every offset of the 25 characters before the name finds, followed by spaces only
WORD_BEFORE = re.compile(r"([A-Za-zÀ-ÿ][\w'’.-]*)\W*$")
PIECES = [*"aZ eé É9_'’.-,\n\t(ÿĀ中ß|", "Mr", "Sen.", "AC", "FC", "State ", "Real ", "  ", "Jean-Pierre", "O'Neil"]


def _searched(before: str) -> str | None:
    m = WORD_BEFORE.search(before)
    return m.group(1).rstrip(".") if m and before[m.end(1) :].strip(" ") == "" else None


def test_the_word_before_and_the_club_cue_read_as_their_regex_searches():
    rng = random.Random(7)
    for _ in range(20000):
        before = "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 12)))
        text = before + "Moore" + "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 8)))
        start, end = len(before), len(before) + 5
        cues = NameCues(text, start, end)
        assert cues.word_before == _searched(text[max(0, start - 25) : start]), text
        assert cues.club == bool(_CLUB.search(text[max(0, start - 12) : start] + "|" + text[end : end + 24])), text


@pytest.mark.parametrize(
    "text, word",
    [("Sen. Moore", "Sen"), ("Mr, Moore", None), ("Jean-Pierre Moore", "Jean-Pierre"), ("会见 Moore", None), ("", None)],
)
def test_the_word_right_before_a_name(text, word):
    start = text.find("Moore") if "Moore" in text else 0
    assert NameCues(text, start, start + 5).word_before == word


def test_a_small_town_after_a_first_name_is_a_persons_name_and_a_province_is_not():
    town = Place("gn:1", "Allen", "US", "city", prior=0.3)
    province = Place("US-TX", "Texas", "US", "province-or-state", prior=0.9)
    cues = NameCues("Chris Allen said so.", 6, 11)
    assert cues.titled_or_speaking and cues.person(town) and not cues.person(province)
