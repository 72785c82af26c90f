"""Structured logging: one line per event with key=value (console) or JSON fields.

Secrets never reach a log line: settings hold them as SecretStr, whose str() is masked.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog

from .settings import LogSettings


def configure_logging(settings: LogSettings, *, stream: TextIO = sys.stderr) -> None:
    level = getattr(logging, settings.level)
    renderer = (
        structlog.processors.JSONRenderer()
        if settings.format == "json"
        else structlog.processors.LogfmtRenderer(key_order=["timestamp", "level", "event", "logger"], drop_missing=True)
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared, processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Client libraries are chatty at INFO; their warnings still come through.
    for noisy in ("kafka", "aiokafka", "elastic_transport", "httpx", "httpcore", "faust", "mode", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
