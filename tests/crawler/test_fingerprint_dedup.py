"""Near-duplicate detection over the corpus: CJK text is fingerprinted, retitled copies merge (by
SimHash and by resemblance), distinct articles (including other outlets' own reports of one event)
stay distinct."""

from __future__ import annotations

import html
import itertools
import json
from pathlib import Path

import pytest

from tradeties.common.settings import CrawlerSettings
from tradeties.crawler import fingerprint
from tradeties.crawler.pool import Page, process_page

from .edited_copies import copies_among

REPO = Path(__file__).resolve().parents[2]
CORPUS = [REPO.parent / "shared" / "corpus" / "seeds.jsonl", REPO / "corpus" / "dev.jsonl"]
#: corpus/NOTES.md: syndicated copies (identical text under another outlet).
COPIES = {frozenset({"dev010", "dev027"}), frozenset({"dev014", "dev028"})}
MAX_BITS = 3


def _page(a: dict, *, title: str | None = None, wire: bool = False) -> bytes:
    title = title or a["title"]
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in a["paragraphs"])
    credit = f'<div class="credit">Distributed by Wire. Originally published by {html.escape(a["outlet"])}.</div>' if wire else ""
    date = a.get("published") or "2020-01-01"
    return f"""<!DOCTYPE html><html lang="{a["lang"]}"><head><meta charset="utf-8">
<title>{html.escape(title)} | Site</title><meta property="article:published_time" content="{date}T09:00:00+00:00">
</head><body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/">Business</a></li></ul></nav></header>
<main><article><h1>{html.escape(title)}</h1><time datetime="{date}">{date}</time>
{paras}</article>{credit}</main><footer><p>&copy; Site. All rights reserved.</p></footer></body></html>""".encode()


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    missing = [p for p in CORPUS if not p.exists()]
    assert not missing, f"corpus files missing: {missing} (the clone must sit beside ../shared)"
    return [json.loads(line) for p in CORPUS for line in p.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def pages(corpus) -> dict[str, Page]:
    return {a["id"]: process_page(_page(a), f"http://127.0.0.1/{a['id']}", "utf-8", 0) for a in corpus}


@pytest.fixture(scope="module")
def hashes(pages) -> dict[str, int | None]:
    return {aid: p.simhash for aid, p in pages.items()}


def test_cjk_text_is_tokenised_into_characters():
    assert fingerprint.tokens("山东省代表团 visited Manchester，签署协议") == [
        "山",
        "东",
        "省",
        "代",
        "表",
        "团",
        "visited",
        "manchester",
        "签",
        "署",
        "协",
        "议",
    ]
    assert fingerprint.tokens("東京の代表団") == ["東", "京", "の", "代", "表", "団"]


def test_every_corpus_article_has_a_simhash(hashes):
    # Before: Chinese articles (one \w+ "word" per sentence) got None and were deduplicated only when byte-identical.
    assert [aid for aid, h in hashes.items() if h is None] == []


def test_body_text_drops_title_and_dateline_only():
    text = "WIRE: Shandong signs deals\n\n11 June 2019\n\nShandong signed two deals.\n\nMore text."
    assert fingerprint.body_text(text, "WIRE: Shandong signs deals") == "Shandong signed two deals.\n\nMore text."
    assert fingerprint.body_text("2019年6月11日\n山东省代表团访问曼彻斯特。", None) == "山东省代表团访问曼彻斯特。"
    assert fingerprint.body_text("Shandong signed deals on 11 June 2019.", "Other") == "Shandong signed deals on 11 June 2019."
    # Some pages extract as one line: title and date run into the first paragraph.
    assert (
        fingerprint.body_text("大连 签署协议 2019-07-02 7月1日，大连与杜伊斯堡签署协议。", "大连 签署协议")
        == "7月1日，大连与杜伊斯堡签署协议。"
    )


def test_retitled_wire_copies_are_near_duplicates(corpus, hashes):
    far = {}
    for a in corpus:
        copy = process_page(_page(a, title="WIRE: " + a["title"], wire=True), "http://127.0.0.1/w", "utf-8", 0).simhash
        d = fingerprint.distance(hashes[a["id"]], copy)
        if d > MAX_BITS:
            far[a["id"]] = d
    assert far == {}


def test_chinese_copy_with_other_boilerplate_is_a_near_duplicate(corpus, hashes):
    a = next(x for x in corpus if x["id"] == "dev063")  # 157 characters
    variant = dict(a, title="【转载】" + a["title"], paragraphs=[*a["paragraphs"], "（来源：地方经贸网）"])
    h = process_page(_page(variant), "http://127.0.0.1/v", "utf-8", 0).simhash
    assert fingerprint.distance(hashes["dev063"], h) <= MAX_BITS


def test_known_copies_merge_and_distinct_articles_stay_distinct(hashes):
    merged, missed = [], []
    for x, y in itertools.combinations(sorted(hashes), 2):
        near = fingerprint.distance(hashes[x], hashes[y]) <= MAX_BITS
        if frozenset({x, y}) in COPIES:
            if not near:
                missed.append((x, y))
        elif near:
            merged.append((x, y, fingerprint.distance(hashes[x], hashes[y])))
    assert (missed, merged) == ([], [])


def test_every_corpus_article_passes_the_default_minimum_length(corpus):
    cs = CrawlerSettings()
    for a in corpus:  # raises NoArticle for a rejected one (before: the short Chinese articles)
        process_page(_page(a), "http://127.0.0.1/x", "utf-8", cs.min_text_chars, cs.cjk_char_weight)


def test_known_copies_resemble_and_distinct_articles_do_not(pages):
    """The copy evidence (edited copies) on the corpus: other outlets' reports of one event included."""
    assert copies_among({aid: p.sketch for aid, p in pages.items() if p.sketch is not None}) == COPIES
