"""Templates, versioned indices and aliases on the cluster (IO at the edge, one call per concept)."""

from __future__ import annotations

from typing import Any

import structlog
from elasticsearch import ApiError, Elasticsearch, NotFoundError

from tradeties.common.indices import IndexNames, Kind, names_for
from tradeties.common.settings import IndexerSettings

from .capabilities import Capabilities, detect
from .templates import MAPPING_VERSION, index_template

log = structlog.get_logger(__name__)


def apply_templates(client: Elasticsearch, prefix: str, caps: Capabilities, indexer: IndexerSettings) -> list[str]:
    """Install (or update) the index template of every kind; new index versions pick it up."""
    out = []
    for names in names_for(prefix).values():
        body = index_template(
            names,
            caps,
            shards=indexer.number_of_shards,
            replicas=indexer.number_of_replicas,
            segments_per_tier=indexer.segments_per_tier,
        )
        client.indices.put_index_template(name=names.template, **body)
        out.append(names.template)
        log.info("index template applied", template=names.template, pattern=names.pattern, analysis=caps.analysis)
    return out


def alias_targets(client: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(client.indices.get_alias(name=alias).body)
    except NotFoundError:
        return []


def existing_versions(client: Elasticsearch, names: IndexNames) -> dict[int, str]:
    body = client.indices.get_alias(index=names.pattern, allow_no_indices=True).body
    return {v: idx for idx in body if (v := names.version_of(idx)) is not None}


def create_index(client: Elasticsearch, index: str, aliases: dict[str, Any] | None = None) -> bool:
    """Create ``index`` from its template; False if it already existed."""
    try:
        client.indices.create(index=index, aliases=aliases or None)
        return True
    except ApiError as exc:
        if exc.error == "resource_already_exists_exception":
            return False
        raise


def bootstrap(client: Elasticsearch, names: IndexNames) -> str:
    """Make sure the read and write aliases point at an index; create version 1 on an empty cluster."""
    read, write = alias_targets(client, names.read_alias), alias_targets(client, names.write_alias)
    if read and write:
        return write[0]
    versions = existing_versions(client, names)
    index = versions[max(versions)] if versions else names.index(1)
    if not versions:
        create_index(client, index)
    actions: list[dict[str, Any]] = []
    if not read:
        actions.append({"add": {"index": index, "alias": names.read_alias}})
    if not write:
        actions.append({"add": {"index": index, "alias": names.write_alias, "is_write_index": True}})
    client.indices.update_aliases(actions=actions)
    log.info("aliases bootstrapped", index=index, read=names.read_alias, write=names.write_alias)
    return index


def move_alias(client: Elasticsearch, alias: str, to_index: str, *, is_write: bool = False) -> list[str]:
    """Point ``alias`` at ``to_index`` only, in one atomic update; returns the indices it left."""
    old = [i for i in alias_targets(client, alias) if i != to_index]
    add: dict[str, Any] = {"index": to_index, "alias": alias}
    if is_write:
        add["is_write_index"] = True
    actions = [{"remove": {"index": i, "alias": alias}} for i in old] + [{"add": add}]
    client.indices.update_aliases(actions=actions)
    log.info("alias moved", alias=alias, to=to_index, left=",".join(old) or "-")
    return old


def ensure_ready(client: Elasticsearch, prefix: str, indexer: IndexerSettings, caps: Capabilities | None = None) -> Capabilities:
    """Start-up: detect capabilities, apply templates, bootstrap aliases of every kind."""
    caps = caps or detect(client)
    apply_templates(client, prefix, caps, indexer)
    for names in names_for(prefix).values():
        index = bootstrap(client, names)
        _warn_if_stale(client, index)
    return caps


def _warn_if_stale(client: Elasticsearch, index: str) -> None:
    """The live index predates the current mappings: new fields would be rejected until a reindex."""
    meta = client.indices.get_mapping(index=index).body.get(index, {}).get("mappings", {}).get("_meta", {})
    have = meta.get("tradeties_mapping_version")
    if have != MAPPING_VERSION:
        log.warning(
            "index mappings are older than this version's; run `tradeties indexer reindex`",
            index=index,
            index_mapping_version=have,
            current=MAPPING_VERSION,
        )


def refresh(client: Elasticsearch, prefix: str, kind: Kind | None = None) -> None:
    kinds = [kind] if kind else list(Kind)
    client.indices.refresh(index=",".join(names_for(prefix)[k].read_alias for k in kinds))
