"""`tradeties infra up|status|down` on ports and a home of its own, next to the session's services."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tradeties.infra.process import free_ports

pytestmark = pytest.mark.integration

TRADETIES = Path(sys.executable).with_name("tradeties")


def test_up_is_idempotent_status_reports_and_down_stops(tmp_path, infra_settings):
    names = ["KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "ES_PORT", "ES_TRANSPORT_PORT"]
    ports = dict(zip(names, free_ports(4), strict=True))
    env = {
        **os.environ,
        "TRADETIES_INFRA_HOME": str(tmp_path / "home"),
        "TRADETIES_INFRA_CLASSPATH_DIR": str(infra_settings.infra.classpath_dir),
        "TRADETIES_INFRA_JVM_OPTIONS": json.dumps(infra_settings.infra.jvm_options),
        "TRADETIES_INFRA_KAFKA_HEAP": "256m",
        **{f"TRADETIES_INFRA_{k}": str(v) for k, v in ports.items()},
    }
    env.pop("TRADETIES_KAFKA_BOOTSTRAP", None)
    env.pop("TRADETIES_ES_URL", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(TRADETIES), "infra", *args], env=env, capture_output=True, text=True, timeout=300)

    try:
        up = cli("up", "--kafka-only")
        assert up.returncode == 0, up.stdout + up.stderr
        assert "kafka          started" in up.stdout
        again = cli("up", "--kafka-only")
        assert again.returncode == 0 and "kafka          already running" in again.stdout

        status = cli("status", "--json")
        report = json.loads(status.stdout)
        assert status.returncode == 1  # Elasticsearch is not running, so not everything is healthy
        assert report["kafka"]["healthy"] and report["kafka"]["bootstrap"] == f"127.0.0.1:{ports['KAFKA_PORT']}"
        assert not report["elasticsearch"]["running"]
        pid = report["kafka"]["pid"]
        assert Path(f"/proc/{pid}").exists()
        assert (tmp_path / "home" / "kafka" / "data" / "meta.properties").exists()
    finally:
        down = cli("down")
    assert down.returncode == 0 and "kafka          stopped" in down.stdout
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    after = cli("status")
    assert after.returncode == 1 and "kafka          stopped" in after.stdout
