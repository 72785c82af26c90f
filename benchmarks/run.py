"""`make bench`: start a real Kafka broker and Elasticsearch node on free loopback ports, run every
``benchmarks/<part>.py:run(ctx)``, print ONE table of ratios and write bench-results/results.json.

    .venv/bin/python benchmarks/run.py            # every part
    .venv/bin/python benchmarks/run.py e2e indexer # only these parts

A part is any ``benchmarks/<name>.py`` (not starting with ``_``) with ``run(ctx) -> list[dict]``;
a new file is picked up by itself. Each row is ``{name, measured, baseline, ratio, target, unit,
note}`` whose ratio is measured in the same run against ``baseline``, the limit: the same work on
the same number of cores. Optional keys: ``limit`` (what the baseline is, in a few words),
``cores`` (how many cores the limit used), ``load`` (1-min load averages during the row's
measurement; the runner adds the one at the row's end when absent), ``cpu_ms`` (CPU ms per
article per process). A part that raises becomes a row saying so (the other parts still run)
and the runner exits non-zero.

bench-results/results.json keeps every run (``runs``: date, commit, load, rows), newest last;
``scripts/bench_table.py`` writes the current table into docs/scaling.md.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "bench-results" / "results.json"
RUNNER_FILES = {"run"}


@dataclass
class BenchContext:
    """What every part gets: settings on this run's infrastructure, and places to work in."""

    settings: Any
    infra: Any = None  # the LocalInfra: its broker's and node's pids for CPU accounting
    repo_root: Path = ROOT
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tradeties-bench-")))

    def fresh_settings(self, tag: str) -> Any:
        """A copy of ``settings`` with topics, indices and groups of its own."""
        s = self.settings.model_copy(deep=True)
        prefix = f"bench-{tag}-{int(time.time() * 1000) % 10**8}"
        s.kafka.topic_prefix = s.elasticsearch.index_prefix = prefix
        s.indexer.group_id = f"{prefix}-indexer"
        s.crawler.state_path = self.workdir / prefix / "crawler.sqlite3"
        s.classifier.data_dir = self.workdir / prefix / "classifier"
        return s


def parts(selected: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.stem not in RUNNER_FILES and not p.stem.startswith("_"))
    return [p for p in found if not selected or p.stem in selected]


def load(path: Path):
    """Part ``benchmarks/<name>.py`` as module ``benchmarks.<name>``.

    A plain name (``crawler``, ``e2e``) resolves to whatever an earlier part put first on
    sys.path or in sys.modules — tests/crawler once ran instead of the crawler part. The package
    name is unique, and "spawn" processes re-import it the same way (they inherit sys.path).
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"{HERE.name}.{path.stem}")


def start_infra(home: Path):
    """Kafka and Elasticsearch like the test fixtures: free ports, a home of their own, tied to us."""
    from tradeties.common.settings import Settings
    from tradeties.infra.local import LocalInfra
    from tradeties.infra.process import free_port

    base = Settings()
    ports = []
    while len(ports) < 4:
        if (p := free_port()) not in ports:
            ports.append(p)
    infra = base.infra.model_copy(
        update={
            "home": home,
            "kafka_port": ports[0],
            "kafka_controller_port": ports[1],
            "es_port": ports[2],
            "es_transport_port": ports[3],
        }
    )
    settings = Settings(infra=infra)
    settings.kafka.bootstrap = f"{infra.host}:{infra.kafka_port}"
    settings.elasticsearch.url = f"http://{infra.host}:{infra.es_port}"
    local = LocalInfra(settings, die_with_parent=True)
    local.up()
    return settings, local


def _num(v: Any, fmt: str) -> str:
    return format(v, fmt) if isinstance(v, (int, float)) else "-"


def _load(r: dict) -> str:
    load = r.get("load") or []
    return "-" if not load else f"{min(load):.1f}" if min(load) == max(load) else f"{min(load):.1f}-{max(load):.1f}"


def table(rows: list[dict]) -> str:
    head = ("benchmark", "measured", "limit", "ratio", "target", "unit", "cores", "load", "limit is")
    body = [
        (
            r["name"],
            _num(r["measured"], ".4g"),
            _num(r["baseline"], ".4g"),
            _num(r["ratio"], ".3f"),
            r["target"],
            r["unit"],
            str(r.get("cores") or "-"),
            _load(r),
            r.get("limit", "-"),
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))] + [fmt.format(*b) for b in body]
    return "\n".join(lines)


def load1() -> float:
    return round(os.getloadavg()[0], 2)


def commit() -> str:
    """The checked-out commit, with '+dirty' when tracked files outside bench-results/ have changes."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench-results")
    return (git("rev-parse", "--short", "HEAD") or "unknown") + ("+dirty" if dirty else "")


def settings_env_overrides() -> dict[str, str]:
    """TRADETIES_* variables of this run (they change what is measured), secrets left out."""
    secret = ("PASSWORD", "SECRET", "API_KEY", "TOKEN")
    return {k: v for k, v in sorted(os.environ.items()) if k.startswith("TRADETIES_") and not any(x in k for x in secret)}


def history() -> list[dict]:
    """Every recorded run, oldest first (a file of the one-run format counts as one run)."""
    if not OUT.exists():
        return []
    data = json.loads(OUT.read_text("utf-8"))
    return data.get("runs") or ([data] if data.get("rows") else [])


def save_run(run: dict) -> None:
    for r in run["rows"]:
        r.setdefault("date", run["started_at"])
        r.setdefault("commit", run["commit"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"runs": [*history(), run]}, indent=1, default=str, ensure_ascii=False) + "\n", "utf-8")


def main(argv: list[str]) -> int:
    os.environ.setdefault("TRADETIES_LOG_LEVEL", "WARNING")
    from tradeties.common.logging import configure_logging
    from tradeties.common.settings import LogSettings

    configure_logging(LogSettings(level="WARNING"))
    selected = parts(argv)
    if not selected:
        print(f"no benchmark parts match {argv}", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="tradeties-bench-infra-"))
    started, code = datetime.now(UTC), commit()  # the code measured, before anything changes it
    print(f"starting Kafka and Elasticsearch in {home} …", flush=True)
    settings, local = start_infra(home)
    rows: list[dict] = []
    failed = False
    try:
        for path in selected:
            print(f"running benchmarks/{path.name} …", flush=True)
            t0 = time.monotonic()
            try:
                part_rows = load(path).run(BenchContext(settings=settings, infra=local))
                for r in part_rows:
                    r.setdefault("part", path.stem)
                    r.setdefault("load", [load1()])
                rows.extend(part_rows)
            except Exception as exc:
                failed = True
                traceback.print_exc()
                rows.append(
                    {
                        "part": path.stem,
                        "name": f"{path.stem}: FAILED",
                        "measured": None,
                        "baseline": None,
                        "ratio": None,
                        "target": "-",
                        "unit": "-",
                        "note": f"{type(exc).__name__}: {exc}",
                    }
                )
            print(f"  {path.stem} took {time.monotonic() - t0:.0f}s", flush=True)
    finally:
        local.down()
    print()
    print(table(rows))
    for r in rows:
        if r.get("note"):
            print(f"- {r['name']}: {r['note']}")
    save_run(
        {
            "started_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "commit": code,
            "parts": [p.stem for p in selected],
            "env": settings_env_overrides(),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "rows": rows,
        }
    )
    print(f"\nwrote {OUT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
