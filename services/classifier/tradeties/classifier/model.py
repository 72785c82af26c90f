"""The classifier: one pure function from Document to Classification, used by `tradeties classify`
and by the faust agent alike.

Gazetteer + lexicons, no learned weights: place names are found with an Aho-Corasick automaton
over maintained gazetteer data (see gazetteer.py), disambiguated from context and scored for
salience (regions.py); event types and sectors come from multilingual lexicons grounded in the
LABELS.md definitions (labels.py); delegation direction from the words around each place
(delegation.py). Everything heavy is built once per process and shared.
"""

from __future__ import annotations

import math

from tradeties.common.events import Classification, Delegation, Label, RegionTag
from tradeties.common.language import detect
from tradeties.common.settings import ClassifierSettings

from .cluster import cluster_id, top_region
from .delegation import find_delegation
from .document import Document
from .gazetteer import Gazetteer, gazetteer
from .labels import LabelScore, pick_events, pick_sectors, score_labels
from .lexicon import EVENT_TYPES, SECTORS, lexicon
from .regions import CAPITALS, Region, SentenceCues, from_parties, qualifiers, resolve, score_regions, sentence_cues
from .text import Hit, fold_aligned, sentence_at, split_sentences

MODEL_VERSION = "lexgaz-2.0"  # 2.0: place ids (tradeties.places)
PRINCIPAL = 0.3  # region salience from which a region is a party to the tie


def _span(text: str, start: int, end: int, sentence_start: int, sentence_end: int) -> str:
    s0, s1 = max(sentence_start, start - 120), min(sentence_end, end + 120)
    return text[s0:s1].strip()


def _travelling_officials(scores: dict[str, LabelScore], cues: dict[int, SentenceCues]) -> None:
    """A travel word beside a local official ("travelled to the fair with the region's governor",
    "the governor opened the office during a visit") is a delegation even without the word."""
    visit = scores.get("delegation_visit")
    if visit is not None:
        visit.score += min(2, sum(1 for c in cues.values() if c.travel and c.local))


