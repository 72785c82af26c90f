"""Names in the other news languages and scripts, and the longest name winning (issues #10/#11):
each case stands for a class of names a pinned package gives, not for the name itself."""

from __future__ import annotations

import pytest

from tradeties.places import recognise
from tradeties.places.text import fold


def read(text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.place.id) for m in recognise(text)]


def test_fold_keeps_cjk_whole():
    # NFKD split hangul into jamo (no Korean key ever matched) and dropped the kana voicing marks
    assert fold("서울") == "서울" and fold("ボー") == "ボー" and fold("Düsseldorf") == "dusseldorf"


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("ハノイで会談が開かれた。", "ハノイ", "gn:1581130"),  # katakana exonyms of foreign cities
        ("ソウルで会談が開かれた。", "ソウル", "KR-11"),
        ("서울에서 회담이 열렸다.", "서울", "KR-11"),  # hangul
        ("Un sommet s'est tenu à Dunkerque, dans le Nord.", "Dunkerque", "gn:3020686"),  # Latin spellings
        ("Il vertice si è tenuto a Torino.", "Torino", "gn:3165524"),
        ("El Gobierno de Euskadi firmó el acuerdo.", "Euskadi", "ES-PV"),  # one-word division aliases
        ("La Carinzia e la Carinthia", "Carinthia", "AT-2"),
        ("代表团访问了越南谅山省。", "谅山省", "VN-09"),  # pycountry's names of divisions of every country
        ("代表团访问了捷克南摩拉维亚州。", "南摩拉维亚州", "CZ-64"),  # with the suffix Chinese writes
        ("新竹県の工場", "新竹県", "TW-HSQ"),  # 縣 in Japanese script
        ("江蘇省の代表団が訪れた。", "江蘇省", "CN-JS"),  # a division's name in the other Han scripts (opencc)
        ("黒竜江省の代表団", "黒竜江省", "CN-HL"),
    ],
)
def test_names_in_other_languages_and_scripts(text, surface, expected):
    assert (surface, expected) in read(text)


def test_the_division_named_for_its_city_is_the_longest_name():
    # the city's Chinese name with the krai's suffix, not the city Khabarovsk
    assert read("哈巴罗夫斯克边疆区代表团") == [("哈巴罗夫斯克边疆区", "RU-KHA")]
    # a foreign division's two-character bare name is a word (滨海 "coastal", Pomorskie's 滨海省)
    assert all(pid != "PL-22" for _, pid in read("滨海边疆区的港口"))


@pytest.mark.parametrize(
    "text",
    [
        "ボーナスの支給が決まった。",  # two kana are a word (ボー was Vaud)
        "自由贸易协定已经签署。",  # a frequent Chinese word is no foreign city (Freetown)
        "Der Kanton hat die Steuern gesenkt.",  # German "canton", not Guangzhou or Geneva
        "Como se sabe, el gobierno lo anunció.",  # Spanish words, not Como (IT) or Sur (OM)
        "Viajó al Sur del país.",
        "Mining output in WA rose again.",  # an abbreviation is only a place's abbreviation (not Wa, Ghana)
    ],
)
def test_words_are_not_places(text):
    assert read(text) == []


def test_a_city_and_its_division_of_one_name_are_one_sure_reading():
    # Siem Reap city and its province 暹粒省: the city stands without Cambodia being named
    assert read("游客前往暹粒省参观。") == [("暹粒省", "gn:1822214")]
