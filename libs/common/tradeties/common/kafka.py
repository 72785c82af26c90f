"""kafka-python plumbing shared by the services: the client factories (configuration and security from
settings; an unreachable broker is a RetryableError), idempotent topic creation from the registry,
and a dead-letter producer.

Service code never builds a client or its config by hand; it asks for them here.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka import errors as kafka_errors
from kafka.errors import KafkaError, TopicAlreadyExistsError

from . import codec
from .errors import ConfigError, RetryableError
from .events import DeadLetter
from .settings import KafkaSettings
from .topics import REGISTRY, Topic, topic_name

log = structlog.get_logger(__name__)
C = TypeVar("C")


@dataclass(frozen=True)
class SaslLogin:
    mechanism: str
    username: str | None
    password: str | None


def sasl_login(kafka: KafkaSettings) -> SaslLogin | None:
    """The SASL login of the settings (None unless the protocol is SASL_*)."""
    if not kafka.security_protocol.startswith("SASL"):
        return None
    return SaslLogin(
        kafka.sasl_mechanism or "PLAIN",
        kafka.sasl_username,
        kafka.sasl_password.get_secret_value() if kafka.sasl_password else None,
    )


def ssl_context(kafka: KafkaSettings) -> ssl.SSLContext | None:
    """The TLS context of the settings (None unless the protocol is *SSL), for clients that take one
    (faust); kafka-python gets the same files through ``client_config``."""
    if not kafka.security_protocol.endswith("SSL"):
        return None
    context = ssl.create_default_context(cafile=_str(kafka.ssl_cafile))
    if kafka.ssl_certfile:
        context.load_cert_chain(str(kafka.ssl_certfile), _str(kafka.ssl_keyfile))
    return context


def client_config(kafka: KafkaSettings) -> dict[str, Any]:
    """Connection and security options common to producers, consumers and admin clients."""
    cfg: dict[str, Any] = {
        "bootstrap_servers": kafka.bootstrap.split(","),
        "client_id": kafka.client_id,
        "security_protocol": kafka.security_protocol,
    }
    if login := sasl_login(kafka):
        cfg.update(sasl_mechanism=login.mechanism, sasl_plain_username=login.username, sasl_plain_password=login.password)
    if kafka.security_protocol.endswith("SSL"):
        cfg.update(ssl_cafile=_str(kafka.ssl_cafile), ssl_certfile=_str(kafka.ssl_certfile), ssl_keyfile=_str(kafka.ssl_keyfile))
    return cfg


def _str(path: object) -> str | None:
    return str(path) if path else None


def compression_type(kafka: KafkaSettings) -> str | None:
    """The clients' name of ``kafka.compression`` (kafka-python and aiokafka: None for none)."""
    return None if kafka.compression == "none" else kafka.compression


def producer_config(kafka: KafkaSettings) -> dict[str, Any]:
    """Durable producer: acks=all, idempotent, batched (``linger_ms``), ordered per key, compressed as
    ``kafka.compression`` says."""
    return {
        **client_config(kafka),
        "acks": "all",
        "enable_idempotence": True,
        "compression_type": compression_type(kafka),
        "linger_ms": kafka.linger_ms,
        "retries": 2**31 - 1,
        "max_in_flight_requests_per_connection": 5,
    }


class FlowLinger:
    """A producer's linger per record: ``busy_s`` while records flow (the one before the previous sent
    within ``busy_s``: a steady stream, not two records found together), ``idle_s`` otherwise, so a
    lone record or pair is not held back; ``apply`` sets it where the client reads it (the crawler's
    kafka-python producer: ``crawler.publisher.flow_linger``)."""

    def __init__(
        self, apply: Callable[[float], None], idle_s: float, busy_s: float, clock: Callable[[], float] | None = None
    ) -> None:
        self._apply = apply
        self._idle_s, self._busy_s = idle_s, max(busy_s, idle_s)
        self._clock = clock or time.monotonic
        self._last = self._before_last = float("-inf")

    def sending(self, more_coming: bool = True) -> None:
        """``more_coming`` False: the sender knows no record will follow soon (the crawler: nothing
        else fetched, queued or in hand), so there is nothing to linger for beyond ``idle_s``."""
        now = self._clock()
        flowing = more_coming and now - self._before_last < self._busy_s
        self._apply(self._busy_s if flowing else self._idle_s)
        self._before_last, self._last = self._last, now


