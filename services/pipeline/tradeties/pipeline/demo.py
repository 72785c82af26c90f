"""`tradeties demo` (make demo / make up / make down): the whole product on one machine, offline.

The demo news web and the supervisor run as detached processes (pid files under
``<infra home>/demo``) so they outlive this command; ``tradeties demo down`` stops them and the
local infrastructure.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import structlog

from tradeties.common.settings import Settings
from tradeties.common.waiting import wait_for

from .demoweb import build_demo_web
from .progress import Progress, ProgressProbe
from .runner import api_url, ensure_infra, prepare, run_cli
from .supervisor import tradeties_argv

log = structlog.get_logger(__name__)

DEMO_PORT = 8765
REPO_ROOT = Path(__file__).resolve().parents[4]


def demo_dir(settings: Settings) -> Path:
    return settings.infra.home / "demo"


def _pid_alive(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None


def _detach(argv: list[str], log_file: Path, pid_file: Path, env: dict[str, str] | None = None) -> int:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as out:
        proc = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    pid_file.write_text(str(proc.pid))
    return proc.pid


def serve_web(out_dir: Path, port: int) -> None:
    """Foreground: serve the demo web on ``port`` (the same addresses every run, so the crawl state
    stays valid), write its sources file and manifest once it is bound, run until SIGTERM."""
    from tradeties.newsweb import corpus_paths, load_records, serve_until_signalled

    demo = build_demo_web(load_records(*corpus_paths(REPO_ROOT)), port=port)

    def serving(_web) -> None:
        demo.write_sources(out_dir / "sources.yaml")
        (out_dir / "web.json").write_text(json.dumps(demo.manifest(), indent=2, ensure_ascii=False), "utf-8")

    serve_until_signalled(demo.web, serving)


def wait_until_indexed(
    probe: ProgressProbe,
    *,
    expected: int | None,
    deadline_s: float,
    stable_s: float,
    emit: Callable[[str], None],
    every_s: float = 5.0,
) -> Progress:
    """Poll until every consumer has caught up and the counts stopped moving (and, when known,
    every expected article is indexed); raise TimeoutError at the deadline."""
    end = time.monotonic() + deadline_s
    last, since, last_emit = None, time.monotonic(), 0.0
    while True:
        p = probe.snapshot()
        now = time.monotonic()
        if p.counts() != last:
            last, since = p.counts(), now
        if now - last_emit >= every_s:
            emit(p.line())
            last_emit = now
        enough = expected is None or (p.indexed or 0) >= expected
        # Short of the expected count, a long quiet spell also ends the wait: the caller then
        # reports what is missing instead of a bare timeout.
        quiet = now - since >= (stable_s if enough else max(30.0, 5 * stable_s))
        if p.settled and (p.published or 0) > 0 and quiet:
            return p
        if now > end:
            raise TimeoutError(f"not settled after {deadline_s:.0f}s: {p.line()} (expected {expected} articles)")
        time.sleep(1.0)


def up(settings: Settings, *, real: bool, emit: Callable[[str], None], deadline_s: float = 900.0) -> int:
    d = demo_dir(settings)
    d.mkdir(parents=True, exist_ok=True)
    ensure_infra(settings)
    prepare(settings)
    expected = None
    if real:
        sources = settings.crawler.sources
    else:
        if not _pid_alive(d / "web.pid"):
            (d / "web.json").unlink(missing_ok=True)
            _detach(tradeties_argv("demo", "web", "--out", str(d), "--port", str(DEMO_PORT)), d / "web.log", d / "web.pid")
        manifest = _wait_file(d / "web.json", 60)
        expected = manifest["expected_articles"]
        sources = d / "sources.yaml"
        emit(f"demo news web: {len(manifest['sites'])} outlets, {expected} articles")
        for name, base in manifest["sites"].items():
            emit(f"  {base}/  {name}")
    if not _pid_alive(d / "run.pid"):
        (d / "run.log").unlink(missing_ok=True)  # its "pipeline running:" line is this run's
        _detach(tradeties_argv("run", "--sources", str(sources), "--log-dir", str(d / "logs")), d / "run.log", d / "run.pid")
    emit(f"pipeline started (status lines in {d / 'run.log'})")
    probe = ProgressProbe(settings)
    try:
        if real:
            # Real sources are unbounded: report the first status once the services run, do not wait for an end.
            _wait_running(d / "run.log", 120)
            emit(probe.snapshot().line())
        else:
            final = wait_until_indexed(probe, expected=expected, deadline_s=deadline_s, stable_s=5.0, emit=emit)
            emit(f"everything indexed: {final.line()}")
            emit("\n$ tradeties search delegation")
            emit(run_cli(settings, "search", "delegation", "--size", "5"))
            emit("$ tradeties alerts")
            emit(run_cli(settings, "alerts"))
            _wait_api(settings)
    finally:
        probe.close()
    emit(_addresses(settings, d))
    return 0


def _addresses(settings: Settings, d: Path) -> str:
    metrics = next(
        (
            part.split("=", 1)[1]
            for line in _lines(d / "run.log")
            if line.startswith("pipeline running:")
            for part in line.split()
            if part.startswith("crawler-metrics=")
        ),
        f"see {d / 'run.log'}",
    )
    base = api_url(settings)
    return "\n".join(
        [
            "The services keep running:",
            f"  search page    {base}/   (open it in a browser; facets, articles with their evidence)",
            f"  alerts page    {base}/alerts   feed: {base}/feeds/alerts.atom (subscribe in a feed reader)",
            f"  watches        {base}/watches   feeds: {base}/feeds/<watch>.atom, .json; config/watches.yaml",
            f"  API            {base}/api/search?q=delegation&region=...",
            f"  Kafka          {settings.kafka.bootstrap}",
            f"  Elasticsearch  {settings.elasticsearch.url}   (e.g. curl '{settings.elasticsearch.url}/"
            f"{settings.elasticsearch.index_prefix}-articles/_search?q=delegation')",
            f"  news web       {d / 'web.json'}",
            f"  metrics        {metrics} (crawler, Prometheus)",
            f"  status lines   {d / 'run.log'}",
            f"  logs           {d / 'logs'}",
            "  search         .venv/bin/tradeties search QUERY [--region ID] [--country CC] [--sector ID] ...",
            "  alerts         .venv/bin/tradeties alerts",
            "Stop everything: make down",
        ]
    )


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return []


def _wait_api(settings: Settings, timeout_s: float = 60) -> None:
    import httpx

    def ready() -> bool:
        try:
            return httpx.get(f"{api_url(settings)}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(ready, timeout_s, f"the API at {api_url(settings)} (see the api log)", every_s=0.5)


def _wait_running(run_log: Path, timeout_s: float) -> None:
    wait_for(
        lambda: any(line.startswith("pipeline running:") for line in _lines(run_log)),
        timeout_s,
        f"the pipeline to start (see {run_log})",
        every_s=0.5,
    )


def _wait_file(path: Path, timeout_s: float) -> dict:
    wait_for(path.exists, timeout_s, f"{path} to appear (see {path.parent / 'web.log'})")
    return json.loads(path.read_text("utf-8"))


def down(settings: Settings, *, emit: Callable[[str], None], infra: bool = True) -> int:
    d = demo_dir(settings)
    for name in ("run", "web"):
        pid = _pid_alive(d / f"{name}.pid")
        if pid is None:
            continue
        os.kill(pid, signal.SIGTERM)
        end = time.monotonic() + 60
        while time.monotonic() < end and _pid_alive(d / f"{name}.pid"):
            time.sleep(0.3)
        if _pid_alive(d / f"{name}.pid"):
            os.kill(pid, signal.SIGKILL)
        (d / f"{name}.pid").unlink(missing_ok=True)
        emit(f"stopped {name} (pid {pid})")
    if infra and settings.uses_local_infra:
        emit(run_cli(settings, "infra", "down", timeout_s=180))
    return 0
