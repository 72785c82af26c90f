"""Article records in the seeds.jsonl schema (outlet, url_path, published, title, byline, paragraphs)."""

from __future__ import annotations

import json
from dataclasses import dataclass
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

    @classmethod
    def from_json(cls, data: dict) -> "ArticleRecord":
        path = data["url_path"] if data["url_path"].startswith("/") else "/" + data["url_path"]
        return cls(outlet=data["outlet"], url_path=path, published=data["published"], title=data["title"],
                   byline=data.get("byline") or "", paragraphs=tuple(data["paragraphs"]),
                   lang=data.get("lang") or "en", id=data.get("id", ""))


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
