"""German writes every noun with a capital: a town named like a German noun ("Wetter", "Norden",
"Zölle") is read as the noun where the text shows it is one (resolve._german_words,
_unsupported_word), and a place of that name still stands where the text introduces it. Each case
stands for its class; English text is read as before."""

from __future__ import annotations

import pytest

from tradeties.places import recognise

FILLER = " Die Regierung hat das Gesetz mit einer Mehrheit beschlossen, und die Opposition ist nicht zufrieden damit."


def places(text: str) -> set[str]:
    return {m.place.name for m in recognise(text + FILLER)}


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("Das Wetter in Bayern wird schlechter. Wetter und Wind bestimmen den Tag.", "Wetter"),  # after an article
        ("Im Norden Bayerns wurde gebaut. Norden und Süden sind getrennt.", "Norden"),  # a genitive may follow
        ("Die Zölle steigen in Bayern. Zölle treffen die Industrie.", "Zölle"),
        ("Die erste Halle in Sachsen ist fertig.", "Halle"),
        ("Dabei wurde in Berlin beschlossen, mehr zu bauen.", "Dubai"),  # a sentence adverb
        ("Er lebte in Hamburg unter falschem Namen.", "Namur"),  # an alternate name, a bare noun
        ("Arbeiter in Nairobi fordern existenzsichernde Löhne und Schutz.", "Lohne"),
        ("Mit viel Mühe wurde in Sachsen gebaut.", "Muhe"),  # an umlaut no name of the place has
    ],
)
def test_german_noun_is_no_town(text: str, noun: str) -> None:
    found = places(text)
    assert noun not in found, found
    assert found, "the real place of the sentence is still found"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Die Delegation besuchte die Hannover Messe und das Rathaus.", "Hanover"),  # a modifier, not the noun
        ("Die Stadt Essen und die Stadt Bochum unterzeichnen einen Vertrag.", "Essen"),
        ("Fracht fliegt über den Flughafen Leipzig/Halle nach Asien.", "Halle"),
        ("Die Partnerschaft zwischen Wetter und Hagen in Nordrhein-Westfalen wächst.", "Wetter"),
        ("Das Ruhrgebiet und die Steiermark arbeiten zusammen.", "Styria"),  # regions keep their article
    ],
)
def test_place_named_like_a_noun_still_stands(text: str, place: str) -> None:
    assert place in places(text)


def test_english_text_is_read_as_before() -> None:
    # not German text: "Norden" is the town in East Frisia beside its state
    assert "Norden" in {m.place.name for m in recognise("The ferry leaves Norden, Lower Saxony, for the islands every hour.")}
