"""Delegation direction and the places it needs, on small hand-made texts (issue 4's blind-batch
failures): regions named with generic words, possessive officials who travel, hosts."""

from __future__ import annotations

import pytest
from texts import doc, ids, label

from tradeties.classifier.model.officials import official_role


# -- places ---------------------------------------------------------------------------------------
def test_a_region_named_with_generic_words_is_the_subdivision(classifier):
    r = classifier.classify(
        doc(
            "Región del Maule winemakers travel to Shanghai fair",
            "A delegation of winemakers from the Región del Maule, led by the Maule Region's governor, visited "
            "Shanghai this week to sign distribution agreements with Chinese importers.",
        )
    )
    assert "CL:Maule" in ids(r)
    assert label(r.delegation.origin) == "CL:Maule" and label(r.delegation.destination) == "CN:Shanghai"


def test_los_lagos_is_chile_not_the_nigerian_city(classifier):
    r = classifier.classify(
        doc(
            "Une délégation de Los Lagos en Bretagne",
            "Une délégation de la région chilienne de Los Lagos, conduite par son gouverneur, est en visite en "
            "Bretagne pour signer un accord sur l'aquaculture.",
            lang="fr",
        )
    )
    assert "CL:Los Lagos" in ids(r) and not any(i.startswith("NG:") for i in ids(r))
    assert label(r.delegation.origin) == "CL:Los Lagos"


def test_a_city_name_inside_the_storys_own_region_is_that_region(classifier):
    chile = classifier.classify(
        doc(
            "Chilean salmon region signs deal with Brittany",
            "The Chilean region of Los Lagos and Brittany signed an aquaculture agreement in Rennes. A delegation "
            "from Lagos, as locals call the region, visited Brest.",
        )
    )
    assert "CL:Los Lagos" in ids(chile) and not any(i.startswith("NG:") for i in ids(chile))
    nigeria = classifier.classify(
        doc(
            "Lagos governor leads delegation to Shenzhen",
            "Lagos State Governor Babajide Sanwo-Olu led a delegation of Nigerian investors to Shenzhen to visit "
            "electric bus makers.",
        )
    )
    assert label(nigeria.delegation.origin) == "NG:Lagos" and label(nigeria.delegation.destination) == "CN:Shenzhen"


# -- officials ------------------------------------------------------------------------------------
def test_a_genitive_official_who_travels_makes_the_origin(classifier):
    r = classifier.classify(
        doc(
            "Hamburgs Erster Bürgermeister reist nach Shanghai",
            "Hamburgs Erster Bürgermeister reist an diesem Wochenende mit einer Wirtschaftsdelegation nach "
            "Shanghai. Auf dem Programm stehen Gespräche über grüne Schifffahrtskorridore.\n\n"
            # an article's length (LABELS.md: 120 words and more): the two sentences alone sit at the
            # relevance gate's edge (0.49 with the model of session 11)
            "Zur Delegation gehören rund 30 Vertreterinnen und Vertreter von Reedereien, Hafenlogistikern und "
            "Start-ups der Energiewende. In Shanghai sind Treffen mit der Stadtregierung, dem Hafenbetreiber und "
            "chinesischen Werften geplant, die Schiffe mit Methanolantrieb bauen. Die Handelskammer erwartet "
            "neue Aufträge für Zulieferer und eine engere Zusammenarbeit bei Landstromanlagen.",
            lang="de",
        )
    )
    assert label(r.delegation.origin) == "DE:Hamburg" and label(r.delegation.destination) == "CN:Shanghai"


def test_a_possessive_official_who_hosts_makes_the_destination(classifier):
    r = classifier.classify(
        doc(
            "Manchester welcomes Sichuan delegation",
            "Greater Manchester's mayor welcomed a delegation of officials and business leaders from Sichuan "
            "province on Monday. The group visited the airport and MediaCity in Salford.",
        )
    )
    assert label(r.delegation.origin) == "CN:Sichuan"
    assert label(r.delegation.destination) in {"GB:Greater Manchester", "GB:Manchester"}


