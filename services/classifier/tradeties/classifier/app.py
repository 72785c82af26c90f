"""The faust application of the classifier service, built from Settings (no module-level app)."""

from __future__ import annotations

import ssl
from typing import Any

import faust
from prometheus_client import generate_latest

from tradeties.common.settings import KafkaSettings, Settings

from . import agents, liveness, transport
from .recovery import GatedTableManager
from .model import Classifier
from .topology import Topology, app_id


def _credentials(kafka: KafkaSettings) -> faust.types.auth.CredentialsT | None:
    context: ssl.SSLContext | None = None
    if kafka.security_protocol.endswith("SSL"):
        context = ssl.create_default_context(cafile=str(kafka.ssl_cafile) if kafka.ssl_cafile else None)
        if kafka.ssl_certfile:
            context.load_cert_chain(str(kafka.ssl_certfile), str(kafka.ssl_keyfile) if kafka.ssl_keyfile else None)
    if kafka.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=kafka.sasl_username, mechanism=kafka.sasl_mechanism or "PLAIN", ssl_context=context,
            password=kafka.sasl_password.get_secret_value() if kafka.sasl_password else None,
        )
    return faust.SSLCredentials(context) if context else None


def faust_config(settings: Settings, topology: Topology) -> dict[str, Any]:
    k, c = settings.kafka, settings.classifier
    return dict(
        broker=[f"kafka://{host.strip()}" for host in k.bootstrap.split(",")],
        broker_credentials=_credentials(k),
        broker_client_id=k.client_id,
        store="memory://",  # tables are rebuilt from their compacted changelogs at start
        # faust's table recovery, minus the window that threw away a restarted worker's first events.
        TableManager=GatedTableManager,
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
        # faust's web server starts even when "disabled"; bind it where the settings say and use it
        # for /metrics.
        web_enabled=True,
        web_bind=c.web_host,
        web_host=c.web_host,
        web_port=c.web_port,
        autodiscover=False,
        worker_redirect_stdouts=False,
    )


def create_app(settings: Settings, classifier: Classifier | None = None, *,
               topology: Topology | None = None) -> faust.App:
    """The classifier app; ``classifier`` defaults to the real model (tests may inject another)."""
    topology = topology or Topology.of(settings)
    (settings.classifier.data_dir / app_id(settings)).mkdir(parents=True, exist_ok=True)
    app = faust.App(app_id(settings), **faust_config(settings, topology))
    transport.install(app)
    agents.install(app, settings, topology, classifier or Classifier(settings.classifier))
    liveness.install(app, settings.classifier, frozenset({topology.raw, topology.reports, topology.alerts}))

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        return web.bytes(generate_latest(), content_type="text/plain")

    return app
