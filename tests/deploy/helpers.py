"""Shared helpers of the deploy tests: paths, the valid environment names (introspected from the
settings model and the CLI), file loaders and the offline kustomize render."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType

import pytest
import typer
import yaml
from pydantic import SecretStr
from pydantic_settings import BaseSettings

from tradeties.common.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = DEPLOY / "docker-compose.yml"
DOCKERFILE = DEPLOY / "Dockerfile"
ENV_NAME = re.compile(r"\bTRADETIES_[A-Z0-9_]+\b")


def load_module(path: Path) -> ModuleType:
    """Import a script of deploy/ (not a package) by its path."""
    spec = importlib.util.spec_from_file_location(f"deploy_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sections() -> dict[str, type[BaseSettings]]:
    return {
        name: f.annotation
        for name, f in Settings.model_fields.items()
        if isinstance(f.annotation, type) and issubclass(f.annotation, BaseSettings)
    }


@lru_cache(maxsize=1)
def settings_env_fields() -> dict[str, tuple[type[BaseSettings], str]]:
    """Every environment name the settings model reads → (section class, field name)."""
    names = {}
    for cls in _sections().values():
        prefix = cls.model_config["env_prefix"]
        for field in cls.model_fields:
            names[(prefix + field).upper()] = (cls, field)
    return names


def is_secret_field(env_name: str) -> bool:
    cls, field = settings_env_fields()[env_name]
    annotation = cls.model_fields[field].annotation
    return SecretStr in (getattr(annotation, "__args__", None) or (annotation,))


@lru_cache(maxsize=1)
def cli_root():
    """The `tradeties` command with every installed package's subcommands."""
    from tradeties.cli.main import app, build

    if not (app.registered_groups or app.registered_commands):
        build()
    return typer.main.get_command(app)


@lru_cache(maxsize=1)
def cli_envvars() -> frozenset[str]:
    """Environment names declared by options of the `tradeties` CLI (e.g. a Kibana password)."""
    found: set[str] = set()

    def walk(cmd) -> None:  # typer's vendored click: no isinstance checks
        for param in cmd.params:
            envvar = getattr(param, "envvar", None)
            found.update([envvar] if isinstance(envvar, str) else (envvar or []))
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(cli_root())
    return frozenset(found)


def valid_env_names() -> frozenset[str]:
    return frozenset(settings_env_fields()) | cli_envvars()


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text("utf-8"))


def image_tag(image: str) -> str | None:
    """The tag of an image reference, None when it has none (a digest counts as a pin)."""
    if "@sha256:" in image:
        return image.split("@", 1)[1]
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


def kustomize_command() -> list[str]:
    """kubectl's built-in kustomize, else a kustomize binary (PATH or `go install`'s GOBIN)."""
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    for candidate in (shutil.which("kustomize"), Path.home() / "go" / "bin" / "kustomize"):
        if candidate and Path(candidate).exists():
            return [str(candidate), "build"]
    pytest.fail(
        "neither kubectl nor kustomize found: install kubectl, or run "
        "`go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0` (.ci/run does)"
    )


@cache
def render(layer: str) -> tuple[dict, ...]:
    """The manifests of a kustomize layer (e.g. 'base', 'overlays/production'), rendered offline."""
    proc = subprocess.run(
        [*kustomize_command(), str(K8S / layer)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KUBECONFIG": os.devnull},
    )
    assert proc.returncode == 0, f"kustomize failed for {layer}:\n{proc.stderr}"
    return tuple(d for d in yaml.safe_load_all(proc.stdout) if d)
