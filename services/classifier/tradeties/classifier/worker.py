"""Running the classifier app as a faust worker in the foreground (SIGTERM/SIGINT stop it cleanly:
the agents finish their current event, offsets are committed, exit status 0)."""

from __future__ import annotations

import importlib
import logging

import faust

from tradeties.common.logging import configure_logging
from tradeties.common.settings import Settings

from .app import create_app
from .model import Classifier
from .topology import ensure_topics


class _Worker(faust.Worker):
    def _setup_logging(self) -> None:
        # Keep tradeties' structlog configuration instead of mode's own handlers.
        configure_logging(self._tradeties_log)


def load_classifier(path: str, settings: Settings) -> Classifier:
    """Instantiate ``module:Class`` with the classifier settings (an alternative model or a test double)."""
    module, _, name = path.partition(":")
    cls = getattr(importlib.import_module(module), name)
    return cls(settings.classifier)


def run(settings: Settings, classifier: Classifier | None = None) -> None:
    topology = ensure_topics(settings)
    app = create_app(settings, classifier, topology=topology)
    worker = _Worker(app, loglevel=logging.getLevelName(settings.log.level), quiet=True)
    worker._tradeties_log = settings.log
    worker.execute_from_commandline()
