"""Issue 13's smaller cases outside the crawler: `tradeties classify` on broken input bytes and
webhook URLs in `tradeties settings`."""

from __future__ import annotations

import io
import json

from tradeties.common.settings import ClassifierSettings, Settings


class _Stub:
    """Only the line handling is under test here; the real model is tested in tests/classifier."""

    def classify(self, doc):
        from tradeties.common.events import Classification

        return Classification(relevant=False, relevance=0.0, regions=[], countries=[], cluster_id="c", model_version="stub")


def test_classify_keeps_good_lines_around_an_invalid_utf8_line_and_a_bom():
    from tradeties.classifier.cli_offline import classify_lines

    lines = [
        b'\xef\xbb\xbf{"id": "a", "title": "t", "text": "x"}\n',
        b'{"id": "b", "title": "\xff", "text": "y"}\n',
        b'{"id": "c", "title": "t", "text": "z"}\n',
    ]
    out, err = io.StringIO(), io.StringIO()
    n, bad = classify_lines(lines, out, _Stub(), err)
    assert (n, bad) == (2, 1)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["a", "c"]
    assert err.getvalue().startswith("line 2: invalid input: not UTF-8")


def test_settings_print_webhook_urls_masked():
    secret = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"
    settings = Settings(
        _env_file=None,
        classifier=ClassifierSettings(_env_file=None, slack_webhooks=[secret], webhooks=["https://example.org/hook?token=abc"]),
    )
    shown = json.dumps(settings.masked())
    assert "SECRET" not in shown and "token=abc" not in shown
    assert "https://hooks.slack.com/**********" in shown
