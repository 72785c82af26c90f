"""Container health check: GET the HTTP endpoint of the tradeties service this container runs.

Usage: ``python healthcheck.py [crawler|classifier|indexer|api|deliver]``. Without an argument the
service is read from PID 1's command line (``tradeties <service> ...``, ``tradeties api deliver``),
so the image's one HEALTHCHECK fits every service; any other command (a one-shot job, ``--help``)
counts as healthy.

Addresses come from the settings model itself (``TRADETIES_CRAWLER_METRICS_HOST``/``_PORT``,
``TRADETIES_INDEXER_METRICS_HOST``/``_PORT``, ``TRADETIES_CLASSIFIER_WEB_HOST``/``_PORT``,
``TRADETIES_API_HOST``/``_PORT``, ``TRADETIES_API_DELIVER_METRICS_HOST``/``_PORT``), so the
check never disagrees with the service about where it listens; a wildcard bind (0.0.0.0, ::) is
checked on 127.0.0.1. Exit 0 = healthy, 1 = unhealthy.
"""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

SERVICES = ("crawler", "classifier", "indexer", "api", "deliver")


def service_from_cmdline(cmdline: bytes) -> str | None:
    """The service named by a NUL-separated command line such as ``tradeties\\0indexer\\0``."""
    args = [a.decode(errors="replace") for a in cmdline.split(b"\0") if a]
    for i, arg in enumerate(args):
        if Path(arg).name == "tradeties":
            rest = [a for a in args[i + 1 :] if not a.startswith("-")]
            # Only the long-running forms: `tradeties indexer apply-templates` is a one-shot.
            if len(rest) == 1 and rest[0] in SERVICES:
                return rest[0]
            return "deliver" if rest == ["api", "deliver"] else None
    return None


def endpoint(service: str) -> str:
    """The URL that answers 200 while ``service`` is alive."""
    from tradeties.common.settings import ApiSettings, ClassifierSettings, CrawlerSettings, IndexerSettings

    if service == "api":
        a = ApiSettings()
        return f"http://{local_host(a.host)}:{a.port}/healthz"
    if service == "deliver":
        a = ApiSettings()
        if a.deliver_metrics_port is None:
            raise SystemExit("unhealthy: TRADETIES_API_DELIVER_METRICS_PORT is not set, nothing to check")
        return f"http://{local_host(a.deliver_metrics_host)}:{a.deliver_metrics_port}/metrics"
    if service == "classifier":
        c = ClassifierSettings()
        return f"http://{local_host(c.web_host)}:{c.web_port}/"
    s = CrawlerSettings() if service == "crawler" else IndexerSettings()
    if s.metrics_port is None:
        raise SystemExit(f"unhealthy: TRADETIES_{service.upper()}_METRICS_PORT is not set, nothing to check")
    return f"http://{local_host(s.metrics_host)}:{s.metrics_port}/metrics"


def local_host(bind: str) -> str:
    """Where a server bound to ``bind`` answers from inside its own container."""
    if bind in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{bind}]" if ":" in bind else bind


def check(url: str, timeout_s: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp:
            return 200 <= resp.status < 300
    except OSError as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return False


def main(argv: list[str]) -> int:
    if argv:
        service = argv[0]
        if service not in SERVICES:
            print(f"usage: healthcheck.py [{'|'.join(SERVICES)}]", file=sys.stderr)
            return 2
    else:
        service = service_from_cmdline(Path("/proc/1/cmdline").read_bytes())
        if service is None:
            return 0
    return 0 if check(endpoint(service)) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
