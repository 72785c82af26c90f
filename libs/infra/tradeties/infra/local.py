"""The local infrastructure as one object: the Kafka broker and the Elasticsearch node.

Everything lives under ``settings.infra.home`` (data, logs, pid files), so two checkouts with
different homes and ports never touch each other's services.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from tradeties.common.settings import Settings

from .elasticsearch import LocalElasticsearch
from .kafka import LocalKafka


class Service(Protocol):
    name: str

    def fetch(self) -> None: ...
    def start(self) -> bool: ...
    def stop(self, timeout_s: float = 30.0) -> bool: ...
    def kill(self) -> bool: ...
    def wait_healthy(self, timeout_s: float | None = None) -> None: ...
    def healthy(self) -> bool: ...
    def status(self) -> dict[str, Any]: ...


class LocalInfra:
    """``fetch=False`` never runs Maven (tests: fail fast, saying to run `make infra-fetch`);
    ``die_with_parent`` ties the JVMs' lives to this process (tests: no orphans after a crash)."""

    def __init__(self, settings: Settings, *, fetch: bool = True, die_with_parent: bool = False) -> None:
        self.settings = settings
        self.kafka = LocalKafka(settings.infra, fetch=fetch, die_with_parent=die_with_parent)
        self.elasticsearch = LocalElasticsearch(settings.infra, fetch=fetch, die_with_parent=die_with_parent)

    def services(self, *, kafka: bool = True, elasticsearch: bool = True) -> list[Service]:
        return [s for s, on in ((self.kafka, kafka), (self.elasticsearch, elasticsearch)) if on]

    def fetch(self) -> None:
        for service in self.services():
            service.fetch()

    def up(self, *, kafka: bool = True, elasticsearch: bool = True) -> dict[str, float]:
        """Start what is not running, then wait until all are healthy (the JVMs start in parallel).

        Returns the seconds each service took to become healthy (0.0 when it already ran)."""
        chosen = self.services(kafka=kafka, elasticsearch=elasticsearch)
        t0 = time.monotonic()
        started = {s.name: s.start() for s in chosen}
        took: dict[str, float] = {}
        for service in chosen:
            service.wait_healthy()
            took[service.name] = round(time.monotonic() - t0, 2) if started[service.name] else 0.0
        return took

    def down(self) -> dict[str, bool]:
        """Stop every service that runs (ES first: nothing of Kafka depends on it)."""
        return {s.name: s.stop() for s in reversed(self.services())}

    def status(self) -> dict[str, Any]:
        services = {s.name: s.status() for s in self.services()}
        healthy = all(v["healthy"] for v in services.values())
        return {"home": str(self.settings.infra.home.resolve()), "healthy": healthy, **services}
