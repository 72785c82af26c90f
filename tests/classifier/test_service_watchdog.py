"""The stall watchdog against the real broker: a wedged worker exits with status 70, an idle one runs on."""

from __future__ import annotations

import subprocess

import pytest
from service_support import produce_articles, raw_article, service, wait_for  # noqa: F401 (fixtures)

from tradeties.classifier.topology import ensure_topics
from tradeties.classifier.watchdog import STALL_EXIT_CODE

pytestmark = pytest.mark.integration

START_S = 120.0  # a worker's start on a busy 2-core machine
STALL_S = 8.0


def test_a_wedged_worker_exits_with_the_watchdog_status(settings, service):
    ensure_topics(settings)
    worker = service(model="service_fakes:WedgedClassifier", stall_timeout_s=STALL_S, stall_check_interval_s=1)
    produce_articles(settings, [raw_article(f"https://a.example/w{i}", f"news {i}") for i in range(6)])
    wait_for(lambda: not worker.alive(), START_S + 4 * STALL_S, "the wedged worker to exit", every_s=0.5)
    assert worker.proc.returncode == STALL_EXIT_CODE, worker.log()[-3000:]
    stall_lines = [line for line in worker.log().splitlines() if "stalled: no progress with lag" in line]
    assert len(stall_lines) == 1, worker.log()[-3000:]
    assert "lags=" in stall_lines[0] and f"exit_code={STALL_EXIT_CODE}" in stall_lines[0]


def test_an_idle_worker_is_not_stalled(settings, service):
    ensure_topics(settings)
    worker = service(stall_timeout_s=STALL_S, stall_check_interval_s=1)
    # A delegation article also writes the reports, alerts and table changelog topics.
    produce_articles(settings, [raw_article("https://a.example/d", "DELEGATION c1: a visit"),
                                raw_article("https://a.example/n", "news")])
    wait_for(lambda: worker.metric("tradeties_alerts_total") >= 1, START_S, "the articles processed")
    # Idle, nothing to do: it must outlive several stall periods.
    with pytest.raises(subprocess.TimeoutExpired):
        worker.proc.wait(4 * STALL_S)
    assert worker.metric("tradeties_classifier_stalls_total") == 0
    assert worker.terminate() == 0, worker.log()[-3000:]
