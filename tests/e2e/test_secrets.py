"""Secrets (Elasticsearch API key / basic auth, Kafka SASL) are configurable, reach the clients,
and never appear in logs or in `tradeties settings`."""

from __future__ import annotations

import os
import subprocess

import pytest

from tradeties.common.kafka import client_config
from tradeties.common.settings import Settings
from tradeties.pipeline.envmap import settings_env
from tradeties.pipeline.es import client_for
from tradeties.pipeline.runner import prepare
from tradeties.pipeline.supervisor import tradeties_argv

from .harness import tune

SECRETS = {
    "TRADETIES_ES_API_KEY": "es-api-key-5ecret-a1",
    "TRADETIES_ES_PASSWORD": "es-password-5ecret-b2",
    "TRADETIES_KAFKA_SASL_PASSWORD": "sasl-password-5ecret-c3",
}


def _run(args, env, timeout=120):
    return subprocess.run(tradeties_argv(*args), env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout)


def test_secrets_are_configurable(monkeypatch):
    for k, v in SECRETS.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("TRADETIES_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("TRADETIES_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("TRADETIES_KAFKA_SASL_USERNAME", "svc")
    monkeypatch.setenv("TRADETIES_KAFKA_SSL_CAFILE", "/etc/ssl/ca.pem")
    monkeypatch.setenv("TRADETIES_ES_URL", "https://127.0.0.1:9243")
    monkeypatch.setenv("TRADETIES_ES_CA_CERTS", "/etc/ssl/ca.pem")
    s = Settings()
    cfg = client_config(s.kafka)
    assert cfg["security_protocol"] == "SASL_SSL" and cfg["sasl_mechanism"] == "SCRAM-SHA-512"
    assert cfg["sasl_plain_password"] == SECRETS["TRADETIES_KAFKA_SASL_PASSWORD"] and cfg["ssl_cafile"] == "/etc/ssl/ca.pem"
    es = client_for(s.elasticsearch)
    assert es._headers["authorization"] == f"ApiKey {SECRETS['TRADETIES_ES_API_KEY']}"
    monkeypatch.delenv("TRADETIES_ES_API_KEY")
    monkeypatch.setenv("TRADETIES_ES_USERNAME", "elastic")
    assert client_for(Settings().elasticsearch)._headers["authorization"].startswith("Basic ")


def test_settings_output_masks_secrets():
    done = _run(["settings"], SECRETS)
    assert done.returncode == 0, done.stderr
    for secret in SECRETS.values():
        assert secret not in done.stdout + done.stderr
    assert "**********" in done.stdout


@pytest.mark.integration
def test_a_running_service_never_logs_its_secrets(settings, tmp_path):
    tune(settings, tmp_path)
    prepare(settings)
    # Secrets set but not required by the local (PLAINTEXT, no-security) infra: the service runs
    # with them loaded, at DEBUG level, and must not print them.
    env = {**settings_env(settings), **SECRETS, "TRADETIES_LOG_LEVEL": "DEBUG", "TRADETIES_ES_USERNAME": "elastic"}
    env.pop("TRADETIES_ES_API_KEY")  # basic auth this time; the API key variant is covered by `settings`
    done = _run(["indexer", "--until-idle", "3"], env, timeout=180)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert output.strip(), "the service logged something"
    for secret in SECRETS.values():
        assert secret not in output