class Classifier:
    def __init__(self, settings: ClassifierSettings | None = None) -> None:
        self.settings = settings or ClassifierSettings()
        self.gaz: Gazetteer = gazetteer()
        self.lex = lexicon()

    def classify(self, doc: Document) -> Classification:
        text, sentences = split_sentences(doc.title.strip(), doc.text)
        folded = fold_aligned(text)
        gaz = self.gaz
        place_hits = gaz.place_matcher.find(text, folded)
        country_hits = gaz.country_matcher.find(text, folded)
        term_hits: dict[str, list[Hit]] = {k: m.find(text, folded) for k, m in self.lex.matchers.items()}
        cues = sentence_cues(term_hits, sentences)
        mentions, margins = resolve(gaz, text, place_hits, country_hits, sentences)
        regions = score_regions(mentions, margins, cues, qualifiers(gaz, text, mentions),
                                from_parties(text, mentions, cues))
        principals = [r for r in regions if r.score >= PRINCIPAL]

        tie_sentences = {i for i, c in cues.items() if c.tie or c.event >= 3}
        event_scores = score_labels(term_hits.get("event", []), sentences, EVENT_TYPES, tie_sentences)
        _travelling_officials(event_scores, cues)
        events, primary = pick_events(event_scores)
        sectors = pick_sectors(score_labels(term_hits.get("sector", []), sentences, SECTORS, tie_sentences,
                                            enumerations=True))

        countries = self._countries(principals, country_hits, sentences, cues)
        cross = self._cross_border(mentions, country_hits, sentences, tie_sentences)
        place_sentences = {m.sentence.index for m in mentions}
        foreign = any(c.foreign for i, c in cues.items() if i in tie_sentences and i in place_sentences)
        national = sum(c.national for c in cues.values())
        local = sum(c.local for c in cues.values())
        # heads of government and ministers in a capital, no local actor: a national story
        national_only = national >= 2 and local == 0 and all(r.place.id in CAPITALS for r in principals)
        relevance = self._relevance(principals, cross, foreign, sum(e.score for e in events),
                                    national_framing=national_only)
        relevant = relevance >= self.settings.relevance_threshold

        event_ids = {e.id for e in events}
        origin = destination = None
        if relevant and "delegation_visit" in event_ids:
            origin, destination = find_delegation(text, principals, sentences,
                                                  self._delegation_sentences(term_hits, sentences))

        # without a tie there are no parties: every place is then named in passing
        tags = [self._tag(r, text, "origin" if r is origin else "destination" if r is destination else
                          ("party" if relevant and r in principals else "mention")) for r in regions]
        by_id = {t.id: t for t in tags}
        kind = "delegation_visit" if "delegation_visit" in event_ids else primary
        if origin or destination:
            parties = [top_region(gaz, r.place).id for r in (origin, destination) if r]
        else:
            parties = [top_region(gaz, r.place).id for r in principals[:2]]
        cid = cluster_id(parties if relevant else [], kind, doc.published, doc.id)
        return Classification(
            relevant=relevant,
            relevance=round(relevance, 3),
            regions=tags,
            countries=countries if relevant else [],
            sectors=[Label(id=s.id, confidence=s.confidence, evidence=s.evidence) for s in sectors] if relevant else [],
            event_types=[Label(id=e.id, confidence=e.confidence, evidence=e.evidence) for e in events] if relevant else [],
            primary_event_type=primary if relevant else None,
            delegation=Delegation(origin=by_id.get(origin.place.id) if origin else None,
                                  destination=by_id.get(destination.place.id) if destination else None)
            if (origin or destination) else None,
            language=(doc.lang.split("-")[0].split("_")[0].lower() or None) if doc.lang else detect(text),
            cluster_id=cid,
            model_version=MODEL_VERSION,
        )

    # -- pieces ------------------------------------------------------------------------------
    def _delegation_sentences(self, term_hits: dict[str, list[Hit]], sentences) -> set[int]:
        return {sentence_at(sentences, h.start).index for h in term_hits.get("event", [])
                if any(t.label == "delegation_visit" for t in h.value)}

    def _countries(self, principals: list[Region], country_hits: list[Hit], sentences,
                   cues: dict[int, SentenceCues]) -> list[str]:
        out: dict[str, float] = {}
        for r in principals:
            out[r.place.country] = out.get(r.place.country, 0) + 1
        for h in country_hits:
            sen = sentence_at(sentences, h.start)
            c = cues.get(sen.index, SentenceCues())
            if sen.in_title or c.tie or c.event >= 3:
                for code in h.value:
                    out[code] = out.get(code, 0) + 0.5
        return sorted(code for code, w in out.items() if w >= 0.5)

    @staticmethod
    def _cross_border(mentions, country_hits: list[Hit], sentences, tie_sentences: set[int]) -> bool:
        """Does one sentence about a tie name places or nations of two countries, one of them
        through a sub-national place? (The title and the first body sentence count as one; the
        nation the headline names — "Swedish truck maker opens centre in Foshan" — is in play in
        the body's tie sentences too.)"""
        first_body = next((s.index for s in sentences if not s.in_title), 0)

        def unit(i: int) -> int:
            return -1 if (sentences[i].in_title or i == first_body) else i

        places: dict[int, set[str]] = {}
        nations: dict[int, set[str]] = {}
        for m in mentions:
            places.setdefault(unit(m.sentence.index), set()).add(m.place.country)
        for h in country_hits:
            nations.setdefault(unit(sentence_at(sentences, h.start).index), set()).update(h.value)
        tie_units = {unit(i) for i in tie_sentences}
        headline = {c for h in country_hits if sentence_at(sentences, h.start).in_title for c in h.value}
        return any(u in places and len(places[u] | nations.get(u, set()) | headline) >= 2 for u in tie_units)

    @staticmethod
    def _relevance(principals: list[Region], cross_border: bool, foreign: bool, event_score: float,
                   national_framing: bool) -> float:
        # Salience of the best party: a region in the headline and in sentences about the tie
        # scores >1; one named once in the body ~0.3. Calibrated with real unrelated news
        # (the extraction benchmark pages) as negatives: see docs/classifier.md.
        region = min(1.0, max(0.0, (max((r.score for r in principals), default=0.0) - 0.5) / 0.8))
        if national_framing:
            region *= 0.1
        intl = 1.0 if cross_border else (0.6 if foreign else 0.1)
        event = 1 - math.exp(-event_score / 6)
        return region ** 0.5 * intl ** 0.5 * event ** 0.25

    def _tag(self, r: Region, text: str, role) -> RegionTag:
        p = r.place
        m = max(r.mentions, key=lambda m: (m.sentence.in_title, -m.start))
        return RegionTag(
            id=p.id, name=p.name, country=p.country, iso3166_2=p.iso3166_2, geonames_id=p.geonames_id,
            admin_level=p.level, lat=p.lat, lon=p.lon, parent_id=p.parent_id, parents=self.gaz.parents(p), role=role,
            confidence=round(max(0.05, min(1.0, (0.3 + r.score) * r.margin)), 3),
            evidence=_span(text, m.start, m.end, m.sentence.start, m.sentence.end),
        )
