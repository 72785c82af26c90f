"""What an extraction worker runs for one page: everything CPU-bound in one call (text, metadata,
content hash, SimHash, resemblance sketch), so the page crosses the process boundary once, as
bytes. Workers import this module only (not ``pool``, which holds the pool, pebble and logging):
no event models, no structlog (with rich, 16 MB) in each worker."""

from __future__ import annotations

from dataclasses import dataclass

from tradeties.common.ids import content_hash_for

from .extraction import Extracted, extract
from .fingerprint import body_text, simhash
from .resemblance import sketch


@dataclass(frozen=True)
class Page:
    extracted: Extracted
    content_hash: str
    simhash: int | None
    sketch: bytes | None = None  # ``resemblance.sketch`` of the body


def process_page(body: bytes, url: str, charset: str | None, min_text_chars: int, cjk_char_weight: float = 1.0) -> Page:
    ex = extract(body, url, charset, min_text_chars=min_text_chars, cjk_char_weight=cjk_char_weight)
    text = body_text(ex.text, ex.title)
    return Page(ex, content_hash_for(ex.text), simhash(text), sketch(text))


_WARM_UP = (
    "<html><body><article><p>" + "Delegations from both regions met to discuss trade. " * 20 + "</p></article></body></html>"
).encode()


def warm_up() -> None:
    """Import and initialise the extraction libraries (trafilatura, htmldate)."""
    process_page(_WARM_UP, "http://warm.up/", None, 0)
