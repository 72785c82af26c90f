import signal
import sys
import time

from tradeties.pipeline.supervisor import Backoff, ChildSpec, Supervisor

SLEEPER = [sys.executable, "-c", "import time\nwhile True: time.sleep(0.1)"]
# Ignores SIGTERM: the supervisor must fall back to SIGKILL at the deadline.
STUBBORN = [
    sys.executable,
    "-c",
    "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\nwhile True: time.sleep(0.1)",
]


def wait(cond, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    raise AssertionError("condition not met")


def test_backoff_grows_and_caps():
    b = Backoff(initial_s=1, max_s=5, multiplier=2)
    assert [b.delay(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]


def test_crashed_child_is_restarted_with_a_new_pid(tmp_path):
    sup = Supervisor([ChildSpec("svc", SLEEPER)], log_dir=tmp_path, backoff=Backoff(initial_s=0.05))
    sup.start()
    try:
        first = sup.running()["svc"]
        sup.kill("svc", signal.SIGKILL)

        def restarted():
            sup.poll()
            pid = sup.running().get("svc")
            return pid is not None and pid != first

        wait(restarted)
        assert sup.children["svc"].restarts == 1
        assert sup.children["svc"].last_exit == -signal.SIGKILL
    finally:
        codes = sup.stop(deadline_s=5)
    assert codes["svc"] == -signal.SIGTERM


def test_stop_kills_a_child_that_ignores_sigterm(tmp_path):
    sup = Supervisor([ChildSpec("stubborn", STUBBORN)], log_dir=tmp_path)
    sup.start()
    wait(lambda: b"ready" in (tmp_path / "stubborn.log").read_bytes())
    codes = sup.stop(deadline_s=0.5)
    assert codes["stubborn"] == -signal.SIGKILL
    assert sup.running() == {}


def test_no_restart_while_stopping(tmp_path):
    sup = Supervisor([ChildSpec("svc", SLEEPER)], log_dir=tmp_path, backoff=Backoff(initial_s=0.0))
    sup.start()
    sup.stop(deadline_s=5)
    sup.poll()
    assert sup.running() == {} and sup.children["svc"].restarts == 0
