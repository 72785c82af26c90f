"""Runs the services as child processes: restarts a crashed child with backoff, stops them all cleanly.

Each service already handles SIGTERM (finish the batch in flight, commit, exit 0), so shutdown is:
SIGTERM to every child, wait until a deadline, SIGKILL what is left. A child that exits on its own
(crash, kill -9, OOM) is restarted after an exponential backoff that resets once it has stayed up
for ``stable_after_s``; the services' own guarantees (commit after ack, idempotent writes, durable
crawl state) make a restart lose and duplicate nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import structlog

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    #: False: an exit is final (e.g. a worker a test kills to watch the group rebalance).
    restart: bool = True


@dataclass(frozen=True)
class Backoff:
    initial_s: float = 1.0
    max_s: float = 30.0
    multiplier: float = 2.0
    stable_after_s: float = 60.0

    def delay(self, consecutive_failures: int) -> float:
        """Delay before restart number ``consecutive_failures`` (1-based) of an unstable child."""
        return min(self.max_s, self.initial_s * self.multiplier ** max(0, consecutive_failures - 1))


class Proc(Protocol):
    pid: int

    def poll(self) -> int | None: ...
    def send_signal(self, sig: int) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...


Spawn = Callable[[ChildSpec, Path | None], Proc]


def tradeties_argv(*args: str) -> list[str]:
    """argv for a ``tradeties`` subcommand with the same interpreter as this process."""
    return [sys.executable, "-c", "from tradeties.cli.main import main; main()", *args]


def spawn(spec: ChildSpec, log_dir: Path | None) -> subprocess.Popen:
    env = {**os.environ, **spec.env}
    out = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        out = open(log_dir / f"{spec.name}.log", "ab", buffering=0)
    try:
        # A session of its own: Ctrl-C in the terminal reaches the supervisor only, which then
        # stops the children in order instead of all of them racing on SIGINT.
        return subprocess.Popen(
            spec.argv,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    finally:
        if out is not None:
            out.close()


def _reap_group(pid: int) -> None:
    """Kill what the child left behind in its own session (e.g. an extraction pool's workers)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass
class Child:
    spec: ChildSpec
    proc: Proc | None = None
    started_at: float = 0.0
    failures: int = 0
    restarts: int = 0
    restart_at: float | None = None
    last_exit: int | None = None


class Supervisor:
    def __init__(
        self,
        specs: list[ChildSpec],
        *,
        log_dir: Path | None = None,
        backoff: Backoff = Backoff(),
        spawn_fn: Spawn = spawn,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = {s.name: Child(s) for s in specs}
        self._log_dir = log_dir
        self._backoff = backoff
        self._spawn = spawn_fn
        self._clock = clock
        self.stopping = False

    def start(self) -> None:
        for child in self.children.values():
            self._start(child)

    def _start(self, child: Child) -> None:
        child.proc = self._spawn(child.spec, self._log_dir)
        child.started_at = self._clock()
        child.restart_at = None
        log.info("service started", service=child.spec.name, pid=child.proc.pid)

    def poll(self) -> None:
        """Notice exited children and (re)start those whose backoff has elapsed."""
        now = self._clock()
        for child in self.children.values():
            if child.proc is not None:
                code = child.proc.poll()
                if code is None:
                    if now - child.started_at >= self._backoff.stable_after_s:
                        child.failures = 0
                    continue
                _reap_group(child.proc.pid)  # a killed service's own subprocesses go with it
                child.last_exit, child.proc = code, None
                if self.stopping or not child.spec.restart:
                    log.warning("service exited", service=child.spec.name, exit_code=code)
                    continue
                if now - child.started_at >= self._backoff.stable_after_s:
                    child.failures = 0
                child.failures += 1
                delay = self._backoff.delay(child.failures)
                child.restart_at = now + delay
                log.warning(
                    "service exited; restarting",
                    service=child.spec.name,
                    exit_code=code,
                    restart_in_s=round(delay, 1),
                    failures=child.failures,
                )
            elif child.restart_at is not None and now >= child.restart_at and not self.stopping:
                child.restarts += 1
                self._start(child)

    def running(self) -> dict[str, int]:
        return {n: c.proc.pid for n, c in self.children.items() if c.proc is not None and c.proc.poll() is None}

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int:
        """Signal one child (fault tests); the next poll notices the exit and schedules the restart."""
        proc = self.children[name].proc
        if proc is None:
            raise LookupError(f"{name} is not running")
        proc.send_signal(sig)
        return proc.pid

    def stop(self, deadline_s: float = 30.0) -> dict[str, int | None]:
        """SIGTERM every child, wait up to the deadline, SIGKILL the rest; the exit codes."""
        self.stopping = True
        live = {n: c.proc for n, c in self.children.items() if c.proc is not None}
        for proc in live.values():
            try:
                proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        end = self._clock() + deadline_s
        codes: dict[str, int | None] = {}
        for name, proc in live.items():
            try:
                codes[name] = proc.wait(timeout=max(0.0, end - self._clock()))
            except subprocess.TimeoutExpired:
                log.warning("service ignored SIGTERM; killing", service=name, deadline_s=deadline_s)
                proc.send_signal(signal.SIGKILL)
                codes[name] = proc.wait(timeout=10)
            _reap_group(proc.pid)
            child = self.children[name]
            child.last_exit, child.proc = codes[name], None
        for name, child in self.children.items():
            child.restart_at = None
            codes.setdefault(name, child.last_exit)
        return codes
