"""The tradeties error tree.

    TradetiesError
    ├── RetryableError          transient: try again with backoff (broker down, ES 429, timeouts)
    └── PermanentError          retrying cannot help: the input goes to a dead-letter topic
        ├── PoisonMessage       a message on a topic that cannot be used at all
        │   ├── UndecodableMessage   not JSON / not UTF-8
        │   └── SchemaViolation      JSON, but not a valid event of the expected model
        ├── RejectedDocument    the search engine refused the document (mapping/parsing error)
        └── ConfigError         the configuration is wrong; fail loudly at start-up

Foreign exceptions are converted at the boundary with ``raise ... from`` so callers only ever
need to catch these.
"""

from __future__ import annotations


class TradetiesError(Exception):
    """Base of every error raised on purpose by tradeties."""

    #: Short machine-readable reason, used as a metrics label and in dead letters.
    reason: str = "error"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class RetryableError(TradetiesError):
    """Transient failure: the same operation may succeed later, not before ``server_wait_s`` if the
    other side said so (HTTP Retry-After); the shared backoff then waits that long instead of its own."""

    reason = "retryable"

    def __init__(self, message: str, *, reason: str | None = None, server_wait_s: float | None = None) -> None:
        super().__init__(message, reason=reason)
        self.server_wait_s = server_wait_s


class PermanentError(TradetiesError):
    """Retrying cannot help; the offending input is dead-lettered with this error's reason."""

    reason = "permanent"


class PoisonMessage(PermanentError):
    reason = "poison"


class UndecodableMessage(PoisonMessage):
    reason = "undecodable"


class SchemaViolation(PoisonMessage):
    reason = "schema_invalid"


class RejectedDocument(PermanentError):
    reason = "rejected_document"


class ConfigError(PermanentError):
    reason = "config"
