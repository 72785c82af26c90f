"""The classifier app ends a table recovery with the consumer's flow stopped (tradeties.classifier.recovery);
the end-to-end proof is test_service_kafka.py::test_kill9_…, which stalled without it."""

from __future__ import annotations

import asyncio

from faust.tables.recovery import Recovery
from service_fakes import TitleClassifier

from tradeties.classifier.app import create_app
from tradeties.classifier.recovery import GatedRecovery
from tradeties.common.settings import ClassifierSettings, KafkaSettings, Settings


def test_faust_recovery_completes_with_the_flow_stopped(tmp_path, monkeypatch):
    settings = Settings(kafka=KafkaSettings(bootstrap="127.0.0.1:9", topic_prefix="t-gate"),
                        classifier=ClassifierSettings(data_dir=tmp_path))
    app = create_app(settings, TitleClassifier())
    recovery = app.tables.recovery
    assert isinstance(recovery, GatedRecovery)

    seen: list[bool] = []

    async def faust_on_recovery_completed(self: Recovery, generation_id: int = 0) -> None:
        # faust resumes stream partitions, seeks and clears the agents' buffers in here.
        seen.append(self.app.consumer.flow_active)
        self.app.consumer.resume_flow()

    monkeypatch.setattr(Recovery, "on_recovery_completed", faust_on_recovery_completed)
    app.consumer.resume_flow()  # as the changelog read leaves it
    asyncio.run(recovery.on_recovery_completed(1))
    assert seen == [False], "the agents' buffers must not fill while faust seeks and clears them"
    assert app.consumer.flow_active
