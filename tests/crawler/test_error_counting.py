"""Every failure kind ends in ``tradeties_crawler_errors_total``: a robots.txt that cannot be
fetched (the host is then disallowed) and a bug while publishing an extracted article."""

from __future__ import annotations

from tradeties.newsweb import Canned, NewsWeb

from .helpers import FakePublisher
from .hostile_web import crawl, html, outlet, page, words


async def test_a_robots_txt_that_cannot_be_fetched_is_counted(tmp_path):
    story = html(page("Behind a broken robots.txt", [words(900, 90), words(901, 90)]).encode())
    web = NewsWeb(
        [
            outlet(
                "127.0.0.75",
                {"/a/story": story},
                {"urls": ["/a/story"]},
                robots=Canned(b"down", 500, (("Content-Type", "text/plain"),)),
            )
        ]
    )
    async with web:
        crawler, _, pub = await crawl(web, tmp_path)
    assert pub.articles == [] and not web.fetched("/a/")
    assert crawler.stats.errors == {"http_5xx": 1, "robots": 1}  # robots.txt itself, then the page it blocks


class BrokenPublisher(FakePublisher):
    """A publisher with a bug on one article (neither retryable nor permanent)."""

    async def publish(self, article, *, more_coming=True):
        if "broken" in article.url:
            raise ValueError("a bug on hostile metadata")
        await super().publish(article)


async def test_a_bug_while_publishing_is_counted_dead_lettered_and_the_crawl_goes_on(tmp_path):
    routes = {
        f"/a/{name}": html(page(f"Story {name}", [words(910 + i, 90), words(920 + i, 90)]).encode())
        for i, name in enumerate(("broken", "fine-1", "fine-2"))
    }
    web = NewsWeb([outlet("127.0.0.76", routes, {"urls": list(routes)})])
    publisher = BrokenPublisher()
    async with web:
        crawler, store, _ = await crawl(web, tmp_path, publisher=publisher, publish_window=1)
    assert sorted(a.url.rsplit("/", 1)[1] for a in publisher.articles) == ["fine-1", "fine-2"]
    assert crawler.stats.errors == {"internal": 1}
    (letter,) = publisher.dead_letters
    assert (letter.error_type, letter.key) == ("internal", web.outlets[0].url("/a/broken").encode())
    assert store.counts()["frontier"] == 0
