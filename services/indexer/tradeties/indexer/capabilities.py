"""What the connected Elasticsearch cluster offers, detected once at start-up.

A production cluster ships the analysis-common module (language analyzers, stemmers); the local
dev node built from Maven Central artifacts does not. We ask the node for its modules and then
probe the exact feature we use — an English stemmer in ``_analyze`` — since a node built outside
the distribution may report its plugins differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import structlog
from elasticsearch import ApiError, Elasticsearch

log = structlog.get_logger(__name__)

#: The analysis chain the production template uses; the probe runs exactly this.
ENGLISH_PROBE: dict[str, Any] = {
    "tokenizer": "standard",
    "filter": ["lowercase", {"type": "stemmer", "language": "english"}],
    "text": "delegations signing",
}


@dataclass(frozen=True)
class Capabilities:
    english_stemming: bool
    modules: frozenset[str] = field(default_factory=frozenset)
    version: str = ""

    @property
    def analysis(self) -> str:
        return "english" if self.english_stemming else "standard"


def detect(client: Elasticsearch) -> Capabilities:
    # Not `GET /`: its handler lives in the rest-root module, which the local node lacks too.
    version = ""
    modules: set[str] = set()
    try:
        for node in client.nodes.info(metric="plugins").body.get("nodes", {}).values():
            version = version or str(node.get("version", ""))
            modules.update(m["name"] for m in node.get("modules", []))
            modules.update(p["name"] for p in node.get("plugins", []))
    except ApiError as exc:  # restricted API key: fall back to the probe alone
        log.info("cannot list node modules", error=str(exc))
    english = _probe_english(client)
    caps = Capabilities(english_stemming=english, modules=frozenset(modules), version=version)
    log.info("cluster capabilities", version=version, analysis=caps.analysis, analysis_common="analysis-common" in modules)
    return caps


def _probe_english(client: Elasticsearch) -> bool:
    try:
        resp = client.indices.analyze(**ENGLISH_PROBE)
    except ApiError as exc:
        if exc.status_code == 400:  # "failed to find global token filter under [stemmer]" and the like
            return False
        raise
    tokens = [t["token"] for t in resp.body.get("tokens", [])]
    return "sign" in tokens  # "signing" stemmed
