"""Running the classifier app as a faust worker in the foreground (SIGTERM/SIGINT stop it cleanly:
the agents finish their current event, offsets are committed, exit status 0)."""

from __future__ import annotations

import importlib
import logging

import faust

from tradeties.common.logging import configure_logging
from tradeties.common.settings import Settings

from ..model.classifier import Classifier
from .app import create_app
from .topology import ensure_topics


def load_classifier(path: str, settings: Settings) -> Classifier:
    """Instantiate ``module:Class`` with the classifier settings (an alternative model or a test double)."""
    module, _, name = path.partition(":")
    cls = getattr(importlib.import_module(module), name)
    return cls(settings.classifier)


def run(settings: Settings, classifier: Classifier | None = None) -> None:
    # tradeties' structlog configuration, not mode's own handlers (override_logging=False).
    configure_logging(settings.log)
    if settings.log.level == "DEBUG":  # the streaming libraries' INFO is what one debugs with
        for name in ("faust", "mode", "aiokafka"):
            logging.getLogger(name).setLevel(logging.INFO)
    topology = ensure_topics(settings)
    app = create_app(settings, classifier, topology=topology)
    worker = faust.Worker(app, loglevel=logging.getLevelName(settings.log.level), quiet=True, override_logging=False)
    worker.execute_from_commandline()
