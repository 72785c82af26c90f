"""`tradeties classify` (the offline contract of issue 4) and `tradeties classifier evaluate`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from .document import Document
from .model import Classifier


def classify_lines(lines, out, classifier: Classifier | None = None, err=sys.stderr) -> tuple[int, int]:
    """One JSON line out per valid JSON line in: {"id", **Classification}. An invalid line (not
    UTF-8, not JSON, not a Document) is reported on ``err`` (with its line number) and skipped; a
    UTF-8 byte-order mark before the first line is ignored. ``lines`` are bytes (a file opened
    "rb": one bad byte costs its line only) or text. Returns (classified, rejected)."""
    clf = classifier or Classifier()
    n = bad = 0
    for lineno, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad += 1
                err.write(f"line {lineno}: invalid input: not UTF-8 ({exc.reason} at byte {exc.start})\n")
                continue
        if lineno == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            doc = Document.model_validate_json(line)
        except ValidationError as exc:
            bad += 1
            err.write(f"line {lineno}: invalid input: {exc.errors()[0]['msg']}\n")
            continue
        result = clf.classify(doc)
        out.write(json.dumps({"id": doc.id, **result.model_dump(mode="json")}, ensure_ascii=False) + "\n")
        n += 1
    out.flush()
    return n, bad


def _default_data() -> list[Path]:
    root = Path.cwd()
    cands = [root / "corpus" / "dev.jsonl", root.parent / "shared" / "corpus" / "seeds.jsonl"]
    return [p for p in cands if p.exists()]


def register_offline(app: typer.Typer, classifier_app: typer.Typer) -> None:
    @app.command("classify")
    def classify(
        file: Annotated[str, typer.Argument(help="JSON lines {id,title,text,lang?,url?,published?}; '-' = stdin.")] = "-",
    ) -> None:
        """Classify articles offline: one JSON line of Classification per input line."""
        if file == "-":
            _, bad = classify_lines(sys.stdin.buffer, sys.stdout)
        else:
            with open(file, "rb") as f:
                _, bad = classify_lines(f, sys.stdout)
        if bad:
            raise typer.Exit(1)

    @classifier_app.command("evaluate")
    def evaluate(
        data: Annotated[list[Path] | None, typer.Option("--data", help="Labelled JSON lines (seeds schema); repeatable.")] = None,
        split: Annotated[str, typer.Option(help="all | tune | heldout (every fourth dev article).")] = "all",
        json_out: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    ) -> None:
        """Relevance/regions/event types/sectors/delegation/cluster figures against labels."""
        from .evaluation import TARGETS, run

        paths = data or _default_data()
        if not paths:
            raise typer.BadParameter("no data: pass --data corpus/dev.jsonl")
        figures = run(paths, split)
        if json_out:
            typer.echo(json.dumps(figures, indent=2))
            return
        typer.echo(f"data: {', '.join(str(p) for p in paths)} (split {split})")
        for k, v in figures.items():
            target = TARGETS.get(k)
            mark = "" if target is None else ("  ok" if v >= target else f"  BELOW target {target:.2f}")
            typer.echo(f"{k:28s} {v:8.3f}{mark}" if isinstance(v, float) else f"{k:28s} {v:8d}")
