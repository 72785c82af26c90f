"""Article ids and content hashes: plain hashlib, so the crawler's extraction workers compute them
without importing the event models (pydantic)."""

from __future__ import annotations

import hashlib


def article_id_for(canonical_url: str) -> str:
    """Stable article id: the first 32 hex digits of SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:32]


def content_hash_for(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