def _reachable(kafka: KafkaSettings, make: Callable[[], C]) -> C:
    try:
        return make()
    except KafkaError as exc:
        raise RetryableError(f"cannot reach Kafka at {kafka.bootstrap}: {exc}") from exc


def admin_client(kafka: KafkaSettings, *, timeout_s: float = 30.0) -> KafkaAdminClient:
    return _reachable(kafka, lambda: KafkaAdminClient(**client_config(kafka), request_timeout_ms=int(timeout_s * 1000)))


def consumer(kafka: KafkaSettings, **options: Any) -> KafkaConsumer:
    """A consumer with ``options`` (group, offsets, fetch sizes) over the shared connection settings."""
    return _reachable(kafka, lambda: KafkaConsumer(**client_config(kafka), **options))


def producer(kafka: KafkaSettings, **overrides: Any) -> KafkaProducer:
    """The durable producer of ``producer_config``, with ``overrides`` (benchmarks, tests)."""
    return _reachable(kafka, lambda: KafkaProducer(**{**producer_config(kafka), **overrides}))


def name(kafka: KafkaSettings, topic: Topic) -> str:
    return topic_name(topic, kafka.topic_prefix)


def create_topics(kafka: KafkaSettings, *, timeout_s: float = 30.0) -> dict[str, str]:
    """Create every registry topic that is missing; report 'created' or 'exists' per name.

    Raises ConfigError when a topic exists with fewer partitions than the registry wants, since a
    faust table's changelog must match its source topic's partitions.
    """
    admin = admin_client(kafka, timeout_s=timeout_s)
    try:
        wanted = {
            name(kafka, spec.topic): {
                "num_partitions": spec.partitions or kafka.partitions,
                "replication_factor": kafka.replication_factor,
                "configs": {"cleanup.policy": "compact"} if spec.compacted else {},
            }
            for spec in REGISTRY.values()
        }
        existing = set(admin.list_topics())
        result = {n: "exists" for n in wanted if n in existing}
        missing = {n: spec for n, spec in wanted.items() if n not in existing}
        if missing:
            # One request; per-topic errors are read from the answer, since another creator may race us.
            response = admin.create_topics(missing, timeout_ms=int(timeout_s * 1000), raise_errors=False, wait_for_metadata=True)
            for topic in response["topics"]:
                error = kafka_errors.for_code(topic["error_code"])
                if error is kafka_errors.NoError:
                    result[topic["name"]] = "created"
                elif error is TopicAlreadyExistsError:
                    result[topic["name"]] = "exists"
                else:
                    raise ConfigError(f"cannot create topic {topic['name']}: {error.__name__} {topic.get('error_message') or ''}")
        _check_partitions(admin, wanted, result)
        log.info("topics ready", **result)
        return result
    except KafkaError as exc:
        raise RetryableError(f"topic creation on {kafka.bootstrap} failed: {exc}") from exc
    finally:
        admin.close()


def _check_partitions(admin: KafkaAdminClient, wanted: dict[str, dict[str, Any]], result: dict[str, str]) -> None:
    existing = [n for n, r in result.items() if r == "exists"]
    if not existing:
        return  # describe_topics([]) may mean "all topics"
    for meta in admin.describe_topics(existing):
        topic = meta["name"]  # kafka-python >= 3 ("topic" before)
        have, want = len(meta["partitions"]), wanted[topic]["num_partitions"]
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
            self._producer.flush(timeout=timeout_s)  # each letter is awaited anyway: no linger_ms wait
            future.get(timeout=timeout_s)
        except KafkaError as exc:
            raise RetryableError(f"dead letter not acknowledged: {exc}") from exc
        log.warning(
            "dead-lettered",
            stage=letter.stage,
            topic=letter.topic,
            partition=letter.partition,
            offset=letter.offset,
            reason=letter.error_type,
            error=letter.error_message[:300],
        )
