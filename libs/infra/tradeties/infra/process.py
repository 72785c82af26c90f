"""A small manager for one detached JVM daemon: pid file, log file, start/stop/kill.

The daemon outlives the `tradeties infra up` process that starts it (own session, stdout/stderr to
a log file), so state lives in files under the service's home: ``<name>.pid`` and ``logs/<name>.out``.
A pid is only trusted while that process's command line still names the home, so a stale pid
file whose number the kernel reused for something else is never signalled.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import structlog

from .errors import PortInUse, StartFailed

log = structlog.get_logger(__name__)

_PR_SET_PDEATHSIG = 1


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on host:port (as a JVM server socket would find it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # Same option as the JVM's server sockets, so a TIME_WAIT leftover does not count as busy.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (the kernel's pick)."""
    return free_ports(1, host)[0]


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """n distinct ports nothing listens on right now (all held open while picking, so no repeats)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(n)]
    try:
        for s in sockets:
            s.bind((host, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass  # it exited between our check and the signal: the goal is reached


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: SIGTERM it when the parent dies (test sessions).
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class JvmProcess:
    """One daemon whose command line names its home (how a live pid is recognised as ours)."""

    def __init__(self, name: str, home: Path, *, host: str, ports: Sequence[int]) -> None:
        self.name = name
        self.home = home
        self.host = host
        self.ports = tuple(ports)
        self.pid_file = home / f"{name}.pid"
        self.log_file = home / "logs" / f"{name}.out"
        self._popen: subprocess.Popen | None = None

    # -- state -------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The daemon's pid when it is alive, else None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if self._alive(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def is_running(self) -> bool:
        return self.pid() is not None

    def _alive(self, pid: int) -> bool:
        if self._popen is not None and self._popen.pid == pid:
            return self._popen.poll() is None
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            return False
        state = stat.rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X") and str(self.home.resolve()).encode() in cmdline

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, argv: Sequence[str], *, env: dict[str, str] | None = None, die_with_parent: bool = False) -> bool:
        """Start detached; False (and nothing done) when it already runs."""
        if self.is_running():
            return False
        busy = [p for p in self.ports if port_in_use(self.host, p)]
        if busy:
            raise PortInUse(
                f"{self.name}: port(s) {', '.join(map(str, busy))} on {self.host} are taken by another process; "
                f"stop it or choose other ports (TRADETIES_INFRA_*_PORT)"
            )
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        # The kernel signals on the death of the starting *thread*, so only tie to the main thread.
        tie = die_with_parent and threading.current_thread() is threading.main_thread()
        with open(self.log_file, "ab") as out:
            out.write(f"\n--- {time.strftime('%Y-%m-%dT%H:%M:%S')} start {self.name}\n".encode())
            out.flush()
            self._popen = subprocess.Popen(
                list(argv),
                cwd=self.home,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if tie else None,
            )
        self.pid_file.write_text(f"{self._popen.pid}\n")
        log.info("started", service=self.name, pid=self._popen.pid, log=str(self.log_file))
        return True

    def stop(self, timeout_s: float = 30.0) -> bool:
        """SIGTERM, wait up to timeout_s, then SIGKILL. False when it was not running."""
        pid = self.pid()
        if pid is None:
            return False
        _signal(pid, signal.SIGTERM)
        if not self._wait_gone(pid, timeout_s):
            log.warning("did not stop in time, killing", service=self.name, pid=pid, timeout_s=timeout_s)
            _signal(pid, signal.SIGKILL)
            self._wait_gone(pid, 10.0)
        self.pid_file.unlink(missing_ok=True)
        log.info("stopped", service=self.name, pid=pid)
        return True

    def kill(self) -> bool:
        """SIGKILL (a crash, for fault tests). False when it was not running."""
        pid = self.pid()
        if pid is None:
            return False
        _signal(pid, signal.SIGKILL)
        self._wait_gone(pid, 10.0)
        self.pid_file.unlink(missing_ok=True)
        log.info("killed", service=self.name, pid=pid)
        return True

    def _wait_gone(self, pid: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self._alive(pid):
                return True
            time.sleep(0.05)
        return not self._alive(pid)

    # -- start-up ----------------------------------------------------------------------------
    def wait_until(self, check: Callable[[], bool], timeout_s: float, what: str) -> None:
        """Poll check() until it is true; fail early, with the log's tail, if the process exits."""
        deadline = time.monotonic() + timeout_s
        delay = 0.1
        while True:
            if not self.is_running():
                raise StartFailed(f"{self.name} exited before {what}; last log lines:\n{self.log_tail()}")
            if check():
                return
            if time.monotonic() >= deadline:
                raise StartFailed(f"{self.name} not {what} after {timeout_s:.0f}s; last log lines:\n{self.log_tail()}")
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_file, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 16_384))
                return "\n".join(f.read().decode(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log yet)"


class LocalService:
    """What the local Kafka and Elasticsearch share: a JvmProcess and how it is stopped."""

    process: JvmProcess

    def stop(self, timeout_s: float = 30.0) -> bool:
        return self.process.stop(timeout_s)

    def kill(self) -> bool:
        return self.process.kill()
