"""Errors of the local infrastructure, in the tradeties error tree.

Every message says what to do next, because these surface in CLI output and failing tests.
"""

from __future__ import annotations

from tradeties.common.errors import ConfigError, RetryableError

FETCH_HINT = "run `make infra-fetch` (or `tradeties infra fetch`) first"


class ToolMissing(ConfigError):
    """java or mvn is not on PATH."""

    reason = "tool_missing"


class ArtifactsMissing(ConfigError):
    """The Maven artifacts or the launcher build are not in place and fetching was not allowed."""

    reason = "artifacts_missing"


class PortInUse(ConfigError):
    """Another process listens on a port a local service needs."""

    reason = "port_in_use"


class StartFailed(RetryableError):
    """A local service exited during start-up or did not become healthy before the deadline."""

    reason = "start_failed"
