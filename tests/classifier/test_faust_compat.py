"""faust_compat is the only module of the classifier that reaches into faust/aiokafka internals, and
the classifier refuses to start on releases its overrides were not tested on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tradeties.classifier
from tradeties.classifier.stream import faust_compat
from tradeties.classifier.stream.app import create_app
from tradeties.common.errors import ConfigError
from tradeties.common.settings import ClassifierSettings, KafkaSettings, Settings

PACKAGE = Path(tradeties.classifier.__file__).parent
COMPAT = PACKAGE / "stream" / "faust_compat.py"
STREAMING = ("faust", "mode", "aiokafka")


def _imports_streaming(tree: ast.Module) -> bool:
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level]
    return any(name.split(".")[0] in STREAMING for name in names)


def _private_uses(tree: ast.Module) -> list[str]:
    """``x._name`` on anything but the module's own ``self``/``cls``."""
    return [
        f"{ast.unparse(n)} (line {n.lineno})"
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and n.attr.startswith("_")
        and not n.attr.startswith("__")
        and not (isinstance(n.value, ast.Name) and n.value.id in ("self", "cls"))
    ]


def test_only_the_compat_module_touches_private_streaming_attributes():
    offenders: dict[str, list[str]] = {}
    checked = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        if path == COMPAT or not _imports_streaming(tree):
            continue
        checked += 1
        if uses := _private_uses(tree):
            offenders[str(path.relative_to(PACKAGE))] = uses
        internal = [
            n.module
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom)
            and n.module
            and n.module.split(".")[0] in STREAMING
            and n.module not in ("faust", "aiokafka")
        ]
        if internal:
            offenders.setdefault(str(path.relative_to(PACKAGE)), []).extend(f"from {m} import" for m in internal)
    assert checked >= 3, "the scan found no faust module to check"
    assert offenders == {}


def test_the_scan_sees_a_private_attribute():
    assert _private_uses(ast.parse("app._fetcher.maybe_start()\nself._x = 1")) == ["app._fetcher (line 1)"]


def test_the_tested_releases_are_installed():
    faust_compat.check_versions()


def test_another_release_is_refused_with_the_way_out():
    installed = {**faust_compat.TESTED, "aiokafka": "0.15.0", "mode-streaming": None}
    with pytest.raises(ConfigError) as err:
        faust_compat.check_versions(installed)
    message = str(err.value)
    assert "aiokafka 0.15.0 (tested: 0.14.0)" in message and "mode-streaming missing" in message
    assert "faust_compat.TESTED" in message


def test_the_app_is_not_built_on_an_untested_release(tmp_path, monkeypatch):
    monkeypatch.setitem(faust_compat.TESTED, "faust-streaming", "0.0.1")
    settings = Settings(
        kafka=KafkaSettings(bootstrap="127.0.0.1:9", topic_prefix="t-compat"), classifier=ClassifierSettings(data_dir=tmp_path)
    )
    with pytest.raises(ConfigError, match="faust-streaming 0.15.3 \\(tested: 0.0.1\\)"):
        create_app(settings)
