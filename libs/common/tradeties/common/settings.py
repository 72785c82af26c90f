"""The one settings model of tradeties (pydantic-settings).

Each section reads its own environment prefix, so ``TRADETIES_KAFKA_BOOTSTRAP`` sets
``settings.kafka.bootstrap`` and ``TRADETIES_ES_URL`` sets ``settings.elasticsearch.url``.
Values may also come from a ``.env`` file in the working directory. Secrets are ``SecretStr``:
``tradeties settings`` prints them masked and they never reach a log line.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _section(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=".env", extra="ignore")


class RetrySettings(BaseSettings):
    """Bounded exponential backoff with full jitter, shared by every retrying client."""

    model_config = _section("TRADETIES_RETRY_")

    attempts: int = Field(6, ge=1, description="Tries in all, the first one included.")
    initial_s: float = Field(0.2, gt=0, description="First backoff delay, seconds.")
    max_s: float = Field(30.0, gt=0, description="Longest backoff delay, seconds.")
    multiplier: float = Field(2.0, ge=1.0)


class InfraSettings(BaseSettings):
    """Where `tradeties infra up` runs the local Kafka broker and Elasticsearch node."""

    model_config = _section("TRADETIES_INFRA_")

    home: Path = Field(Path(".tradeties"), description="Project-local data, logs and pid files.")
    host: str = Field("127.0.0.1", description="Loopback address the local services bind to.")
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    es_port: int = 9200
    es_transport_port: int = 9300
    kafka_version: str = "4.3.1"
    es_version: str = "8.19.21"
    kafka_heap: str = "512m"
    es_heap: str = "1g"
    maven_repo: Path = Field(Path.home() / ".m2" / "repository", description="Maven cache for the artifacts.")
    classpath_dir: Path = Field(
        Path(".tradeties/classpath"), description="Resolved class paths (written by `tradeties infra fetch`)."
    )
    jvm_options: list[str] = Field([], description="Extra JVM flags for both local services (JSON list in env).")
    es_english_analysis: bool = Field(
        False, description="Give the local node English analysis (analyzer `english`, `stemmer`, ...; es-node README)."
    )
    start_timeout_s: float = Field(180.0, description="How long `infra up` waits for health.")


class KafkaSettings(BaseSettings):
    model_config = _section("TRADETIES_KAFKA_")

    bootstrap: str = Field("", description="host:port list; empty → the local broker of `tradeties infra`.")
    topic_prefix: str = Field("tradeties", description="Every topic name starts with this and a dot.")
    partitions: int = Field(6, ge=1, description="Partitions of the data topics (scale-out unit).")
    replication_factor: int = Field(1, ge=1)
    client_id: str = "tradeties"
    linger_ms: int = Field(
        50, ge=0, description="Producers wait up to this long to batch records (fewer produce requests; this much latency)."
    )
    linger_busy_ms: int = Field(
        200,
        ge=0,
        description="The crawler's producer lingers this long instead of linger_ms while articles flow (the one "
        "before the previous sent within this long): fewer, fuller produce requests at a steady rate, at most "
        "this much added latency then; a lone article or a pair found together waits only linger_ms. At most "
        "linger_ms turns it off.",
    )
    compression: Literal["none", "gzip"] = Field(
        "none", description="Producers' compression: gzip costs CPU at both ends for bandwidth a nearby broker doesn't need."
    )
    fetch_min_bytes: int = Field(
        1,
        ge=1,
        description="The services' consumers ask the broker to answer a fetch once this much is waiting, or after "
        "fetch_max_wait_ms; 1 answers at once. More saves CPU at high rates but makes a slow consumer poll "
        "(measured: docs/scaling.md).",
    )
    fetch_max_wait_ms: int = Field(
        500,
        ge=0,
        description="... the longest a fetch waits for fetch_min_bytes (the broker answers with what it has); "
        "with fetch_min_bytes > 1 it is also the latency each consuming stage adds at a low rate.",
    )
    fetch_busy_min_bytes: int = Field(
        65_536,
        ge=1,
        description="The classifier's consumer, after a fetch that brought records, asks the broker to answer "
        "the next one once this much is waiting or after fetch_busy_wait_ms; after a fetch that brought none, "
        "fetch_min_bytes/fetch_max_wait_ms again (answered at once when the stream resumes). The indexer's "
        "waits for as much while records flow (indexer.fetch_busy_wait_ms).",
    )
    fetch_busy_wait_ms: int = Field(
        200,
        ge=0,
        description="... the longest such a fetch waits: what an article arriving while records flow may wait "
        "more (a delegation article's report and alert too, so classified → indexed grows at a low rate; "
        "its measured effect against 50: docs/scaling.md). 0 turns the adaptive fetches off.",
    )
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None


class ElasticsearchSettings(BaseSettings):
    model_config = _section("TRADETIES_ES_")

    url: str = Field("", description="Base URL; empty → the local node of `tradeties infra`.")
    index_prefix: str = Field("tradeties", description="Indices, aliases and templates start with this.")
    api_key: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    ca_certs: Path | None = None
    verify_certs: bool = True
    request_timeout_s: float = 30.0


class LogSettings(BaseSettings):
    model_config = _section("TRADETIES_LOG_")

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["console", "json"] = Field("console", description="console = key=value lines.")


class CrawlerSettings(BaseSettings):
    model_config = _section("TRADETIES_CRAWLER_")

    sources: Path = Field(Path("config/sources.yaml"), description="Default sources file.")
    state_path: Path = Field(Path(".tradeties/crawler/state.sqlite3"), description="Durable crawl state.")
    user_agent: str = "tradeties/0.1 (+https://github.com/tradeties/tradeties; news monitoring of sub-national trade ties)"
    concurrency: int = Field(16, ge=1, description="Requests in flight across all hosts.")
    per_host_concurrency: int = Field(1, ge=1)
    per_host_delay_s: float = Field(1.0, ge=0, description="Minimum gap between requests to one host.")
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = Field(60.0, description="Whole-response deadline: a trickling server is cut off.")
    max_response_bytes: int = Field(10_000_000, description="Cap on the decoded body.")
    max_redirects: int = 5
    metrics_host: str = Field(
        "127.0.0.1", description="The metrics server binds here; 0.0.0.0 to be scraped from outside the host or pod."
    )
    metrics_port: int | None = Field(None, description="Serve Prometheus metrics on metrics_host:PORT.")
    max_crawl_delay_s: float = Field(
        30.0, ge=0, description="Cap on a robots.txt Crawl-delay (a huge one must not stall a host forever)."
    )
    robots_ttl_s: float = Field(86_400.0, gt=0, description="How long a fetched robots.txt is trusted (RFC 9309: at most 24 h).")
    robots_error_ttl_s: float = Field(
        600.0, gt=0, description="An unreachable robots.txt (5xx, network) disallows the host this long, then is re-fetched."
    )
    revalidate_after_s: float = Field(
        86_400.0,
        gt=0,
        description="Send an unconditional GET when the last full response is older than this, so a server that keeps "
        "stale validators for changed content is caught by the content-hash comparison.",
    )
    recheck_rejected_after_s: float = Field(
        86_400.0, ge=0, description="A URL that gave no article (404, not HTML, no text) is retried after this long."
    )
    default_interval_s: float = Field(900.0, gt=0, description="Re-check interval of a source that sets none.")
    near_duplicate_bits: int = Field(
        3, ge=0, le=8, description="SimHash Hamming distance (of 64 bits) at or below which bodies are near-duplicates."
    )
    min_text_chars: int = Field(
        200,
        ge=0,
        description="Shorter extracted text is not an article (section pages, stubs); CJK characters count cjk_char_weight each.",
    )
    cjk_char_weight: float = Field(
        3.0,
        ge=1.0,
        description="What one Chinese/Japanese character counts towards min_text_chars: it carries about "
        "a word, so a real 100-character Chinese article is as long as a 300-character English one.",
    )
    max_links_per_homepage: int = Field(200, ge=1, description="Article links followed from one homepage.")
    max_urls_per_sitemap: int = Field(
        5_000,
        ge=1,
        description="URLs taken from one sitemap (and sitemaps from one "
        "index), the newest first; the rest are counted (reason over_cap).",
    )
    max_urls_per_feed: int = Field(
        5_000, ge=1, description="Items taken from one feed, the newest first; the rest are counted (reason over_cap)."
    )
    max_sitemap_depth: int = Field(
        3,
        ge=1,
        description="Sitemap indexes nested deeper than this are not followed "
        "(counted, reason sitemap_depth): a generated endless tree must end.",
    )
    max_robots_bytes: int = Field(
        512_000,
        ge=1024,
        description="robots.txt beyond this is ignored, as RFC 9309 "
        "allows (counted, reason over_cap); the rules before it apply.",
    )
    extract_timeout_s: float = Field(
        30.0,
        gt=0,
        description="Deadline of one page's extraction; the worker is "
        "replaced, the page tried once more, then rejected (reason extract_timeout).",
    )
    extract_workers: int = Field(
        2,
        ge=0,
        description="Processes extracting articles (CPU-bound: one per core to spare); 0 = one thread of the service process.",
    )
    progress_interval_s: float = Field(10.0, gt=0, description="Seconds between progress log lines during a pass.")
    publish_timeout_s: float = Field(120.0, gt=0, description="How long to wait for the broker's ack of one article.")
    publish_window: int = Field(
        32,
        ge=1,
        description="Articles awaiting the broker's ack at once (the producer batches them); with the "
        "2 × extract_workers pages being extracted, this bounds the fetched pages held in memory.",
    )


class ClassifierSettings(BaseSettings):
    model_config = _section("TRADETIES_CLASSIFIER_")

    app_id: str = "tradeties-classifier"
    data_dir: Path = Path(".tradeties/classifier")
    web_host: str = Field("127.0.0.1", description="faust's web server binds here, never 0.0.0.0 by default.")
    web_port: int = 6066
    relevance_threshold: float = Field(0.5, ge=0, le=1)
    webhooks: list[str] = Field([], description="Generic JSON webhooks for alerts (JSON list in env).")
    slack_webhooks: list[str] = Field([], description="Slack-compatible incoming webhooks for alerts.")
    webhook_timeout_s: float = Field(10.0, gt=0, description="Per-request timeout of a webhook delivery.")
    commit_interval_s: float = Field(
        2.8, gt=0, description="How often faust commits consumed offsets; what a crash since the last commit is replayed from."
    )
    session_timeout_s: float = Field(
        30.0,
        ge=6,
        le=90,
        description="A worker that dies is out of the consumer group (its partitions reassigned) after this long.",
    )
    group_instance_id: str | None = Field(
        None,
        description="Static group membership (e.g. the pod name): a "
        "worker restarted under the same id gets its partitions back at once.",
    )


class IndexerSettings(BaseSettings):
    model_config = _section("TRADETIES_INDEXER_")

    group_id: str = "tradeties-indexer"
    batch_size: int = Field(500, ge=1, description="Flush a bulk batch at this many documents.")
    batch_bytes: int = Field(5_000_000, ge=1, description="... or at this many bytes of Kafka values.")
    flush_interval_s: float = Field(1.0, gt=0, description="... or this long after its first message.")
    idle_flush_s: float = Field(
        0.25,
        ge=0,
        description="... or once no message has arrived for this long (0 = off): at a low rate an "
        "article is written at once instead of waiting out flush_interval_s; at a high rate batches still fill.",
    )
    fetch_busy_wait_ms: int = Field(
        200,
        ge=0,
        description="While records flow (records within this long of the last ones), the indexer's fetches wait "
        "at the broker up to this long for kafka.fetch_busy_min_bytes instead of being answered at once; a "
        "slower stream is fetched as kafka.fetch_min_bytes/fetch_max_wait_ms say. 0 turns this off.",
    )
    refresh_idle_flush: bool = Field(
        True,
        description="A batch written because the stream paused (idle_flush_s) is made searchable at once "
        "(bulk refresh=true) instead of at the index's next 1 s refresh. Only a low rate pauses the stream, so "
        "the extra refreshes cost nothing at a high rate.",
    )
    on_malformed: Literal["dead_letter", "fail", "ignore"] = Field(
        "dead_letter", description="What a document the engine rejects does (cf. Kafka Connect)."
    )
    max_in_flight: int = Field(
        2,
        ge=1,
        le=8,
        description="Bulk requests in flight at once (batches are still "
        "committed in order); memory holds max_in_flight + 1 batches.",
    )
    unavailable_timeout_s: float = Field(
        600.0,
        gt=0,
        description="Give up (exit non-zero, offsets uncommitted) after Elasticsearch has been "
        "overloaded or unreachable this long; consumption stays paused meanwhile.",
    )
    number_of_shards: int = Field(1, ge=1, description="Primary shards of each new index version.")
    number_of_replicas: int = Field(0, ge=0, description="Replicas of each new index version.")
    segments_per_tier: int = Field(
        30,
        ge=2,
        description="index.merge.policy.segments_per_tier of each new index version: how many segments of a "
        "size may pile up before Lucene merges them. Each 1 s refresh writes a small segment; the default 10 "
        "merges them again and again (a quarter of the node's CPU, measured), 30 merges a third as often "
        "for a few more segments per search.",
    )
    metrics_host: str = Field(
        "127.0.0.1", description="The metrics server binds here; 0.0.0.0 to be scraped from outside the host or pod."
    )
    metrics_port: int | None = Field(None, description="Serve Prometheus metrics on metrics_host:PORT.")


class ApiSettings(BaseSettings):
    model_config = _section("TRADETIES_API_")

    host: str = Field("127.0.0.1", description="`tradeties api` binds here; 0.0.0.0 only behind a proxy or in a pod.")
    port: int = Field(8080, ge=1, le=65535)
    base_url: str = Field("", description="Public URL of the API, used in feed and page links; empty → http://host:port.")
    token: SecretStr | None = Field(
        None, description="Bearer token required to create, change or delete watches; unset → those requests are refused (403)."
    )
    watches: Path = Field(Path("config/watches.yaml"), description="Watches created (or updated) at start-up.")
    page_size: int = Field(20, ge=1, le=100, description="Results per page of the search page and the feeds.")
    es_timeout_s: float = Field(
        10.0,
        gt=0,
        description="Per-request timeout to Elasticsearch (504 after it); a "
        "stopped node is a refused connection, answered 503 at once.",
    )
    deliver_interval_s: float = Field(
        5.0, gt=0, description="How often `tradeties api deliver` looks for new matching articles and alerts."
    )
    deliver_overlap_s: float = Field(
        120.0,
        ge=0,
        description="Re-examine documents indexed this long before the "
        "newest one delivered (refresh delays); dedup records make it harmless.",
    )
    webhook_timeout_s: float = Field(10.0, gt=0, description="Per-request timeout of a channel delivery.")
    deliver_metrics_host: str = Field("127.0.0.1", description="`tradeties api deliver` serves its metrics here.")
    deliver_metrics_port: int | None = Field(
        None, description="Serve the deliverer's Prometheus metrics on deliver_metrics_host:PORT (its health check probes them)."
    )


class Settings(BaseSettings):
    """Effective configuration of every tradeties service."""

    model_config = _section("TRADETIES_")

    infra: InfraSettings = Field(default_factory=InfraSettings)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    elasticsearch: ElasticsearchSettings = Field(default_factory=ElasticsearchSettings)
    retry: RetrySettings = Field(default_factory=RetrySettings)
    log: LogSettings = Field(default_factory=LogSettings)
    crawler: CrawlerSettings = Field(default_factory=CrawlerSettings)
    classifier: ClassifierSettings = Field(default_factory=ClassifierSettings)
    indexer: IndexerSettings = Field(default_factory=IndexerSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)

    @model_validator(mode="after")
    def _default_to_local_infra(self) -> Settings:
        # Empty addresses mean "the local infrastructure"; fill them in so nothing reads infra ports twice.
        if not self.kafka.bootstrap:
            self.kafka.bootstrap = f"{self.infra.host}:{self.infra.kafka_port}"
        if not self.elasticsearch.url:
            self.elasticsearch.url = f"http://{self.infra.host}:{self.infra.es_port}"
        return self

    @property
    def uses_local_infra(self) -> bool:
        return self.kafka.bootstrap == f"{self.infra.host}:{self.infra.kafka_port}" or self.elasticsearch.url == (
            f"http://{self.infra.host}:{self.infra.es_port}"
        )

    def masked(self) -> dict[str, Any]:
        """The effective settings as JSON-able data, secrets replaced by '**********'. Webhook URLs
        carry their credential in the path or query (Slack's do): only scheme and host are shown."""
        data = self.model_dump(mode="json")
        for key in ("webhooks", "slack_webhooks"):
            data["classifier"][key] = [mask_url(u) for u in data["classifier"][key]]
        return data


def mask_url(url: str) -> str:
    """``https://hooks.example.com/**********``: where it goes, not how to post there."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}/**********" if parts.scheme else "**********"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
