"""The classifier: one pure function from Document to Classification, used by `tradeties classify`
and by the faust agent alike.

Rules find the evidence, learned weights decide: place names come from the gazetteer's
Aho-Corasick automaton and are disambiguated from context (regions.py), lexicons and cue detectors
mark event, sector, tie, actor and direction words (lexicon.py, labels.py, officials.py,
delegation.py), and features.py turns all of it into feature rows. Logistic models trained on the
labelled corpus and real negatives (..training.train; weights in data/model.json, applied with numpy by
learned.py) take the decisions: relevance, which regions are parties, event types and the primary
type, sectors. Delegation direction is read from the words around the chosen parties. Everything
heavy is built once per process and shared.
"""

from __future__ import annotations

import math

import numpy as np

from tradeties.common.events import Classification, Delegation, Label, RegionTag
from tradeties.common.settings import ClassifierSettings
from tradeties.places import Gazetteer, gazetteer
from tradeties.places.text import sentence_at

from .cluster import cluster_id, top_region
from .direction import choose
from .document import Document
from .features import Analysis, analyse, event_rows
from .learned import Weights, shipped_weights
from .lexicon import EVENT_TYPES, SECTORS, lexicon
from .region_stack import stage_rows
from .regions import Region, SentenceCues
from .wordbag import stacked


def _span(text: str, start: int, end: int, sentence_start: int, sentence_end: int) -> str:
    s0, s1 = max(sentence_start, start - 120), min(sentence_end, end + 120)
    return text[s0:s1].strip()


VISIT = "delegation_visit"


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