def test_a_title_before_the_region_counts_in_french_and_chinese(classifier):
    fr = classifier.classify(
        doc(
            "La présidente de la région Occitanie en visite à Barcelone",
            "La présidente de la région Occitanie est en visite à Barcelone à la tête d'une délégation "
            "d'entreprises régionales, pour signer un accord sur les liaisons ferroviaires.",
            lang="fr",
        )
    )
    assert label(fr.delegation.origin) == "FR:Occitanie"
    zh = classifier.classify(
        doc("辽宁省省长会见巴伐利亚州代表团", "辽宁省省长在沈阳会见了巴伐利亚州经济代表团，双方签署了合作备忘录。", lang="zh")
    )
    assert label(zh.delegation.destination) in {"CN:Liaoning", "CN:Shenyang"}
    assert label(zh.delegation.origin) == "DE:Bavaria"


def test_an_officials_past_trip_is_background(classifier):
    r = classifier.classify(
        doc(
            "Michigan delegation in Nagoya",
            "A year after Aichi's governor visited Detroit, a Michigan delegation has made the return trip. "
            "Michigan's lieutenant governor arrived in Nagoya on Monday with 15 auto suppliers. "
            # a third sentence, as a brief has: the two above alone sit at the relevance cut (.465 for
            # model 77583dfcc1bf, .524 for 5f7f5698b3f9), and this test is about the direction
            "During the four-day mission the suppliers will meet purchasing managers and Aichi Prefecture officials.",
        )
    )
    assert label(r.delegation.origin) == "US:Michigan"
    assert label(r.delegation.destination) in {"JP:Nagoya", "JP:Aichi"}


def test_the_first_stop_of_a_tour_is_the_destination(classifier):
    r = classifier.classify(
        doc(
            "Niedersachsen wirbt in Indien um Fachkräfte",
            "Niedersachsens Ministerpräsident ist mit einer Wirtschaftsdelegation nach Indien gereist. Erste "
            "Station der Reise ist Bengaluru. Anschließend reist die Delegation nach Mumbai.",
            lang="de",
        )
    )
    assert label(r.delegation.origin) == "DE:Lower Saxony" and label(r.delegation.destination) == "IN:Bengaluru"


def test_an_official_who_came_with_the_delegation_is_its_origin(classifier):
    r = classifier.classify(
        doc(
            "La Bretagne signe avec Los Lagos",
            "La Région Bretagne et la région chilienne de Los Lagos ont signé mercredi à Rennes un accord de "
            "coopération. Le gouverneur de Los Lagos, venu avec une délégation de quinze personnes, a aussi "
            "visité le port de Brest.",
            lang="fr",
        )
    )
    assert label(r.delegation.origin) == "CL:Los Lagos"
    assert label(r.delegation.destination) in {"FR:Brittany", "FR:Rennes"}


# -- detection ------------------------------------------------------------------------------------
def test_firms_travelling_with_their_governor_are_a_delegation(classifier):
    r = classifier.classify(
        doc(
            "Maule winemakers sign import deals at Shanghai fair",
            "Winemakers from Chile's Maule region signed distribution deals with Chinese importers at a wine fair "
            "in Shanghai this week. Fifteen producers travelled to the fair with the region's governor, on a "
            "mission co-funded by the regional development agency.",
        )
    )
    assert "delegation_visit" in {e.id for e in r.event_types}
    assert label(r.delegation.origin) == "CL:Maule" and label(r.delegation.destination) == "CN:Shanghai"


def test_zai_with_a_signing_marks_where_the_travellers_went(classifier):
    city = classifier.classify(
        doc(
            "苏州与瑞典哥德堡签署合作备忘录",
            "6月5日，江苏省苏州市与瑞典哥德堡市在哥德堡签署智能制造合作备忘录。苏州市市长率经贸代表团出席签约仪式。"
            "代表团此行还访问了斯德哥尔摩。",
            lang="zh",
        )
    )
    assert label(city.delegation.origin) == "CN:Suzhou" and label(city.delegation.destination) == "SE:Gothenburg"
    # the venue city of a host region that signs is that region's (LABELS.md)
    region = classifier.classify(
        doc(
            "浦东新区与法兰西岛大区签署合作备忘录",
            "上海市浦东新区与法国法兰西岛大区在巴黎签署合作备忘录。浦东新区区长率代表团出席签约仪式。",
            lang="zh",
        )
    )
    assert label(region.delegation.destination) == "FR:Île-de-France"


