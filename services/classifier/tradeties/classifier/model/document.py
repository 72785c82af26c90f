"""The classifier's input: one article as JSON lines of `tradeties classify` give it, or as a RawArticle."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from tradeties.common.events import RawArticle


class Document(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    title: str
    text: str
    lang: str | None = None
    url: str | None = None
    published: date | datetime | None = None

    @classmethod
    def from_raw(cls, article: RawArticle) -> Document:
        return cls(
            id=article.id,
            title=article.title,
            text=article.text,
            lang=article.language,
            url=article.url,
            published=article.published_at,
        )
