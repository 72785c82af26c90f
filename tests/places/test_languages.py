"""Names in the other news languages and scripts, and the longest name winning (issues #10/#11):
each case stands for a class of names a pinned package gives, not for the name itself."""

from __future__ import annotations

import pytest

from tradeties.places import gazetteer, recognise
from tradeties.places.text import fold


def read(text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.place.id) for m in recognise(text)]


def test_fold_keeps_cjk_whole():
    # NFKD split hangul into jamo (no Korean key ever matched) and dropped the kana voicing marks
    assert fold("서울") == "서울" and fold("ボー") == "ボー" and fold("Düsseldorf") == "dusseldorf"


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("ハノイで会談が開かれた。", "ハノイ", "VN-HN"),  # katakana exonyms; Vietnam's centrally-run city is a city-state
        ("ホーチミン市で会談が開かれた。", "ホーチミン市", "VN-SG"),
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
        ("黑龙江省代表团访问俄罗斯滨海边疆区。", "滨海边疆区", "RU-PRI"),  # Unicode CLDR's subdivision names
        ("ロシア・沿海地方の副知事が出席した。", "沿海地方", "RU-PRI"),
        ("La Lombardia e la Catalogna rilanciano l'alleanza.", "Catalogna", "ES-CT"),
        ("Le Kraï du Primorie signe un accord avec le Heilongjiang.", "Kraï du Primorie", "RU-PRI"),
        ("代表团访问了德国巴登—符腾堡州。", "巴登—符腾堡", "DE-BW"),  # a name's hyphen written as a dash
        ("成都市代表团访问意大利，先后到访米兰和都灵。", "米兰", "gn:3173435"),  # a foreign city's name in the other Han script
        ("湖北省代表团在巴黎出席推介会。", "巴黎", "gn:2988507"),  # frequent in Chinese, absent from Japanese: a city's name
        ("省长访问西班牙瓦伦西亚自治区和安达卢西亚自治区。", "瓦伦西亚自治区", "ES-VC"),  # region type words Chinese writes
        ("法国大东部大区", "大东部大区", "FR-GES"),
        ("广西与越南广宁、谅山、高平四省党委书记会晤", "高平", "VN-04"),  # Vietnam's provinces bare in Chinese lists
        ("インドのマハラシュトラ州を訪問した。", "マハラシュトラ州", "IN-MH"),  # katakana spellings: no long vowel mark
        ("メキシコ・グアナファト州と覚書", "グアナファト州", "MX-GUA"),  # ファ for フア
        ("インド南部タミルナド州の工場", "タミルナド州", "IN-TN"),  # ド for ドゥ
        ("A Western Australian delegation will visit Japan.", "Western Australian", "AU-WA"),  # adjectives in -ian
        ("$5m grants to help Tasmanian exporters", "Tasmanian", "AU-TAS"),
        ("Sachsen-Anhalts Ministerpräsident reist nach China.", "Sachsen-Anhalts", "DE-ST"),  # German genitive
        ("Euregio, Tirolo, Alto Adige e Trentino", "Alto Adige", "gn:3181912"),  # a province's other name
        ("罗马尼亚克卢日县的负责人", "克卢日县", "RO-CJ"),  # a transliteration's homophone (克鲁日县)
        ("La Diputación de Vizcaya y el Gobierno Vasco", "Vizcaya", "gn:3104469"),
        ("La Région Sud signe un accord.", "Région Sud", "FR-PAC"),  # curated: no source has them
        ("モンゴル国中央県の知事", "中央県", "MN-047"),
        ("巴符州经济部长率团访问江苏。", "巴符州", "DE-BW"),  # the Chinese press's short names of the Länder
        ("梅前州与辽宁省签署合作备忘录", "梅前州", "DE-MV"),
        ("萨安州代表团", "萨安州", "DE-ST"),
        ("石荷州和莱法州", "莱法州", "DE-RP"),
        ("梅克伦堡-前波莫瑞州", "梅克伦堡-前波莫瑞", "DE-MV"),  # another transliteration than CLDR's
        # no source has a Chinese name for the Czech region: its tail 西里西亚州 alone is Poland's
        ("山西省代表团访问捷克摩拉维亚—西里西亚州。", "摩拉维亚—西里西亚", "CZ-80"),
    ],
)
def test_names_in_other_languages_and_scripts(text, surface, expected):
    assert (surface, expected) in read(text)


