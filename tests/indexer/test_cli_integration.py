"""The `tradeties` commands of the indexer package, run as a user would (subprocesses, real infra)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tradeties.common.topics import Topic

from .factories import article
from .helpers import env_for, prepare, produce

pytestmark = pytest.mark.integration

TRADETIES = str(Path(sys.executable).parent / "tradeties")


def tt(settings, *args: str) -> str:
    done = subprocess.run([TRADETIES, *args], env=env_for(settings), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_apply_templates_index_search_export_reindex_from_the_command_line(settings):
    prepare(settings)
    caps = json.loads(tt(settings, "indexer", "apply-templates"))
    assert caps["analysis"] in ("english", "standard") and caps["es_version"].startswith("8.")
    events = [article(i) for i in range(3)] + [
        article(
            5,
            title="Hubei signs agreement with Liverpool City Region",
            event_types=("agreement",),
            source="Liverpool Echo",
            text="Hubei and the Liverpool City Region signed an agreement on ports.",
        )
    ]
    produce(settings, Topic.CLASSIFIED_ARTICLES, events)
    stats = json.loads(tt(settings, "indexer", "--until-idle", "2").strip().splitlines()[-1])
    assert stats["stored"] == 4

    table = tt(settings, "search", "ports agreement", "--source", "Liverpool Echo")
    assert table.splitlines()[0] == "1 match(es)"
    assert "Hubei signs agreement with Liverpool City Region" in table
    assert "«ports»" in table  # highlighted snippet
    assert "source: Liverpool Echo (1)" in table

    result = json.loads(tt(settings, "search", "delegation", "--event-type", "delegation_visit", "--json"))
    assert result["total"] == 3
    assert {f["key"]: f["count"] for f in result["facets"]["region"]} == {"CN-LN": 3, "gn:2655603": 3}
    # --region takes an id, a readable name or an old "CC:Name" id alike
    for ref in ("CN-LN", "Liaoning", "CN:Liaoning", "Birmingham, England"):
        assert json.loads(tt(settings, "search", "", "--region", ref, "--json", "--size", "0"))["total"] == 4, ref
    assert all("<em>" in " ".join(h["snippets"]) for h in result["hits"])

    rows = [json.loads(line) for line in tt(settings, "export").splitlines()]
    assert sorted(r["id"] for r in rows) == sorted(e.article.id for e in events)
    assert all({"url", "title", "published_at", "source", "relevant", "regions", "model_version"} <= set(r) for r in rows)

    [articles, alerts] = json.loads(tt(settings, "indexer", "reindex"))
    assert articles["new_index"].endswith("-articles-v2") and articles["copied"] == 4
    assert alerts["new_index"].endswith("-alerts-v2") and alerts["copied"] == 0
    assert json.loads(tt(settings, "search", "", "--json", "--size", "0"))["total"] == 4
