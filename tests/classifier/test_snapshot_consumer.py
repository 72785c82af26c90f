"""The classifier's consumer fetches the partitions active when it asks, never "every partition"
(tradeties.classifier.stream.faust_compat)."""

from __future__ import annotations

import asyncio

from faust.types import TP
from service_fakes import TitleClassifier

from tradeties.classifier.stream.app import create_app
from tradeties.classifier.stream.faust_compat import SnapshotConsumer
from tradeties.common.settings import ClassifierSettings, KafkaSettings, Settings

RAW, CHANGELOG = TP("raw", 0), TP("changelog", 0)


def test_a_fetch_keeps_the_partitions_it_was_asked_for(tmp_path, monkeypatch):
    app = create_app(
        Settings(
            kafka=KafkaSettings(bootstrap="127.0.0.1:9", topic_prefix="t-snap"), classifier=ClassifierSettings(data_dir=tmp_path)
        ),
        TitleClassifier(),
    )
    consumer = app.consumer
    assert isinstance(consumer, SnapshotConsumer)
    asked: list[set[TP] | None] = []

    async def thread_getmany(active_partitions, timeout):  # the consumer thread, waiting for records
        live.clear()  # meanwhile the event loop pauses every partition (end of a table recovery)
        asked.append(None if active_partitions is None else set(active_partitions))
        return {}

    monkeypatch.setattr(consumer._thread, "getmany", thread_getmany)
    live = {CHANGELOG}
    app.loop.run_until_complete(consumer._getmany(live, 1.0))
    assert asked == [{CHANGELOG}], "aiokafka reads an emptied set as every partition"
    # Already empty: nothing is fetched (faust itself checks, but before the set could change).
    assert app.loop.run_until_complete(consumer._getmany(set(), 1.0)) == {} and len(asked) == 1
    live = {RAW}
    app.loop.run_until_complete(consumer._getmany(None, 1.0))  # a client-only app
    assert asked[-1] is None


def test_the_worker_consumer_batches_fetches_as_the_settings_say(tmp_path):
    """faust gives aiokafka no fetch_min_bytes (every fetch answered at once); ours come from KafkaSettings."""
    kafka = KafkaSettings(bootstrap="127.0.0.1:9", topic_prefix="t-fetch", fetch_min_bytes=12_345, fetch_max_wait_ms=77)
    app = create_app(Settings(kafka=kafka, classifier=ClassifierSettings(data_dir=tmp_path)), TitleClassifier())
    thread = app.consumer._thread

    async def created() -> tuple[int, int]:  # aiokafka builds its consumer inside a running loop
        consumer = thread._create_worker_consumer(app.transport)
        try:
            return consumer._fetch_min_bytes, consumer._fetch_max_wait_ms
        finally:
            await consumer.stop()

    assert app.loop.run_until_complete(created()) == (12_345, 77)


def test_fetches_wait_for_more_only_while_records_flow():
    """A fetch answered with records soon after it asked starts the flow: the next waits at the broker
    for a fuller answer; records arriving further apart, or none, keep fetches answered at once."""
    from tradeties.classifier.stream.faust_compat import adapt_fetches

    now = [0.0]
    # (seconds the broker took, whether records came): a slow first answer, then a quick one,
    # a busy one with records, a busy one without, a quick one again.
    answers = iter([(0.3, True), (0.01, True), (0.05, True), (0.05, False), (0.02, True)])

    class Fetcher:  # the two options aiokafka reads per request, and its per-response processing
        _fetch_min_bytes, _fetch_max_wait_ms = 1, 500

        async def _proc_fetch_request(self, assignment, node_id, request) -> bool:
            took, has_new = next(answers)
            now[0] += took
            return has_new

    fetcher = Fetcher()
    adapt_fetches(fetcher, 65_536, 50, clock=lambda: now[0])
    seen = []
    for _ in range(5):
        assert isinstance(asyncio.run(fetcher._proc_fetch_request(None, 0, None)), bool)
        seen.append((fetcher._fetch_min_bytes, fetcher._fetch_max_wait_ms))
    assert seen == [(1, 500), (65_536, 50), (65_536, 50), (1, 500), (65_536, 50)]
