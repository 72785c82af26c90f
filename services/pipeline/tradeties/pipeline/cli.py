"""`tradeties run` (the supervisor) and `tradeties demo` (make demo / up / down)."""

from __future__ import annotations

from pathlib import Path

import typer

from tradeties.common.settings import get_settings


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    demo = typer.Typer(
        help="The whole pipeline on one machine: bundled demo web (offline) or real sources.", invoke_without_command=True
    )
    demo.callback()(demo_up)
    demo.command("down")(demo_down)
    demo.command("web", hidden=True)(demo_web)
    app.add_typer(demo, name="demo")


def run(
    sources: Path | None = typer.Option(None, "--sources", help="Sources file (default: settings.crawler.sources)."),
    status_every: float = typer.Option(5.0, "--status-every", help="Seconds between status lines."),
    log_dir: Path = typer.Option(None, "--log-dir", help="Per-service log files (default: <infra home>/logs/pipeline)."),
) -> None:
    """Start crawler, classifier and indexer under one supervisor (Ctrl-C/SIGTERM stops them cleanly)."""
    from .runner import run_foreground

    s = get_settings()
    code = run_foreground(
        s,
        sources,
        status_every_s=status_every,
        log_dir=log_dir or s.infra.home / "logs" / "pipeline",
        emit=lambda line: typer.echo(line),
    )
    raise typer.Exit(code)


def demo_up(
    ctx: typer.Context,
    real: bool = typer.Option(False, "--real", help="Crawl the real default sources instead of the bundled demo web."),
    deadline: float = typer.Option(900.0, "--deadline", help="Seconds to wait for everything to be indexed."),
) -> None:
    """Start infra, (demo web), the pipeline; wait until indexed; print a search and the alerts."""
    if ctx.invoked_subcommand is not None:
        return
    from .demo import up

    raise typer.Exit(up(get_settings(), real=real, emit=lambda line: typer.echo(line), deadline_s=deadline))


def demo_down(keep_infra: bool = typer.Option(False, "--keep-infra", help="Leave Kafka and Elasticsearch running.")) -> None:
    """Stop the pipeline, the demo web and the local infrastructure."""
    from .demo import down

    raise typer.Exit(down(get_settings(), emit=lambda line: typer.echo(line), infra=not keep_infra))


def demo_web(out: Path = typer.Option(..., "--out"), port: int = typer.Option(8765, "--port")) -> None:
    """Serve the bundled demo news web (foreground, until SIGTERM)."""
    from .demo import serve_web

    out.mkdir(parents=True, exist_ok=True)
    serve_web(out, port)
