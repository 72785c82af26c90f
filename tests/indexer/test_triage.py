import pytest

from tradeties.indexer.triage import Verdict, error_reason, verdict


@pytest.mark.parametrize(
    "item,expected",
    [
        ({"status": 201}, Verdict.OK),
        ({"status": 200}, Verdict.OK),
        ({"status": 409, "error": {"type": "version_conflict_engine_exception"}}, Verdict.CONFLICT),
        ({"status": 400, "error": {"type": "document_parsing_exception"}}, Verdict.MALFORMED),
        ({"status": 400, "error": {"type": "mapper_parsing_exception"}}, Verdict.MALFORMED),
        ({"status": 400, "error": {"type": "strict_dynamic_mapping_exception"}}, Verdict.MALFORMED),
        ({"status": 400, "error": {"type": "illegal_argument_exception"}}, Verdict.MALFORMED),
        ({"status": 429, "error": {"type": "es_rejected_execution_exception"}}, Verdict.BACKPRESSURE),
        ({"status": 429, "error": "whole request rejected"}, Verdict.BACKPRESSURE),
        ({"status": 503, "error": {"type": "unavailable_shards_exception"}}, Verdict.BACKPRESSURE),
        ({"status": 429, "error": {"type": "circuit_breaking_exception"}}, Verdict.BACKPRESSURE),
        ({"status": 404, "error": {"type": "index_not_found_exception"}}, Verdict.RETRY),
        ({"status": 500, "error": {"type": "null_pointer_exception"}}, Verdict.RETRY),
    ],
)
def test_verdicts(item, expected):
    assert verdict(item) is expected


def test_reason_includes_the_cause():
    item = {
        "status": 400,
        "error": {
            "type": "document_parsing_exception",
            "reason": "failed to parse field [x]",
            "caused_by": {"type": "illegal_argument_exception", "reason": "bad lat"},
        },
    }
    assert error_reason(item) == "failed to parse field [x] (caused by illegal_argument_exception: bad lat)"
