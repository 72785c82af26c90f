"""The local Elasticsearch node: the es-node Java launcher (libs/infra/java/es-node) in its own JVM.

The launcher is built with Maven on first use (``package`` writes the thin jar and the runtime
class path into its ``target/``); health is ``_cluster/health`` at least yellow.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import structlog

from tradeties.common.settings import InfraSettings

from .errors import FETCH_HINT, ArtifactsMissing
from .maven import file_lock, require_tool, run_maven
from .process import JvmProcess, LocalService

log = structlog.get_logger(__name__)

LAUNCHER_DIR = Path(__file__).resolve().parents[2] / "java" / "es-node"
MAIN_CLASS = "tradeties.esnode.EsNodeMain"
CLUSTER_NAME = "tradeties-local"


class Launcher:
    """The built es-node launcher: thin jar + class path, rebuilt when sources, version or repo change."""

    def __init__(self, infra: InfraSettings, source: Path = LAUNCHER_DIR) -> None:
        self.source = source
        self.version = infra.es_version
        self.repo = infra.maven_repo.expanduser().resolve()
        self.target = source / "target"
        self.jar = self.target / "tradeties-es-node.jar"
        self.classpath_file = self.target / "classpath.txt"
        self.stamp = self.target / "tradeties-build.json"
        self.jvm_options_file = source / "jvm.options"

    def _wanted_stamp(self) -> dict[str, str]:
        return {"elasticsearch.version": self.version, "maven.repo.local": str(self.repo)}

    def classpath(self) -> list[Path] | None:
        """jar + dependencies when the build is present and current, else None."""
        try:
            if json.loads(self.stamp.read_text()) != self._wanted_stamp():
                return None
            deps = [Path(p) for p in self.classpath_file.read_text().strip().split(":") if p]
        except (FileNotFoundError, ValueError):
            return None
        if not self.jar.is_file() or not all(p.is_file() for p in deps):
            return None
        built = self.jar.stat().st_mtime
        sources = [self.source / "pom.xml", *(self.source / "src").rglob("*")]
        if any(p.is_file() and p.stat().st_mtime > built for p in sources):
            return None
        return [self.jar, *deps]

    def get(self, *, fetch: bool) -> list[Path]:
        cp = self.classpath()
        if cp is not None:
            return cp
        if not fetch:
            raise ArtifactsMissing(f"elasticsearch: launcher not built or stale in {self.target}; {FETCH_HINT}")
        return self.build()

    def build(self) -> list[Path]:
        mvn = require_tool("mvn")
        require_tool("java")
        self.target.mkdir(parents=True, exist_ok=True)
        with file_lock(self.target / ".tradeties-build.lock"):
            cp = self.classpath()
            if cp is not None:
                return cp
            log.info("building es-node launcher", version=self.version, repo=str(self.repo))
            run_maven(
                [
                    mvn,
                    "-B",
                    "-q",
                    "-f",
                    str(self.source / "pom.xml"),
                    f"-Dmaven.repo.local={self.repo}",
                    f"-Delasticsearch.version={self.version}",
                    "package",
                ],
                what="building the es-node launcher",
            )
            self.stamp.write_text(json.dumps(self._wanted_stamp()))
        cp = self.classpath()
        if cp is None:
            raise ArtifactsMissing(f"elasticsearch: maven built no usable launcher in {self.target}")
        return cp

    def jvm_options(self) -> list[str]:
        lines = self.jvm_options_file.read_text().splitlines()
        return [s for s in (line.strip() for line in lines) if s and not s.startswith("#")]


class LocalElasticsearch(LocalService):
    """Fetch, start, stop and probe the local node under ``infra.home/elasticsearch``."""

    name = "elasticsearch"

    def __init__(self, infra: InfraSettings, *, fetch: bool = True, die_with_parent: bool = False) -> None:
        self.infra = infra
        self.home = (infra.home / "elasticsearch").resolve()
        self.fetch_allowed = fetch
        self.die_with_parent = die_with_parent
        self.launcher = Launcher(infra)
        self.process = JvmProcess("elasticsearch", self.home, host=infra.host, ports=(infra.es_port, infra.es_transport_port))

    @property
    def url(self) -> str:
        return f"http://{self.infra.host}:{self.infra.es_port}"

    def fetch(self) -> None:
        self.launcher.get(fetch=True)

    def start(self) -> bool:
        """Start the node (no wait); False when it already runs."""
        if self.process.is_running():
            return False
        cp = self.launcher.get(fetch=self.fetch_allowed)
        self.home.mkdir(parents=True, exist_ok=True)
        heap = self.infra.es_heap
        argv = [
            require_tool("java"),
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *self.launcher.jvm_options(),
            *self.infra.jvm_options,
            "-cp",
            ":".join(map(str, cp)),
            MAIN_CLASS,
            "--home",
            str(self.home),
            "--host",
            self.infra.host,
            "--cluster-name",
            CLUSTER_NAME,
            "--http-port",
            str(self.infra.es_port),
            "--transport-port",
            str(self.infra.es_transport_port),
            *(["--english-analysis"] if self.infra.es_english_analysis else []),
        ]
        return self.process.start(argv, die_with_parent=self.die_with_parent)

    def wait_healthy(self, timeout_s: float | None = None) -> None:
        self.process.wait_until(self.healthy, timeout_s or self.infra.start_timeout_s, "healthy (yellow or green)")

    def health(self) -> dict[str, Any] | None:
        return cluster_health(self.url)

    def healthy(self) -> bool:
        return is_healthy(self.health())

    def status(self) -> dict[str, Any]:
        pid = self.process.pid()
        health = self.health() if pid else None
        return {
            "service": "elasticsearch",
            "version": self.infra.es_version,
            "running": pid is not None,
            "pid": pid,
            "english_analysis": self.infra.es_english_analysis,
            "healthy": is_healthy(health),
            "health": health and health.get("status"),
            "url": self.url,
            "transport": f"{self.infra.host}:{self.infra.es_transport_port}",
            "home": str(self.home),
            "log": str(self.home / "logs" / f"{CLUSTER_NAME}.log"),
        }


def cluster_health(url: str) -> dict[str, Any] | None:
    """``GET /_cluster/health`` of any node without security, or None when it does not answer."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/_cluster/health", timeout=5) as resp:
            return json.load(resp)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def is_healthy(health: dict[str, Any] | None) -> bool:
    return health is not None and health.get("status") in ("yellow", "green")
