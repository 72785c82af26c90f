"""`tradeties run`: infrastructure check, topics and templates, then the three services supervised."""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import structlog

from tradeties.common.kafka import create_topics
from tradeties.common.retry import call_with_retry
from tradeties.common.settings import Settings

from .envmap import settings_env
from .progress import ProgressProbe
from .supervisor import Backoff, ChildSpec, Supervisor, tradeties_argv

log = structlog.get_logger(__name__)

SERVICES = ("crawler", "classifier", "indexer")
#: What `tradeties run` adds for people: the API (page, feeds) and the watch channels' deliverer.
APP_SERVICES = ("api", "deliver")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def service_specs(
    settings: Settings, sources: Path | None, *, services: tuple[str, ...] = SERVICES, crawler_metrics_port: int | None = None
) -> list[ChildSpec]:
    env = settings_env(settings)
    if crawler_metrics_port is not None:
        env["TRADETIES_CRAWLER_METRICS_PORT"] = str(crawler_metrics_port)
    if sources is not None:
        env["TRADETIES_CRAWLER_SOURCES"] = str(sources)
    argv = {
        "crawler": tradeties_argv("crawler", *(["--sources", str(sources)] if sources else [])),
        "classifier": tradeties_argv("classifier"),
        "indexer": tradeties_argv("indexer"),
        "api": tradeties_argv("api"),
        "deliver": tradeties_argv("api", "deliver"),
    }
    return [ChildSpec(name=s, argv=argv[s], env=env) for s in services]


def run_cli(settings: Settings, *args: str, timeout_s: float = 300.0) -> str:
    """Run one ``tradeties`` subcommand with ``settings`` in its environment; its stdout."""
    import os

    done = subprocess.run(
        tradeties_argv(*args), env={**os.environ, **settings_env(settings)}, capture_output=True, text=True, timeout=timeout_s
    )
    if done.returncode != 0:
        raise RuntimeError(f"tradeties {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def api_url(settings: Settings) -> str:
    return (settings.api.base_url or f"http://{settings.api.host}:{settings.api.port}").rstrip("/")


def api_urls(settings: Settings) -> str:
    base = api_url(settings)
    return (
        f"search page {base}/ · delegation alerts {base}/alerts · feeds {base}/feeds/alerts.atom, "
        f"{base}/feeds/<watch>.atom (watches: {base}/watches)"
    )


def ensure_infra(settings: Settings) -> None:
    """Start the local Kafka broker and Elasticsearch node unless the settings point elsewhere."""
    if settings.uses_local_infra:
        log.info(
            "starting local infrastructure (idempotent)", kafka=settings.kafka.bootstrap, elasticsearch=settings.elasticsearch.url
        )
        from tradeties.infra.local import LocalInfra

        i = settings.infra
        LocalInfra(settings).up(
            kafka=settings.kafka.bootstrap == f"{i.host}:{i.kafka_port}",
            elasticsearch=settings.elasticsearch.url == f"http://{i.host}:{i.es_port}",
        )


def prepare(settings: Settings) -> None:
    """Topics with their partition counts and the index templates/aliases, before any service."""
    call_with_retry("create topics", settings.retry, lambda: create_topics(settings.kafka))
    run_cli(settings, "indexer", "apply-templates")


class Pipeline:
    """The supervised services plus the progress probe; usable from the CLI and from tests."""

    def __init__(
        self,
        settings: Settings,
        sources: Path | None,
        *,
        log_dir: Path | None = None,
        services: tuple[str, ...] = SERVICES,
        backoff: Backoff = Backoff(),
        extra: Sequence[ChildSpec] = (),
    ) -> None:
        self.settings = settings
        self.metrics_port = free_port() if "crawler" in services else None
        specs = service_specs(settings, sources, services=services, crawler_metrics_port=self.metrics_port)
        self.supervisor = Supervisor([*specs, *extra], log_dir=log_dir, backoff=backoff)
        self.probe = ProgressProbe(
            settings, crawler_metrics_url=(f"http://127.0.0.1:{self.metrics_port}/metrics" if self.metrics_port else None)
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, *, background: bool = False) -> Pipeline:
        self.supervisor.start()
        if background:
            self._thread = threading.Thread(target=self._loop, name="supervisor", daemon=True)
            self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self.supervisor.poll()

    def serve(self, *, status_every_s: float, emit: Callable[[str], None]) -> None:
        """Supervise in the foreground until stop() (or a signal handler calling it)."""
        next_status = time.monotonic() + status_every_s
        while not self._stop.wait(0.5):
            self.supervisor.poll()
            if time.monotonic() >= next_status:
                emit(self.status_line())
                next_status = time.monotonic() + status_every_s

    def status_line(self) -> str:
        restarts = sum(c.restarts for c in self.supervisor.children.values())
        return f"{time.strftime('%H:%M:%S')} {self.probe.snapshot().line()} restarts={restarts}"

    def stop(self, deadline_s: float = 30.0) -> dict[str, int | None]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        codes = self.supervisor.stop(deadline_s)
        self.probe.close()
        return codes


def run_foreground(
    settings: Settings, sources: Path | None, *, status_every_s: float, log_dir: Path, emit: Callable[[str], None]
) -> int:
    ensure_infra(settings)
    prepare(settings)
    pipeline = Pipeline(settings, sources, log_dir=log_dir, services=SERVICES + APP_SERVICES)

    def on_signal(signum, _frame):
        log.info("stopping the pipeline", signal=signal.Signals(signum).name)
        pipeline._stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    pipeline.start()
    emit(
        f"pipeline running: kafka={settings.kafka.bootstrap} elasticsearch={settings.elasticsearch.url} "
        f"crawler-metrics=http://127.0.0.1:{pipeline.metrics_port}/metrics logs={log_dir}"
    )
    emit(api_urls(settings))
    pipeline.serve(status_every_s=status_every_s, emit=emit)
    codes = pipeline.stop()
    emit(f"pipeline stopped: {codes}")
    return 0 if all(c in (0, -signal.SIGTERM, None) for c in codes.values()) else 1
