"""The `tradeties` command. Each installed package adds its subcommands through the
``tradeties.commands`` entry-point group: a ``register(app: typer.Typer)`` function.

An engine that cannot be reached ends any command with one line naming it, its address and how
to start it, and exit status 69 (``--verbose``, anywhere on the command line, adds the trace)."""

from __future__ import annotations

import sys
import traceback
from importlib.metadata import entry_points

import typer

from tradeties.common.logging import configure_logging
from tradeties.common.reachability import EXIT_UNREACHABLE, Unreachable
from tradeties.common.settings import get_settings

app = typer.Typer(
    name="tradeties",
    help="News monitoring of sub-national trade ties: crawl → classify → index → search and alerts. "
    "--verbose (anywhere) prints the trace of a failure.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    configure_logging(get_settings().log)


def build(only: str | None = None) -> typer.Typer:
    """The app with every package's commands, or with only the package named ``only`` when one is."""
    eps = sorted(entry_points(group="tradeties.commands"), key=lambda e: e.name)
    chosen = [ep for ep in eps if ep.name == only] or eps
    for ep in chosen:
        ep.load()(app)
    return app


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in args
    args = [a for a in args if a != "--verbose"]
    try:
        # `tradeties crawler …` loads the crawler's commands only: a service process does not import
        # (and hold in memory) the other packages' modules, e.g. the classifier's models in the crawler.
        build(args[0] if args else None)(args=args, prog_name="tradeties")
    except Unreachable as exc:
        if verbose:
            traceback.print_exc()
        print(f"tradeties: {exc.line}", file=sys.stderr)
        raise SystemExit(EXIT_UNREACHABLE) from None
