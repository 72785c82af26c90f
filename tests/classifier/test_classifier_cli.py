"""The offline contract: `tradeties classify` and `tradeties classifier evaluate`."""

from __future__ import annotations

import io
import json

from typer.testing import CliRunner

from tradeties.classifier.cli_offline import classify_lines
from tradeties.cli.main import build

FIELDS = {
    "id",
    "relevant",
    "relevance",
    "regions",
    "countries",
    "sectors",
    "event_types",
    "primary_event_type",
    "delegation",
    "language",
    "cluster_id",
    "model_version",
}
REGION_FIELDS = {
    "id",
    "name",
    "country",
    "iso3166_2",
    "geonames_id",
    "admin_level",
    "lat",
    "lon",
    "parent_id",
    "parents",
    "role",
    "confidence",
    "evidence",
}

APP = build()


def test_classify_writes_one_line_per_input_in_the_issue_shape(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(d)
            for d in [
                {
                    "id": "a",
                    "title": "Liaoning delegation visits Birmingham",
                    "text": "A delegation from Liaoning province visited Birmingham to sign a cooperation agreement.",
                    "published": "2019-05-23",
                    "url": "https://example.org/a",
                },
                {"id": "b", "title": "Weather", "text": "It rained in the afternoon.", "lang": "en"},
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(APP, ["classify", str(src)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert all(set(r) == FIELDS for r in rows)
    a = rows[0]
    assert a["relevant"] and a["delegation"]["origin"]["id"] == "CN-LN"
    assert set(a["regions"][0]) == REGION_FIELDS
    # every place it recognises, each with its GeoNames id and coordinates
    brum = next(r for r in a["regions"] if r["name"] == "Birmingham")
    assert brum["id"] == "gn:2655603" and brum["geonames_id"] == 2655603 and brum["lat"] and brum["parents"]
    assert all(set(lab) == {"id", "confidence", "evidence"} for lab in a["sectors"] + a["event_types"])
    assert rows[1]["relevant"] is False and rows[1]["delegation"] is None


def test_classify_reads_stdin_and_reports_bad_lines():
    out, err = io.StringIO(), io.StringIO()
    n, bad = classify_lines(['{"id": "x", "title": "no text"}\n', '{"id": "y", "title": "t", "text": "x"}\n'], out, err=err)
    assert (n, bad) == (1, 1)
    assert "line 1" in err.getvalue()
    result = CliRunner().invoke(APP, ["classify", "-"], input='{"id":"z","title":"t","text":"Hello."}\n')
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "z"


def test_evaluate_prints_the_figures(dev_path, seeds_path):
    result = CliRunner().invoke(APP, ["classifier", "evaluate", "--data", str(seeds_path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["articles"] == 5 and 0.0 <= figures["regions_micro_f1"] <= 1.0
