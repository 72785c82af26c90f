"""Keyword lexicons (data/lexicon.yaml) compiled into one Aho-Corasick matcher, plus the small
cue lists the role and direction rules use. Built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml

from tradeties.places.text import Hit, Matcher

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
# "délégation bretonne", "Delegation Bayerns": in French and German the region follows the noun
# (French "de" alone is a genitive far more often than an origin: "autorités de Shanghai")
ORIGIN_BEFORE = [
    "from",
    "delegation of",
    "mission of",
    "delegates of",
    "officials of",
    "companies of",
    "firms of",
    "mayor of",
    "governor of",
    "government of",
    "来自",
    "aus",
    "délégation de",
    "délégation du",
    "délégation d'",
    "entreprises de",
    "élus de",
    "venus de",
    "venue de",
    "led by",
    "leaders of",
    "officials from",
    "firms from",
    "délégation",
    "Delegation",
    "delegación de",
    "delegación del",
    "misión de",
    "empresarios de",
    "procedente de",
    "procedentes de",
    "delegazione di",
    "delegazione della",
    "delegazione del",
    "missione di",
    "imprese di",
    "aziende di",
    "proveniente da",
    "provenienti da",
    "Delegation aus",
]
ORIGIN_AFTER = [
    "delegation",
    "'s delegation",
    "-led",
    "officials",
    "business leaders",
    "firms",
    "companies",
    "trade mission",
    "mission",
    "代表团",
    "考察团",
    "经贸团",
    "率团",
    "-delegation",
    "delegation*",
    "délégation",
    # the region as the subject that sends or leads the party ("Anhui brought 120 companies")
    "leads",
    "led",
    "brings",
    "brought",
    "takes",
    "took",
    "sends",
    "sent",
    "conduit",
    "emmène",
    "envoie",
    "führt",
    "bringt",
    "schickt",
    "entsendet",
    "组团",
    "派出",
    "から",
    "の代表団",
    "の訪問団",
    "の経済訪問団",
    "の一行",
    "代表団",
    "訪問団",
    "encabezó",
    "encabeza",
    "lidera",
    "envió",
    "envía",
    "guida",
    "ha guidato",
    "porta",
    "invia",
]
# "before returning to Shanghai": the travellers' home, not a stop
RETURN_BEFORE = [
    "returning to",
    "returns to",
    "return to",
    "back to",
    "flies home to",
    "Rückkehr nach",
    "zurück nach",
    "retour à",
    "avant de rentrer à",
    "返回",
    "回到",
    "regreso a",
    "de vuelta a",
    "rientro a",
    "ritorno a",
]
DEST_BEFORE = [
    "to",
    "visited",
    "visit",
    "visiting",
    "in",
    "arrived in",
    "toured",
    "trip to",
    "mission to",
    "delegation to",
    "访问",
    "赴",
    "到",
    "抵达",
    "考察",
    "前往",
    "nach",
    "besuchte",
    "besucht",
    "à",
    "au",
    "en",
    "vers",
    "visite à",
    "se rend à",
    "bound for",
    "heads to",
    "head to",
    "travel to",
    "travelled to",
    "traveled to",
    "signed at",
    "held at",
    "first stop",
    "first stop is",
    # the host: "hosted by", "at the invitation of", "auf Einladung der", "à l'invitation de"
    "hosted by",
    "welcomed by",
    "received by",
    "invited by",
    "at the invitation of",
    "on the invitation of",
    "auf Einladung von",
    "auf Einladung der",
    "auf Einladung des",
    "empfangen von",
    "à l'invitation de",
    "à l'invitation du",
    "accueillie par",
    "accueilli par",
    "accueillis par",
    "reçue par",
    "reçus par",
    "first stop of the trip is",
    "Station ist",
    "erste Station ist",
    "Station der Reise ist",
    "première étape est",
    "première étape",
    "étape à",
    "第一站",
    "visitó",
    "viajó a",
    "llegó a",
    "rumbo a",
    "con destino a",
    "recibida por",
    "recibidos por",
    "invitación de",
    "primera parada",
    "ha visitato",
    "in visita a",
    "in missione a",
    "verso",
    "arrivata a",
    "arrivati a",
    "ospite di",
    "invito di",
    "prima tappa",
    "en visita a",
    "misión a",
    "delegación a",
    "delegazione a",
    "missione in",
    "viaja a",
    "viajará a",
    "aterriza en",
    "llega a",
    "se desplaza a",
    "misión comercial a",
    "in visita in",
    "missione a",
    "si reca a",
    "arriva a",
    "en mission à",
    "en mission en",
    "se rendra à",
    "Reise nach",
    "reist nach",
    "Delegationsreise nach",
    "zu Besuch in",
    "landed in",
    "mission in",
]
# Japanese puts the destination's particle after the place ("上海を訪問", "上海へ", "神戸に到着")
DEST_AFTER = ["を訪問", "を訪れ", "を視察", "へ", "に到着", "を歴訪", "で開催", "で開かれ", "で調印", "で署名", "側が歓迎"]


@dataclass(frozen=True)
class Term:
    kind: str  # "event", "sector", "tie", "mention", "local", "national", "foreign"
    label: str
    weight: float
    lang: str | None = None  # a word of this language only (French "accord*", Spanish "que"); None: any


@dataclass(frozen=True)
class Lexicon:
    """One matcher per kind, so overlapping terms of different kinds ("industrial park" the
    platform, "industrial" the sector) are all found."""

    matchers: dict[str, Matcher[Term]]

    def find(self, text: str, folded: str, lang: str | None) -> dict[str, list[Hit[tuple[Term, ...]]]]:
        """Hits per kind, without the terms of another language than ``lang`` (French "accord*"
        is not English "according to"); every term counts when the language is unknown."""

        def accept(t: Term) -> bool:
            return t.lang is None or lang is None or t.lang == lang

        return {kind: matcher.find(text, folded, accept) for kind, matcher in self.matchers.items()}


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
    kinds = sorted({t.kind for _, t in entries})
    return Lexicon({k: Matcher((s, t) for s, t in entries if t.kind == k) for k in kinds})


@lru_cache(maxsize=1)
def direction_matchers() -> tuple[Matcher[str], Matcher[str], Matcher[str], Matcher[str], Matcher[str]]:
    """Matchers run on the few characters before/after a place mention in a delegation sentence."""
    return (
        Matcher(((t, "ob") for t in ORIGIN_BEFORE), single_cjk=True),
        Matcher(((t, "oa") for t in ORIGIN_AFTER), single_cjk=True),
        Matcher(((t, "db") for t in DEST_BEFORE), single_cjk=True),
        Matcher(((t, "rb") for t in RETURN_BEFORE), single_cjk=True),
        Matcher(((t, "da") for t in DEST_AFTER), single_cjk=True),
    )
