"""deploy/docker-compose.yml, checked without a Docker engine: structure, health checks, pinned
images, versions that agree with the Python client, and settings names that exist."""

from __future__ import annotations

import json
from importlib.metadata import distribution, version
from urllib.parse import urlparse

import jsonschema
import pytest

from .helpers import COMPOSE, image_tag, load_compose, valid_env_names

SERVICES = ("crawler", "classifier", "indexer")
LONG_RUNNING_RESTARTS = {"always", "unless-stopped", "on-failure"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def one_shots(services: dict) -> set[str]:
    """Services some other service waits on with service_completed_successfully."""
    return {
        dep
        for svc in services.values()
        for dep, cond in (svc.get("depends_on") or {}).items()
        if cond.get("condition") == "service_completed_successfully"
    }


def env(service: dict) -> dict[str, str]:
    return {k: str(v) for k, v in (service.get("environment") or {}).items()}


def test_matches_the_compose_specification(compose):
    # The Compose Specification's JSON Schema as vendored by check-jsonschema (offline). Read as a
    # data file: importing check_jsonschema would load its CLI, which wants a newer click than faust.
    schema = json.loads(
        distribution("check-jsonschema")
        .locate_file("check_jsonschema/builtin_schemas/vendor/compose-spec.json")
        .read_text("utf-8")
    )
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert not errors, "\n".join(errors)


def test_has_the_stack(services):
    assert {"kafka", "elasticsearch", "kibana", "init", *SERVICES} <= set(services)


def test_every_service_has_a_health_check_or_is_a_justified_one_shot(services):
    waited_on = one_shots(services)
    for name, svc in services.items():
        check = svc.get("healthcheck") or {}
        if check.get("disable"):
            # A one-shot job has no steady state to check: it must not restart, and some service
            # must gate on its successful completion instead.
            assert svc.get("restart") == "no", f"{name}: health check disabled but restart={svc.get('restart')!r}"
            assert name in waited_on, f"{name}: one-shot that nothing waits for with service_completed_successfully"
        else:
            assert check.get("test"), f"{name}: no healthcheck"
            assert check.get("interval") and check.get("retries"), f"{name}: healthcheck without interval/retries"


def test_restart_policies(services):
    for name, svc in services.items():
        expected = {"no"} if name in one_shots(services) else LONG_RUNNING_RESTARTS
        assert svc.get("restart") in expected, f"{name}: restart={svc.get('restart')!r}"


def test_depends_on_uses_conditions_that_can_be_met(services):
    for name, svc in services.items():
        deps = svc.get("depends_on") or {}
        assert isinstance(deps, dict), f"{name}: depends_on must use the long form with conditions"
        for dep, cond in deps.items():
            assert dep in services, f"{name} depends on unknown {dep}"
            condition = cond.get("condition")
            if condition == "service_healthy":
                assert not (services[dep].get("healthcheck") or {}).get("disable"), f"{dep} has no health check"
            else:
                assert condition == "service_completed_successfully", f"{name} → {dep}: {condition!r}"
    for svc in SERVICES:
        assert services[svc]["depends_on"]["init"]["condition"] == "service_completed_successfully"


def test_every_image_is_pinned(services):
    for name, svc in services.items():
        tag = image_tag(svc["image"])
        assert tag and tag != "latest", f"{name}: image {svc['image']!r} is not pinned"


def _version(services, name: str) -> str:
    return image_tag(services[name]["image"])


def test_elastic_versions_agree_with_the_python_client(services):
    es, kibana = _version(services, "elasticsearch"), _version(services, "kibana")
    assert services["elasticsearch"]["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:")
    assert services["kibana"]["image"].startswith("docker.elastic.co/kibana/kibana:")
    assert es == kibana, "Elasticsearch and Kibana must run the same version"
    client = version("elasticsearch").split(".")[:2]
    assert es.split(".")[:2] == client, f"server {es} vs Python client {'.'.join(client)}"


def test_kafka_is_the_official_4x_image_in_kraft_mode(services):
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:") and _version(services, "kafka").split(".")[0] == "4"
    e = env(kafka)
    assert set(e["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "ZOOKEEPER" not in " ".join(e)
    cluster_id = e["CLUSTER_ID"].split(":-")[-1].rstrip("}")
    assert len(cluster_id) == 22, "KRaft cluster ids are 16 bytes in URL-safe base64 (22 characters)"


def test_services_share_one_image_built_from_the_dockerfile(services):
    images = {services[s]["image"] for s in (*SERVICES, "init")}
    assert len(images) == 1
    for s in (*SERVICES, "init"):
        build = services[s]["build"]
        assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == (COMPOSE.parent / "Dockerfile")


def test_service_commands(services):
    for s in SERVICES:
        assert services[s]["command"] == [s]
    init = " ".join(services["init"]["command"])
    for step in (
        "tradeties topics create",
        "tradeties indexer apply-templates",
        "tradeties kibana import --url http://kibana:5601",
    ):
        assert step in init


def test_environment_names_are_settings_fields(services):
    valid = valid_env_names()
    for name, svc in services.items():
        for key in env(svc):
            if key.startswith("TRADETIES_"):
                assert key in valid, f"{name}: {key} is read by no settings field or CLI option"


def test_addresses_point_at_the_stack(services):
    for s in (*SERVICES, "init"):
        e = env(services[s])
        host, port = e["TRADETIES_KAFKA_BOOTSTRAP"].split(":")
        assert host == "kafka" and f"://:{port}" in env(services["kafka"])["KAFKA_LISTENERS"]
        assert urlparse(e["TRADETIES_ES_URL"]).hostname == "elasticsearch"


def test_health_checks_probe_the_port_the_service_serves(services):
    # healthcheck.py reads these settings; unset, the crawler and indexer serve no metrics at all.
    for s in ("crawler", "indexer"):
        assert f"TRADETIES_{s.upper()}_METRICS_PORT" in env(services[s])
        # Scrapeable from other containers of the stack; healthcheck.py then probes 127.0.0.1.
        assert env(services[s])[f"TRADETIES_{s.upper()}_METRICS_HOST"] == "0.0.0.0"
    for s in SERVICES:
        assert services[s]["healthcheck"]["test"] == ["CMD", "python", "/opt/tradeties/healthcheck.py", s]


def test_state_lives_on_volumes(compose, services):
    declared = set(compose["volumes"])
    for name, svc in services.items():
        for vol in svc.get("volumes") or []:
            if isinstance(vol, str) and not vol.startswith((".", "/", "$")):
                assert vol.split(":")[0] in declared, f"{name}: undeclared volume {vol}"
    crawler = services["crawler"]
    state_dir = env(crawler)["TRADETIES_CRAWLER_STATE_PATH"].rsplit("/", 1)[0]
    assert any(isinstance(v, str) and v.endswith(":" + state_dir) for v in crawler["volumes"])
    classifier = services["classifier"]
    assert any(
        isinstance(v, str) and v.endswith(":" + env(classifier)["TRADETIES_CLASSIFIER_DATA_DIR"]) for v in classifier["volumes"]
    )


def test_secrets_are_never_literal(services):
    for name, svc in services.items():
        for key, value in env(svc).items():
            if "PASSWORD" in key or "API_KEY" in key:
                assert value.startswith("${") and ":?" in value, f"{name}: {key} must come from deploy/.env"
