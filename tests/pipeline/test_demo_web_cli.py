"""`tradeties demo web` (what `make demo` detaches): the demo web on fixed addresses, its sources
file and manifest written once it is bound, a clean exit on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import httpx

from tradeties.crawler.sources import load_sources
from tradeties.pipeline.demoweb import SITES, WIRE
from tradeties.pipeline.runner import free_port
from tradeties.pipeline.supervisor import tradeties_argv


def test_demo_web_command_serves_until_sigterm(tmp_path):
    port = free_port()
    proc = subprocess.Popen(
        tradeties_argv("demo", "web", "--out", str(tmp_path), "--port", str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        manifest_file = tmp_path / "web.json"
        end = time.monotonic() + 60
        while not manifest_file.exists():
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < end, "web.json not written within 60 s"
            time.sleep(0.2)
        manifest = json.loads(manifest_file.read_text("utf-8"))
        assert list(manifest["sites"]) == [p.name for p in (*SITES, WIRE)]
        assert all(base.endswith(f":{port}") for base in manifest["sites"].values()), "fixed port: crawl state stays valid"
        sources = load_sources(tmp_path / "sources.yaml")
        assert sources.allow_private_networks and [s.name for s in sources.sources] == list(manifest["sites"])
        with httpx.Client(timeout=5) as http:
            for s in sources.sources:
                for url in s.feeds + s.sitemaps + s.homepages:
                    assert http.get(url).status_code == 200, url
            for url in manifest["disallowed"]:
                assert http.get(url.split("/private/")[0] + "/robots.txt").text.startswith("User-agent: *")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
