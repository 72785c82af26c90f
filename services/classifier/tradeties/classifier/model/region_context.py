"""Context of a candidate region beyond its own sentences: the dateline that says where the story
happens, a name that is a person's, the places of another country it is named with.

These feed the region and direction decisions (region_rows.REGION_FEATURES): a story that opens
with the host ("MÜNCHEN – Bayern und Sichuan …", "(ANSA) - MILANO") names the host in its
dateline, whichever party the headline puts first."""

from __future__ import annotations

import re

from tradeties.places import Gazetteer, Place
from tradeties.places.resolve import Mention
from tradeties.places.text import Sentence

from .regions import Region

# before the dateline place: nothing but capitals, an agency in brackets, punctuation
# ("(ANSA) - MILANO", "(TOKYO, Japan) —", "BERLIN/MÜNCHEN.")
_DATELINE_BEFORE = re.compile(r"[^a-zà-ÿ\u3040-\u30ff\u4e00-\u9fff]{0,24}|(?:新华社|中新社|中新网|本报|人民网)[^，。]{0,6}")
# right after it: a dash, a full stop, a slash or comma before a second place, or a Chinese date line ("南宁9月16日电")
_DATELINE_AFTER = re.compile(r"\s*(?:[–—\-/.:(]|,\s*(?:\d|[A-Z]{2}|[A-Z][a-zà-ÿ]+\s*[)–—\-,])|\d{1,2}月)")
# a person, not a place: an honorific or role right before, a verb of speech or a name separator right after
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Herr|Frau|Mme|Sr|Sra|Sig|Signor|Don|Doña|Governor|Gouverneur|Premier|"
    r"presidente?|president[ae]|sindac[oa]|alcalde(?:sa)?|ministr[oa]|Minister(?:in)?|"
    r"Bürgermeister(?:in)?|CEO|chairman|chief executive)\.?\s+(?:[A-Z][\w'-]+\s+)?|"
    r"[·・•]|(?:省长|市长|主席|总统|总理|部长|大使|先生|女士|州长|副省长|副市长|知事))$"
)
_PERSON_AFTER = re.compile(
    r"^(?:[·・•]|\s+(?:said|says|told|added|sagte|erklärte|betonte|a déclaré|a dit|a souligné|"
    r"dijo|afirmó|señaló|ha detto|ha dichiarato|ha sottolineato)\b|"
    r"(?:表示|说|指出|强调|介绍|称|氏|さん|社長|会長))"
)


def dateline(gaz: Gazetteer, text: str, sentences: list[Sentence], mentions: list[Mention]) -> Place | None:
    """The place the first body sentence opens with as a dateline, when there is one."""
    first = next((s for s in sentences if not s.in_title), None)
    if first is None:
        return None
    for m in mentions:
        if m.sentence.index != first.index or m.start - first.start > 30:
            continue
        if _DATELINE_BEFORE.fullmatch(text[first.start : m.start]) and _DATELINE_AFTER.match(text[m.end : m.end + 24]):
            return m.place
    return None


def at_dateline(gaz: Gazetteer, r: Region, place: Place | None) -> bool:
    """The region is the dateline place or holds it (Lombardy for "MILANO")."""
    return place is not None and (r.place.id == place.id or r.place.id in {a.id for a in gaz.ancestors(place)})


def person_share(text: str, r: Region) -> float:
    """Share of the region's mentions worded as a person's name ("Attilio Fontana", "Mr Lincoln",
    "艾米尔表示", "·")."""
    return sum(
        bool(_PERSON_BEFORE.search(text[max(0, m.start - 40) : m.start]) or _PERSON_AFTER.match(text[m.end : m.end + 16]))
        for m in r.mentions
    ) / len(r.mentions)


def foreign_company(r: Region, regions: list[Region]) -> float:
    """Share of the region's sentences that also name a place of another country: where the two
    parties meet in one sentence."""
    sens = {m.sentence.index for m in r.mentions}
    abroad = {m.sentence.index for x in regions if x.place.country != r.place.country and x.score > 0 for m in x.mentions}
    return len(sens & abroad) / len(sens)


# the place's own institutions or people right after it ("Jiangsu provincial government", "Hessens
# Wirtschaftsminister", "宁波市政府", "愛知県知事") or right before it ("the city of", "Freistaat",
# "la Région", "Comunidad de", "Comune di"): the region acts in its own right, not as a venue
_ACTOR_AFTER = re.compile(
    r"^(?:['’]s?|s)?\s*(?:city|municipal|metropolitan|provincial|state|regional|prefectural|county)?\s*"
    r"(?:government|council|authorities|administration|mayor|governor|premier|officials|chamber|"
    r"Landesregierung|Staatsregierung|Senat|Stadtrat|Ministerpräsident\w*|\w{0,14}minister\w*|"
    r"Bürgermeister\w*|Oberbürgermeister\w*)\b|"
    r"^(?:市|省|州|县|区|自治区)?(?:人民政府|政府|市委|省委|市长|省长|州长|商务局|商务厅|贸促会|代表团|"
    r"知事|市長|県庁|市役所|県|府)",
    re.IGNORECASE,
)
_ACTOR_BEFORE = re.compile(
    r"(?:\b(?:city of|government of|mayor of|governor of|premier of|state of|province of|"
    r"Stadt|Landeshauptstadt|Freistaat(?:es)?|Landes|Regierung von|ville de|mairie de|maire de|"
    r"[Rr]égion|conseil régional d['’]?\w*|département|Ayuntamiento de|Comunidad de|Junta de|"
    r"Generalitat de|Xunta de|Gobierno de|gobierno de|alcalde de|Comune di|Regione|Provincia di|"
    r"Città di|sindaco di|presidente della Regione)\s+(?:de\s+|du\s+|d['’])?)$"
)


def own_actor_share(text: str, r: Region) -> float:
    """Share of the region's mentions bound to its own government or officials."""
    return sum(
        bool(_ACTOR_AFTER.match(text[m.end : m.end + 24]) or _ACTOR_BEFORE.search(text[max(0, m.start - 40) : m.start]))
        for m in r.mentions
    ) / len(r.mentions)
