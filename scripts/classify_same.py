"""Does a classifier change keep every output? Classifies every labelled article (corpus/*.jsonl,
corpus/batches/*.jsonl) with the classifier of a git ref and with the working tree's, in
alternating child processes, compares the full Classification JSON and prints CPU ms/article of
each side per round with the load average (the machine is shared: read the rounds, not one).

    .venv/bin/python scripts/classify_same.py [REF] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("services/classifier", "libs/places")  # the classifier and the place matching it rests on


def _classify(out: Path) -> None:
    """Child: classify every labelled article, write their JSON, print CPU seconds spent classifying."""
    from tradeties.classifier.model.classifier import Classifier
    from tradeties.classifier.training.evaluate import load, to_document

    paths = sorted((ROOT / "corpus").glob("*.jsonl")) + sorted((ROOT / "corpus" / "batches").glob("*.jsonl"))
    docs = [to_document(a) for a in load(paths)]
    clf = Classifier()
    clf.classify(docs[0])  # warm-up: gazetteer and models load once per process
    t0 = time.process_time()
    lines = [clf.classify(d).model_dump_json() for d in docs]
    cpu = time.process_time() - t0
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({"n": len(docs), "cpu_s": cpu}))


def _run(out: Path, pythonpath: str | None) -> dict:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    res = subprocess.run([sys.executable, __file__, "--child", str(out)], env=env, check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("ref", nargs="?", default="main")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--child", type=Path)
    args = ap.parse_args()
    if args.child:
        _classify(args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        tar = subprocess.run(["git", "archive", args.ref, *PACKAGES], cwd=ROOT, check=True, capture_output=True).stdout
        tarfile.open(fileobj=BytesIO(tar)).extractall(base, filter="data")
        # the ref's gazetteer artefact is built from its own code in the first round (~30 s, not timed)
        sides = {args.ref: os.pathsep.join(str(base / p) for p in PACKAGES), "worktree": None}
        outs = {name: Path(tmp) / f"{i}.jsonl" for i, name in enumerate(sides)}
        cpu: dict[str, list[float]] = {name: [] for name in sides}
        for k in range(args.rounds):
            for name in sides if k % 2 == 0 else reversed(list(sides)):
                r = _run(outs[name], sides[name])
                cpu[name].append(1000 * r["cpu_s"] / r["n"])
                print(f"round {k + 1} {name:>10}: {cpu[name][-1]:.2f} ms/article over {r['n']} (load {os.getloadavg()[0]:.1f})")
        a, b = (outs[name].read_text(encoding="utf-8").splitlines() for name in sides)
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        for name in sides:
            print(f"{name:>10}: best {min(cpu[name]):.2f} ms/article")
        print(f"{len(a)} articles, {len(diff)} differ" + (f" (first at line {diff[0] + 1})" if diff else ""))
        return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