def test_zai_before_a_country_and_place_and_a_later_stop(classifier):
    r = classifier.classify(
        doc(
            "四川文旅推介会在慕尼黑举行",
            "5月8日，四川省文旅推介会在德国慕尼黑举行，巴伐利亚州官员出席。四川代表团与德国旅行商签署了旅游合作协议。"
            "代表团随后还将前往奥地利维也纳开展推介活动。",
            lang="zh",
        )
    )
    assert label(r.delegation.origin) == "CN:Sichuan"
    assert label(r.delegation.destination) in {"DE:Munich", "DE:Bavaria"}


def test_a_stop_the_delegation_travels_on_to_is_not_the_first(classifier):
    r = classifier.classify(
        doc(
            "Düsseldorf and Pudong sign fintech agreement",
            "The memorandum was signed at Düsseldorf city hall by the deputy head of the Pudong district government, "
            "who is leading a delegation of company representatives. The delegation travels on to Cologne "
            "before returning to Shanghai.",
        )
    )
    assert label(r.delegation.origin) == "CN:Pudong" and label(r.delegation.destination) == "DE:Düsseldorf"


def test_the_inviting_side_is_the_host(classifier):
    zh = classifier.classify(
        doc(
            "江苏省代表团访问德国",
            "应巴伐利亚州政府邀请，江苏省代表团日前出席合作论坛并签署合作备忘录，还考察了奥地利维也纳的企业。",
            lang="zh",
        )
    )
    assert label(zh.delegation.origin) == "CN:Jiangsu" and label(zh.delegation.destination) == "DE:Bavaria"
    en = classifier.classify(
        doc(
            "Jiangsu delegation signs cooperation memorandum",
            "At the invitation of Bavaria's state government, a Jiangsu delegation signed a cooperation memorandum "
            "on smart manufacturing this week, and later visited Vienna.",
        )
    )
    assert label(en.delegation.origin) == "CN:Jiangsu" and label(en.delegation.destination) == "DE:Bavaria"


@pytest.mark.parametrize(
    "text, name, role",
    [
        ("Governor Gretchen Whitmer of Michigan will lead a trade mission to Japan.", "Michigan", "origin"),
        ("Ohio Governor Mike DeWine will lead a delegation to Israel next month.", "Ohio", "origin"),
        ("Bayerns Ministerpräsident empfing die Gäste aus Shandong.", "Bayern", "destination"),
        ("浙江省省长会见了代表团。", "浙江", "destination"),
        ("四川省副省长率四川省经贸代表团赴意大利访问。", "四川", "origin"),
        ("The governor of California said exports to China fell.", "California", None),
        ("去年纽伦堡市市长曾率团访问深圳。", "纽伦堡", None),
    ],
)
def test_official_role(text, name, role):
    i = text.index(name)
    assert official_role(text, i, i + len(name), 0, len(text)) == role


def test_a_governors_visit_to_open_an_office_is_a_delegation(classifier):
    r = classifier.classify(
        doc(
            "North Gyeongsang opens trade office in Hanoi",
            "North Gyeongsang Province has opened a trade and investment office in Hanoi to help small exporters "
            "from the province sell in Vietnam. Governor Lee Cheol-woo opened the office on Tuesday during a visit "
            "with 25 company executives, who also met buyers at a business matchmaking event.",
        )
    )
    assert "delegation_visit" in {e.id for e in r.event_types}
    assert label(r.delegation.origin) == "KR:North Gyeongsang" and label(r.delegation.destination) == "VN:Hanoi"


def test_a_host_that_receives_and_a_kind_word_before_the_name(classifier):
    """Host-first leads: the host is the subject of receiving, and the travellers' cue is read
    across the administrative kind written before their name."""
    from tradeties.classifier.model.delegation import direction_evidence
    from tradeties.classifier.model.features import analyse

    a = analyse(
        classifier.gaz,
        classifier.lex,
        doc(
            "La Région du Littoral reçoit une délégation de la Province de Liège",
            "Les deux collectivités ont signé un accord de coopération portuaire à Douala.",
            lang="fr",
        ),
    )
    origin, dest = direction_evidence(a.text, a.regions, a.sentences, set(range(len(a.sentences))))
    name = {r.place.id: r.place.name for r in a.regions}
    assert any("Li" in name[k] for k, v in origin.items() if v > 0), (origin, name)
    assert any("Littoral" in name[k] for k, v in dest.items() if v > 0), (dest, name)
    assert not any("Littoral" in name[k] for k, v in origin.items() if v > 0)


