"""Infra pieces without any JVM: configuration text, class-path cache, process manager, port checks."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from tradeties.common.settings import InfraSettings
from tradeties.infra.elasticsearch import Launcher
from tradeties.infra.errors import ArtifactsMissing, PortInUse, StartFailed
from tradeties.infra.kafka import artifacts, new_cluster_id, server_properties
from tradeties.infra.maven import Artifact, Classpath, pom_for
from tradeties.infra.process import JvmProcess, free_port, port_in_use


def _props(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_server_properties_combined_kraft_on_configured_ports(tmp_path):
    infra = InfraSettings(home=tmp_path, kafka_port=19092, kafka_controller_port=19093)
    props = _props(server_properties(infra, tmp_path / "data"))
    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["auto.create.topics.enable"] == "false"
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["log.dirs"] == str(tmp_path / "data")


def test_kafka_artifacts_pin_an_slf4j2_binding():
    names = {a.artifact: a.version for a in artifacts("4.1.1")}
    assert names["kafka_2.13"] == "4.1.1"
    assert names["slf4j-api"].startswith("2.") and "log4j-slf4j2-impl" in names


def test_cluster_ids_never_look_like_options():
    ids = {new_cluster_id() for _ in range(500)}
    assert len(ids) == 500 and all(len(i) == 22 and not i.startswith("-") for i in ids)


def test_pom_lists_artifacts_escaped():
    pom = pom_for([Artifact("g", "a&b", "1")])
    assert "<artifactId>a&amp;b</artifactId>" in pom


def test_classpath_without_fetch_names_make_infra_fetch(tmp_path):
    cp = Classpath("x", [Artifact("g", "a", "1")], repo=tmp_path / "repo", cache_dir=tmp_path / "cp")
    with pytest.raises(ArtifactsMissing, match="make infra-fetch"):
        cp.get(fetch=False)


def test_unbuilt_es_launcher_without_fetch_names_make_infra_fetch(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "pom.xml").write_text("<project/>")
    with pytest.raises(ArtifactsMissing, match="make infra-fetch"):
        Launcher(InfraSettings(), source=tmp_path).get(fetch=False)


def test_classpath_with_a_vanished_jar_is_stale(tmp_path):
    cp = Classpath("x", [Artifact("g", "a", "1")], repo=tmp_path / "repo", cache_dir=tmp_path / "cp")
    jar = tmp_path / "a.jar"
    jar.write_bytes(b"")
    cp.dir.mkdir(parents=True)
    cp.file.write_text(str(jar))
    assert cp.get(fetch=False) == [jar]
    jar.unlink()
    assert cp.jars() is None


def test_classpath_key_depends_on_artifacts_and_repo(tmp_path):
    a = Classpath("x", [Artifact("g", "a", "1")], repo=tmp_path / "r1", cache_dir=tmp_path)
    b = Classpath("x", [Artifact("g", "a", "2")], repo=tmp_path / "r1", cache_dir=tmp_path)
    c = Classpath("x", [Artifact("g", "a", "1")], repo=tmp_path / "r2", cache_dir=tmp_path)
    assert len({a.file, b.file, c.file}) == 3


def _sleeper(home: Path) -> list[str]:
    # The home path in argv is how JvmProcess recognises its own process.
    return [sys.executable, "-c", "import time, sys; time.sleep(600)", str(home)]


def test_process_start_is_idempotent_and_stop_terminates(tmp_path):
    proc = JvmProcess("sleeper", tmp_path, host="127.0.0.1", ports=())
    assert proc.start(_sleeper(tmp_path))
    pid = proc.pid()
    assert pid and proc.is_running()
    assert not proc.start(_sleeper(tmp_path))  # a second copy is refused
    assert proc.pid() == pid
    assert proc.stop(timeout_s=10)
    assert not proc.is_running() and not proc.pid_file.exists()
    assert not proc.stop()


def test_process_kill(tmp_path):
    proc = JvmProcess("sleeper", tmp_path, host="127.0.0.1", ports=())
    proc.start(_sleeper(tmp_path))
    assert proc.kill()
    assert not proc.is_running()


def test_process_stop_escalates_to_sigkill(tmp_path):
    proc = JvmProcess("stubborn", tmp_path, host="127.0.0.1", ports=())
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(600)"
    proc.start([sys.executable, "-c", code, str(tmp_path)])
    proc.wait_until(lambda: "ready" in proc.log_tail(), 30, "ready")
    assert proc.stop(timeout_s=0.5)
    assert not proc.is_running()


def test_stale_pid_file_of_another_process_is_ignored(tmp_path):
    proc = JvmProcess("sleeper", tmp_path, host="127.0.0.1", ports=())
    proc.pid_file.write_text("1\n")  # init: alive, but not ours
    assert proc.pid() is None and not proc.pid_file.exists()


def test_port_in_use_is_refused_with_a_clear_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert port_in_use("127.0.0.1", port)
        proc = JvmProcess("busy", tmp_path, host="127.0.0.1", ports=(port,))
        with pytest.raises(PortInUse, match=str(port)):
            proc.start(_sleeper(tmp_path))
    assert not port_in_use("127.0.0.1", free_port())


def test_wait_until_reports_an_early_exit_with_the_log(tmp_path):
    proc = JvmProcess("crasher", tmp_path, host="127.0.0.1", ports=())
    proc.start([sys.executable, "-c", "import sys; print('boom: bad config'); sys.exit(3)", str(tmp_path)])
    with pytest.raises(StartFailed, match="boom: bad config"):
        proc.wait_until(lambda: False, 30, "healthy")
