"""CPU ms per article of the whole classifier service process (faust agents, Kafka, JSON, the
model, alerts), a git ref's code against the working tree's, alternated. Each round starts a real
broker's `tradeties classifier` of each side (its code copied at the start, so the working tree may
change while the rounds run; both read the working tree's gazetteer artefact), warms it up on 150
templated articles (the e2e bench's), then produces N more at a steady rate and reads the process's
CPU (/proc) from the first produced article until every article is classified and every delegation
report has its alert. Also printed: the process's CPU in 5 idle seconds before the window (its
per-second background) and each thread's share (the main thread's id is the pid: the event loop;
the classify thread is the busiest other). The machine is shared: read the rounds and the load
beside them (±0.5 ms between rounds of one side at load 8-10).

    .venv/bin/python scripts/classifier_cpu.py [REF] [--rounds N] [--articles N] [--rate PER_S] [--spy SECONDS]

``--spy S``: py-spy (installed apart; ``PY_SPY`` names it) records S seconds of each worktree window
to a speedscope file in the work directory (per thread, samples holding the GIL only).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks._procstat import cpu_s  # noqa: E402 (the repository's root on the path first)

# what a side's code is: the service and the libraries whose code runs in it
PACKAGES = ("services/classifier", "libs/places", "libs/common")
N_WARM_UP = 150
IDLE_S = 5.0
TRADETIES = Path(sys.executable).with_name("tradeties")


def _articles(n: int) -> list:
    from tradeties.common.events import Extraction, RawArticle, article_id_for, content_hash_for
    from tradeties.newsweb import corpus_paths, load_records
    from tradeties.pipeline.demoweb import templated_corpus

    out = []
    for r in templated_corpus(load_records(*corpus_paths(ROOT)), n):
        url, text = f"http://127.0.0.90{r.url_path}", "\n\n".join(r.paragraphs)
        published = datetime.fromisoformat(r.published).replace(tzinfo=UTC)
        out.append(
            RawArticle(
                id=article_id_for(url),
                url=url,
                canonical_url=url,
                source=r.outlet,
                title=r.title,
                text=text,
                published_at=published,
                language=r.lang,
                fetched_at=datetime.now(UTC),
                content_hash=content_hash_for(text),
                extraction=Extraction(extractor="bench"),
            )
        )
    return out


def _threads_s(pid: int) -> dict[int, float]:
    """CPU seconds per thread id (the main thread's id is the pid)."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            f = (task / "stat").read_text().rsplit(")", 1)[1].split()  # utime, stime: fields 14, 15
        except OSError:  # the thread ended meanwhile
            continue
        out[int(task.name)] = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    return out


class Counter:
    """Records on the classified, reports and alerts topics, counted by a consumer thread."""

    def __init__(self, settings, topology) -> None:
        from tradeties.common import kafka

        self.counts = {topology.classified: 0, topology.reports: 0, topology.alerts: 0}
        self.consumer = kafka.consumer(settings.kafka, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest")
        self.consumer.subscribe(list(self.counts))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            for tp, records in self.consumer.poll(timeout_ms=100).items():
                self.counts[tp.topic] += len(records)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.consumer.close()


def _wait(cond, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


def _produce(producer, topic: str, articles: list, rate: float) -> None:
    from tradeties.common import codec

    t0 = time.monotonic()
    for i, a in enumerate(articles):
        delay = t0 + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        producer.send(topic, key=a.id.encode(), value=codec.encode(a))
    producer.flush(30)


def _side(base_settings, name: str, pythonpath: str, articles: list, args, workdir: Path, k: int) -> dict:
    from tradeties.classifier.stream.topology import ensure_topics
    from tradeties.common import kafka

    prefix = f"cpu{k}-{name.replace('/', '-')}"[:40]
    s = base_settings.model_copy(deep=True)
    s.kafka.topic_prefix = prefix
    topology = ensure_topics(s)
    env = {key: v for key, v in os.environ.items() if not key.startswith("TRADETIES_")}
    env.update(
        TRADETIES_KAFKA_BOOTSTRAP=s.kafka.bootstrap,
        TRADETIES_KAFKA_TOPIC_PREFIX=prefix,
        TRADETIES_CLASSIFIER_DATA_DIR=str(workdir / prefix),
        TRADETIES_CLASSIFIER_WEB_PORT=str(_free_port()),
    )
    env["PYTHONPATH"] = pythonpath
    log = (workdir / f"{prefix}.log").open("wb")
    proc = subprocess.Popen([str(TRADETIES), "classifier"], env=env, stdout=log, stderr=subprocess.STDOUT)
    counter = Counter(s, topology)
    producer = kafka.producer(s.kafka)
    raw = topology.raw
    try:
        warm, measured = articles[:N_WARM_UP], articles[N_WARM_UP:]
        _produce(producer, raw, warm, args.rate)
        _wait(lambda: counter.counts[topology.classified] >= len(warm), 300, f"{name}: warm-up classified")
        _wait(lambda: counter.counts[topology.alerts] >= counter.counts[topology.reports], 60, f"{name}: warm-up alerts")
        time.sleep(1.0)
        c0 = cpu_s(proc.pid)
        time.sleep(IDLE_S)
        idle = cpu_s(proc.pid) - c0
        done = dict(counter.counts)
        spy = None
        if args.spy and name == "worktree":
            out = workdir / f"spy-{k}.json"
            spy = subprocess.Popen(
                [os.environ.get("PY_SPY", "py-spy"), "record", "-p", str(proc.pid), "-d", str(int(args.spy)), "-r", "100",
                 "--threads", "--gil", "-f", "speedscope", "-o", str(out)],
                stdout=subprocess.DEVNULL, stderr=(workdir / f"spy-{k}.log").open("wb"),
            )  # fmt: skip
        st0 = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13]
        load0, c0, t0, th0 = os.getloadavg()[0], cpu_s(proc.pid), time.monotonic(), _threads_s(proc.pid)
        _produce(producer, raw, measured, args.rate)
        want = done[topology.classified] + len(measured)
        _wait(lambda: counter.counts[topology.classified] >= want, 600, f"{name}: measured classified")
        _wait(lambda: counter.counts[topology.alerts] >= counter.counts[topology.reports], 60, f"{name}: alerts")
        cpu, window, th1 = cpu_s(proc.pid) - c0, time.monotonic() - t0, _threads_s(proc.pid)
        st1 = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[11:13]
        sys_share = (int(st1[1]) - int(st0[1])) / max(1, int(st1[0]) + int(st1[1]) - int(st0[0]) - int(st0[1]))
        threads = sorted(((th1[t] - th0.get(t, 0.0), t) for t in th1), reverse=True)
        if spy:
            spy.wait()
        n = len(measured)
        reports = counter.counts[topology.reports] - done[topology.reports]
        return {
            "ms": 1000 * cpu / n,
            "net": 1000 * (cpu - idle / IDLE_S * window) / n,
            "idle_ms_s": 1000 * idle / IDLE_S,
            "window": window,
            "reports": reports,
            "load": (load0, os.getloadavg()[0]),
            "sys": sys_share,
            "threads": ", ".join(f"{'main' if t == proc.pid else t} {1000 * c / len(measured):.2f}" for c, t in threads if c > 0),
        }
    finally:
        producer.close()
        counter.close()
        proc.terminate()
        proc.wait(60)
        log.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("ref", nargs="?", default="main")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=75.0, help="articles/s produced (the e2e templated run's ~77)")
    ap.add_argument("--spy", type=float, default=0.0)
    ap.add_argument("--only-worktree", action="store_true")
    args = ap.parse_args()

    from tradeties.common.settings import InfraSettings, KafkaSettings, Settings
    from tradeties.infra.kafka import LocalKafka
    from tradeties.infra.process import free_ports

    workdir = Path(tempfile.mkdtemp(prefix="classifier-cpu-"))
    # each side's code copied now, so the working tree may change while the rounds run
    skip = shutil.ignore_patterns("*.egg-info", "__pycache__", "*.pkl*")
    for p in PACKAGES:
        shutil.copytree(ROOT / p, workdir / "worktree" / p, ignore=skip)
    sides = {"worktree": os.pathsep.join(str(workdir / "worktree" / p) for p in PACKAGES)}
    if not args.only_worktree:
        tar = subprocess.run(["git", "archive", args.ref, *PACKAGES], cwd=ROOT, check=True, capture_output=True).stdout
        tarfile.open(fileobj=BytesIO(tar)).extractall(workdir / "ref", filter="data")
        sides = {args.ref: os.pathsep.join(str(workdir / "ref" / p) for p in PACKAGES), **sides}
    # the built gazetteer artefact is not in git: both sides read the working tree's
    for side in ("worktree", "ref"):
        for art in (ROOT / "libs/places/tradeties/places/data").glob("gazetteer.pkl*"):
            if (workdir / side).is_dir():
                os.symlink(art, workdir / side / "libs/places/tradeties/places/data" / art.name)
    print(f"code of {', '.join(sides)} copied to {workdir}", flush=True)
    kafka_port, controller_port = free_ports(2)
    base = InfraSettings()
    infra = base.model_copy(
        update={
            "home": workdir / "infra",
            "kafka_port": kafka_port,
            "kafka_controller_port": controller_port,
            "kafka_heap": "512m",
            "classpath_dir": base.classpath_dir if base.classpath_dir.is_absolute() else ROOT / base.classpath_dir,
        }
    )
    broker = LocalKafka(infra, fetch=False, die_with_parent=True)
    broker.start()
    broker.wait_healthy()
    settings = Settings(infra=infra, kafka=KafkaSettings(bootstrap=f"127.0.0.1:{kafka_port}"))
    articles = _articles(N_WARM_UP + args.articles)
    try:
        for k in range(args.rounds):
            for name in sides if k % 2 == 0 else reversed(list(sides)):
                r = _side(settings, name, sides[name], articles, args, workdir, k)
                print(
                    f"round {k + 1} {name:>10}: {r['ms']:.2f} ms/article (net of idle {r['net']:.2f}; idle "
                    f"{r['idle_ms_s']:.1f} ms/s; {args.articles} articles, {r['reports']} reports, window "
                    f"{r['window']:.1f} s, load {r['load'][0]:.1f}-{r['load'][1]:.1f})",
                    flush=True,
                )
                print(f"  per thread (ms/article): {r['threads']}; system time {100 * r['sys']:.0f} %", flush=True)
    finally:
        broker.stop()
    print(f"work directory (logs, profiles): {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