# -- the nation's side and the venue ------------------------------------------------------------
def _evidence(title: str, body: str):
    from tradeties.classifier.model.delegation import nation_direction
    from tradeties.classifier.model.venue import venue_share
    from tradeties.places import gazetteer
    from tradeties.places.text import fold_aligned, split_sentences

    gaz = gazetteer()
    text, sentences = split_sentences(title, body)
    countries = gaz.country_matcher.find(text, fold_aligned(text))
    every = set(range(len(sentences)))
    return nation_direction(text, countries, sentences, every), venue_share(text, [], countries, sentences, every)


def test_a_nation_named_beside_the_delegation_gives_its_side():
    (origin, dest), _ = _evidence("A Chinese delegation visits Bavaria", "The delegation then travelled on to Austria.")
    assert origin.get("CN", 0) > 0 and dest.get("AT", 0) > 0 and "CN" not in dest and "AT" not in origin


def test_the_venue_is_the_nation_where_the_signing_takes_place():
    _, venues = _evidence("Aichi signs pact", "A Japanese delegation signed the memorandum in the United States.")
    assert venues == {"US": 1.0}


def _act_shares(title: str, body: str) -> dict[str, float]:
    from tradeties.classifier.model.features import ROW_FEATURES, analyse
    from tradeties.classifier.model.lexicon import lexicon
    from tradeties.places import gazetteer

    a = analyse(gazetteer(), lexicon(), doc(title, body))
    return {r.place.country: a.region_x[k, ROW_FEATURES.index("act_country_share")] for k, r in enumerate(a.regions)}


@pytest.mark.parametrize(
    ("title", "body", "host", "guest"),
    [
        (
            "Occitanie and Washington State sign aerospace pact",
            "The agreement was signed in Seattle by the president of Occitanie and the governor of Washington State.",
            "US",
            "FR",
        ),
        (
            "Hydrogène : les Hauts-de-France et la Rhénanie-du-Nord-Westphalie signent",
            "Lille a accueilli jeudi le ministre-président de la Rhénanie-du-Nord-Westphalie et sa délégation.",
            "FR",
            "DE",
        ),
        ("福岡県とハノイ市が覚書", "締結式は福岡市内の県庁で行われ、ハノイ市の副委員長が署名した。", "JP", "VN"),
    ],
)
def test_the_place_of_the_signing_or_the_receiving_host_marks_its_nation(title, body, host, guest):
    shares = _act_shares(title, body)
    assert shares[host] == 1.0 and shares[guest] == 0.0


def test_a_place_merely_invested_in_or_travelled_to_later_is_no_place_of_the_act():
    shares = _act_shares(
        "Andalucía y Querétaro, juntos en la aeronáutica",
        "La Junta de Andalucía prevé una inversión en Querétaro; una misión viajará a Querétaro en mayo.",
    )
    assert shares and set(shares.values()) == {0.0}


def test_the_romance_a_names_a_place_of_the_act_only_in_spanish_or_italian():
    english = _act_shares("Bavaria and Shandong", "The premier signed a Shandong pact in Munich.")
    italian = _act_shares("Lombardia e Shandong", "L'accordo è stato firmato a Milano dal presidente dello Shandong.")
    assert english["CN"] == 0.0 and english["DE"] == 1.0
    assert italian["IT"] == 1.0


def test_a_trade_fair_marks_its_city_and_an_export_word_does_not():
    from tradeties.classifier.model.features import ROW_FEATURES, analyse
    from tradeties.classifier.model.lexicon import lexicon
    from tradeties.places import gazetteer

    a = analyse(
        gazetteer(),
        lexicon(),
        doc("Piedmont brings 25 firms to Hannover Messe", "Piedmont firms, exporting to Lower Saxony, met its minister."),
    )
    fair = {r.place.name: a.region_x[k, ROW_FEATURES.index("fair_city")] for k, r in enumerate(a.regions)}
    assert fair["Hanover"] == 1.0 and fair["Piedmont"] == 0.0 and fair["Lower Saxony"] == 0.0


