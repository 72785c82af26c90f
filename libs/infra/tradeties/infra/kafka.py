"""The local Kafka broker: Apache Kafka 4.x in KRaft mode, one JVM acting as broker and controller.

Artifacts come from Maven Central (``org.apache.kafka:kafka_2.13`` plus a log4j2 binding), the
storage is formatted once, and health means a metadata request (DescribeCluster) succeeds.
"""

from __future__ import annotations

import base64
import logging
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import structlog

from tradeties.common.settings import InfraSettings

from .errors import StartFailed
from .maven import Artifact, Classpath, require_tool
from .process import JvmProcess, LocalService

log = structlog.get_logger(__name__)

# Kafka 4.x logs through slf4j 2; it ships no binding of its own, the distribution uses log4j2.
SLF4J_VERSION = "2.0.17"
LOG4J_VERSION = "2.24.3"


#: A local JVM on a few shared cores: C1 only, because C2's compiler threads cost more CPU than the
#: code they optimise saves over any benchmark or test run (measured: docs/scaling.md); the serial
#: collector, because a small heap needs no concurrent GC threads. infra.jvm_options come after, so
#: they override these.
SMALL_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def artifacts(kafka_version: str) -> list[Artifact]:
    return [
        Artifact("org.apache.kafka", "kafka_2.13", kafka_version),
        # scala-logging drags in slf4j-api 1.7, which the slf4j 2 binding below cannot use.
        Artifact("org.slf4j", "slf4j-api", SLF4J_VERSION),
        Artifact("org.apache.logging.log4j", "log4j-slf4j2-impl", LOG4J_VERSION),
        Artifact("org.apache.logging.log4j", "log4j-core", LOG4J_VERSION),
    ]


def server_properties(infra: InfraSettings, data_dir: Path) -> str:
    h = infra.host
    props = {
        "process.roles": "broker,controller",
        "node.id": 1,
        # A static voter set (not `format --standalone`): the quorum follows the configured
        # controller port, so the same data directory starts on other ports too.
        "controller.quorum.voters": f"1@{h}:{infra.kafka_controller_port}",
        "listeners": f"PLAINTEXT://{h}:{infra.kafka_port},CONTROLLER://{h}:{infra.kafka_controller_port}",
        "advertised.listeners": f"PLAINTEXT://{h}:{infra.kafka_port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(data_dir),
        "num.partitions": 1,
        "offsets.topic.replication.factor": 1,
        "offsets.topic.num.partitions": 10,
        "transaction.state.log.replication.factor": 1,
        "transaction.state.log.min.isr": 1,
        "transaction.state.log.num.partitions": 10,
        "share.coordinator.state.topic.replication.factor": 1,
        "share.coordinator.state.topic.min.isr": 1,
        "group.initial.rebalance.delay.ms": 0,
        # The topic registry (`tradeties topics create`) is the only source of topics.
        "auto.create.topics.enable": "false",
        # The controller appends a no-op record to the metadata log every 500 ms by default (for
        # brokers to see that metadata is current): with one node it only costs CPU, idle or not.
        "metadata.max.idle.interval.ms": 0,
    }
    return "# Written by tradeties.infra at each start; edits are overwritten.\n" + "".join(
        f"{k}={v}\n" for k, v in props.items()
    )


def log4j2_properties(logs_dir: Path) -> str:
    # Everything to a rolled file; warnings also to stdout, i.e. the .out file whose tail start-up errors show.
    return f"""status = warn
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
appender.console.filter.threshold.type = ThresholdFilter
appender.console.filter.threshold.level = warn
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = {logs_dir}/kafka-server.log
appender.file.filePattern = {logs_dir}/kafka-server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 32MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
rootLogger.appenderRef.console.ref = console
logger.kafka-request.name = kafka.request.logger
logger.kafka-request.level = warn
logger.state-change.name = state.change.logger
logger.state-change.level = warn
"""


def new_cluster_id() -> str:
    """A random KRaft cluster id (base64url of a UUID), never starting with '-' (the CLI would take an option)."""
    while (cid := base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()).startswith("-"):
        pass
    return cid


