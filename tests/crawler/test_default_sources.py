"""config/sources.yaml (what `make up` crawls): valid, public, reachable only over the internet,
so offline this is as far as it can be checked."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from tradeties.common.settings import Settings
from tradeties.crawler.sources import load_sources

REPO = Path(__file__).resolve().parents[2]


def test_default_sources_file_is_valid_and_public():
    assert Settings().crawler.sources == Path("config/sources.yaml"), "make up reads this file"
    sources = load_sources(REPO / "config" / "sources.yaml")
    assert sources.allow_private_networks is False
    assert len(sources.sources) >= 5
    for s in sources.sources:
        urls = s.feeds + s.sitemaps + s.homepages + s.urls
        assert urls, f"{s.name}: no entry point"
        assert s.interval_s is not None and s.interval_s >= 60, f"{s.name}: polite interval"
        for url in urls:
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https") and not parts.username, f"{s.name}: {url}"
            host = parts.hostname or ""
            assert "." in host and not host.replace(".", "").isdigit() and not host.endswith((".local", ".invalid")), (
                f"{s.name}: {url} is not a public host name"
            )
