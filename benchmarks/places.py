"""The gazetteer's two costs outside classification (issue 11): its build from the pinned packages
(`make gazetteer`, target ≤ 2 s) and what a fresh process pays to load it (≤ 2 s), each measured
in fresh processes on this machine: wall-clock and CPU seconds (CPU is the figure load moves less;
the build runs two steps in forked processes, on the second core, and their CPU is counted).

    .venv/bin/python benchmarks/places.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STARTUP = """import time
t0 = time.perf_counter()
from tradeties.places import recognise
t1 = time.perf_counter()
recognise("Columbus, Ohio")
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)"""

BUILD = "import sys; from pathlib import Path; from tradeties.places.build import write; write(Path(sys.argv[1]))"


def startup_seconds(runs: int = 3) -> tuple[float, float]:
    """Median (import, load + first recognise) of fresh processes: what each classifier process pays."""
    out = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True, check=True)
        out.append(tuple(map(float, done.stdout.split())))
    out.sort(key=sum)
    return out[len(out) // 2]


def build_seconds() -> tuple[float, float, float, float]:
    """(wall s, CPU s, artefact MB, 1-min load before) of one build in a fresh process, written to a
    temporary file (the installed artefact stays as it is)."""
    with tempfile.TemporaryDirectory(prefix="tradeties-gazetteer-") as tmp:
        out = Path(tmp) / "gazetteer.pkl"
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", BUILD, str(out)], check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return wall, cpu, out.stat().st_size / 1e6, load


def run(ctx: Any = None) -> list[dict]:
    imports, load_s = startup_seconds()
    total = imports + load_s
    wall, cpu, mb, load = build_seconds()
    return [
        {
            "name": "places: gazetteer start-up (fresh process: import, load, first use)",
            "measured": round(total, 2),
            "baseline": 2.0,
            "ratio": round(total / 2.0, 3),
            "target": "≤ 1 (≤ 2 s)",
            "unit": "s",
            "note": f"median of 3 processes: import {imports:.2f} s, artefact load + automaton {load_s:.2f} s; "
            "noisy on a shared machine",
        },
        {
            "name": "places: gazetteer build (make gazetteer, fresh process)",
            "measured": round(wall, 1),
            "baseline": 2.0,
            "ratio": round(wall / 2.0, 3),
            "target": "≤ 1 (≤ 2 s)",
            "unit": "s",
            "note": f"a complete build from the pinned packages (no cache); CPU {cpu:.1f} s with its two forked steps, "
            f"artefact {mb:.1f} MB, 1-min load {load:.1f} before; one build, noisy on a shared machine",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']}: {row['measured']} {row['unit']} ({row['note']})")
