"""CPU time and peak memory of processes from /proc, for benchmarks on a shared machine.

CPU seconds (utime + stime) spent by a process are what it cost whatever else the machine ran,
so ms of CPU per article per process is the load-robust figure beside the wall-clock rates.
A JVM's JIT compiler threads and its garbage collector's threads are reported apart (a
long-running cluster does not pay JIT per article; GC is what heap and collector flags move).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")
_THREADS = {"jit": ("C1 CompilerThre", "C2 CompilerThre"), "gc": ("GC Thread", "G1 ", "VM Thread", "VM Periodic")}


def _stat_fields(path: Path) -> list[str] | None:
    try:
        raw = path.read_text()
    except OSError:
        return None
    # comm (field 2) may hold spaces and parentheses: split after its last ')'.
    return raw[raw.rindex(")") + 2 :].split()


def cpu_s(pid: int) -> float:
    """utime + stime of ``pid`` (all its threads) in seconds; 0 when it is gone."""
    f = _stat_fields(Path(f"/proc/{pid}/stat"))
    return (int(f[11]) + int(f[12])) / _TICK if f else 0.0


def threads_s(pid: int, kind: str) -> float:
    """CPU seconds of a JVM's threads of one kind: 'jit' (compiler threads) or 'gc' (collector, VM thread)."""
    prefixes, total = _THREADS[kind], 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            comm = (task / "comm").read_text().strip()
        except OSError:
            continue
        if comm.startswith(prefixes) and (f := _stat_fields(task / "stat")):
            total += int(f[11]) + int(f[12])
    return total / _TICK


def children(pid: int) -> list[int]:
    """Every live descendant of ``pid``."""
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and (f := _stat_fields(d / "stat")):
            parent[int(d.name)] = int(f[1])
    out, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += kids
        frontier += kids
    return out


def hwm_mb(pid: int | str) -> float:
    """Peak resident memory (VmHWM) of one process in MB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load1() -> float:
    return round(os.getloadavg()[0], 2)


class CpuMeter:
    """CPU seconds per named group of processes between ``start()`` and ``stop()``.

    ``groups`` maps a name to a function returning that group's pids now (asked at both ends,
    so workers started in the window count from zero). Names ending in `` jit`` or `` gc`` count only
    those threads of a JVM (``threads_s``).
    """

    def __init__(self, groups: dict[str, Callable[[], Iterable[int]]]) -> None:
        self.groups = groups
        self._start: dict[str, dict[int, float]] = {}
        self.cpu: dict[str, float] = {}  # the last stop()'s figures

    def _sample(self) -> dict[str, dict[int, float]]:
        def one(name: str, pid: int) -> float:
            kind = name.rsplit(" ", 1)[-1]
            return threads_s(pid, kind) if kind in _THREADS else cpu_s(pid)

        return {name: {p: one(name, p) for p in pids()} for name, pids in self.groups.items()}

    def start(self) -> None:
        self._start = self._sample()

    def stop(self) -> dict[str, float]:
        end = self._sample()
        self.cpu = {
            name: sum(v - self._start.get(name, {}).get(p, 0.0) for p, v in per_pid.items()) for name, per_pid in end.items()
        }
        return self.cpu


def per_article_ms(cpu: dict[str, float], n: int) -> dict[str, float]:
    return {k: round(v * 1000 / n, 2) for k, v in cpu.items()}
