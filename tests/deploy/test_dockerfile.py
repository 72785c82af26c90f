"""deploy/Dockerfile, checked without a Docker engine: pinned bases, paths that exist, what is and
is not installed, non-root user, entry point and health check."""

from __future__ import annotations

import fnmatch
import re
import shlex
from pathlib import Path

import pytest

from .helpers import DEPLOY, DOCKERFILE, REPO, image_tag

Instruction = tuple[str, str]


def instructions(text: str) -> list[Instruction]:
    """(KEYWORD, arguments) per instruction, continuation lines joined, comments dropped."""
    out, pending = [], ""
    for line in text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        out.append((keyword.upper(), args.strip()))
    return out


@pytest.fixture(scope="module")
def steps() -> list[Instruction]:
    return instructions(DOCKERFILE.read_text("utf-8"))


def arg_defaults(steps) -> dict[str, str]:
    return dict(a.split("=", 1) for k, a in steps if k == "ARG" and "=" in a)


def from_images(steps) -> list[str]:
    defaults = arg_defaults(steps)
    images = []
    for k, a in steps:
        if k == "FROM":
            ref = a.split()[0]
            images.append(re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], ref))
    return images


def copies(steps) -> list[list[str]]:
    """Source paths of every COPY that reads the build context (not --from another stage)."""
    out = []
    for k, a in steps:
        if k == "COPY":
            words = shlex.split(a)
            if any(w.startswith("--from") for w in words):
                continue
            out.append([w for w in words if not w.startswith("--")][:-1])
    return out


def test_multi_stage_on_a_pinned_python_311_slim(steps):
    images = from_images(steps)
    assert len(images) >= 2, "multi-stage: build tools stay out of the runtime image"
    for image in images:
        tag = image_tag(image)
        assert image.startswith("python:3.11.") and "slim" in image, image
        assert re.match(r"3\.11\.\d+-slim", tag), f"{image}: pin the patch release"


def test_copied_paths_exist(steps):
    for sources in copies(steps):
        for src in sources:
            assert (REPO / src).exists(), f"COPY {src}: no such path in the repository"


# The pipeline package is the local supervisor and demo (`tradeties run`, `tradeties demo`): it
# drives the local infrastructure, which production images never carry.
DEV_ONLY = {"services/pipeline"}


def test_installs_every_production_package_and_not_infra(steps):
    copied = {src for sources in copies(steps) for src in sources}
    services = {str(p.parent.relative_to(REPO)) for p in REPO.glob("services/*/pyproject.toml")}
    wanted = (services - DEV_ONLY) | {"libs/common", "libs/places"}
    assert not copied & DEV_ONLY
    assert wanted <= copied
    assert not any(src.startswith("libs/infra") or src in {".", "libs"} for src in copied)
    pip = " ".join(a for k, a in steps if k == "RUN" and "pip install" in a)
    assert "-c constraints.txt" in pip
    for path in wanted:
        assert f"./{path}" in pip, f"{path} is copied but not installed"


def test_dockerignore_lets_every_copied_path_through(steps):
    rules = [
        line.strip()
        for line in (DEPLOY / "Dockerfile.dockerignore").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for sources in copies(steps):
        for src in sources:
            included = False
            for rule in rules:  # last matching rule wins, as in Docker
                negated = rule.startswith("!")
                pattern = rule.lstrip("!")
                if fnmatch.fnmatch(src, pattern) or src.startswith(pattern.rstrip("/") + "/"):
                    included = negated
            assert included, f"{src} is excluded from the build context by Dockerfile.dockerignore"


def test_runtime_is_non_root_with_entrypoint_and_health_check(steps):
    runtime = steps[max(i for i, (k, _) in enumerate(steps) if k == "FROM") :]
    users = [a for k, a in runtime if k == "USER"]
    assert users, "the runtime stage must switch to a non-root user"
    uid = users[-1].split(":")[0]
    uid = arg_defaults(steps).get(uid.strip("${}"), uid)
    assert uid not in {"0", "root"}
    assert ("ENTRYPOINT", '["tradeties"]') in runtime
    health = [a for k, a in runtime if k == "HEALTHCHECK"]
    assert health and "healthcheck.py" in health[0]


def test_healthcheck_script_is_copied_where_compose_and_k8s_call_it(steps):
    copy = next(a for k, a in steps if k == "COPY" and "healthcheck.py" in a)
    assert copy.split()[-1] == "/opt/tradeties/healthcheck.py"
    assert Path(DEPLOY / "healthcheck.py").is_file()
