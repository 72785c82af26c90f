"""`tradeties` subcommands of the indexer package: indexer (service, apply-templates, reindex),
search, export and kibana."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import typer

from tradeties.common.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add this package's commands to the root CLI."""
    indexer = typer.Typer(help="Index classified articles and alerts into Elasticsearch.", invoke_without_command=True)
    indexer.callback()(run_indexer)
    indexer.command("apply-templates")(apply_templates)
    indexer.command("reindex")(reindex)
    app.add_typer(indexer, name="indexer")
    app.command("search")(search)
    app.command("export")(export)
    kibana = typer.Typer(help="Kibana saved objects (data views, searches, dashboard).", no_args_is_help=True)
    kibana.command("import")(kibana_import)
    kibana.command("ndjson")(kibana_ndjson)
    app.add_typer(kibana, name="kibana")


def run_indexer(
    ctx: typer.Context,
    until_idle: float | None = typer.Option(None, "--until-idle", metavar="N", help="Exit after N seconds without new messages."),
) -> None:
    """Run the indexer service (stops cleanly on SIGTERM/SIGINT)."""
    if ctx.invoked_subcommand is not None:
        return
    from .service import run_service

    stats = run_service(get_settings(), until_idle_s=until_idle)
    typer.echo(json.dumps({k: v for k, v in vars(stats).items() if not k.endswith("_at")}))


def apply_templates() -> None:
    """Install the index templates and bootstrap the versioned indices behind their aliases."""
    from tradeties.search.client import client_for

    from .admin import ensure_ready

    s = get_settings()
    client = client_for(s.elasticsearch)
    caps = ensure_ready(client, s.elasticsearch.index_prefix, s.indexer)
    typer.echo(
        json.dumps({"analysis": caps.analysis, "es_version": caps.version, "analysis_common": "analysis-common" in caps.modules})
    )


def reindex(
    kind: list[str] = typer.Option(["articles", "alerts"], "--kind", help="articles and/or alerts."),
    delete_old: bool = typer.Option(False, "--delete-old/--keep-old", help="Delete the previous index version."),
) -> None:
    """Build a new index version from the Kafka topic, then swap the aliases atomically."""
    from tradeties.common.indices import Kind
    from tradeties.search.client import client_for

    from .reindex import reindex as run
    from .reindex import summary

    s = get_settings()
    reports = run(s, client_for(s.elasticsearch), [Kind(k) for k in kind], delete_old=delete_old)
    typer.echo(json.dumps(summary(reports), indent=2))


def _date(value: str | None) -> date | datetime | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not an ISO date or datetime: {value!r}") from exc


def _region_ids(refs: list[str]) -> tuple[str, ...]:
    """Each --region value as place ids, saying on stderr which place a shared name was taken for."""
    if not refs:
        return ()
    from tradeties.places.gazetteer import resolve_region

    ids: list[str] = []
    for ref in refs:
        r = resolve_region(ref)
        if (note := r.note()) is not None:
            typer.echo(note, err=True)
        ids += r.ids
    return tuple(dict.fromkeys(ids))


