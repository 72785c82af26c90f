"""`tradeties` subcommands of the classifier package.

``classifier_app`` is the ``tradeties classifier`` group: without a subcommand it runs the
streaming service (cli_service.py); the offline tools (cli_offline.py) hang their subcommands on it."""

from __future__ import annotations

import typer

classifier_app = typer.Typer(help="Classifier: the streaming service (no subcommand) and evaluation.",
                             invoke_without_command=True)


def register(app: typer.Typer) -> None:
    """Add this package's commands to the root CLI."""
    from .cli_offline import register_offline
    from .cli_service import list_alerts, run_classifier

    @classifier_app.callback()
    def _service(
        ctx: typer.Context,
        classifier: str = typer.Option(None, "--classifier", hidden=True,
                                       help="module:Class of an alternative classifier (tests, experiments)."),
    ) -> None:
        """Run the classifier service: raw articles → classified articles, delegation alerts, webhooks."""
        if ctx.invoked_subcommand is None:
            run_classifier(classifier)

    register_offline(app, classifier_app)
    app.command("alerts")(list_alerts)
    app.add_typer(classifier_app, name="classifier")
