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


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("广西与越南广宁、谅山、高平、河江四省", "河江", "VN-03"),  # a dropped province named for its town
        ("老挝万象市", "万象市", "LA-VT"),  # a foreign city's two-character name is a word (万象) but with 市;
        # and Vientiane is its capital prefecture, a city-state as Hanoi
        ("凭祥—同登跨境经济合作区", "凭祥", "gn:1798655"),  # curated: GeoNames writes 萍乡 for Guangxi's Pingxiang
        ("黑河—布拉戈维申斯克界河公路大桥", "布拉戈维申斯克", "gn:2026609"),  # and gives this name to a namesake
        ("Tirol, Südtirol und das Trentino", "Südtirol", "gn:3181912"),  # Bolzano's province, not the region
        ("Tirol, Südtirol und das Trentino", "Trentino", "gn:3165241"),
    ],
)
def test_names_no_source_gives_or_gives_to_another(text, surface, expected):
    assert (surface, expected) in read(text)


def test_a_province_named_for_its_town_leaves_the_town_its_bare_name():
    assert read("in Ha Giang") == [("Ha Giang", "gn:1581349")]


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("an agreement with Yunnan's Xishuangbanna Dai Autonomous Prefecture", "Xishuangbanna", "gn:1788323"),
        ("代表团考察了西双版纳", "西双版纳", "gn:1788323"),
        ("延边朝鲜族自治州代表团", "延边朝鲜族自治州", "gn:2033525"),
    ],
)
def test_chinese_prefectures_that_are_no_city(text, surface, expected):
    assert (surface, expected) in read(text)


def test_a_prefectures_bare_name_that_a_town_bears_stays_the_towns():
    assert read("Dali, Yunnan")[0] == ("Dali", "gn:1814093")  # Dali Bai Autonomous Prefecture's town


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("やまなし水素・燃料電池ネットワーク", "やまなし", "JP-19"),  # a prefecture's hiragana name without けん
        ("ドイツ南西部バーデン・ビュルテンベルク州の", "バーデン・ビュルテンベルク", "DE-BW"),  # ・ for ＝, ビュ for ヴュ
    ],
)
def test_japanese_names_in_hiragana_and_with_separators(text, surface, expected):
    assert (surface, expected) in read(text)


def test_short_hiragana_names_are_not_read_inside_words():
    assert read("ならば、みえる") == []  # なら "if", みえ "visible": Nara's and Mie's names are shorter than four


def test_a_city_named_as_its_division_is_also_its_name_and_city():
    assert ("Quebec City", "gn:6325494") in read("Welsh firms head to Quebec City on a trade mission")
    # elsewhere "City" after a name is another word's ("City Council"), not part of the name
    assert read("Greenville City Council met") == [("Greenville", "gn:4469160")]


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("尼泊尔巴格马蒂省、斯里兰卡西方省、", "西方省", "LK-1"),  # curated: no source names them in Chinese
        ("希腊阿提卡大区等地方政府", "阿提卡大区", "GR-I"),
        ("Indonesien: Provinz Ostjava", "Ostjava", "ID-JI"),  # nor in German
    ],
)
def test_curated_division_names(text, surface, expected):
    assert (surface, expected) in read(text)


def test_a_curated_name_with_a_type_word_keeps_it():
    assert read("西方国家的代表") == []  # 西方 "the West" is no name of Sri Lanka's Western Province
