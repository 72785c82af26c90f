"""The classifier app resumes its stream partitions only after a table recovery's seek and buffer clear
(tradeties.classifier.stream.faust_compat); the end-to-end proof is test_service_kafka.py::test_kill9_…, which
stalled without it."""

from __future__ import annotations

from faust.types import TP
from service_fakes import TitleClassifier

from tradeties.classifier.stream.app import create_app
from tradeties.classifier.stream.faust_compat import GatedRecovery
from tradeties.classifier.stream.topology import Topology
from tradeties.common.settings import ClassifierSettings, KafkaSettings, Settings


def test_stream_partitions_are_not_fetched_until_the_seek_rewind_and_buffer_clear_are_done(tmp_path, monkeypatch):
    settings = Settings(
        kafka=KafkaSettings(bootstrap="127.0.0.1:9", topic_prefix="t-gate"), classifier=ClassifierSettings(data_dir=tmp_path)
    )
    app = create_app(settings, TitleClassifier())
    recovery = app.tables.recovery
    assert isinstance(recovery, GatedRecovery)
    topology = Topology.of(settings)
    raw, changelog = TP(topology.raw, 0), TP(topology.alert_state, 0)
    consumer = app.consumer
    # As faust leaves things when the changelogs are read: every partition paused, the flow on.
    consumer._active_partitions = set()
    consumer.pause_partitions({raw, changelog})
    consumer.resume_flow()
    fetchable: dict[str, bool] = {}

    async def perform_seek() -> None:  # the broker round trips, during which the fetcher runs
        fetchable["during the seek"] = raw in consumer._get_active_partitions()

    clear = app.flow_control.resume

    def flow_control_resume() -> None:  # empties the agents' buffers
        fetchable["at the clear"] = raw in consumer._get_active_partitions()
        clear()

    rewound: list = []

    async def seek_to_beginning(*tps) -> None:  # partitions without a commit start over, still unfetched
        fetchable["at the rewind"] = raw in consumer._get_active_partitions()
        rewound.extend((tp.topic, tp.partition) for tp in tps)

    async def no_fetcher() -> None:
        pass

    monkeypatch.setattr(consumer, "assignment", lambda: {raw, changelog})
    monkeypatch.setattr(consumer, "perform_seek", perform_seek)
    monkeypatch.setattr(app.flow_control, "resume", flow_control_resume)
    monkeypatch.setattr(consumer._thread, "seek_to_beginning", seek_to_beginning)
    consumer._read_offset[raw] = 41  # read before the rebalance, never committed: its events were cleared
    monkeypatch.setattr(app._fetcher, "maybe_start", no_fetcher)
    app.consumer_generation_id = 1
    app.loop.run_until_complete(recovery.on_recovery_completed(1))
    assert fetchable == {"during the seek": False, "at the rewind": False, "at the clear": False}
    assert rewound == [(raw.topic, raw.partition)], "only the uncommitted stream partition starts over"
    assert consumer._read_offset[raw] is None
    assert consumer._get_active_partitions() == {raw}, "the stream partition is fetched afterwards, not the changelog"
    assert consumer.flow_active and recovery.completed.is_set()


def test_a_changelog_tail_without_records_is_read_again_then_settled_once_nothing_fetched_is_pending(tmp_path, monkeypatch):
    """Hole 5 step by step (the real broker's markers: test_recovery_tail.py)."""
    settings = Settings(
        kafka=KafkaSettings(bootstrap="127.0.0.1:9", topic_prefix="t-tail"), classifier=ClassifierSettings(data_dir=tmp_path)
    )
    app = create_app(settings, TitleClassifier())
    recovery, consumer = app.tables.recovery, app.consumer
    assert isinstance(recovery, GatedRecovery)
    tp = TP(Topology.of(settings).alert_state, 0)
    recovery.active_tps.add(tp)
    recovery.active_highwaters[tp] = 5  # log end offset 6
    recovery.active_offsets[tp] = 3  # the last record read; offsets 4 and 5 hold none
    recovery.in_recovery = True
    position = {"now": 6}  # fetched to the end
    sought: list[dict] = []

    async def get_position(_tp):
        return position["now"]

    async def seek_wait(offsets):
        sought.append(dict(offsets))
        position["now"] = 4

    monkeypatch.setattr(consumer, "position", get_position)
    monkeypatch.setattr(consumer, "seek_wait", seek_wait)
    run = app.loop.run_until_complete
    consumer.stop_flow()
    run(recovery._check_tails())
    assert sought == [], "nothing before the recovery has sought and resumed the flow"
    consumer.resume_flow()
    run(recovery._check_tails())
    assert sought == [{tp: 4}], "read again from the offset after the last one read"
    assert recovery.need_recovery()
    run(recovery._check_tails())
    assert recovery.need_recovery(), "the re-read has not passed the highwater yet"
    position["now"] = 6
    run(recovery._check_tails())  # the re-read passed it too: wait for a fetch started after this
    assert recovery.need_recovery(), "the batch that passed the highwater may still be on its way"
    consumer.fetches_started += 1
    recovery.tables.changelog_queue.put_nowait(object())
    assert recovery.need_recovery(), "an event is still to be applied"
    recovery.tables.changelog_queue.get_nowait()
    assert not recovery.need_recovery()
    assert recovery.active_offsets[tp] == 5 and sought == [{tp: 4}]
