from pydantic import SecretStr

from tradeties.common.settings import Settings
from tradeties.pipeline.envmap import settings_env


def test_settings_survive_the_trip_through_the_environment(monkeypatch, tmp_path):
    s = Settings()
    s.kafka.bootstrap, s.kafka.topic_prefix = "127.0.0.1:1234", "t-abc"
    s.elasticsearch.url, s.elasticsearch.index_prefix = "http://127.0.0.1:4321", "i-abc"
    s.elasticsearch.api_key = SecretStr("k3y")
    s.classifier.webhooks = ["http://127.0.0.1:1/hook"]
    s.crawler.state_path = tmp_path / "state.sqlite3"
    env = settings_env(s)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    back = Settings()
    assert back.kafka.bootstrap == "127.0.0.1:1234" and back.kafka.topic_prefix == "t-abc"
    assert back.elasticsearch.url == "http://127.0.0.1:4321" and back.elasticsearch.index_prefix == "i-abc"
    assert back.elasticsearch.api_key.get_secret_value() == "k3y"
    assert back.classifier.webhooks == ["http://127.0.0.1:1/hook"]
    assert back.crawler.state_path == tmp_path / "state.sqlite3"
