"""Session 11's name classes (issue 11): forms of names the sources give in one form only. Each case
stands for a class, not for the name itself."""

from __future__ import annotations

import pytest

from tradeties.places import recognise
from tradeties.places.name_forms import inflect


def read(text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.place.id) for m in recognise(text)]


def test_romance_adjectives_are_inflected():
    assert inflect("andaluz", "es") == {"andaluz", "andaluza", "andaluces", "andaluzas"}
    assert inflect("piemontese", "it") == {"piemontese", "piemontesi"}
    assert inflect("valencien", "fr") == {"valencien", "valencienne", "valenciens", "valenciennes"}


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("Extenda lleva a 27 empresas andaluzas a Gulfood Dubái", "andaluzas", "ES-AN"),
        ("una misión de 25 empresas vascas", "vascas", "ES-PV"),
        ("imprese piemontesi e toscane a Shanghai", "piemontesi", "IT-21"),
        ("la Catalogne et la Communauté valencienne", "valencienne", "ES-VC"),
        ("Une quarantaine d'entreprises réunionnaises en mission à Maurice", "réunionnaises", "FR-974"),
    ],
)
def test_division_adjectives_in_spanish_italian_and_french(text, surface, expected):
    assert (surface, expected) in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "On a mangé des sardines, une sarde grillée.",  # French for a sardine, not Sardinia's "sarde"
        "Una vasca da bagno in ceramica.",  # Italian for a tub, not the Basque "vasca"
        "Guy Lombardo and his orchestra played.",  # a surname, not the Lombard "lombardo"
    ],
)
def test_adjectives_that_are_words_of_another_language_are_not_read(text):
    assert read(text) == []


def test_an_adjective_a_town_bears_stays_the_towns():
    assert read("Le maire de Valenciennes est venu.") == [("Valenciennes", "gn:2971041")]
