"""`tradeties newsweb serve`: run the fixture news web until interrupted."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    newsweb = typer.Typer(help="Fixture news web on loopback addresses (tests, demo).", no_args_is_help=True)
    newsweb.command("serve")(serve)
    app.add_typer(newsweb, name="newsweb")


def serve(
    records: list[Path] = typer.Option(
        None, "--records", help="JSONL article records (default: ../shared seeds + corpus/dev.jsonl)."
    ),
    faults: bool = typer.Option(False, "--faults", help="Add the hostile outlet with fault routes."),
    crawl_delay: float = typer.Option(0.0, "--crawl-delay", help="Crawl-delay announced in robots.txt."),
    sources_out: Path = typer.Option(None, "--sources-out", help="Write a crawler sources file for this web here."),
) -> None:
    """Serve the outlets until SIGINT/SIGTERM; print their addresses."""
    from .records import corpus_paths, load_records
    from .server import NewsWeb, serve_until_signalled

    recs = load_records(*(records or corpus_paths(Path.cwd())))
    if not recs:
        raise typer.BadParameter("no article records found")

    def serving(web: NewsWeb) -> None:
        for o in web.outlets:
            typer.echo(f"{o.base_url}/  {o.name}  ({len(o.article_paths())} articles)")
        if sources_out:
            sources_out.write_text(web.sources_yaml(), encoding="utf-8")
            typer.echo(f"sources file: {sources_out}")

    serve_until_signalled(NewsWeb.build(recs, faults=faults, crawl_delay=crawl_delay), serving)
