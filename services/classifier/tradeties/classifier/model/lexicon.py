"""Keyword lexicons (data/lexicon.yaml) compiled into one Aho-Corasick matcher, plus the small
actor and foreign cue lists the role rules use (the direction words are in ``direction_words``).
Built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml

from tradeties.places.text import Hit, Matcher, MatcherSet

EVENT_TYPES = ("delegation_visit", "agreement", "investment", "trade_event", "cooperation_platform", "policy")
SECTORS = (
    "advanced_manufacturing",
    "automotive",
    "energy_environment",
    "digital_technology",
    "financial_professional_services",
    "logistics_transport",
    "tourism_culture",
    "education_research",
    "healthcare_life_sciences",
    "property_construction",
    "consumer_retail",
    "agriculture_food",
    "creative_media",
)

# Who acts: a sub-national actor (local government, chamber, local firms) vs a national one.
LOCAL_ACTOR = [
    "mayor*",
    "governor*",
    "provincial",
    "municipal",
    "city council",
    "county council",
    "council leader",
    "party secretary",
    "chamber*",
    "local government",
    "local authorit*",
    "combined authority",
    "region's",
    "provincial government",
    "city government",
    "state government",
    "inward investment",
    "lord mayor",
    "省长",
    "市长",
    "省委",
    "市委",
    "省政府",
    "市政府",
    "州长",
    "商会",
    "Bürgermeister*",
    "Ministerpräsident*",
    "Landesregierung",
    "Landrat",
    "Oberbürgermeister*",
    "maire",
    "président de la région",
    "conseil régional",
    "conseil départemental",
]
NATIONAL_ACTOR = [
    "prime minister",
    "the president",
    "us president",
    "president xi",
    "chinese premier",
    "premier li",
    "head of state",
    "chef de l'état",
    "national government",
    "central government",
    "state council",
    "ministry",
    "minister",
    "ambassador",
    "embassy",
    "foreign secretary",
    "chancellor",
    "国务院",
    "总理",
    "主席",
    "部长",
    "大使",
    "Bundesregierung",
    "Bundeskanzler*",
    "Minister*",
    "Botschafter*",
    "président de la république",
    "ministre",
    "ambassadeur",
    "gouvernement",
]
FOREIGN = [
    "foreign",
    "overseas",
    "international",
    "multinational*",
    "global",
    "cross-border",
    "abroad",
    "外资",
    "外商",
    "境外",
    "海外",
    "国际",
    "跨境",
    "ausländisch*",
    "international*",
    "étranger*",
    "étrangère*",
    "internationa*",
    "multinationa*",
]


@dataclass(frozen=True)
class Term:
    kind: str  # "event", "sector", "tie", "mention", "local", "national", "foreign", "sport", "headline"
    label: str
    weight: float
    lang: str | None = None  # a word of this language only (French "accord*", Spanish "que"); None: any


@dataclass(frozen=True)
class Lexicon:
    """One matcher per kind, so overlapping terms of different kinds ("industrial park" the
    platform, "industrial" the sector) are all found."""

    matchers: MatcherSet[Term]  # one pass over a text for every kind

    def find(self, text: str, folded: str, lang: str | None) -> dict[str, list[Hit[tuple[Term, ...]]]]:
        """Hits per kind, without the terms of another language than ``lang`` (French "accord*"
        is not English "according to"); every term counts when the language is unknown."""

        def accept(t: Term) -> bool:
            return t.lang is None or lang is None or t.lang == lang

        return self.matchers.find(text, folded, accept)


def _entries(data: dict, lang: str | None, only: dict[str, str]) -> list[tuple[str, Term]]:
    """One block of lexicon.yaml (the shared lists, or one language's section) as (surface, Term)."""

    def term(t: str, kind: str, label: str, weight: float) -> tuple[str, Term]:
        return t, Term(kind, label, weight, lang or only.get(t))

    out: list[tuple[str, Term]] = []
    for label, by_weight in data.get("event_types", {}).items():
        out += [term(t, "event", label, float(w)) for w, terms in by_weight.items() for t in terms]
    for label, terms in data.get("sectors", {}).items():
        out += [term(t, "sector", label, 1.0) for t in terms]
    for label, terms in data.get("weak_sector_terms", {}).items():
        out += [term(t, "sector", label, 0.5) for t in terms]
    for kind, key in (
        ("tie", "tie_cues"),
        ("mention", "mention_cues"),
        ("local", "local_actors"),
        ("national", "national_actors"),
        ("foreign", "foreign_cues"),
        ("sport", "sport_cues"),
    ):
        out += [term(t, kind, kind, 1.0) for t in data.get(key, [])]
    return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = yaml.safe_load((files(__package__) / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
    only = {t: lang for lang, terms in data.get("language_only", {}).items() for t in terms}
    entries = _entries(
        {**data, "local_actors": LOCAL_ACTOR, "national_actors": NATIONAL_ACTOR, "foreign_cues": FOREIGN}, None, only
    )
    for lang, block in data.get("languages", {}).items():
        entries += _entries(block, lang, {})
    for lang, block in data.get("headline_verbs", {}).items():  # what a headline does, per language
        entries += [(t, Term("headline", label, 1.0, lang)) for label, terms in block.items() for t in terms]
    kinds = sorted({t.kind for _, t in entries})
    return Lexicon(MatcherSet({k: Matcher((s, t) for s, t in entries if t.kind == k) for k in kinds}))
