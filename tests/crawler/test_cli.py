"""`tradeties crawler` as a process: --once exits 0 after the acks; scheduled mode stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from tradeties.newsweb import NewsWeb, load_records

from .helpers import SEEDS

pytestmark = pytest.mark.integration
TRADETIES = str(Path(sys.executable).with_name("tradeties"))


def env_for(settings, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TRADETIES_KAFKA_BOOTSTRAP": settings.kafka.bootstrap,
        "TRADETIES_KAFKA_TOPIC_PREFIX": settings.kafka.topic_prefix,
        "TRADETIES_CRAWLER_STATE_PATH": str(tmp_path / "state.sqlite3"),
        "TRADETIES_CRAWLER_PER_HOST_DELAY_S": "0",
        "TRADETIES_CRAWLER_EXTRACT_WORKERS": "0",
        "TRADETIES_CRAWLER_TOTAL_TIMEOUT_S": "2",
        "TRADETIES_RETRY_INITIAL_S": "0.01",
        "TRADETIES_RETRY_MAX_S": "0.05",
        "TRADETIES_RETRY_ATTEMPTS": "2",
    }


def published(tmp_path: Path) -> int:
    path = tmp_path / "state.sqlite3"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        try:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


async def test_once_exits_zero_after_publishing_everything(settings, tmp_path):
    async with NewsWeb.build(load_records(SEEDS)) as web:
        (tmp_path / "sources.yaml").write_text(web.sources_yaml())
        proc = await asyncio.create_subprocess_exec(
            TRADETIES,
            "crawler",
            "--once",
            "--sources",
            str(tmp_path / "sources.yaml"),
            env=env_for(settings, tmp_path),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), 240)
        assert proc.returncode == 0, out.decode()[-3000:]
        assert published(tmp_path) == len(load_records(SEEDS))


async def test_scheduled_mode_stops_cleanly_on_sigterm(settings, tmp_path):
    async with NewsWeb.build(load_records(SEEDS)) as web:
        (tmp_path / "sources.yaml").write_text(web.sources_yaml())
        proc = await asyncio.create_subprocess_exec(
            TRADETIES,
            "crawler",
            "--sources",
            str(tmp_path / "sources.yaml"),
            env=env_for(settings, tmp_path),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        deadline = time.monotonic() + 240
        while published(tmp_path) < len(load_records(SEEDS)) and time.monotonic() < deadline and proc.returncode is None:
            await asyncio.sleep(0.2)
        assert proc.returncode is None, "the scheduler exited by itself"
        assert published(tmp_path) == len(load_records(SEEDS))
        proc.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, out.decode()[-3000:]
        assert b"crawler stopped" in out
