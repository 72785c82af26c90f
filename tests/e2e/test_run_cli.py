"""`tradeties run` as a user starts it: status lines, then a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import threading

import pytest

from tradeties.pipeline.demoweb import build_demo_web
from tradeties.pipeline.envmap import settings_env
from tradeties.pipeline.supervisor import tradeties_argv

from .harness import demo_corpus, tune, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_run_prints_status_and_stops_cleanly_on_sigterm(settings, tmp_path):
    tune(settings, tmp_path)
    web = build_demo_web(demo_corpus()[:3], first_host=30)
    web.web.start_in_thread()
    sources = web.write_sources(tmp_path / "sources.yaml")
    lines: list[str] = []
    proc = subprocess.Popen(
        tradeties_argv("run", "--sources", str(sources), "--status-every", "1", "--log-dir", str(tmp_path / "logs")),
        env={**os.environ, **settings_env(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        wait_for(
            lambda: any("indexed=3 " in line and "articles.raw=0" in line for line in lines),
            240,
            "a status line showing the 3 articles indexed and no lag",
        )
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=90) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        web.web.close()
    reader.join(timeout=5)
    status = [line for line in lines if "fetched=" in line]
    assert status and all(k in status[-1] for k in ("published=", "classified=", "alerts=", "lag["))
    assert any("pipeline stopped" in line for line in lines)
    # The children got SIGTERM and exited on their own (no SIGKILL needed).
    stopped = next(line for line in lines if "pipeline stopped" in line)
    assert "-9" not in stopped
