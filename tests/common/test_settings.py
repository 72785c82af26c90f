import json

from tradeties.common.settings import Settings


def test_environment_overrides_addresses(monkeypatch):
    monkeypatch.setenv("TRADETIES_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    monkeypatch.setenv("TRADETIES_ES_URL", "http://127.0.0.1:19200")
    s = Settings()
    assert s.kafka.bootstrap == "127.0.0.1:19092"
    assert s.elasticsearch.url == "http://127.0.0.1:19200"


def test_addresses_default_to_local_infra_ports(monkeypatch):
    monkeypatch.delenv("TRADETIES_KAFKA_BOOTSTRAP", raising=False)
    monkeypatch.delenv("TRADETIES_ES_URL", raising=False)
    monkeypatch.setenv("TRADETIES_INFRA_KAFKA_PORT", "29092")
    monkeypatch.setenv("TRADETIES_INFRA_ES_PORT", "29200")
    s = Settings()
    assert s.kafka.bootstrap == "127.0.0.1:29092"
    assert s.elasticsearch.url == "http://127.0.0.1:29200"


def test_secrets_are_masked_in_dump(monkeypatch):
    monkeypatch.setenv("TRADETIES_ES_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("TRADETIES_KAFKA_SASL_PASSWORD", "sasl-secret")
    s = Settings()
    dumped = json.dumps(s.masked())
    assert "hunter2-secret" not in dumped and "sasl-secret" not in dumped
    assert s.elasticsearch.password.get_secret_value() == "hunter2-secret"
    assert "hunter2-secret" not in repr(s)
