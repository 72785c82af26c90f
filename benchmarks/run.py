"""`make bench`: start a real Kafka broker and Elasticsearch node on free loopback ports, run every
``benchmarks/<part>.py:run(ctx)``, print ONE table of ratios and write bench-results/results.json.

    .venv/bin/python benchmarks/run.py            # every part
    .venv/bin/python benchmarks/run.py e2e indexer # only these parts

Each part returns rows ``{name, measured, baseline, ratio, target, unit, note}`` whose ratio is
measured in the same run against a named baseline. A part that raises becomes a row saying so
(the other parts still run) and the runner exits non-zero.
"""

from __future__ import annotations

import importlib
import json
import platform
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
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
    # Imported by its plain name from benchmarks/ on sys.path: a part that starts "spawn"
    # processes has them re-import it the same way.
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    return importlib.import_module(path.stem)


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
    infra = base.infra.model_copy(update={"home": home, "kafka_port": ports[0], "kafka_controller_port": ports[1],
                                          "es_port": ports[2], "es_transport_port": ports[3]})
    settings = Settings(infra=infra)
    settings.kafka.bootstrap = f"{infra.host}:{infra.kafka_port}"
    settings.elasticsearch.url = f"http://{infra.host}:{infra.es_port}"
    local = LocalInfra(settings, die_with_parent=True)
    local.up()
    return settings, local


def table(rows: list[dict]) -> str:
    head = ("benchmark", "measured", "baseline", "ratio", "target", "unit")
    body = [(r["name"], f"{r['measured']:.4g}" if isinstance(r["measured"], (int, float)) else "-",
             f"{r['baseline']:.4g}" if isinstance(r["baseline"], (int, float)) else "-",
             f"{r['ratio']:.3f}" if isinstance(r["ratio"], (int, float)) else "-", r["target"], r["unit"]) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))] + [fmt.format(*b) for b in body]
    return "\n".join(lines)


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
    started = datetime.now(timezone.utc)
    print(f"starting Kafka and Elasticsearch in {home} …", flush=True)
    settings, local = start_infra(home)
    rows: list[dict] = []
    failed = False
    try:
        for path in selected:
            print(f"running benchmarks/{path.name} …", flush=True)
            t0 = time.monotonic()
            try:
                part_rows = load(path).run(BenchContext(settings=settings))
                for r in part_rows:
                    r.setdefault("part", path.stem)
                rows.extend(part_rows)
            except Exception as exc:  # noqa: BLE001 - one broken part must not hide the others' figures
                failed = True
                traceback.print_exc()
                rows.append({"part": path.stem, "name": f"{path.stem}: FAILED", "measured": None, "baseline": None,
                             "ratio": None, "target": "-", "unit": "-", "note": f"{type(exc).__name__}: {exc}"})
            print(f"  {path.stem} took {time.monotonic() - t0:.0f}s", flush=True)
    finally:
        local.down()
    print()
    print(table(rows))
    for r in rows:
        if r.get("note"):
            print(f"- {r['name']}: {r['note']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "started_at": started.isoformat(), "finished_at": datetime.now(timezone.utc).isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "rows": rows}, indent=2, default=str), "utf-8")
    print(f"\nwrote {OUT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
