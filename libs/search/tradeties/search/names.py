"""Index, alias and template names derived from the configured prefix.

Each kind of document lives in a versioned index (``{prefix}-articles-v3``) behind two aliases:
readers use ``{prefix}-articles``, the indexer writes through ``{prefix}-articles-write``. A
mapping change is a new version filled from Kafka, then an atomic alias swap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from tradeties.common.topics import Topic


class Kind(str, Enum):
    ARTICLES = "articles"
    ALERTS = "alerts"


#: The Kafka topic each index is filled from.
SOURCE_TOPIC: dict[Kind, Topic] = {Kind.ARTICLES: Topic.CLASSIFIED_ARTICLES, Kind.ALERTS: Topic.ALERTS}
KIND_OF_TOPIC: dict[Topic, Kind] = {t: k for k, t in SOURCE_TOPIC.items()}


@dataclass(frozen=True)
class IndexNames:
    prefix: str
    kind: Kind

    @property
    def base(self) -> str:
        return f"{self.prefix}-{self.kind.value}"

    @property
    def read_alias(self) -> str:
        return self.base

    @property
    def write_alias(self) -> str:
        return f"{self.base}-write"

    @property
    def template(self) -> str:
        return self.base

    @property
    def pattern(self) -> str:
        """What the index template matches: only the versioned indices, never an alias name."""
        return f"{self.base}-v*"

    def index(self, version: int) -> str:
        return f"{self.base}-v{version}"

    def version_of(self, index: str) -> int | None:
        m = re.fullmatch(re.escape(self.base) + r"-v(\d+)", index)
        return int(m.group(1)) if m else None


def names_for(prefix: str) -> dict[Kind, IndexNames]:
    return {k: IndexNames(prefix, k) for k in Kind}
