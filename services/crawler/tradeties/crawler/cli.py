"""`tradeties crawler`: one pass (--once) or scheduled forever until SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import structlog
import typer

from tradeties.common.errors import TradetiesError
from tradeties.common.kafka import create_topics
from tradeties.common.metrics import serve_metrics
from tradeties.common.settings import get_settings

log = structlog.get_logger(__name__)


def register(app: typer.Typer) -> None:
    """Add this package's commands to the root CLI."""
    app.command("crawler")(crawler)


def crawler(
    sources: Path = typer.Option(None, "--sources", help="Sources YAML (default: settings.crawler.sources)."),
    once: bool = typer.Option(False, "--once", help="One pass over every source, wait for the acks, exit."),
) -> None:
    """Discover, fetch, extract and publish new articles as RawArticles."""
    from .loop import run
    from .publisher import KafkaPublisher
    from .service import Crawler
    from .sources import load_sources
    from .store import StateStore

    settings = get_settings()
    cs = settings.crawler
    try:
        source_file = load_sources(sources or cs.sources)
        create_topics(settings.kafka)
        publisher = KafkaPublisher.from_settings(settings.kafka, timeout_s=cs.publish_timeout_s)
    except TradetiesError as exc:
        log.error("cannot start crawler", reason=exc.reason, error=str(exc))
        raise typer.Exit(2) from exc
    serve_metrics(cs.metrics_host, cs.metrics_port)
    store = StateStore(cs.state_path, near_bits=cs.near_duplicate_bits)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        async with Crawler(sources=source_file, crawler=cs, retry=settings.retry, store=store, publisher=publisher) as c:
            if once:
                await c.run_pass(stop=stop)
            else:
                log.info("crawler scheduling", sources=len(source_file.sources))
                await c.run_forever(stop)

    try:
        run(main())
    finally:
        publisher.close()  # flush: everything sent is acknowledged or failed before exit
        store.close()
    log.info("crawler stopped", **store_counts(cs.state_path))


def store_counts(path: Path) -> dict[str, int]:
    from .store import StateStore

    s = StateStore(path)
    try:
        return s.counts()
    finally:
        s.close()
