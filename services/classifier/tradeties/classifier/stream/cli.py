"""`tradeties classifier` (the streaming service, when no subcommand is given) and `tradeties alerts`."""

from __future__ import annotations

import json

import typer

from tradeties.common.settings import get_settings


def register_service(app: typer.Typer, classifier_app: typer.Typer) -> None:
    # Bare `tradeties classifier` runs the service; its subcommands (evaluate, ...) are tools.
    classifier_app.callback(
        invoke_without_command=True,
        help=(
            "Without a subcommand: run the classifier service (raw articles → classified articles, delegation "
            "alerts, webhooks) until SIGTERM. Subcommands are the offline tools."
        ),
    )(run_classifier)
    app.command("alerts")(list_alerts)


def run_classifier(
    ctx: typer.Context,
    classifier: str = typer.Option(
        None, "--classifier", hidden=True, help="module:Class of an alternative classifier (tests, experiments)."
    ),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from .worker import load_classifier, run  # faust is slow to import; keep other commands fast

    settings = get_settings()
    run(settings, load_classifier(classifier, settings) if classifier else None)


def list_alerts(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of the alerts."),
    timeout: float = typer.Option(30.0, help="Seconds to reach the end of the alerts topic."),
) -> None:
    """List delegation alerts (newest revision of each) from the alerts topic."""
    from tradeties.common.reachability import require_kafka

    from ..alerts.reader import read_alerts

    kafka = get_settings().kafka
    require_kafka(kafka)  # one line in ≤ 2 s instead of the client's minute of retries
    alerts = read_alerts(kafka, timeout_s=timeout)
    if as_json:
        typer.echo(json.dumps([a.model_dump(mode="json") for a in alerts], indent=2, ensure_ascii=False))
        return
    for a in alerts:
        origin = a.origin.name if a.origin else "?"
        destination = a.destination.name if a.destination else "?"
        typer.echo(
            f"{a.first_seen_at:%Y-%m-%d} rev {a.revision:<2} {origin} → {destination}: {a.title} "
            f"[{', '.join(a.sources)}] {a.alert_id}"
        )
