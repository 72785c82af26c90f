"""Who travelled where: origin and destination of a delegation visit, from the words around
each region named in the sentences that speak of the delegation."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from tradeties.places import gazetteer
from tradeties.places.text import Hit, Sentence, fold_aligned, sentence_at

from .direction_words import direction_matchers
from .officials import official_role
from .regions import Region

WINDOW = 28
# "在哥德堡签署": 在 is a location, not a direction; with a signing or a visit verb right after
# the place it is where the travellers went (alone it is any location: "在苏州投资")
_LATER = re.compile(
    r"\b(?:on to|onward to|continues? to|continuing to|then (?:travels?|goes|heads|moves) to|"
    r"weiter nach|anschließend|ensuite|puis)\b|随后|之后|还将|然后",
    re.IGNORECASE,
)
# the administrative kind written between a direction word and the name ("une délégation de la
# Province de |Liège", "mission to the State of |Washington", "visita al estado de |Jalisco"): the
# cue is read before it, so that the window of WINDOW characters still reaches the cue
_DESIGNATOR = re.compile(
    r"(?:\b(?:the|la|le|l['’]|el|lo|der|die|des|del|della|dello|de la|du|dem|den)\s*)?"
    r"\b(?:autonomous\s+)?(?:province|provincia|provinz|prefecture|préfecture|prefettura|state|état|estado|stato|"
    r"bundesstaat|bundesland|region|région|región|regione|county|comté|canton|kanton|comunidad(?:\s+autónoma)?|"
    r"département|departamento|municipality|oblast|governorate|city|ville|ciudad|città|stadt)"
    r"\s+(?:of\s+|de\s+la\s+|de\s+|d['’]|di\s+|del\s+|della\s+|des\s+|du\s+)?$",
    re.IGNORECASE,
)
_YING_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,8}?邀请")
_ZAI_EVENT = re.compile(r"^(?:市|省|州)?(?:签署|签约|举行|出席|会见|会晤|考察|参观|访问)")


# the same few characters are read for every mention of a region, once for the rule parties and
# again for all candidates, and by three matchers: memoised (matchers live as long as the process)
@lru_cache(maxsize=8192)
def _tail_gap(matcher, snippet: str) -> int | None:
    """How far before the mention the nearest cue ends ("delegation from |Liaoning": 0); None
    when no cue ends close enough."""
    s = snippet.rstrip(" ,'’")
    hits = matcher.find(s, fold_aligned(s))
    gaps = [len(s) - h.end for h in hits if h.end >= len(s) - 1 and len(s) - h.end <= 5]
    gaps += [len(s) - h.end for h in hits[-1:] if len(s) - h.end <= 12]
    return min(gaps, default=None)


def _zai(before: str) -> bool:
    """'在' right before the place, or before its country's name ('在德国慕尼黑举行')."""
    head, sep, gap = before.rpartition("在")
    if not sep or len(gap) > 5:
        return False
    hits = gazetteer().country_matcher.find(gap) if gap else []
    return gap == "" or (len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(gap))


def _tail_hit(matcher, snippet: str) -> bool:
    return _tail_gap(matcher, snippet) is not None


@lru_cache(maxsize=8192)
def _head_hit(matcher, snippet: str) -> bool:
    s = snippet.lstrip(" ,'’s")
    hits = matcher.find(s, fold_aligned(s))
    return any(h.start <= 3 for h in hits)


def direction_evidence(
    text: str, regions: list[Region], sentences: list[Sentence], delegation_sentences: set[int]
) -> tuple[dict[str, float], dict[str, float]]:
    """Per region id, the weight of the words that make it the travellers' home (origin) and the
    place they went to or were received by (destination)."""
    ob, oa, db, rb, da = direction_matchers()
    origin: dict[str, float] = defaultdict(float)
    dest: dict[str, float] = defaultdict(float)
    by_id = {r.place.id: r for r in regions}
    near = delegation_sentences | {i + 1 for i in delegation_sentences} | {i - 1 for i in delegation_sentences}
    for r in regions:
        for m in r.mentions:
            w = 1.0 if m.sentence.index in delegation_sentences else (0.5 if m.sentence.index in near else 0.15)
            if m.sentence.in_title:
                w *= 1.5
            kind = _DESIGNATOR.search(text, max(m.sentence.start, m.start - WINDOW), m.start)
            lead = kind.start() if kind else m.start
            before = text[max(m.sentence.start, lead - WINDOW) : lead]
            after = text[m.end : m.end + WINDOW]
            # the region's own governor, mayor or 省长 travelling or receiving outweighs the
            # prepositions around other mentions
            role = official_role(text, m.start, m.end, m.sentence.start, m.sentence.end)
            if role is not None:
                (origin if role == "origin" else dest)[r.place.id] += 2 * w
                continue
            if before.endswith("应") and _YING_AFTER.match(after):
                dest[r.place.id] += w  # "应纽伦堡市邀请": the inviting side hosts
                continue
            if _zai(before) and _ZAI_EVENT.match(after):
                # a venue city of a host region that is itself a party hosts for that region
                # ("法兰西岛大区在巴黎签署": Île-de-France, LABELS.md)
                host = next((a.id for a in gazetteer().ancestors(r.place) if a.id in by_id), r.place.id)
                dest[host] += w
                continue
            if _tail_hit(rb, before):
                origin[r.place.id] += w
                continue
            og, dg = _tail_gap(ob, before), _tail_gap(db, before)
            # the nearer cue speaks for the place: "die Delegation nach |Mumbai" is a destination
            if (og is not None and (dg is None or og <= dg)) or _head_hit(oa, after):
                origin[r.place.id] += w
            if (dg is not None and (og is None or dg <= og)) or _head_hit(da, after):
                # "travels on to Cologne", "随后还将前往维也纳": a later stop, not the first
                dest[r.place.id] += w * (0.5 if _LATER.search(before) else 1.0)
    return origin, dest


