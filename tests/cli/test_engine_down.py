"""`search`, `export` and `alerts` with Elasticsearch or Kafka unreachable: one line naming the
engine, its address and how to start it, in a few seconds, exit status 69; --verbose adds the trace.

The engines are "stopped" by pointing the settings at a loopback port where nothing listens: to a
client that is exactly a stopped local node or broker (connection refused)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tradeties.common.reachability import EXIT_UNREACHABLE
from tradeties.infra.process import free_ports

TRADETIES = str(Path(sys.executable).parent / "tradeties")


def run(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([TRADETIES, *args], env=env, capture_output=True, text=True, timeout=60)
    return done, time.monotonic() - started


@pytest.fixture(scope="module")
def limit_s() -> float:
    """5 s, or the CLI's own start-up (`tradeties --help`, all packages imported) plus 3 s when the
    shared machine's load makes start-up alone take longer: the engine check must add little."""
    _, startup = run("--help", env=dict(os.environ))
    return max(5.0, startup + 3.0)


@pytest.fixture
def down_env() -> dict[str, str]:
    es_port, kafka_port = free_ports(2)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADETIES_")}
    env.update(TRADETIES_ES_URL=f"http://127.0.0.1:{es_port}", TRADETIES_KAFKA_BOOTSTRAP=f"127.0.0.1:{kafka_port}")
    return env


@pytest.mark.parametrize(
    "args, engine, variable",
    [
        (("search", "delegation"), "Elasticsearch", "TRADETIES_ES_URL"),
        (("search", "", "--json"), "Elasticsearch", "TRADETIES_ES_URL"),
        (("export",), "Elasticsearch", "TRADETIES_ES_URL"),
        (("alerts",), "Kafka", "TRADETIES_KAFKA_BOOTSTRAP"),
    ],
)
def test_one_clear_line_and_a_distinct_exit_status(down_env, limit_s, args, engine, variable):
    done, took = run(*args, env=down_env)
    assert done.returncode == EXIT_UNREACHABLE, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"tradeties: {engine} is unreachable at {down_env[variable]}")
    assert "make demo" in lines[0] and "tradeties infra up" in lines[0] and variable in lines[0]
    assert done.stdout == ""
    assert took < limit_s, f"{args} took {took:.1f}s"


def test_verbose_shows_the_trace_anywhere_on_the_command_line(down_env):
    done, _ = run("search", "delegation", "--verbose", env=down_env)
    assert done.returncode == EXIT_UNREACHABLE
    assert "Traceback (most recent call last)" in done.stderr and "Unreachable" in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("tradeties: Elasticsearch is unreachable")


def test_a_bad_parameter_is_a_usage_error_not_an_engine_error(down_env):
    done, _ = run("search", "x" * 600, env=down_env)
    assert done.returncode == 2 and "at most 500" in done.stderr


@pytest.mark.integration
def test_the_real_engines_stopped(local_infra, kafka_bootstrap, es_url, limit_s):
    """The same with the session's real node and broker stopped (the fixture starts them again)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADETIES_")}
    env.update(TRADETIES_ES_URL=es_url, TRADETIES_KAFKA_BOOTSTRAP=kafka_bootstrap)
    local_infra.elasticsearch.stop()
    local_infra.kafka.stop()
    for args, engine, address in [
        (("search", "delegation"), "Elasticsearch", es_url),
        (("export",), "Elasticsearch", es_url),
        (("alerts",), "Kafka", kafka_bootstrap),
    ]:
        done, took = run(*args, env=env)
        assert done.returncode == EXIT_UNREACHABLE, done.stderr
        assert done.stderr.strip() == done.stderr.strip().splitlines()[0]
        assert done.stderr.startswith(f"tradeties: {engine} is unreachable at {address}") and took < limit_s, (args, took)
