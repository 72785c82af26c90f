"""deploy/k8s, rendered offline with kustomize and checked against the Kubernetes JSON Schemas
(kubernetes-validate) for core kinds and structurally for the operators' custom resources (Strimzi,
ECK, KEDA); topics against the registry, autoscaling against partitions, settings against the
settings model."""

from __future__ import annotations

from importlib.metadata import version

import kubernetes_validate
import pytest
from pydantic import ValidationError

from tradeties.common.groups import classifier_internal_topics_prefix, consumer_groups
from tradeties.common.settings import ClassifierSettings, IndexerSettings, Settings
from tradeties.common.topics import REGISTRY, Topic, topic_name

from .helpers import K8S, REPO, image_tag, is_secret_field, load_compose, load_module, render, settings_env_fields

LAYERS = ("base", "overlays/production")
K8S_VERSION = "1.32"
SERVICES = ("crawler", "classifier", "indexer")
#: Custom resources: apiVersion and the spec fields each must have.
CUSTOM = {
    "Kafka": ("kafka.strimzi.io/v1", ("kafka",)),
    "KafkaNodePool": ("kafka.strimzi.io/v1", ("replicas", "roles", "storage")),
    "KafkaTopic": ("kafka.strimzi.io/v1", ("partitions", "replicas")),
    "KafkaUser": ("kafka.strimzi.io/v1", ("authentication",)),
    "Elasticsearch": ("elasticsearch.k8s.elastic.co/v1", ("version", "nodeSets")),
    "Kibana": ("kibana.k8s.elastic.co/v1", ("version", "count", "elasticsearchRef")),
    "ScaledObject": ("keda.sh/v1alpha1", ("scaleTargetRef", "triggers")),
    "TriggerAuthentication": ("keda.sh/v1alpha1", ()),
}
KEDA_SASL = {"PLAIN": "plaintext", "SCRAM-SHA-256": "scram_sha256", "SCRAM-SHA-512": "scram_sha512"}
#: What each scaled worker consumes and which setting names its consumer group.
CONSUMES = {"classifier": Topic.RAW_ARTICLES, "indexer": Topic.CLASSIFIED_ARTICLES}


def layer_settings(data: dict[str, str]) -> Settings:
    """The settings a pod of the layer runs with (its ConfigMap's sections)."""
    return Settings(
        _env_file=None,
        kafka=section_env(data, "TRADETIES_KAFKA_"),
        classifier=ClassifierSettings(_env_file=None, **section_env(data, "TRADETIES_CLASSIFIER_")),
        indexer=IndexerSettings(_env_file=None, **section_env(data, "TRADETIES_INDEXER_")),
    )


def by_kind(docs, kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def one(docs, kind: str) -> dict:
    found = list(by_kind(docs, kind).values())
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def settings_data(docs) -> dict[str, str]:
    return one(docs, "ConfigMap")["data"]


def section_env(data: dict[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix) :].lower(): v for k, v in data.items() if k.startswith(prefix)}


def workloads(docs) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] in ("Deployment", "StatefulSet", "Job")}


def containers(workload: dict) -> list[dict]:
    return workload["spec"]["template"]["spec"]["containers"]


@pytest.fixture(params=LAYERS)
def docs(request) -> tuple[dict, ...]:
    return render(request.param)


