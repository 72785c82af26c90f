"""The `tradeties` command. Each installed package adds its subcommands through the
``tradeties.commands`` entry-point group: a ``register(app: typer.Typer)`` function."""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from tradeties.common.logging import configure_logging
from tradeties.common.settings import get_settings

app = typer.Typer(
    name="tradeties",
    help="News monitoring of sub-national trade ties: crawl → classify → index → search and alerts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    configure_logging(get_settings().log)


def build() -> typer.Typer:
    for ep in sorted(entry_points(group="tradeties.commands"), key=lambda e: e.name):
        ep.load()(app)
    return app


def main() -> None:
    build()()
