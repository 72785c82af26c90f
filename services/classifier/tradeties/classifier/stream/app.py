"""The faust application of the classifier service, built from Settings (no module-level app)."""

from __future__ import annotations

from typing import Any

import faust
from prometheus_client import generate_latest

from tradeties.common.kafka import compression_type, sasl_login, ssl_context
from tradeties.common.settings import KafkaSettings, Settings

from ..model.classifier import Classifier
from . import agents, faust_compat
from .topology import Topology, app_id


def _credentials(kafka: KafkaSettings) -> faust.types.auth.CredentialsT | None:
    """faust's form of the security settings (tradeties.common.kafka builds them for every client)."""
    context, login = ssl_context(kafka), sasl_login(kafka)
    if login:
        return faust.SASLCredentials(
            username=login.username, password=login.password, mechanism=login.mechanism, ssl_context=context
        )
    return faust.SSLCredentials(context) if context else None


def faust_config(settings: Settings, topology: Topology) -> dict[str, Any]:
    k, c = settings.kafka, settings.classifier
    return dict(
        broker=[f"kafka://{host.strip()}" for host in k.bootstrap.split(",")],
        broker_credentials=_credentials(k),
        broker_client_id=k.client_id,
        store="memory://",  # tables are rebuilt from their compacted changelogs at start
        # faust's table recovery, minus the holes that lost or stalled a restarted worker's events.
        **faust_compat.APP_CONFIG,
        datadir=str(c.data_dir / app_id(settings)),
        # Topics are created up front (topology.ensure_topics) with the registry's partition counts;
        # faust must neither create one with its own defaults nor need a leader topic.
        topic_allow_declare=False,
        topic_disable_leader=True,
        topic_partitions=topology.alerts_partitions,
        topic_replication_factor=k.replication_factor,
        consumer_auto_offset_reset="earliest",
        broker_commit_interval=c.commit_interval_s,
        broker_session_timeout=c.session_timeout_s,
        broker_heartbeat_interval=c.session_timeout_s / 10,
        consumer_group_instance_id=c.group_instance_id,
        producer_acks=-1,
        producer_linger_ms=k.linger_ms,  # faust's default 0: each classified article a produce request of its own
        producer_compression_type=compression_type(k),
        # faust's web server starts even when "disabled"; bind it where the settings say and use it
        # for /metrics.
        web_enabled=True,
        web_bind=c.web_host,
        web_host=c.web_host,
        web_port=c.web_port,
        autodiscover=False,
        worker_redirect_stdouts=False,
    )


def create_app(settings: Settings, classifier: Classifier | None = None, *, topology: Topology | None = None) -> faust.App:
    """The classifier app; ``classifier`` defaults to the real model (tests may inject another)."""
    faust_compat.check_versions()
    topology = topology or Topology.of(settings)
    (settings.classifier.data_dir / app_id(settings)).mkdir(parents=True, exist_ok=True)
    app = faust.App(app_id(settings), **faust_config(settings, topology))
    k = settings.kafka
    faust_compat.install(
        app,
        fetch_min_bytes=k.fetch_min_bytes,
        fetch_max_wait_ms=k.fetch_max_wait_ms,
        busy_min_bytes=k.fetch_busy_min_bytes,
        busy_wait_ms=k.fetch_busy_wait_ms,
    )
    agents.install(app, settings, topology, classifier or Classifier(settings.classifier))

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        return web.bytes(generate_latest(), content_type="text/plain")

    return app