def test_core_resources_validate_against_the_kubernetes_schemas(docs):
    for d in docs:
        if d["kind"] in CUSTOM:
            continue
        try:
            kubernetes_validate.validate(d, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{d['kind']}/{d['metadata']['name']}: {exc.message} at {list(exc.path)}")
        except kubernetes_validate.SchemaNotFoundError:
            pytest.fail(f"{d['apiVersion']} {d['kind']} is neither core Kubernetes nor a known custom resource")


def test_custom_resources_are_structurally_sound(docs):
    seen = set()
    for d in docs:
        if d["kind"] not in CUSTOM:
            continue
        api, required = CUSTOM[d["kind"]]
        assert d["apiVersion"] == api, f"{d['kind']}: {d['apiVersion']} (expected {api})"
        assert d["metadata"].get("name") and d["metadata"].get("namespace") == "tradeties"
        missing = [f for f in required if f not in d.get("spec", {})]
        assert not missing, f"{d['kind']}/{d['metadata']['name']} lacks spec.{missing}"
        seen.add(d["kind"])
    assert seen == set(CUSTOM)


def test_generated_topic_files_are_up_to_date():
    topics = load_module(K8S / "topics.py")
    for path, text in topics.expected_files().items():
        assert path.read_text("utf-8") == text, f"{path.relative_to(REPO)} is stale: run .venv/bin/python deploy/k8s/topics.py"


def test_kafka_topics_agree_with_the_registry(docs):
    kafka = Settings(_env_file=None, kafka=section_env(settings_data(docs), "TRADETIES_KAFKA_")).kafka
    cluster = one(docs, "Kafka")["metadata"]["name"]
    topics = {t["spec"]["topicName"]: t for t in by_kind(docs, "KafkaTopic").values()}
    assert set(topics) == {topic_name(t, kafka.topic_prefix) for t in REGISTRY}
    for spec in REGISTRY.values():
        t = topics[topic_name(spec.topic, kafka.topic_prefix)]
        assert t["metadata"]["labels"]["strimzi.io/cluster"] == cluster
        assert t["spec"]["partitions"] == (spec.partitions or kafka.partitions)
        assert t["spec"]["replicas"] == kafka.replication_factor
        assert (t["spec"].get("config", {}).get("cleanup.policy") == "compact") == spec.compacted
        assert t["spec"]["config"]["min.insync.replicas"] <= kafka.replication_factor


def test_kafka_is_kraft_with_node_pools(docs):
    kafka = one(docs, "Kafka")
    assert "zookeeper" not in kafka["spec"]
    pools = by_kind(docs, "KafkaNodePool").values()
    roles = {r for p in pools for r in p["spec"]["roles"]}
    assert {"controller", "broker"} <= roles
    assert all(p["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"] for p in pools)
    brokers = sum(p["spec"]["replicas"] for p in pools if "broker" in p["spec"]["roles"])
    assert int(settings_data(docs)["TRADETIES_KAFKA_REPLICATION_FACTOR"]) <= brokers


def test_settings_configmap_holds_valid_non_secret_settings(docs):
    data = settings_data(docs)
    fields = settings_env_fields()
    for key in data:
        assert key in fields, f"ConfigMap key {key} is read by no settings field"
        assert not is_secret_field(key), f"{key} is a secret: use a Secret and secretKeyRef"
    sections = {
        name: section_env(data, cls.model_config["env_prefix"])
        for name, f in Settings.model_fields.items()
        for cls in [f.annotation]
    }
    try:
        Settings(_env_file=None, **sections)
    except ValidationError as exc:
        pytest.fail(f"the ConfigMap does not validate as settings: {exc}")


def test_secret_settings_come_from_secrets(docs):
    for name, w in workloads(docs).items():
        for c in containers(w):
            for e in c.get("env", []):
                if e["name"] in settings_env_fields() and is_secret_field(e["name"]):
                    assert "secretKeyRef" in e.get("valueFrom", {}), f"{name}: {e['name']} must use secretKeyRef"
                if "PASSWORD" in e["name"]:
                    assert "value" not in e, f"{name}: literal {e['name']}"


def test_referenced_secrets_are_made_by_an_operator_or_documented(docs):
    kafka, es = one(docs, "Kafka")["metadata"]["name"], one(docs, "Elasticsearch")
    es_name = es["metadata"]["name"]
    made = {
        *by_kind(docs, "KafkaUser"),
        f"{kafka}-cluster-ca-cert",
        f"{es_name}-es-http-certs-public",
        f"{es_name}-es-elastic-user",
        *by_kind(docs, "Secret"),
    }
    by_operator = {r["secretName"] for r in es["spec"]["auth"]["fileRealm"]}
    docs_text = (REPO / "docs" / "deploy.md").read_text("utf-8")
    for name in by_operator:
        assert name in docs_text, f"docs/deploy.md must say how to create Secret {name}"
    refs = set()
    for w in workloads(docs).values():
        pod = w["spec"]["template"]["spec"]
        refs |= {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
        refs |= {
            e["valueFrom"]["secretKeyRef"]["name"]
            for c in pod["containers"]
            for e in c.get("env", [])
            if "secretKeyRef" in e.get("valueFrom", {})
        }
    for auth in by_kind(docs, "TriggerAuthentication").values():
        refs |= {r["name"] for r in auth["spec"].get("secretTargetRef", [])}
    documented = {name for name in refs if f"create secret generic {name} " in docs_text}
    assert refs <= made | by_operator | documented, f"unknown Secrets: {refs - made - by_operator - documented}"


def test_services_run_their_commands_with_probes_and_resources(docs):
    ws = workloads(docs)
    for s in SERVICES:
        (c,) = containers(ws[s])
        assert c["args"] == [s]
        assert c["livenessProbe"] and (c.get("readinessProbe") or c.get("startupProbe")), s
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            if "exec" in c.get(probe, {}):
                assert c[probe]["exec"]["command"] == ["python", "/opt/tradeties/healthcheck.py", s]
    data = settings_data(docs)
    web = next(c for c in containers(ws["classifier"]))
    port = next(p for p in web["ports"] if p["name"] == web["livenessProbe"]["httpGet"]["port"])
    assert str(port["containerPort"]) == data["TRADETIES_CLASSIFIER_WEB_PORT"]
    assert data["TRADETIES_CLASSIFIER_WEB_HOST"] == "0.0.0.0", "kubelet probes the pod IP"
    for svc in ("crawler", "indexer"):
        # Prometheus scrapes and kubelet probes the pod IP, not the container's loopback.
        assert data[f"TRADETIES_{svc.upper()}_METRICS_HOST"] == "0.0.0.0", svc
        (c,) = containers(ws[svc])
        metrics = next(p for p in c["ports"] if p["name"] == "metrics")
        assert str(metrics["containerPort"]) == data[f"TRADETIES_{svc.upper()}_METRICS_PORT"], svc
        for probe in ("livenessProbe", "startupProbe"):
            assert c[probe]["httpGet"] == {"path": "/metrics", "port": "metrics"}, (svc, probe)
    for name, w in ws.items():
        for c in containers(w):
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c.get("resources", {}).get(kind, {})), f"{name}: {kind}"


def test_workers_autoscale_on_lag_within_partitions(docs):
    data = settings_data(docs)
    kafka = Settings(_env_file=None, kafka=section_env(data, "TRADETIES_KAFKA_")).kafka
    deployments = by_kind(docs, "Deployment")
    scaled = by_kind(docs, "ScaledObject")
    auths = by_kind(docs, "TriggerAuthentication")
    assert set(scaled) == set(CONSUMES)
    groups = consumer_groups(layer_settings(data))
    for name, topic in CONSUMES.items():
        so = scaled[name]["spec"]
        partitions = REGISTRY[topic].partitions or kafka.partitions
        assert so["scaleTargetRef"]["name"] in deployments
        assert 1 <= so["minReplicaCount"] <= so["maxReplicaCount"] <= partitions, (
            f"{name}: replicas beyond {partitions} partitions would sit idle"
        )
        assert deployments[name]["spec"].get("replicas", 1) <= partitions
        (trigger,) = so["triggers"]
        meta = trigger["metadata"]
        assert trigger["type"] == "kafka"
        assert meta["topic"] == topic_name(topic, kafka.topic_prefix)
        assert meta["consumerGroup"] == groups[name], f"{name}: KEDA must watch the group tradeties.common.groups names"
        assert meta["bootstrapServers"] == kafka.bootstrap
        assert meta.get("allowIdleConsumers", "false") == "false"
        assert int(meta["lagThreshold"]) > 0
        assert trigger["authenticationRef"]["name"] in auths
        if kafka.security_protocol.startswith("SASL"):
            assert meta["sasl"] == KEDA_SASL[kafka.sasl_mechanism]
            assert meta["tls"] == ("enable" if kafka.security_protocol.endswith("SSL") else "disable")


def test_disruption_budgets_cover_the_scaled_workers_without_blocking_drains(docs):
    pdbs = by_kind(docs, "PodDisruptionBudget")
    for name in CONSUMES:
        labels = workloads(docs)[name]["spec"]["template"]["metadata"]["labels"]
        matching = [p for p in pdbs.values() if p["spec"]["selector"]["matchLabels"].items() <= labels.items()]
        assert len(matching) == 1, f"{name}: one PodDisruptionBudget expected"
        assert matching[0]["spec"].get("maxUnavailable", 0) >= 1


def test_images_are_pinned(docs):
    for name, w in workloads(docs).items():
        for c in containers(w):
            tag = image_tag(c["image"])
            assert tag and tag != "latest", f"{name}: {c['image']}"


def test_stack_versions_agree_with_compose_and_the_client(docs):
    compose = load_compose()["services"]
    es, kibana = one(docs, "Elasticsearch")["spec"]["version"], one(docs, "Kibana")["spec"]["version"]
    assert es == kibana == image_tag(compose["elasticsearch"]["image"])
    assert es.split(".")[:2] == version("elasticsearch").split(".")[:2]
    kafka = one(docs, "Kafka")["spec"]["kafka"]["version"]
    assert kafka == image_tag(compose["kafka"]["image"]) and kafka.startswith("4.")


def test_network_policy_admits_the_service_ports(docs):
    policies = by_kind(docs, "NetworkPolicy")
    policy = policies["tradeties-services"]
    allowed = {p["port"] for rule in policy["spec"]["ingress"] for p in rule["ports"]}
    (expr,) = policy["spec"]["podSelector"]["matchExpressions"]
    for name in SERVICES:
        labels = workloads(docs)[name]["spec"]["template"]["metadata"]["labels"]
        assert labels[expr["key"]] in expr["values"], f"{name} is not selected by the NetworkPolicy"
        for c in containers(workloads(docs)[name]):
            assert {p["containerPort"] for p in c.get("ports", [])} <= allowed, name


def _granted(acls: list[dict], kind: str, name: str, operation: str) -> bool:
    for acl in acls:
        res = acl["resource"]
        ops = set(acl.get("operations", [])) | ({acl["operation"]} if "operation" in acl else set())
        match = name == res["name"] if res.get("patternType", "literal") == "literal" else name.startswith(res["name"])
        if res["type"] == kind and match and (operation in ops or "All" in ops):
            return True
    return False


def test_kafka_user_grants_the_groups_and_internal_topics_the_services_use(docs):
    settings = layer_settings(settings_data(docs))
    acls = one(docs, "KafkaUser")["spec"]["authorization"]["acls"]
    for name, group in consumer_groups(settings).items():
        assert _granted(acls, "group", group, "Read"), f"{name}'s group {group} is not granted"
    internal = classifier_internal_topics_prefix(settings) + "app-table-changelog"
    for op in ("Create", "Write", "Read"):
        assert _granted(acls, "topic", internal, op), f"faust's topic {internal}: {op} not granted"
    for spec in REGISTRY.values():  # each is produced by a service (dlq.crawler by the crawler) and read
        for op in ("Read", "Write"):
            assert _granted(acls, "topic", topic_name(spec.topic, settings.kafka.topic_prefix), op), (spec.topic, op)


def test_api_and_deliverer_run_with_probes_and_are_reachable_where_meant(docs):
    ws = workloads(docs)
    data = settings_data(docs)
    (api,) = containers(ws["api"])
    assert api["args"] == ["api"] and data["TRADETIES_API_HOST"] == "0.0.0.0", "kubelet probes the pod IP"
    assert {p["containerPort"] for p in api["ports"]} == {int(data["TRADETIES_API_PORT"])}
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz" and api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    (deliver,) = containers(ws["deliver"])
    assert deliver["args"] == ["api", "deliver"] and ws["deliver"]["spec"]["replicas"] == 1
    assert ws["deliver"]["spec"]["strategy"]["type"] == "Recreate", "a rollout never runs two deliverers"
    assert str(deliver["ports"][0]["containerPort"]) == data["TRADETIES_API_DELIVER_METRICS_PORT"]
    policy = by_kind(docs, "NetworkPolicy")["tradeties-api"]
    assert policy["spec"]["podSelector"]["matchLabels"] == {"app.kubernetes.io/component": "api"}
    assert [p["port"] for rule in policy["spec"]["ingress"] for p in rule["ports"]] == [8080]
