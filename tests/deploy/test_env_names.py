"""Every TRADETIES_* name written anywhere under deploy/ is read by the settings model (a section's
env prefix + field name) or declared by a `tradeties` CLI option: a typo would be silently ignored."""

from __future__ import annotations

from .helpers import DEPLOY, ENV_NAME, valid_env_names


def test_every_tradeties_name_under_deploy_is_real():
    valid = valid_env_names()
    unknown = {}
    for path in sorted(p for p in DEPLOY.rglob("*") if p.is_file()):
        for name in ENV_NAME.findall(path.read_text("utf-8", errors="replace")):
            if name not in valid:
                unknown.setdefault(name, []).append(str(path.relative_to(DEPLOY)))
    assert not unknown, f"names no setting or CLI option reads: {unknown}"
    assert len(valid) > 50  # the introspection found the sections, not nothing
