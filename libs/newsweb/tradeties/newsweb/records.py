"""Article records in the seeds.jsonl schema (outlet, url_path, published, title, byline, paragraphs, labels)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ArticleRecord:
    outlet: str
    url_path: str
    published: str  # YYYY-MM-DD
    title: str
    byline: str
    paragraphs: tuple[str, ...]
    lang: str = "en"
    id: str = ""
    #: The corpus labels (relevant, regions, …): what a correct classification of this page says.
    labels: dict = field(default_factory=dict, hash=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> ArticleRecord:
        path = data["url_path"] if data["url_path"].startswith("/") else "/" + data["url_path"]
        return cls(
            outlet=data["outlet"],
            url_path=path,
            published=data["published"],
            title=data["title"],
            byline=data.get("byline") or "",
            paragraphs=tuple(data["paragraphs"]),
            lang=data.get("lang") or "en",
            id=data.get("id", ""),
            labels=data.get("labels") or {},
        )


def load_records(*paths: Path | str) -> list[ArticleRecord]:
    """Records of every existing file, in order; a missing file (e.g. an absent dev corpus) is skipped."""
    out = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(ArticleRecord.from_json(json.loads(line)))
    return out


def corpus_paths(repo_root: Path) -> list[Path]:
    """The shared seeds (``shared/`` beside the clone, or beside a folder of worktrees) and the
    project's own labelled articles (corpus/dev.jsonl)."""
    seeds = next(
        (
            p / "shared" / "corpus" / "seeds.jsonl"
            for p in repo_root.parents
            if (p / "shared" / "corpus" / "seeds.jsonl").exists()
        ),
        repo_root.parent / "shared" / "corpus" / "seeds.jsonl",
    )
    return [seeds, repo_root / "corpus" / "dev.jsonl"]
