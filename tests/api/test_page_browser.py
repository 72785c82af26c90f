"""The search page in a real browser: Debian's Chromium driven by chromedriver (selenium) against
the API serving articles the real indexer wrote into the real Elasticsearch node. Search, click a
facet, open an article, follow the subscribe link to the feed."""

from __future__ import annotations

from collections.abc import Callable

import feedparser
import httpx
import pytest
from indexer.factories import alert
from indexer.helpers import prepare
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from .support import article, corpus, index, serving

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def texts(driver: WebDriver, css: str) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def navigate(driver: WebDriver, action: Callable[[], object]) -> None:
    """Runs a click, submit or back that loads another page and returns once that page has loaded.
    chromedriver does not always wait for a navigation a click or submit starts (a find right after
    it may see the old page or a half-parsed new one), so wait for the old document to go stale and
    the new one to be complete, within a deadline."""
    old = driver.find_element(By.TAG_NAME, "html")
    action()
    wait = WebDriverWait(driver, 30)
    wait.until(expected_conditions.staleness_of(old))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_search_facet_article_and_feed_in_chromium(settings, browser):
    prepare(settings)
    index(settings, corpus(), [alert(1)])
    with serving(settings) as api:
        browser.get(f"{api}/")
        assert browser.find_element(By.ID, "total").text == "5", "relevant articles only"
        regions = dict(zip(texts(browser, "#facet-region a"), texts(browser, "#facet-region .count"), strict=True))
        assert regions == {"Birmingham": "5", "Liaoning": "4", "Guangdong": "1"}, "readable names, not ids"
        assert browser.find_element(By.CSS_SELECTOR, '#facet-region a[data-value="gn:2655603"]').text == "Birmingham"
        navigate(browser, browser.find_element(By.ID, "relevant-toggle").click)
        assert browser.find_element(By.ID, "total").text == "6", "the non-relevant page too"
        navigate(browser, browser.find_element(By.ID, "relevant-toggle").click)
        assert browser.find_element(By.ID, "total").text == "5"

        box = browser.find_element(By.NAME, "q")
        box.send_keys("agreement")
        navigate(browser, box.submit)
        assert browser.find_element(By.ID, "total").text == "1"
        assert browser.find_element(By.CSS_SELECTOR, ".hit mark").text.lower() == "agreement"

        browser.get(f"{api}/")
        navigate(browser, browser.find_element(By.CSS_SELECTOR, '#facet-event_type a[data-value="delegation_visit"]').click)
        assert browser.find_element(By.ID, "total").text == "4"
        assert "event_type=delegation_visit" in browser.current_url
        assert set(texts(browser, "#facet-region a")) == {"Birmingham", "Liaoning"}
        titles = texts(browser, ".hit h2 a")
        assert len(titles) == 4 and all(t.startswith("Liaoning delegation visits Birmingham") for t in titles)
        assert "delegation_visit" in texts(browser, ".hit .tag.event")

        navigate(browser, browser.find_element(By.CSS_SELECTOR, ".hit h2 a.article-link").click)
        assert browser.find_element(By.ID, "article-title").text in titles
        evidence = texts(browser, "#evidence blockquote")
        assert "Liaoning" in evidence and "Birmingham" in evidence
        assert "origin" in browser.find_element(By.CSS_SELECTOR, "tr.evidence-region").text

        navigate(browser, browser.back)
        feed_href = browser.find_element(By.ID, "subscribe").get_attribute("href")
        assert "/feeds/search.atom?" in feed_href and "event_type=delegation_visit" in feed_href
        navigate(browser, browser.find_element(By.ID, "subscribe").click)
        assert "urn:tradeties:article:" in browser.page_source, "the browser shows the feed"
        feed = feedparser.parse(httpx.get(browser.current_url).content)
        assert not feed.bozo and len(feed.entries) == 4
        assert {e.id for e in feed.entries} == {f"urn:tradeties:article:{article(i).article.id}" for i in range(4)}

        browser.get(f"{api}/alerts")
        assert "Liaoning (CN) → Birmingham (GB)" in browser.find_element(By.ID, "alerts").text
