"""Faults mid-stream; each run must end with no article lost, no document duplicated and no alert
duplicated (harness.check_invariants)."""

from __future__ import annotations

import signal
import time

import pytest

from tradeties.pipeline.envmap import settings_env
from tradeties.pipeline.runner import free_port
from tradeties.pipeline.supervisor import ChildSpec, tradeties_argv

from .harness import check_invariants, mid_stream, running, settle, tune, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

ES_OUTAGE_S = 60.0  # mandated by the issue: Elasticsearch down for a full minute mid-stream


@pytest.mark.parametrize("service,stage", [("crawler", "published"), ("classifier", "classified"), ("indexer", "indexed")])
def test_kill_9_mid_stream_then_restart(settings, tmp_path, service, stage):
    tune(settings, tmp_path)
    with running(settings, tmp_path) as (pipeline, web):
        mid_stream(pipeline, stage, at_least=3)
        victim = pipeline.supervisor.kill(service, signal.SIGKILL)
        # The supervisor notices the exit and starts a new process after its backoff.
        wait_for(lambda: pipeline.supervisor.running().get(service) not in (None, victim), 180, f"{service} restarted")
        settle(pipeline, web.expected_articles)
        check_invariants(settings, web)
        assert pipeline.supervisor.children[service].last_exit == -signal.SIGKILL


def test_elasticsearch_down_for_a_minute(settings, tmp_path, local_infra):
    tune(settings, tmp_path)
    with running(settings, tmp_path) as (pipeline, web):
        mid_stream(pipeline, "indexed", at_least=1)
        local_infra.elasticsearch.stop()
        try:
            outage_end = time.monotonic() + ES_OUTAGE_S
            # Meanwhile the crawler and classifier go on; the indexer pauses and must not give up.
            while time.monotonic() < outage_end:
                time.sleep(min(5.0, max(0.0, outage_end - time.monotonic())))
            progress = pipeline.probe.snapshot()
        finally:
            local_infra.elasticsearch.start()
            local_infra.elasticsearch.wait_healthy()
        assert progress.indexed is None, "Elasticsearch really was unreachable"
        settle(pipeline, web.expected_articles)
        check_invariants(settings, web)
        assert pipeline.supervisor.children["indexer"].restarts == 0, "the indexer rode out the outage"


def test_kafka_broker_restarted_mid_stream(settings, tmp_path, local_infra):
    tune(settings, tmp_path)
    with running(settings, tmp_path) as (pipeline, web):
        mid_stream(pipeline, "published", at_least=3)
        local_infra.kafka.stop()
        local_infra.kafka.start()
        local_infra.kafka.wait_healthy()
        settle(pipeline, web.expected_articles)
        check_invariants(settings, web)


def test_two_classifier_workers_one_killed(settings, tmp_path):
    tune(settings, tmp_path)

    def second_worker(s):
        env = {
            **settings_env(s),
            "TRADETIES_CLASSIFIER_WEB_PORT": str(free_port()),
            "TRADETIES_CLASSIFIER_DATA_DIR": str(tmp_path / "classifier-2"),
        }
        return [ChildSpec("classifier-2", tradeties_argv("classifier"), env=env, restart=False)]

    with running(settings, tmp_path, extra=second_worker) as (pipeline, web):
        mid_stream(pipeline, "classified", at_least=3)
        pipeline.supervisor.kill("classifier-2", signal.SIGKILL)
        # The survivor takes over the dead worker's partitions after the group rebalances.
        settle(pipeline, web.expected_articles)
        check_invariants(settings, web)
        assert "classifier-2" not in pipeline.supervisor.running()
        # The survivor rode out the rebalance without any restart.
        assert pipeline.supervisor.children["classifier"].restarts == 0
