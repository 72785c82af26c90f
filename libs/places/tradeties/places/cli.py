"""`tradeties places build | find NAME_OR_ID [--country CC]`."""

from __future__ import annotations

from typing import Annotated

import typer

places_app = typer.Typer(help="The gazetteer: build its artefact, find places.", no_args_is_help=True)


@places_app.command("build")
def build(force: Annotated[bool, typer.Option("--force", help="Rebuild even when the artefact is current.")] = False) -> None:
    """Build the gazetteer artefact from the pinned packages and the curated files (skipped when the
    artefact on disk was built from the same package versions, files and build code)."""
    from .build import main
    from .gazetteer import artefact_is_current

    if not force and artefact_is_current():
        typer.echo("gazetteer artefact is current", err=True)
        return
    main()


@places_app.command("find")
def find(
    ref: Annotated[str, typer.Argument(help="An id (CN-LN, gn:4509177), an old id (US:Columbus) or a name.")],
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code to narrow a name.")] = None,
) -> None:
    """The places an id or a readable name means, most prominent first."""
    from .gazetteer import gazetteer

    gaz = gazetteer()
    exact = gaz.get(ref)
    found = [exact] if exact else gaz.candidates(ref, country)
    if not found:
        raise typer.Exit(1)
    for p in found:
        chain = " < ".join(a.name for a in gaz.ancestors(p))
        typer.echo(f"{p.id}\t{p.name}\t{p.country}\t{p.level}\t{p.lat},{p.lon}\t{chain}")


def register(app: typer.Typer) -> None:
    app.add_typer(places_app, name="places")
