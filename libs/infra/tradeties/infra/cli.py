"""`tradeties infra fetch|up|down|status`: the local Kafka broker and Elasticsearch node."""

from __future__ import annotations

import json

import typer

from tradeties.common.errors import TradetiesError
from tradeties.common.settings import get_settings

from .local import LocalInfra

infra_app = typer.Typer(help="Local Kafka (KRaft) and Elasticsearch from Maven Central artifacts.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this package's commands to the root CLI."""
    app.add_typer(infra_app, name="infra")


def _infra() -> LocalInfra:
    return LocalInfra(get_settings())


def _fail(exc: TradetiesError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


@infra_app.command("fetch")
def fetch() -> None:
    """Resolve the Kafka artifacts and build the Elasticsearch launcher (Maven; cached in infra.maven_repo)."""
    try:
        _infra().fetch()
    except TradetiesError as exc:
        _fail(exc)
    typer.echo("infra artifacts ready")


@infra_app.command("up")
def up(
    kafka_only: bool = typer.Option(False, "--kafka-only", help="Only the Kafka broker."),
    es_only: bool = typer.Option(False, "--es-only", help="Only the Elasticsearch node."),
) -> None:
    """Start the local services that are not running and wait until they are healthy (idempotent)."""
    if kafka_only and es_only:
        raise typer.BadParameter("--kafka-only and --es-only exclude each other")
    infra = _infra()
    try:
        took = infra.up(kafka=not es_only, elasticsearch=not kafka_only)
    except TradetiesError as exc:
        _fail(exc)
    for name, seconds in took.items():
        typer.echo(f"{name:14} {'already running' if seconds == 0 else f'started in {seconds:.1f}s'}")
    _print_addresses(infra.status())


@infra_app.command("down")
def down() -> None:
    """Stop the local services (SIGTERM, then SIGKILL after 30 s)."""
    for name, was_running in _infra().down().items():
        typer.echo(f"{name:14} {'stopped' if was_running else 'not running'}")


@infra_app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Health and addresses; exit status 1 unless every service is healthy."""
    report = _infra().status()
    if as_json:
        typer.echo(json.dumps(report, indent=2))
    else:
        _print_addresses(report)
    if not report["healthy"]:
        raise typer.Exit(1)


def _print_addresses(report: dict) -> None:
    k, e = report["kafka"], report["elasticsearch"]
    typer.echo(f"kafka          {_state(k)}  bootstrap={k['bootstrap']}  pid={k['pid'] or '-'}  log={k['log']}")
    typer.echo(f"elasticsearch  {_state(e)}  url={e['url']}  pid={e['pid'] or '-'}  log={e['log']}")


def _state(service: dict) -> str:
    return "healthy " if service["healthy"] else ("UNHEALTHY" if service["running"] else "stopped ")
