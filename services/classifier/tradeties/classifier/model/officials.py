"""A region's own official as the subject of the sentence: whether that official travels (the region
is the delegation's origin) or receives visitors (the region hosts).

"Niedersachsens Ministerpräsident … reist nach Indien", "Victoria's premier has led a delegation",
"Lagos State Governor … has led", "Governor Gretchen Whitmer of Michigan will lead",
"La présidente de la région Occitanie est en visite",
"江苏省委书记率团访问" travel; "Guangdong's governor met a delegation", "Le maire de Lyon a
accueilli", "辽宁省省长会见了代表团" host. The region is named in the genitive or possessive right
before the title, or right after it ("governor of", "maire de"); the first travel or host verb after
the title, in the same sentence, decides."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

_TITLE = (
    r"(?:(?:lieutenant|deputy|vice)[ -])?(?:governor|premier|lord mayor|mayor|party secretary|party chief|"
    r"chief minister|first minister|minister|(?:erste[rn]? |stellvertretende[rn]? )?(?:ober)?bürgermeister(?:in)?|"
    r"ministerpräsident(?:in)?|\w{0,12}minister(?:in)?|landrat|landrätin|regierungschef(?:in)?|"
    r"(?:vice-)?présidente? (?:de (?:la )?région|du conseil régional|de la métropole)|maire|gouverneur|ministre|"
    r"alcaldes?a?|gobernador(?:a)?|president[ae] (?:de (?:la )?(?:Junta|Generalitat|Xunta|región|Comunidad)|"
    r"della (?:Regione|Provincia))|sindac[oa]|governat(?:ore|rice))"
)
_ZH_TITLE = (
    r"(?:省|市|州)?(?:委书记|委副书记|副省长|省长|副市长|市长|州长|长|书记)|"
    r"(?:の[\u3040-\u30ff\u4e00-\u9fff]{0,6}?)?(?:副知事|知事|市長)"
)  # Japanese: 県の大村知事

# the region, then its official: "Victoria's premier", "Hamburgs Erster Bürgermeister", "Lagos State
# Governor", "Michigan's lieutenant governor", "江苏省委书记"
_AFTER = re.compile(rf"^(?:['’]s|s)?\s+(?:[\w-]+\s+){{0,2}}?{_TITLE}\b|^{_ZH_TITLE}", re.IGNORECASE)
# the official, then the region: "governor of Chile's", "maire de", "présidente de la région"
_BEFORE = re.compile(
    rf"\b{_TITLE}\s*(?:(?:[A-Z][\w.'’-]+\s+){{1,3}}(?=of\s))?(?:(?:of|von|de|du|des|der)\s+(?:the\s+|la\s+|l['’])?)?"
    r"(?:[A-Z][\w-]+['’]s\s+)?(?:(?:région|province|state|Land)\s+)?$",
    re.IGNORECASE,
)

_TRAVEL = (
    r"visit(?:s|ed)?|travel(?:s|led|ed)?|(?:has |have )?led|leads?|is leading|heads?|headed|arrived|arrives|"
    r"flew|flies|tour(?:s|ed)|(?:is|was) in|took|takes|brought|brings|sets? off|embark(?:s|ed)?|reist|reiste|"
    r"gereist|ist mit|besucht|besuchte|führt|führte|fliegt|flog|est en visite|en visite|se rend\w*|"
    r"s['’]est rendue?|conduit|mène|a mené|effectue|est arrivée?|venue?s?|visitée?s?|came|comes|kam|kommt|"
    r"visitó|viajó|encabez[aó]|lider[aó]|lleg[aó]|ha visitato|visita|guida|ha guidato|è arrivat[oa]|"
    r"si è recat[oa]"
)
_HOST = (
    r"met|meets|welcom(?:es|ed)|receiv(?:es|ed)|host(?:s|ed)|greeted|empfing|empfängt|empfangen|"
    r"begrüßte?|a accueilli|accueille|a reçu|reçoit|recibió|recibe|dio la bienvenida|ha ricevuto|riceve|"
    r"ha accolto|accoglie"
)
_VERB = re.compile(
    rf"\b(?P<travel>{_TRAVEL})\b|\b(?P<host>{_HOST})\b|(?P<zh_travel>率团|率领|率|赴|访问|前往|抵达|出访|到访|带队|率いる|率いて|訪問|訪れ|視察)|"
    r"(?P<zh_host>会见|接见|欢迎|会晤|迎接|宴请|歓迎|出迎え|面会|会談)",
    re.IGNORECASE,
)
# a past trip told as background ("a year after Aichi's governor visited Detroit", "去年…曾率团")
_PAST = re.compile(r"\b(?:after|since|following|last year|nachdem|après|depuis)\b[^,;]{0,30}$|去年|曾", re.IGNORECASE)


def official_role(
    text: str, start: int, end: int, sentence_start: int, sentence_end: int
) -> Literal["origin", "destination"] | None:
    """The region named at text[start:end] through its own official travelling or hosting."""
    return _role(text[max(sentence_start, start - 60) : start], text[end : min(sentence_end, end + 140)])


# asked for every mention by the region rows and by both passes of the direction evidence
@lru_cache(maxsize=4096)
def _role(before: str, after: str) -> Literal["origin", "destination"] | None:
    title = _AFTER.match(after)
    if title is not None:
        rest = after[title.end() :]
    elif _BEFORE.search(before):
        rest = after
    else:
        return None
    verb = _VERB.search(rest[:180])  # German puts the verb last: "… hat mit einer Delegation … besucht"
    if verb is None or _PAST.search(before) or _PAST.search(rest[: verb.start()]):
        return None
    return "origin" if verb.group("travel") or verb.group("zh_travel") else "destination"
