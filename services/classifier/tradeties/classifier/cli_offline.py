"""`tradeties classify` (the offline contract of issue 4) and `tradeties classifier evaluate`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from .model.classifier import Classifier
from .model.document import Document


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
        data: Annotated[
            list[Path] | None,
            typer.Option(
                "--data", help="Score the shipped model on these labelled files instead (in-sample if it trained on them)."
            ),
        ] = None,
        split: Annotated[str, typer.Option(help="With --data: all | tune | heldout (every fourth dev article).")] = "all",
        folds: Annotated[int, typer.Option(help="Outer folds of the grouped cross-validation.")] = 10,
        out: Annotated[Path, typer.Option(help="JSON report of the cross-validation.")] = Path(
            "bench-results/classifier-evaluation.json"
        ),
        json_out: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
        predictions: Annotated[
            Path | None, typer.Option(help="Also write each labelled article's gold and out-of-fold verdict (JSON lines).")
        ] = None,
    ) -> None:
        """Grouped cross-validation (a batch never in its own training fold), real negatives judged
        without their publisher, and the 181 real benchmark pages as a test set."""
        if data:
            from .training.evaluate import TARGETS, run

            figures = run(data, split)
            if json_out:
                typer.echo(json.dumps(figures, indent=2))
                return
            typer.echo(f"data: {', '.join(str(p) for p in data)} (split {split}; shipped model)")
            for k, v in figures.items():
                target = TARGETS.get(k)
                mark = "" if target is None else ("  ok" if v >= target else f"  BELOW target {target:.2f}")
                typer.echo(f"{k:32s} {v:8.3f}{mark}" if isinstance(v, float) else f"{k:32s} {v:8d}")
            return
        from .training.train import Sources
        from .training.validate import report, table

        rep = report(Sources.default(Path.cwd()), folds, predictions)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(rep, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        typer.echo(json.dumps(rep, indent=2) if json_out else table(rep) + f"\nreport: {out}")

    @classifier_app.command("candidates")
    def candidates(
        data: Annotated[
            list[Path] | None, typer.Option("--data", help="Labelled files (default: the training corpus and seeds).")
        ] = None,
    ) -> None:
        """Gold regions that are never a candidate place, classed by why (the places library's share of the misses)."""
        from .training.candidates import report
        from .training.train import Sources

        typer.echo(report(data or Sources.default(Path.cwd()).batches))

    @classifier_app.command("train")
    def train(
        out: Annotated[Path | None, typer.Option(help="Artifact to write (default: the shipped data/model.json).")] = None,
    ) -> None:
        """Train the decisions from corpus/ and ../shared (seeded, reproducible) and write the artifact."""
        from importlib.resources import files

        from .model.learned import model_version
        from .training.train import Sources, write_artifact

        target = out or Path(str(files("tradeties.classifier.model") / "data" / "model.json"))
        artifact = write_artifact(Sources.default(Path.cwd()), target)
        thresholds = ", ".join(f"{k} {v['threshold']}" for k, v in artifact["models"].items())
        typer.echo(
            f"{model_version(artifact)} -> {target} ({sum(artifact['training_files'].values())} articles; "
            f"thresholds {thresholds})"
        )
