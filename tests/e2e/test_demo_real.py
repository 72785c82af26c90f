"""`make up` / `tradeties demo --real`, offline: the real-sources mode run against a sources file
that points at a loopback news web (the real outlets need the internet). The command returns with
the addresses printed, the pipeline keeps crawling in the background, `demo down` stops it."""

from __future__ import annotations

import os
import subprocess

import httpx
import pytest
from selenium.webdriver.common.by import By

from tradeties.newsweb import NewsWeb, corpus_paths, load_records
from tradeties.pipeline.demo import _pid_alive, demo_dir
from tradeties.pipeline.envmap import settings_env
from tradeties.pipeline.progress import ProgressProbe
from tradeties.pipeline.supervisor import tradeties_argv

from .harness import REPO, tune, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_real_sources_mode_keeps_the_pipeline_running_until_down(settings, tmp_path, browser):
    tune(settings, tmp_path)
    # Infrastructure elsewhere (the session's): `demo --real` must neither start nor stop any.
    settings.infra = settings.infra.model_copy(update={"home": tmp_path / "home", "kafka_port": 1, "es_port": 1})
    assert not settings.uses_local_infra
    web = NewsWeb.build(load_records(*corpus_paths(REPO))[:3], syndicate=False)
    with web:
        sources = tmp_path / "sources.yaml"
        sources.write_text(web.sources_yaml(), "utf-8")
        settings.crawler.sources = sources
        env = {**os.environ, **settings_env(settings)}
        run_pid = demo_dir(settings) / "run.pid"
        try:
            up = subprocess.run(tradeties_argv("demo", "--real"), env=env, capture_output=True, text=True, timeout=300)
            assert up.returncode == 0, up.stdout + up.stderr
            assert "pipeline started" in up.stdout and "Stop everything: make down" in up.stdout
            assert "/metrics (crawler, Prometheus)" in up.stdout, "the metrics address, read from the run's first status"
            assert _pid_alive(run_pid), "the pipeline keeps running after the command returned"
            probe = ProgressProbe(settings)
            try:
                wait_for(lambda: (probe.snapshot().indexed or 0) >= 3, 300, "the 3 loopback articles indexed")
            finally:
                probe.close()
            assert not web.fetched("/private/")
            # The printed page URL shows the articles with their facets in Chromium.
            page = next(line.split()[2] for line in up.stdout.splitlines() if line.strip().startswith("search page"))
            assert page == f"http://127.0.0.1:{settings.api.port}/"
            wait_for(lambda: _answers(f"{page}readyz"), 60, "the API started by the pipeline")
            browser.get(f"{page}?relevant=any")
            assert browser.find_element(By.ID, "total").text == "3"
            assert len(browser.find_elements(By.CSS_SELECTOR, ".hit")) == 3
            assert browser.find_elements(By.CSS_SELECTOR, "#facet-source a"), "facets with counts"
            down = subprocess.run(
                tradeties_argv("demo", "down", "--keep-infra"), env=env, capture_output=True, text=True, timeout=120
            )
            assert down.returncode == 0 and "stopped run" in down.stdout, down.stdout + down.stderr
            assert not run_pid.exists()
        finally:
            if pid := _pid_alive(run_pid):
                os.killpg(pid, 9)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
