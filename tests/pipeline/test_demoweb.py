from html import escape
from pathlib import Path

import httpx
import yaml

from tradeties.newsweb import corpus_paths, load_records
from tradeties.pipeline.demoweb import SITES, WIRE, build_demo_web, story_of, templated_corpus

REPO = Path(__file__).resolve().parents[2]


def test_demo_web_serves_every_article_feeds_sitemaps_and_robots():
    corpus = load_records(*corpus_paths(REPO))
    assert len(corpus) >= 5
    demo = build_demo_web(corpus, first_host=40)
    assert demo.expected_articles == len(set(story_of(corpus).values())) < len(corpus), "corpus copies are one story"
    assert any(len(places) > 1 for places in demo.stories.values()), "some stories are syndicated"
    for o in demo.web.outlets:
        assert len(set(o.article_paths())) == len(o.article_paths()), f"two articles share a path on {o.name}"
    with demo, httpx.Client(timeout=5) as http:
        sources = yaml.safe_load(demo.sources_yaml())
        assert sources["allow_private_networks"] is True
        assert [s["name"] for s in sources["sources"]] == [p.name for p in (*SITES, WIRE)]
        for urls in demo.placements.values():
            for url in urls:
                r = http.get(url)
                assert r.status_code == 200 and "<article>" in r.text
        for src in sources["sources"]:
            for url in src.get("feeds", []) + src.get("sitemaps", []) + src.get("homepages", []):
                assert http.get(url).status_code == 200
        assert demo.disallowed
        for url in demo.disallowed:
            robots = http.get(url.split("/private/")[0] + "/robots.txt")
            assert "Disallow: /private/" in robots.text
        manifest = demo.manifest()
        assert manifest["expected_articles"] == demo.expected_articles
        assert set(manifest["sites"].values()) == {o.base_url for o in demo.web.outlets}
    paths = {a.path for a in demo.web.access_log}
    assert {"/robots.txt", "/feed.xml", "/feed.json", "/atom.xml", "/sitemap_index.xml", "/"} <= paths


def test_wire_copies_carry_the_original_text_in_other_chrome():
    corpus = load_records(*corpus_paths(REPO))
    demo = build_demo_web(corpus, first_host=40)
    wire = next(o for o in demo.web.outlets if o.name == WIRE.name)
    assert wire.syndicated and not wire.articles
    path, rec, _, _ = wire.syndicated[0]
    copy = demo.web.document(wire, path)[0].decode()
    home = next(o for o in demo.web.outlets if rec in o.articles)
    original = demo.web.document(home, rec.url_path)[0].decode()
    paragraphs = [f"<p>{escape(p)}</p>" for p in rec.paragraphs]
    assert all(p in copy and p in original for p in paragraphs) and copy.count("<p>") == original.count("<p>")
    assert WIRE.name in copy and home.name not in copy
    assert any((wire, path) in places for places in demo.stories.values())


def test_templated_corpus_is_distinct():
    base = load_records(*corpus_paths(REPO))
    arts = templated_corpus(base, 50)
    assert len({a.url_path for a in arts}) == 50
    assert len({a.paragraphs for a in arts}) == 50
