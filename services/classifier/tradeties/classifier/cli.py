"""`tradeties` subcommands of the classifier package.

``classifier_app`` is the ``tradeties classifier`` group: the offline tools (cli_offline.py)
and the service's commands both hang their subcommands on it."""

from __future__ import annotations

import typer

classifier_app = typer.Typer(help="Classifier: evaluation and the streaming service.")


def register(app: typer.Typer) -> None:
    """Add this package's commands to the root CLI."""
    from .cli_offline import register_offline
    from .stream.cli import register_service

    register_offline(app, classifier_app)
    register_service(app, classifier_app)
    app.add_typer(classifier_app, name="classifier")
