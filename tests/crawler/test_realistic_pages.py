"""The fixture web's "realistic" page style (real-outlet chrome, used by the e2e benchmark's second
row): the crawler's extraction path still returns the article's title and body, not the chrome."""

from __future__ import annotations

import pytest

from tradeties.crawler.pool import process_page
from tradeties.newsweb import NewsWeb, Outlet, corpus_paths, load_records

from .helpers import REPO, shingles

#: Text that only the chrome holds (menus, boxes, comments, footer).
CHROME = (
    "Advertisement",
    "Read more",
    "Most read",
    "morning briefing",
    "Comments (",
    "community guidelines",
    "Accept all",
    "Terms of use",
    "Newsletters",
    "Like (",
)


@pytest.mark.evaluation  # every page of the corpora through trafilatura: `make test`, not `make test-unit`
def test_realistic_chrome_is_left_out_and_the_article_kept():
    records = load_records(*corpus_paths(REPO))  # every language of the shared seeds and corpus/dev.jsonl
    assert len(records) >= 50
    outlet = Outlet(name="Realistic Regional Times", ip="127.0.0.2", articles=records, page_style="realistic")
    web = NewsWeb([outlet])
    tp = fp = fn = 0
    for rec in records:
        body, _ = web.document(outlet, rec.url_path)
        assert body == web.document(outlet, rec.url_path)[0], "a page is the same bytes on every request"
        html = body.decode()
        assert len(body) > 40_000 and html.count("<div") > 60 and html.count("<script") > 5
        assert not [m for m in CHROME if m not in html]
        ex = process_page(body, outlet.url(rec.url_path), None, 0).extracted
        assert ex.title == rec.title.strip()
        leaked = [m for m in CHROME if m in ex.text and not any(m in p for p in rec.paragraphs)]
        assert not leaked, rec.url_path
        want, got = shingles("\n".join(rec.paragraphs)), shingles(ex.text)
        tp += sum((want & got).values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.98 and recall >= 0.98, f"precision {precision:.4f}, recall {recall:.4f}"