class Classifier:
    def __init__(self, settings: ClassifierSettings | None = None, weights: Weights | None = None) -> None:
        self.settings = settings or ClassifierSettings()
        self.gaz: Gazetteer = gazetteer()
        self.lex = lexicon()
        self.weights = weights or shipped_weights()

    def classify(self, doc: Document) -> Classification:
        return self.decide(analyse(self.gaz, self.lex, doc))

    def decide(self, a: Analysis) -> Classification:
        w = self.weights
        # calibrated so that 0.5 is the threshold chosen on validation folds (settings may move it)
        gate = w["relevance"]
        doc_x = stacked(a.doc_x, w.text, a.words, "relevance")
        relevance = 1 / (1 + math.exp(-(float(gate.logit(doc_x)[0]) - _logit(gate.threshold))))
        relevant = relevance >= self.settings.relevance_threshold

        region_p, cut = self._regions(a, relevant)
        p_of = {r.place.id: float(p) for r, p in zip(a.regions, region_p, strict=True)}
        principals = (
            sorted((r for r in a.regions if p_of[r.place.id] >= cut), key=lambda r: -p_of[r.place.id]) if relevant else []
        )

        event_p = w["event"].proba(stacked(event_rows(a, "event"), w.text, a.words, "event"))
        events = [t for t, p in zip(EVENT_TYPES, event_p, strict=True) if p >= w["event"].threshold]
        if relevant and not events:
            events = [EVENT_TYPES[int(np.argmax(event_p))]]  # a relevant article reports some event
        primary_p = dict(
            zip(EVENT_TYPES, w["primary"].proba(stacked(event_rows(a, "primary"), w.text, a.words, "primary")), strict=True)
        )
        primary = max(events, key=lambda t: primary_p[t]) if events else None
        # the visit has its own, lower cut (a missed one loses the direction): it joins the types
        # without taking part in the primary choice
        p_visit = float(event_p[EVENT_TYPES.index(VISIT)])
        if relevant and VISIT not in events and p_visit >= w["event"].cut(VISIT):
            events = [t for t in EVENT_TYPES if t in events or t == VISIT]
        sector_p = w["sector"].proba(stacked(a.sector_x, w.text, a.words, "sector"))
        sectors = [(s, float(p)) for s, p in zip(SECTORS, sector_p, strict=True) if p >= w["sector"].threshold]

        origin = destination = None
        if relevant and VISIT in events and principals:
            origin, destination = self._direction(a, [r for r in a.regions if p_of[r.place.id] >= 0.5 * cut])
        tags = [
            self._tag(
                r,
                a.text,
                p_of[r.place.id],
                "origin" if r is origin else "destination" if r is destination else ("party" if r in principals else "mention"),
            )
            for r in a.regions
        ]
        by_id = {t.id: t for t in tags}
        kind = VISIT if VISIT in events else primary
        if origin or destination:
            parties = [top_region(self.gaz, r.place).id for r in (origin, destination) if r]
        else:
            parties = [top_region(self.gaz, r.place).id for r in principals[:2]]
        event_conf = dict(zip(EVENT_TYPES, event_p, strict=True))
        return Classification(
            relevant=relevant,
            relevance=round(relevance, 3),
            regions=tags,
            countries=self._countries(principals, a) if relevant else [],
            sectors=[
                Label(id=s, confidence=round(p, 3), evidence=a.sector_scores[s].evidence if s in a.sector_scores else "")
                for s, p in sectors
            ]
            if relevant
            else [],
            event_types=[
                Label(
                    id=t,
                    confidence=round(float(event_conf[t]), 3),
                    evidence=a.event_scores[t].evidence if t in a.event_scores else "",
                )
                for t in events
            ]
            if relevant
            else [],
            primary_event_type=primary if relevant else None,
            delegation=Delegation(
                origin=by_id.get(origin.place.id) if origin else None,
                destination=by_id.get(destination.place.id) if destination else None,
            )
            if (origin or destination)
            else None,
            language=a.language,
            cluster_id=cluster_id(parties if relevant else [], kind, a.doc.published, a.doc.id),
            model_version=w.version,
        )

    # -- pieces ------------------------------------------------------------------------------
    def _regions(self, a: Analysis, relevant: bool) -> tuple[np.ndarray, float]:
        """Each candidate's probability of being a party, and the cut: the first stage's, re-scored
        by the second given the article's other candidates (region_stack.py). The second stage runs
        only after the gate: in an article that is not relevant every place is a mention, and its
        tags carry the first stage's probability."""
        first = self.weights["region"]
        if not a.regions:
            return np.zeros(0), first.threshold
        p = first.proba(a.region_x)
        if not relevant:
            return p, first.threshold
        x = stage_rows(self.gaz, a.regions, a.lists, a.cues, p, first.threshold, a.region_x)
        return self.weights["region_stack"].proba(x), self.weights["region_stack"].threshold

    def _direction(self, a: Analysis, principals: list[Region]) -> tuple[Region | None, Region | None]:
        """Who travelled where among the parties (direction.py)."""
        rows = {r.place.id: i for i, r in enumerate(a.regions)}
        x = a.region_x[[rows[r.place.id] for r in principals]]
        if self.weights.window is not None:
            x = np.hstack([x, self.weights.window.columns(a.text, principals)])
        return choose(self.gaz, self.weights, x, principals)

    @staticmethod
    def _countries(principals: list[Region], a: Analysis) -> list[str]:
        """Nations of the parties, and nations named in the headline or in a sentence about the tie."""
        out: dict[str, float] = {}
        for r in principals:
            out[r.place.country] = out.get(r.place.country, 0) + 1
        for h in a.country_hits:
            sen = sentence_at(a.sentences, h.start)
            c = a.cues.get(sen.index, SentenceCues())
            if sen.in_title or c.tie or c.event >= 3:
                for code in h.value:
                    out[code] = out.get(code, 0) + 0.5
        return sorted(code for code, w in out.items() if w >= 0.5)

    def _tag(self, r: Region, text: str, p: float, role) -> RegionTag:
        pl = r.place
        m = max(r.mentions, key=lambda m: (m.sentence.in_title, -m.start))
        return RegionTag(
            id=pl.id,
            name=pl.name,
            country=pl.country,
            iso3166_2=pl.iso3166_2,
            geonames_id=pl.geonames_id,
            admin_level=pl.level,
            lat=pl.lat,
            lon=pl.lon,
            parent_id=pl.parent_id,
            parents=self.gaz.parents(pl),
            role=role,
            confidence=round(max(0.0, min(1.0, p)), 3),
            evidence=_span(text, m.start, m.end, m.sentence.start, m.sentence.end),
        )
