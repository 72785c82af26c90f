"""Where the reported meeting or signing takes place, as a country: the nation of the places (or
the nation itself) named as a venue ("signed in Texas", "à Cardiff", "nach Indien gereist",
"en Querétaro", "在武汉会见", "オースティンで署名") in the sentences about the tie. The travellers
come from elsewhere, so a region of the venue's country is the host far more often than the
origin, also when the article names the host first or its region only through the city."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from tradeties.places.text import Hit, Sentence, sentence_at

from .regions import Mention, Region

_BEFORE = re.compile(r"(?:\b(?:in|at|to|à|au|aux|en|im|in der|nach|nel|nella|dans)\s+(?:the\s+)?|在|于|赴|到)$", re.IGNORECASE)
# Spanish and Italian "a" ("a Querétaro", "a Tirana"): in English "a Chinese delegation" is no venue
_BEFORE_ROMANCE = re.compile(r"\b(?:a|ad)\s+$")
ROMANCE = ("es", "it", "pt", "ca")
_AFTER = re.compile(r"^(?:市|県|州|省|府|都|道)?(?:で|に|を訪)")


def venue_share(
    text: str,
    regions: list[Region],
    country_hits: list[Hit],
    sentences: list[Sentence],
    tie_sentences: set[int],
    language: str | None = None,
) -> dict[str, float]:
    """Per country code, its share of the venue mentions in the tie sentences (the headline counts)."""

    def venue(start: int, end: int, sen: Sentence) -> bool:
        if not (sen.in_title or sen.index in tie_sentences):
            return False
        before = text[max(sen.start, start - 12) : start]
        romance = language in ROMANCE and _BEFORE_ROMANCE.search(before)
        return bool(_BEFORE.search(before) or romance or _AFTER.match(text[end : end + 4]))

    return _country_shares(regions, country_hits, sentences, venue)


def _country_shares(
    regions: list[Region], country_hits: list[Hit], sentences: list[Sentence], keep: Callable[[int, int, Sentence], bool]
) -> dict[str, float]:
    """Per country code, its share of the mentions (of its places, or of itself) that ``keep`` holds."""
    count: dict[str, float] = defaultdict(float)
    spans = [(m.start, m.end, m.sentence, {r.place.country}) for r in regions for m in r.mentions]
    spans += [(h.start, h.end, sentence_at(sentences, h.start), set(h.value)) for h in country_hits]
    for start, end, sen, codes in spans:
        if keep(start, end, sen):
            for c in codes:
                count[c] += 1.0
    total = sum(count.values())
    return {c: v / total for c, v in count.items()} if total else {}


# the place where a signing or meeting is held ("signed in Seattle", "paraphé à Seattle", "firman en
# Sevilla", "unterzeichneten in Chengdu", "在成都签署", "福岡市内で署名") and a place that hosts as the
# subject ("Lille a accueilli", "Bayern empfängt", "Victoria hosted"): where the reported act happens,
# which the bare venue words ("inversión en Querétaro", "viajará a Querétaro") only hint at
_ACT = (
    r"sign\w*|inked|held|met|meets|meeting|received|hosted|welcomed|"
    r"paraph\w*|conclu\w*|reçu\w*|accueilli\w*|réuni\w*|"
    r"unterzeichn\w*|unterschrieb\w*|empfang\w*|empfing|getroffen|traf|trafen|"
    r"firm[aóeo]\w*|suscri\w*|recibi\w*|reuni\w*|sottoscri\w*|ricevut\w*|incontr\w*"
)
_ACT_BEFORE = re.compile(
    rf"\b(?:{_ACT})\b[^.;:!?]{{0,24}}?\b(?:(?:in|at|à|au|en|im|nel|nella)\s+(?:the\s+)?|(a|ad)\s+)$", re.IGNORECASE
)
_ZH_ACT_AFTER = re.compile(r"^[^。，]{0,8}?(?:签署|签约|签订|会见|会谈|举行)")  # after "在": 在成都签署
_JA_ACT_AFTER = re.compile(r"^[^。、]{0,6}?で[^。、]{0,12}?(?:署名|締結|調印|会談|開かれ|行われ)")
_HOSTS_AFTER = re.compile(
    r"^\s*(?:hosted|hosts|received|receives|welcomed|welcomes|a accueilli|accueille|a reçu|reçoit|empfängt|empfing|"
    r"recibió|recibe|acogió|ha ricevuto|riceve|ha accolto|accoglie|接待|会见|迎接|が迎え)",
    re.IGNORECASE,
)


def act_share(
    text: str, regions: list[Region], country_hits: list[Hit], sentences: list[Sentence], language: str | None = None
) -> dict[str, float]:
    """Per country code, its share of the mentions named as the place of a signing or meeting or as
    the host that receives."""

    def act(start: int, end: int, sen: Sentence) -> bool:
        before, after = text[max(sen.start, start - 60) : start], text[end : min(sen.end, end + 40)]
        place = _ACT_BEFORE.search(before)
        # the Romance "a" only in Spanish or Italian: "signed a Guangdong pact" names no place of the act
        return bool(
            place
            and (place.group(1) is None or language in ROMANCE)
            or before.endswith("在")
            and _ZH_ACT_AFTER.match(after)
            or _JA_ACT_AFTER.match(after)
            or _HOSTS_AFTER.match(after)
        )

    return _country_shares(regions, country_hits, sentences, act)


# a trade fair named by its city ("Hannover Messe", "Messe München", "汉诺威工业博览会", "la fiera di
# Milano", "salon C2 Montréal"): the writers name that city as the destination rather than the host
# region around it, even where the region's government receives the exhibitors, and the nation of
# the fair hosts (docs/classifier.md, "Visited city vs its region")
_FAIR = re.compile(
    r"\bfairs?\b(?!\s+(?:share|trade|deal|play|prices?|competition|value))|\b(?:trade|motor|air|food)\s+show\b|"
    r"\bexhibition\b|\b\w*[Ee]xpo\b|\bEXPO\b|\b(?:[A-Z]\w*messe|Messe\w*|messe)\b|\bsalon\b|\b[Ff]iera\b|\b[Ff]eria\b|"
    r"\b[Ee]xposici[oó]n\b|\b[Ff]oire\b|博览会|博覽會|展览会|交易会|展会|見本市|展示会|博覧会|メッセ"
)


def fair_share(text: str, r: Region) -> float:
    """Share of the region's mentions with a trade fair's word right beside them in their sentence."""

    def near(m: Mention) -> bool:
        before, after = text[max(m.sentence.start, m.start - 24) : m.start], text[m.end : min(m.sentence.end, m.end + 16)]
        return bool(_FAIR.search(before + " " + after))

    return _share(r, near)


# a verb of visiting or stopping right before the place ("visited Tomakomai", "a stop in Dayton",
# "Weitere Stationen sind", "s'est arrêtée à", "visitó", "tappa a", "走访宁波", "考察") or right after it
# ("苫小牧を訪問", "を視察"): a tour's stop is a party in its own right (corpus/NOTES.md), where a
# city named only as the venue of its host province's event is not
_VISIT_BEFORE = re.compile(
    r"(?:\b(?:visit\w*|tour(?:s|ed|ing)?|stop(?:s|ped)?(?:\s+(?:over|off))?|stopover|leg|trip|went on|"
    r"travel(?:s|led|ling)?(?:\s+on)?|head(?:s|ed)?(?:\s+on)?|mov(?:es|ed) on|continu(?:es|ed)|"
    r"Besuch\w*|Station\w*|Etappe\w*|reist\w*(?:\s+weiter)?|weiter|"
    r"arrêt\w*|rend\w*|étape\w*|déplac\w*|"
    r"viaj\w*|escala|recorri\w*|gira|"
    r"tappa|recat[oa]|recherà|sosta|trasferi\w*)\b[^.;:!?]{0,14}|"
    r"(?:访问|走访|考察|前往|抵达|到访|来到|赴|转赴|参观)[^。，]{0,4})$",
    re.IGNORECASE,
)
_VISIT_AFTER = re.compile(r"^(?:市|県|州|省|府|都|道)?(?:を|へ|に)?(?:訪問|訪れ|視察|入り|移動|到着)")


def visit_share(text: str, r: Region) -> float:
    """Share of the region's mentions that a verb of visiting or stopping governs."""

    def near(m: Mention) -> bool:
        before = text[max(m.sentence.start, m.start - 40) : m.start]
        return bool(_VISIT_BEFORE.search(before) or _VISIT_AFTER.match(text[m.end : m.end + 6]))

    return _share(r, near)


def _share(r: Region, near: Callable[[Mention], bool]) -> float:
    return sum(map(near, r.mentions)) / len(r.mentions)