class LocalKafka(LocalService):
    """Fetch, format, start, stop and probe the local broker under ``infra.home/kafka``."""

    name = "kafka"

    def __init__(self, infra: InfraSettings, *, fetch: bool = True, die_with_parent: bool = False) -> None:
        self.infra = infra
        self.home = (infra.home / "kafka").resolve()
        self.data_dir = self.home / "data"
        self.config_dir = self.home / "config"
        self.fetch_allowed = fetch
        self.die_with_parent = die_with_parent
        self.classpath = Classpath(
            f"kafka-{infra.kafka_version}", artifacts(infra.kafka_version), repo=infra.maven_repo, cache_dir=infra.classpath_dir
        )
        self.process = JvmProcess("kafka", self.home, host=infra.host, ports=(infra.kafka_port, infra.kafka_controller_port))

    @property
    def bootstrap(self) -> str:
        return f"{self.infra.host}:{self.infra.kafka_port}"

    def fetch(self) -> None:
        self.classpath.get(fetch=True)

    def _java(self, main: str, *args: str, heap: str) -> list[str]:
        cp = ":".join(map(str, self.classpath.get(fetch=self.fetch_allowed)))
        return [
            require_tool("java"),
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *SMALL_JVM,
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.config_dir / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={self.home / 'logs'}",
            "-Dlog4j2.shutdownHookEnabled=false",
            *self.infra.jvm_options,
            "-cp",
            cp,
            main,
            *args,
        ]

    def _write_config(self) -> Path:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        (self.config_dir / "log4j2.properties").write_text(log4j2_properties(self.home / "logs"))
        props = self.config_dir / "server.properties"
        props.write_text(server_properties(self.infra, self.data_dir))
        return props

    def _format_once(self, props: Path) -> None:
        if (self.data_dir / "meta.properties").exists():
            return
        argv = self._java(
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            new_cluster_id(),
            "--config",
            str(props),
            "--ignore-formatted",
            heap="128m",
        )
        proc = subprocess.run(argv, cwd=self.home, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if proc.returncode != 0:
            output = (proc.stdout + proc.stderr)[-3000:]
            raise StartFailed(f"kafka storage format failed (exit {proc.returncode}):\n{output}")
        log.info("kafka storage formatted", data_dir=str(self.data_dir))

    def start(self) -> bool:
        """Start the broker (no wait); False when it already runs."""
        if self.process.is_running():
            return False
        props = self._write_config()
        self._format_once(props)
        argv = self._java("kafka.Kafka", str(props), heap=self.infra.kafka_heap)
        return self.process.start(argv, die_with_parent=self.die_with_parent)

    def wait_healthy(self, timeout_s: float | None = None) -> None:
        self.process.wait_until(self.healthy, timeout_s or self.infra.start_timeout_s, "answering metadata requests")

    def healthy(self) -> bool:
        return self.describe() is not None

    def describe(self) -> dict[str, Any] | None:
        """DescribeCluster answer, or None when the broker does not answer."""
        return describe_cluster(self.bootstrap)

    def status(self) -> dict[str, Any]:
        pid = self.process.pid()
        cluster = self.describe() if pid else None
        return {
            "service": "kafka",
            "version": self.infra.kafka_version,
            "running": pid is not None,
            "pid": pid,
            "healthy": cluster is not None,
            "bootstrap": self.bootstrap,
            "controller": f"{self.infra.host}:{self.infra.kafka_controller_port}",
            "cluster_id": cluster and cluster.get("cluster_id"),
            "home": str(self.home),
            "log": str(self.home / "logs" / "kafka-server.log"),
        }


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Mute a client library's error logs while probing a broker that may still be starting."""
    lg = logging.getLogger(logger)
    before = lg.level
    lg.setLevel(logging.CRITICAL)  # children at NOTSET inherit it
    try:
        yield
    finally:
        lg.setLevel(before)


def describe_cluster(bootstrap: str) -> dict[str, Any] | None:
    """DescribeCluster answer of any PLAINTEXT broker ("host:port"), or None when it does not answer."""
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    if not _accepts(host, int(port)):
        return None  # cheap, and spares the client's connection-refused error logs
    with _quiet("kafka"):
        return _describe(bootstrap)


def _describe(bootstrap: str) -> dict[str, Any] | None:
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap, client_id="tradeties-infra", request_timeout_ms=5000, bootstrap_timeout_ms=2000
        )
    except (KafkaError, OSError):
        return None
    try:
        return admin.describe_cluster()
    except (KafkaError, OSError):
        return None
    finally:
        admin.close()
