"""kafka-python plumbing shared by the services: client configuration from settings (TLS, SASL),
idempotent topic creation from the registry, and a dead-letter producer.

Service code never builds client configs by hand; it asks for them here.
"""

from __future__ import annotations

from typing import Any

import structlog
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from . import codec
from .errors import ConfigError, RetryableError
from .events import DeadLetter
from .settings import KafkaSettings
from .topics import REGISTRY, Topic, topic_name

log = structlog.get_logger(__name__)


def client_config(kafka: KafkaSettings) -> dict[str, Any]:
    """Connection and security options common to producers, consumers and admin clients."""
    cfg: dict[str, Any] = {
        "bootstrap_servers": kafka.bootstrap.split(","),
        "client_id": kafka.client_id,
        "security_protocol": kafka.security_protocol,
    }
    if kafka.security_protocol.startswith("SASL"):
        cfg["sasl_mechanism"] = kafka.sasl_mechanism or "PLAIN"
        cfg["sasl_plain_username"] = kafka.sasl_username
        cfg["sasl_plain_password"] = kafka.sasl_password.get_secret_value() if kafka.sasl_password else None
    if kafka.security_protocol.endswith("SSL"):
        cfg.update(ssl_cafile=_str(kafka.ssl_cafile), ssl_certfile=_str(kafka.ssl_certfile), ssl_keyfile=_str(kafka.ssl_keyfile))
    return cfg


def _str(path) -> str | None:
    return str(path) if path else None


def producer_config(kafka: KafkaSettings) -> dict[str, Any]:
    """Durable producer: acks=all, idempotent, compressed, ordered per key."""
    return {
        **client_config(kafka),
        "acks": "all",
        "enable_idempotence": True,
        "compression_type": "gzip",
        "linger_ms": 5,
        "retries": 2**31 - 1,
        "max_in_flight_requests_per_connection": 5,
    }


def name(kafka: KafkaSettings, topic: Topic) -> str:
    return topic_name(topic, kafka.topic_prefix)


def create_topics(kafka: KafkaSettings, *, timeout_s: float = 30.0) -> dict[str, str]:
    """Create every registry topic that is missing; report 'created' or 'exists' per name.

    Raises ConfigError when a topic exists with fewer partitions than the registry wants, since a
    faust table's changelog must match its source topic's partitions.
    """
    try:
        admin = KafkaAdminClient(**client_config(kafka), request_timeout_ms=int(timeout_s * 1000))
    except KafkaError as exc:
        raise RetryableError(f"cannot reach Kafka at {kafka.bootstrap}: {exc}") from exc
    try:
        wanted = {
            name(kafka, spec.topic): NewTopic(
                name=name(kafka, spec.topic),
                num_partitions=spec.partitions or kafka.partitions,
                replication_factor=kafka.replication_factor,
                topic_configs={"cleanup.policy": "compact"} if spec.compacted else {},
            )
            for spec in REGISTRY.values()
        }
        existing = set(admin.list_topics())
        result = {n: "exists" for n in wanted if n in existing}
        missing = [t for n, t in wanted.items() if n not in existing]
        for new in missing:
            try:
                admin.create_topics([new], timeout_ms=int(timeout_s * 1000))
                result[new.name] = "created"
            except TopicAlreadyExistsError:
                result[new.name] = "exists"  # raced with another creator
        _check_partitions(admin, wanted, result)
        log.info("topics ready", **result)
        return result
    finally:
        admin.close()


def _check_partitions(admin: KafkaAdminClient, wanted: dict[str, NewTopic], result: dict[str, str]) -> None:
    for meta in admin.describe_topics([n for n, r in result.items() if r == "exists"]):
        topic = meta["name"]  # kafka-python ≥ 3 names it "name" (2.x said "topic")
        have, want = len(meta["partitions"]), wanted[topic].num_partitions
        if have < want:
            raise ConfigError(f"topic {topic} has {have} partitions, the registry wants {want}")


class DeadLetterSink:
    """Sends DeadLetters to the dead-letter topic of a registry topic and waits for the ack."""

    def __init__(self, producer: KafkaProducer, kafka: KafkaSettings) -> None:
        self._producer = producer
        self._kafka = kafka

    def send(self, topic: Topic, letter: DeadLetter, *, timeout_s: float = 30.0) -> None:
        dlq = REGISTRY[topic].dead_letter or topic
        future = self._producer.send(
            name(self._kafka, dlq), key=letter.key, value=codec.encode(letter), headers=codec.headers_for(letter)
        )
        try:
            future.get(timeout=timeout_s)
        except KafkaError as exc:
            raise RetryableError(f"dead letter not acknowledged: {exc}") from exc
        log.warning("dead-lettered", stage=letter.stage, topic=letter.topic, partition=letter.partition,
                    offset=letter.offset, reason=letter.error_type, error=letter.error_message[:300])