def test_a_verb_of_visiting_marks_a_tour_stop_and_a_venue_is_not_one():
    from tradeties.classifier.model.features import ROW_FEATURES, analyse
    from tradeties.classifier.model.lexicon import lexicon
    from tradeties.places import gazetteer

    a = analyse(
        gazetteer(),
        lexicon(),
        doc("Kentucky delegation in Aichi", "The governor met Aichi's governor in Nagoya, then visited Okazaki."),
    )
    visited = {r.place.name: a.region_x[k, ROW_FEATURES.index("visited")] for k, r in enumerate(a.regions)}
    assert visited["Okazaki"] == 1.0 and visited["Nagoya"] == 0.0


# -- the direction's decisions (model/direction.py) -----------------------------------------------
def test_the_swap_and_nest_models_reread_the_chosen_pair():
    import numpy as np

    from tradeties.classifier.model.direction import choose, relatives
    from tradeties.classifier.model.document import Document
    from tradeties.classifier.model.features import analyse
    from tradeties.classifier.model.learned import LinearModel, Weights
    from tradeties.classifier.model.lexicon import lexicon
    from tradeties.places import gazetteer

    gaz = gazetteer()
    text = "Birmingham, in the West Midlands, received a delegation from Liaoning."
    a = analyse(gaz, lexicon(), Document(id="d", title="", text=text))
    pool = [next(r for r in a.regions if r.place.name == n) for n in ("Birmingham", "West Midlands", "Liaoning")]
    assert relatives(gaz, pool, 0) == [1] and relatives(gaz, pool, 2) == []

    def reads(column: int) -> LinearModel:  # a model that reads one column of the rows below
        coef = np.zeros(5)
        coef[column] = 1.0
        return LinearModel(("x",) * 5, np.zeros(5), np.ones(5), coef, 0.0, 0.5)

    w = Weights({d: reads(k) for k, d in enumerate(("origin", "destination", "swap", "nest", "side"))}, "v", "")
    # columns: origin score, destination score, swap score, nest score, side
    x = np.array([[3.0, 0, 0, 2, 0], [0, 2, 0, 1, 0], [1.0, 0, 5, 0, 0]])
    assert choose(gaz, w, x, pool) == (pool[2], pool[0])  # the host ranked first: swapped, then the city
    x[2, 2] = -5.0  # no swap: the ranked origin travels, its nation's hosts are the other side
    assert choose(gaz, w, x, pool) == (pool[0], pool[2])
    x[:, 4] = -1.0  # one nation only, and the side model says it hosts: no origin
    assert choose(gaz, w, x[:2], pool[:2]) == (None, pool[1])


def test_the_visit_has_its_own_cut_and_leaves_the_primary_type(classifier):
    """A missed visit loses the whole direction: the visit's own cut (learned, F1.5 on inner folds)
    adds it to the types; the primary type is still chosen among the types of the shared cut."""
    from dataclasses import replace

    import numpy as np

    from tradeties.classifier.model.classifier import Classifier
    from tradeties.classifier.model.learned import Weights
    from tradeties.classifier.training.fitting import best_threshold

    p = np.array([0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2])
    y = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0])
    assert best_threshold(p, y) > 0.5 and best_threshold(p, y, beta=2.0) == 0.2  # recall-weighted: a lower cut

    d = doc(
        "Jiangsu and Victoria sign a hydrogen agreement",
        "Jiangsu province and the Australian state of Victoria signed a memorandum on hydrogen research "
        "on Monday, officials said.",
    )
    base = classifier.classify(d)
    w = classifier.weights

    def with_visit_cut(cut: float) -> Classifier:
        event = replace(w["event"], thresholds={"delegation_visit": cut})
        return Classifier(weights=Weights({**w.models, "event": event}, w.version, w.training_hash, w.text, w.window))

    # the cut alone decides the visit (never at 1.01, always at 0), and the primary type ignores it
    low, high = with_visit_cut(0.0).classify(d), with_visit_cut(1.01).classify(d)
    assert base.relevant and "delegation_visit" not in {t.id for t in high.event_types}
    assert "delegation_visit" in {t.id for t in low.event_types}
    assert low.primary_event_type == high.primary_event_type == base.primary_event_type == "agreement"
    assert {t.id for t in high.event_types} == {t.id for t in base.event_types} - {"delegation_visit"}