def test_a_type_word_inside_a_division_name_is_swapped_for_the_others():
    # CLDR's 阿散蒂地区 (地区 "region"): Chinese news writes 阿散蒂大区 too
    found = gazetteer().place_matcher.find("加纳阿散蒂大区代表团")
    assert [(h.surface, h.value) for h in found] == [("阿散蒂大区", ("GH-AH",))]


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
        "A Victorian terrace in a Georgian square.",  # adjectives that are words of their own
    ],
)
def test_words_are_not_places(text):
    assert read(text) == []


def test_a_city_and_its_division_of_one_name_are_one_sure_reading():
    # Siem Reap city and its province 暹粒省: the city stands without Cambodia being named
    assert read("游客前往暹粒省参观。") == [("暹粒省", "gn:1822214")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Slovakia's Košice Region has opened a business centre.", "SK-KI"),  # countries named by pycountry's names
        ("来自斯洛伐克日利纳州的代表团出席。", "SK-ZI"),
        ("Laos's Luang Namtha Province joined the railway project.", "LA-LM"),
    ],
)
def test_a_division_of_a_country_named_only_in_passing_is_read(text, expected):
    # the country's name puts it in play: a division of ~400,000 people or fewer needs that
    assert expected in [pid for _, pid in read(text)]


@pytest.mark.parametrize(
    "text, code, named",
    [
        ("内蒙古自治区代表团", "MN", False),  # 蒙古 is inside another country's division (内蒙古)
        ("リチャード・マリン氏が出席した。", "TD", False),  # short katakana is inside longer words (チャド)
        ("リチャード・マリン氏が出席した。", "ML", False),
        ("斯洛文尼亚马里博尔市代表团", "SI", True),  # inside its own country's place names it is the country
    ],
)
def test_a_country_name_inside_a_longer_name(text, code, named):
    from tradeties.places import gazetteer

    assert any(code in h.value for h in gazetteer().country_matcher.find(text)) is named


@pytest.mark.parametrize(
    "text, absent",
    [
        # a GeoNames alternate name with an accent the name lacks ("Hamas" is one of Hamm's)
        ("La ANP es la alternativa frente a Hamás, dijo el ministro en Berlín y Alemania.", "gn:2911240"),
        # an ñ is a letter of its own: "Campaña" is no Campana (Argentina)
        ("Trabajaba en el Hospital de Campaña de la Cruz Roja.", "gn:3435810"),
        # a sentence's first word that the text also writes in lower case is that word
        ("Para ello, el gobierno pidió ayuda para la región.", "BR-PA"),
        ("Dabei wurde ein Abkommen unterzeichnet. Er war dabei.", "gn:292223"),
        # an alternate name somewhere followed by a surname is a person's throughout
        ("Los colegas Ibrahim Eid y Ahmad Abu Hilal murieron; Ahmad era guardia.", "gn:285839"),
        # a town under ~400,000 by an alternate name needs its country or region in play
        ("La ANP es la alternativa frente a Hamas.", "gn:2911240"),
    ],
)
def test_words_and_names_are_not_read_through_alternate_names(text, absent):
    assert absent not in [pid for _, pid in read(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Un bombardeo en Jabalia, al norte de Gaza.", "gn:281129"),  # borne out by Gaza (Palestine)
        ("O governo do Pará assinou o acordo para a região.", "BR-PA"),  # spelt with its accent: the name
        ("Il sindaco di Genova Marco Bucci ha firmato. La sede sarà a Genova.", "gn:3176219"),  # its Italian name
    ],
)
def test_alternate_names_that_are_borne_out_or_spelt_as_names_stay(text, expected):
    assert expected in [pid for _, pid in read(text)]
