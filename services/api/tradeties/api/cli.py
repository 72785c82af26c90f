"""`tradeties api` (the HTTP service) and `tradeties api deliver` (watch channels)."""

from __future__ import annotations

import typer

from tradeties.common.settings import get_settings


def register(app: typer.Typer) -> None:
    api = typer.Typer(
        help="HTTP API, feeds and the search page (127.0.0.1:8080 by default); `deliver`: "
        "push each watch's new matches to its webhooks.",
        invoke_without_command=True,
    )
    api.callback()(serve)
    api.command("deliver")(deliver)
    app.add_typer(api, name="api")


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Bind address (default TRADETIES_API_HOST, 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port (default TRADETIES_API_PORT, 8080)."),
) -> None:
    """Serve the API, the feeds and the search page until SIGTERM/Ctrl-C."""
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from .app import create_app

    s = get_settings()
    host, port = host or s.api.host, port or s.api.port
    typer.echo(f"tradeties api: search page http://{host}:{port}/ · alerts feed http://{host}:{port}/feeds/alerts.atom", err=True)
    uvicorn.run(create_app(s), host=host, port=port, log_config=None, access_log=False, timeout_graceful_shutdown=10)


def deliver(
    once: bool = typer.Option(False, "--once", help="One pass over every watch, then exit (tests, cron)."),
) -> None:
    """Deliver each new matching article (and delegation alert) of every watch to its channels, once."""
    from .channels import run_deliverer

    run_deliverer(get_settings(), once=once)
