"""The minimum article length counts CJK characters as about a word each."""

from __future__ import annotations

import pytest

from tradeties.common.settings import CrawlerSettings
from tradeties.crawler.extraction import NoArticle, extract, text_length

DEFAULTS = CrawlerSettings()


def _page(lang: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title></head>'
        f"<body><main><article>{body}</article></main></body></html>"
    ).encode()


def _extract(body: bytes):
    return extract(
        body, "http://127.0.0.1/a", "utf-8", min_text_chars=DEFAULTS.min_text_chars, cjk_char_weight=DEFAULTS.cjk_char_weight
    )


def test_cjk_characters_are_weighted():
    assert text_length("abc", 3.0) == 3
    assert text_length("山东省abc", 3.0) == 12
    assert text_length("山东省", 1.0) == 3


def test_short_real_chinese_article_is_accepted_with_defaults():
    # 131 characters, like the shortest Chinese articles in corpus/dev.jsonl.
    paras = [
        "6月11日，山东省副省长率山东省经贸代表团访问英国曼彻斯特，与大曼彻斯特联合管理局签署了智能制造合作备忘录。",
        "根据备忘录，双方将成立工业机器人和精密制造联合工作组，推动两地企业在装备制造领域开展技术合作和投资对接。",
        "代表团由18家机械和医药企业组成。",
    ]
    assert 120 <= sum(map(len, paras)) < DEFAULTS.min_text_chars
    assert "山东省" in _extract(_page("zh", paras)).text


@pytest.mark.parametrize(
    "lang, paras",
    [
        ("en", ["Home", "Business", "Subscribe to our newsletter for the latest regional business news."]),
        ("zh", ["首页", "订阅我们的新闻简报。"]),
        ("en", ["Short stub about a delegation visit, more to follow. " * 3]),
    ],
)
def test_stubs_and_boilerplate_are_still_rejected(lang, paras):
    with pytest.raises(NoArticle):
        _extract(_page(lang, paras))


def test_empty_text_is_rejected_even_without_a_minimum():
    with pytest.raises(NoArticle):
        extract(_page("en", []), "http://127.0.0.1/a", "utf-8", min_text_chars=0)
