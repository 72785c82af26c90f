"""Helpers of the classifier service tests: articles (the webhook receiver is tests/conftest.py's), and the
service run as a real `tradeties classifier` subprocess. A module, not a conftest (the model's tests
own that one): test modules import the fixtures they use."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from consumer_groups import group_members  # noqa: F401 (the service tests import it from here)

from tradeties.common import codec
from tradeties.common.events import (
    ClassifiedArticle,
    DelegationAlert,
    Extraction,
    RawArticle,
    article_id_for,
    content_hash_for,
)
from tradeties.common.settings import Settings
from tradeties.common.waiting import wait_for  # noqa: F401 (the service tests import it from here)

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
TRADETIES = Path(sys.executable).with_name("tradeties")
T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
START_S = 120.0  # a worker's start (imports, group join, table recovery) on a busy 2-core machine


def raw_article(url: str, title: str, *, source: str | None = None, minutes: int = 0) -> RawArticle:
    text = f"{title}. Body of {url}."
    return RawArticle(
        id=article_id_for(url),
        url=url,
        canonical_url=url,
        source=source or url.split("/")[2],
        title=title,
        text=text,
        published_at=T0,
        language="en",
        fetched_at=T0 + timedelta(minutes=minutes),
        content_hash=content_hash_for(text),
        extraction=Extraction(extractor="test"),
    )


def classified(article: RawArticle) -> ClassifiedArticle:
    from service_fakes import TitleClassifier

    from tradeties.classifier.model.document import Document

    return ClassifiedArticle(
        article=article, classification=TitleClassifier().classify(Document.from_raw(article)), classified_at=T0
    )


# --- the service as a subprocess ----------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(settings: Settings, **classifier: object) -> dict[str, str]:
    """Environment that makes a `tradeties` subprocess see ``settings`` (plus classifier overrides)."""
    k, c = settings.kafka, settings.classifier
    # Only the log settings pass through (TRADETIES_LOG_LEVEL=DEBUG shows faust's own logs).
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("TRADETIES_") or key.startswith("TRADETIES_LOG_")
    }
    env.update(
        {
            "TRADETIES_KAFKA_BOOTSTRAP": k.bootstrap,
            "TRADETIES_KAFKA_TOPIC_PREFIX": k.topic_prefix,
            "TRADETIES_KAFKA_PARTITIONS": str(k.partitions),
            "TRADETIES_CLASSIFIER_DATA_DIR": str(c.data_dir),
            "TRADETIES_RETRY_ATTEMPTS": "4",
            "TRADETIES_RETRY_INITIAL_S": "0.05",
            "TRADETIES_RETRY_MAX_S": "0.5",
            "PYTHONPATH": os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
    )
    for key, value in classifier.items():
        env[f"TRADETIES_CLASSIFIER_{key.upper()}"] = json.dumps(value) if isinstance(value, list) else str(value)
    return env


class ServiceProcess:
    """`tradeties classifier` with the deterministic test classifier, logging to a file."""

    def __init__(self, env: dict[str, str], log_path: Path, model: str | None = "service_fakes:TitleClassifier") -> None:
        self.env, self.log_path, self.model = env, log_path, model
        self.port = int(env["TRADETIES_CLASSIFIER_WEB_PORT"])
        self.proc: subprocess.Popen | None = None

    def start(self) -> ServiceProcess:
        log = self.log_path.open("ab")
        args = ["--classifier", self.model] if self.model else []
        self.proc = subprocess.Popen(
            [str(TRADETIES), "classifier", *args], env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.log_path.parent
        )
        log.close()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def metric(self, name: str, **labels: str) -> float:
        """A counter from the service's /metrics (0 while it is not serving yet)."""
        try:
            text = urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5).read().decode()
        except OSError:
            return 0.0
        want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name + "{") or line.startswith(name + " "):
                metric, _, value = line.rpartition(" ")
                got = metric[len(name) :].strip("{}")
                if all(part in got.split(",") for part in want.split(",") if part):
                    total += float(value)
        return total

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def terminate(self, timeout_s: float = 60.0) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout_s)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@pytest.fixture
def service(settings: Settings, tmp_path: Path) -> Iterator[Callable[..., ServiceProcess]]:
    """Factory of classifier service processes of this test; all are killed at the end."""
    started: list[ServiceProcess] = []

    def make(name: str = "worker", model: str | None = "service_fakes:TitleClassifier", **classifier: object) -> ServiceProcess:
        """A started worker; ``model=None`` runs the real classifier."""
        classifier.setdefault("web_port", free_port())
        classifier.setdefault("data_dir", tmp_path / name)
        proc = ServiceProcess(service_env(settings, **classifier), tmp_path / f"{name}.log", model).start()
        started.append(proc)
        return proc

    yield make
    for proc in started:
        if proc.alive():
            proc.kill()


# --- Kafka ----------------------------------------------------------------------------------------


def produce(settings: Settings, topic: str, messages: list[tuple[bytes | None, bytes | None]]) -> None:
    from kafka import KafkaProducer

    from tradeties.common import kafka

    producer = KafkaProducer(**kafka.producer_config(settings.kafka))
    try:
        for key, value in messages:
            producer.send(topic, key=key, value=value)
        producer.flush(30)
    finally:
        producer.close()


def produce_articles(settings: Settings, articles: list[RawArticle]) -> None:
    from tradeties.common import codec, kafka
    from tradeties.common.topics import Topic

    produce(settings, kafka.name(settings.kafka, Topic.RAW_ARTICLES), [(a.id.encode(), codec.encode(a)) for a in articles])


def read_topic(settings: Settings, topic: str, timeout_s: float = 30.0) -> list:
    """Every record of ``topic`` up to its end offsets now (no consumer group)."""
    from kafka import KafkaConsumer, TopicPartition

    from tradeties.common import kafka

    consumer = KafkaConsumer(**kafka.client_config(settings.kafka), enable_auto_commit=False, group_id=None)
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        if not tps:
            return []
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        records: list = []
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(tp) < end[tp] for tp in tps) and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def alert_messages(settings: Settings, topic: str) -> list[DelegationAlert]:
    """Every delegation alert on ``topic`` now, in order."""
    return [codec.decode(r.value, DelegationAlert) for r in read_topic(settings, topic)]
