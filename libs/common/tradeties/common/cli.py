"""Subcommands of the shared library: settings, topics, schemas."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from . import kafka, schemas
from .settings import get_settings


def register(app: typer.Typer) -> None:
    app.command("settings")(show_settings)
    topics = typer.Typer(help="Kafka topics of the registry.", no_args_is_help=True)
    topics.command("create")(create_topics)
    topics.command("list")(list_topics)
    app.add_typer(topics, name="topics")
    schema_app = typer.Typer(help="JSON Schemas of the event models.", no_args_is_help=True)
    schema_app.command("export")(export_schemas)
    app.add_typer(schema_app, name="schemas")


def show_settings() -> None:
    """Print the effective configuration as JSON, secrets masked."""
    typer.echo(json.dumps(get_settings().masked(), indent=2, default=str))


def create_topics() -> None:
    """Create every registry topic that is missing (idempotent)."""
    for name, state in sorted(kafka.create_topics(get_settings().kafka).items()):
        typer.echo(f"{state:8} {name}")


def list_topics() -> None:
    """Print the registry: topic names, partitions, keys, dead-letter routes."""
    from .topics import REGISTRY

    k = get_settings().kafka
    for spec in REGISTRY.values():
        dlq = kafka.name(k, spec.dead_letter) if spec.dead_letter else "-"
        typer.echo(
            f"{kafka.name(k, spec.topic):40} partitions={spec.partitions or k.partitions} "
            f"key={spec.key!r} model={spec.model.__name__} dlq={dlq}"
        )


def export_schemas(out: Path = typer.Option(Path("schemas"), help="Folder to write into.")) -> None:
    """Rewrite the exported JSON Schemas from the models."""
    for path in schemas.export(out):
        typer.echo(str(path))
