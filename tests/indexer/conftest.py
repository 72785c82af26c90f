"""Indexer test fixtures: a second real Elasticsearch node that has English analysis.

The shared `es_url` node is built without analysis-common (the local dev node); production
clusters have it. To exercise the production analyzer path against a real node, this starts the
repo's es-node launcher once per session with `--english-analysis` on free loopback ports.
"""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path

import pytest

ES_NODE = Path(__file__).resolve().parents[2] / "libs" / "infra" / "java" / "es-node"


@pytest.fixture(scope="session")
def english_es_url(tmp_path_factory):
    jar, classpath = ES_NODE / "target" / "tradeties-es-node.jar", ES_NODE / "target" / "classpath.txt"
    if not (jar.exists() and classpath.exists()):
        pytest.fail(f"the es-node launcher is not built ({jar}): run `make infra-fetch` "
                    f"(or `mvn -q -f {ES_NODE / 'pom.xml'} package`)")
    options = [line.strip() for line in (ES_NODE / "jvm.options").read_text().splitlines()
               if line.strip() and not line.strip().startswith("#")]
    home = tmp_path_factory.mktemp("es-english")
    proc = subprocess.Popen(
        # C1-only JIT and the serial collector: the node gets ready on about half the CPU (2 cores).
        ["java", "-Xms384m", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", *options, "-cp", f"{jar}:{classpath.read_text().strip()}",
         "tradeties.esnode.EsNodeMain", "--home", str(home), "--http-port", "0", "--transport-port", "0",
         "--cluster-name", "tradeties-english-test", "--english-analysis"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    killer = threading.Timer(180, proc.kill)  # a node that never gets ready must not hang the session
    killer.start()
    try:
        line = proc.stdout.readline() if proc.stdout else ""
    finally:
        killer.cancel()
    m = re.search(r"started http=(\S+)", line)
    if not m:
        proc.kill()
        pytest.fail(f"English-analysis es-node did not start: {line!r}; logs in {home}/logs")
    try:
        yield f"http://{m.group(1)}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