def search(
    query: str = typer.Argument(
        "", help="Full-text query (simple syntax: \"phrase\", -not, a | b, prefix*); empty or '*' matches everything."
    ),
    region: list[str] = typer.Option(
        [],
        "--region",
        help="Place id ('CN-LN', 'gn:4509177') or readable name ('Liaoning', 'Columbus', 'US:Columbus'); repeatable.",
    ),
    country: list[str] = typer.Option([], "--country", help="ISO 3166-1 alpha-2 (repeatable)."),
    sector: list[str] = typer.Option([], "--sector", help="Sector id (repeatable)."),
    event_type: list[str] = typer.Option([], "--event-type", help="Event type id (repeatable)."),
    source: list[str] = typer.Option([], "--source", help="Outlet name (repeatable)."),
    since: str | None = typer.Option(None, "--since", help="Published on or after (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Published on or before (YYYY-MM-DD)."),
    relevant: str = typer.Option("yes", "--relevant", help="yes (default): relevant articles only; no; any."),
    size: int = typer.Option(10, "--size", min=0, max=10_000),
    offset: int = typer.Option(0, "--offset", min=0, max=10_000, help="Skip this many results (paging)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Ranked full-text search with highlighted snippets and facet counts."""
    from tradeties.search.client import reader_client, unreachable_as_error
    from tradeties.search.query import InvalidSearch, SearchParams, format_table, result_json, validate
    from tradeties.search.reader import search as run

    if relevant not in RELEVANT:
        raise typer.BadParameter(f"{relevant!r}: one of yes, no, any", param_hint="--relevant")
    try:
        params = validate(
            SearchParams(
                query=query,
                regions=_region_ids(region),
                countries=tuple(country),
                sectors=tuple(sector),
                event_types=tuple(event_type),
                sources=tuple(source),
                since=_date(since),
                until=_date(until),
                relevant=RELEVANT[relevant],
                size=size,
                offset=offset,
                **(
                    {}
                    if as_json
                    else {
                        "pre_tag": "\x1b[1m" if sys.stdout.isatty() else "«",
                        "post_tag": "\x1b[0m" if sys.stdout.isatty() else "»",
                    }
                ),
            )
        )
    except InvalidSearch as exc:
        raise typer.BadParameter(str(exc)) from exc
    s = get_settings()
    with unreachable_as_error(s.elasticsearch):
        result = run(reader_client(s.elasticsearch), s.elasticsearch.index_prefix, params)
    typer.echo(json.dumps(result_json(result), ensure_ascii=False) if as_json else format_table(result))


RELEVANT = {"yes": True, "no": False, "any": None}


def export(as_json: bool = typer.Option(True, "--json", help="JSON lines (the only format).")) -> None:
    """Every indexed article as one JSON line: url, title, published_at, source and its classification."""
    from tradeties.search.client import reader_client, unreachable_as_error

    from .search import export_rows

    s = get_settings()
    with unreachable_as_error(s.elasticsearch):
        # A whole-index read: the settings' timeout and retries, after the same reachability check.
        for row in export_rows(
            reader_client(s.elasticsearch, timeout_s=s.elasticsearch.request_timeout_s), s.elasticsearch.index_prefix
        ):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def kibana_import(
    url: str = typer.Option(..., "--url", help="Kibana base URL, e.g. http://127.0.0.1:5601."),
    space: str | None = typer.Option(None, "--space", help="Kibana space id (default space if omitted)."),
    api_key: str | None = typer.Option(None, "--api-key", envvar="TRADETIES_KIBANA_API_KEY"),
    user: str | None = typer.Option(None, "--user"),
    password: str | None = typer.Option(None, "--password", envvar="TRADETIES_KIBANA_PASSWORD"),
    file: Path | None = typer.Option(
        None, "--file", help="NDJSON to import (default: generated for the configured index prefix)."
    ),
) -> None:
    """Import the saved objects (data views, searches, Lens, map, dashboard) with overwrite=true."""
    from .kibana import KibanaAuth, import_objects
    from .kibana_objects import saved_objects, to_ndjson

    ndjson = file.read_text("utf-8") if file else to_ndjson(saved_objects(get_settings().elasticsearch.index_prefix))
    body = import_objects(url, ndjson, space=space, auth=KibanaAuth(api_key=api_key, username=user, password=password))
    typer.echo(json.dumps({"success": body.get("success"), "successCount": body.get("successCount")}))


def kibana_ndjson(out: Path | None = typer.Option(None, "--out", help="File to write (stdout if omitted).")) -> None:
    """Print the saved objects NDJSON for the configured index prefix."""
    from .kibana_objects import saved_objects, to_ndjson

    text = to_ndjson(saved_objects(get_settings().elasticsearch.index_prefix))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, "utf-8")
    else:
        sys.stdout.write(text)
