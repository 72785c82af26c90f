"""Consumer-group look-ups the integration tests share (importable as ``consumer_groups``: tests/ is on
sys.path through its conftest)."""

from __future__ import annotations

from kafka import KafkaAdminClient

from tradeties.common import kafka
from tradeties.common.settings import Settings


def group_members(settings: Settings, group: str) -> int:
    """Members of a consumer group once it is stable (0 while it rebalances)."""
    admin = KafkaAdminClient(**kafka.client_config(settings.kafka))
    try:
        info = admin.describe_groups([group])[group]
        return len(info["members"]) if info["group_state"] == "Stable" else 0
    finally:
        admin.close()
