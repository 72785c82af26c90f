"""Settings → environment variables, so child services see exactly the parent's configuration.

Child processes read their settings from the environment (``TRADETIES_<SECTION>_<FIELD>``); the
supervisor and the tests hold a ``Settings`` object. This is the one translation between the two.
Secrets travel in the child's environment only — never in argv, where ``ps`` would show them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings

from tradeties.common.settings import Settings


def _value(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, SecretStr):
        return v.get_secret_value()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, default=str)
    if isinstance(v, Path):
        return str(v)
    return str(v)


def settings_env(settings: Settings) -> dict[str, str]:
    """Every non-None field of every section as its environment variable."""
    env: dict[str, str] = {}
    for section_name in type(settings).model_fields:
        section = getattr(settings, section_name)
        if not isinstance(section, BaseSettings):
            continue
        prefix = section.model_config.get("env_prefix", "")
        for field in type(section).model_fields:
            raw = getattr(section, field)
            if isinstance(raw, BaseModel):
                continue
            value = _value(raw)
            if value is not None:
                env[f"{prefix}{field}".upper()] = value
    return env
