"""Candidate recall: the gold regions of the labelled corpus that are never a candidate place of the
classifier (any role, `mention` included), each classed by why, per language. What the places
library can fix shows here; what the region decision loses among candidates does not
(`tradeties classifier candidates`).

Classes:
- label-unresolved: the gazetteer resolves no place for the label (a region type or place it lacks);
- name-form-missing: no name of the place (nor any GeoNames name of it) occurs in the text — the
  text writes it in a language, script or form the gazetteer lacks;
- alias-in-data-not-kept: a GeoNames name of the place occurs in the text, but the build left it out;
- swallowed-or-boundary: one of its names occurs, but no hit: inside a longer name or a word;
- resolved-elsewhere: a hit could be the place but resolved to another (a namesake);
- hit-dropped: a hit could be the place but resolution kept no place (a person, a word, a small
  town or division without its country in play)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tradeties.places import sources
from tradeties.places.text import fold, fold_aligned

from ..model.classifier import Classifier
from ..model.features import analyse
from .evaluate import _means, load, to_document


@dataclass
class Miss:
    article: str
    lang: str
    label: str
    kind: str
    surface: str = ""
    context: str = ""


def _geonames_names() -> dict[int, set[str]]:
    names: dict[int, set[str]] = defaultdict(set)
    for c in sources.cities().values():
        names[c["geonameid"]] |= {fold(x) for x in (c["name"], *c["alternatenames"]) if len(x) > 1}
    for d in sources.divisions().values():
        if d.geonames_id:
            names[d.geonames_id] |= {fold(x) for x in (d.name, *d.aliases) if len(x) > 1}
    return names


def misses(paths: Iterable[Path]) -> tuple[Counter, Counter, list[Miss]]:
    """(gold labels per language, of them candidates, the misses)."""
    clf = Classifier()
    gaz, names = clf.gaz, _geonames_names()
    total: Counter = Counter()
    found: Counter = Counter()
    out: list[Miss] = []
    for a in load(paths):
        gold = a["labels"].get("regions") or []
        if not gold:
            continue
        an = analyse(gaz, clf.lex, to_document(a))
        lang = a.get("lang") or an.language or "?"
        folded = fold_aligned(an.text)
        hits = gaz.place_matcher.find(an.text, folded)
        resolved = {(m.start, m.end): m.place for r in an.regions for m in r.mentions}
        for g in gold:
            total[lang] += 1
            if any(_means(g, r.place.id) for r in an.regions):
                found[lang] += 1
                continue
            out.append(_why(gaz, g, a["id"], lang, an.text, folded, hits, resolved, names))
    return total, found, out


def _why(gaz, label, article, lang, text, folded, hits, resolved, names) -> Miss:
    place = gaz.lookup(label)
    if place is None:
        return Miss(article, lang, label, "label-unresolved")
    hit = next((h for h in hits if any(_means(label, v) for v in h.value)), None)
    if hit is not None:
        other = resolved.get((hit.start, hit.end))
        kind = "resolved-elsewhere" if other else "hit-dropped"
        ctx = f"→ {other.id} {other.name} ({other.country})" if other else ""
        return Miss(article, lang, label, kind, hit.surface, ctx)
    own = {fold(s) for s in (place.name, *place.surfaces) if len(s) > 1}
    data = names.get(place.geonames_id or -1, set()) - own
    for kind, forms in (("swallowed-or-boundary", own), ("alias-in-data-not-kept", data)):
        inside = [s for s in forms if s in folded]
        if inside:
            s = max(inside, key=len)
            i = folded.index(s)
            return Miss(article, lang, label, kind, text[i : i + len(s)], text[max(0, i - 40) : i + len(s) + 40])
    return Miss(article, lang, label, "name-form-missing")


def report(paths: Iterable[Path]) -> str:
    total, found, out = misses(paths)
    n, k = sum(total.values()), sum(found.values())
    lines = [f"gold regions that are candidates: {k} of {n} ({k / n:.3f})"]
    lines += [f"  {lang}: {found[lang]} of {total[lang]} ({found[lang] / total[lang]:.3f})" for lang in sorted(total)]
    lines.append("never candidates, by class: " + ", ".join(f"{c} {m}" for c, m in Counter(x.kind for x in out).most_common()))
    for m in sorted(out, key=lambda m: (m.kind, m.lang, m.label)):
        lines.append(f"{m.kind}\t{m.lang}\t{m.article}\t{m.label}\t{m.surface}\t{m.context}".replace("\n", " ").rstrip())
    return "\n".join(lines)
