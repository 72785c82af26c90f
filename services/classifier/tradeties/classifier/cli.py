"""`tradeties` subcommands of the classifier package."""

from __future__ import annotations

import typer

from .cli_service import register_service


def register(app: typer.Typer) -> None:
    """Add this package's commands to the root CLI."""
    register_service(app)
