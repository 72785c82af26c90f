"""The `tradeties` command lines that deploy/ runs (compose services, the init jobs, Kubernetes
containers) exist in the CLI, and the long-running ones start a service instead of printing help:
a container whose command only prints usage would exit 0 and restart forever."""

from __future__ import annotations

import shlex

import pytest

from .helpers import cli_root, load_compose, render


def _split(script: str) -> list[list[str]]:
    """`tradeties ...` command lines of a shell script joined with &&."""
    return [shlex.split(part) for part in script.split("&&")]


def deploy_command_lines() -> set[tuple[str, ...]]:
    lines: set[tuple[str, ...]] = set()
    for svc in load_compose()["services"].values():
        command = svc.get("command")
        if not command or "build" not in svc:
            continue  # third-party images
        if svc.get("entrypoint", ["tradeties"])[0] == "tradeties":
            lines.add(("tradeties", *command))
        else:
            lines |= {tuple(words) for c in command for words in _split(c)}
    for layer in ("base", "overlays/production"):
        for d in render(layer):
            if d["kind"] not in ("Deployment", "StatefulSet", "Job"):
                continue
            for c in d["spec"]["template"]["spec"]["containers"]:
                if c.get("command", ["tradeties"])[0] == "tradeties":
                    lines.add(("tradeties", *c["args"]))
                else:
                    lines |= {tuple(words) for a in c["args"] for words in _split(a)}
    return {line for line in lines if line[0] == "tradeties"}


LINES = sorted(deploy_command_lines())


@pytest.mark.parametrize("line", LINES, ids=[" ".join(line[1:]) for line in LINES])
def test_deploy_command_exists(line):
    cmd = cli_root()  # typer vendors its own click: duck-type groups by their `commands`
    words = [w for w in line[1:] if not w.startswith("-")]
    path = ["tradeties"]
    for word in words:
        if word not in getattr(cmd, "commands", {}):
            break  # an argument of the command reached so far
        cmd = cmd.commands[word]
        path.append(word)
    assert len(path) > 1, f"`{' '.join(line)}`: no such tradeties command (is its package's CLI merged?)"
    if hasattr(cmd, "commands"):
        assert cmd.invoke_without_command and not cmd.no_args_is_help, (
            f"`{' '.join(path)}` is a command group that only prints help: deploy/ runs it as a service"
        )
    options = {o for p in cmd.params for o in p.opts}
    for word in line[1:]:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"`{' '.join(path)}` has no option {word}"


def test_the_three_services_and_the_set_up_steps_are_run():
    runs = {" ".join(line[:3]) for line in LINES}
    for expected in (
        "tradeties crawler",
        "tradeties classifier",
        "tradeties indexer",
        "tradeties topics create",
        "tradeties indexer apply-templates",
        "tradeties kibana import",
    ):
        assert any(r == expected or r.startswith(expected + " ") for r in runs), expected