def nation_direction(
    text: str, country_hits: list[Hit], sentences: list[Sentence], delegation_sentences: set[int]
) -> tuple[dict[str, float], dict[str, float]]:
    """Per country code, the weight of the direction words around the nation's name or adjective
    ("a Chinese delegation", "mission to Japan", "nach Indien gereist", "délégation marocaine"):
    the side a region is on when the text names its nation rather than the region itself."""
    ob, oa, db, rb, da = direction_matchers()
    origin: dict[str, float] = defaultdict(float)
    dest: dict[str, float] = defaultdict(float)
    for h in country_hits:
        sen = sentence_at(sentences, h.start)
        w = (1.0 if sen.index in delegation_sentences else 0.3) * (1.5 if sen.in_title else 1.0)
        before, after = text[max(sen.start, h.start - WINDOW) : h.start], text[h.end : h.end + WINDOW]
        og, dg = _tail_gap(ob, before), _tail_gap(db, before)
        is_origin = _tail_hit(rb, before) or (og is not None and (dg is None or og <= dg)) or _head_hit(oa, after)
        is_dest = not is_origin and ((dg is not None and (og is None or dg <= og)) or _head_hit(da, after))
        for code in h.value:
            if is_origin:
                origin[code] += w
            elif is_dest:
                dest[code] += w
    return origin, dest


def find_delegation(
    text: str, principals: list[Region], sentences: list[Sentence], delegation_sentences: set[int]
) -> tuple[Region | None, Region | None]:
    if not principals:
        return None, None
    origin, dest = direction_evidence(text, principals, sentences, delegation_sentences)
    by_id = {r.place.id: r for r in principals}

    def net_origin(k: str) -> float:
        return origin.get(k, 0.0) - 0.5 * dest.get(k, 0.0)

    # origin and destination chosen together: the travellers' side whose trip the other side
    # best explains ("makers from Shunde ... arrived in Stuttgart" outweighs a return visit planned)
    pairs = [
        (net_origin(o) + dest[d] - 0.5 * origin.get(d, 0.0), by_id[o].score, o)
        for o in list(origin)
        for d in list(dest)
        if by_id[d].place.country != by_id[o].place.country
    ]
    o = max(pairs)[2] if pairs else max(origin, key=lambda k: (net_origin(k), by_id[k].score), default=None)
    d_cands = {k: v for k, v in dest.items() if k != o}
    if o is not None:
        d_cands = {k: v for k, v in d_cands.items() if by_id[k].place.country != by_id[o].place.country}
    d = None
    if d_cands:
        # several stops: the first one named among the well-supported ones
        top = max(d_cands.values())
        d = min((k for k, v in d_cands.items() if v >= 0.5 * top), key=lambda k: by_id[k].first.start)
    if o is None and d is not None:
        others = [r for r in principals if r.place.country != by_id[d].place.country and r.place.id in origin] or [
            r for r in principals if r.place.country != by_id[d].place.country
        ]
        o = others[0].place.id if others else None
    if d is None and o is not None:
        others = [r for r in principals if r.place.country != by_id[o].place.country]
        d = others[0].place.id if others else None
    if o is None and d is None and len({r.place.country for r in principals}) >= 2:
        o = principals[0].place.id
        d = next(r.place.id for r in principals if r.place.country != by_id[o].place.country)
    return _leading(_specific(by_id.get(o) if o else None, principals), principals), _specific(
        by_id.get(d) if d else None, principals
    )


def _leading(r: Region | None, principals: list[Region]) -> Region | None:
    """Of the regions that travel together the first named: the state whose governor leads the
    mission before "Detroit-area suppliers" joining it (LABELS.md)."""
    if r is None or r.place.level != "city":
        return r
    gaz = gazetteer()
    above = {a.id for a in gaz.ancestors(r.place)}
    first = [p for p in principals if p.place.id in above and p.score >= r.score and p.first.start < r.first.start]
    return min(first, key=lambda p: p.first.start) if first else r


def _specific(r: Region | None, principals: list[Region]) -> Region | None:
    """A district below the chosen place and more salient than it is the one that travels or hosts
    (the Pudong delegation "returning to Shanghai")."""
    if r is None:
        return None
    gaz = gazetteer()
    below = [
        p
        for p in principals
        if p.place.level == "district" and p.score > r.score and r.place.id in {a.id for a in gaz.ancestors(p.place)}
    ]
    return max(below, key=lambda p: p.score) if below else r
