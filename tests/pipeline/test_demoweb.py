from pathlib import Path

import httpx
import yaml

from tradeties.pipeline.demoweb import build_demo_web, corpus_paths, load_corpus, story_of, templated_corpus

REPO = Path(__file__).resolve().parents[2]


def test_demo_web_serves_every_article_feeds_sitemaps_and_robots():
    corpus = load_corpus(corpus_paths(REPO))
    assert len(corpus) >= 5
    demo = build_demo_web(corpus, first_host=40)
    try:
        sources = yaml.safe_load(demo.sources_yaml())
        assert sources["allow_private_networks"] is True
        assert len(sources["sources"]) >= 5
        assert demo.expected_articles == len(set(story_of(corpus).values())) < len(corpus), "corpus copies are one story"
        assert any(len(urls) > 1 for urls in demo.placements.values()), "some stories are syndicated"
        with httpx.Client(timeout=5) as http:
            for urls in demo.placements.values():
                for url in urls:
                    r = http.get(url)
                    assert r.status_code == 200 and "<article>" in r.text
            for src in sources["sources"]:
                for url in src.get("feeds", []) + src.get("sitemaps", []) + src.get("homepages", []):
                    assert http.get(url).status_code == 200
            robots = http.get(demo.disallowed[0].split("/private/")[0] + "/robots.txt")
            assert "Disallow: /private/" in robots.text
    finally:
        demo.close()
    assert {h.path for h in demo.web.hits_for()} >= {"/robots.txt", "/feed.xml", "/sitemap.xml"}


def test_templated_corpus_is_distinct():
    base = load_corpus(corpus_paths(REPO))
    arts = templated_corpus(base, 50)
    assert len({a.url_path for a in arts}) == 50
    assert len({a.paragraphs for a in arts}) == 50
