"""Small hand-made texts for the classifier-core tests: a Document builder and the principal region ids."""

from __future__ import annotations

from datetime import date

from tradeties.classifier.model.document import Document


def doc(title: str, text: str, lang: str | None = None, published: date | None = None, id: str = "t") -> Document:
    return Document(id=id, title=title, text=text, lang=lang, published=published)


def label(tag) -> str:
    """A RegionTag as the labelled corpus writes regions ("CN:Liaoning"): country and readable name."""
    return f"{tag.country}:{tag.name}"


def ids(result, principal_only: bool = True) -> set[str]:
    """The regions' labels (country:name; ids are GeoNames-based and unreadable in a test)."""
    return {label(t) for t in result.regions if not principal_only or t.role != "mention"}
