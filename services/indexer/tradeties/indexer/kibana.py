"""Import the saved objects into Kibana through its saved-objects ``_import`` API (httpx)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tradeties.common.errors import ConfigError, RetryableError

FILENAME = "tradeties.ndjson"


@dataclass(frozen=True)
class KibanaAuth:
    api_key: str | None = None
    username: str | None = None
    password: str | None = None


def import_request(
    client: httpx.Client,
    base_url: str,
    ndjson: str,
    *,
    space: str | None = None,
    auth: KibanaAuth = KibanaAuth(),
    overwrite: bool = True,
) -> httpx.Request:
    """``POST [/s/{space}]/api/saved_objects/_import?overwrite=true`` with the NDJSON as a multipart file."""
    path = (f"/s/{space}" if space and space != "default" else "") + "/api/saved_objects/_import"
    headers = {"kbn-xsrf": "tradeties"}
    if auth.api_key:
        headers["Authorization"] = f"ApiKey {auth.api_key}"
    request_auth = httpx.BasicAuth(auth.username, auth.password or "") if auth.username else None
    request = client.build_request(
        "POST",
        base_url.rstrip("/") + path,
        params={"overwrite": str(overwrite).lower()},
        headers=headers,
        files={"file": (FILENAME, ndjson.encode("utf-8"), "application/ndjson")},
    )
    if request_auth is not None:
        request = next(request_auth.auth_flow(request))
    return request


def import_objects(
    base_url: str,
    ndjson: str,
    *,
    space: str | None = None,
    auth: KibanaAuth = KibanaAuth(),
    overwrite: bool = True,
    timeout_s: float = 60.0,
    verify: bool | str = True,
) -> dict[str, Any]:
    with httpx.Client(timeout=timeout_s, verify=verify) as client:
        request = import_request(client, base_url, ndjson, space=space, auth=auth, overwrite=overwrite)
        try:
            response = client.send(request)
        except httpx.TransportError as exc:
            raise RetryableError(f"cannot reach Kibana at {base_url}: {exc}") from exc
    if response.status_code in (401, 403):
        raise ConfigError(f"Kibana refused the credentials ({response.status_code}): {response.text[:300]}")
    if response.status_code >= 500:
        raise RetryableError(f"Kibana answered {response.status_code}: {response.text[:300]}")
    if response.status_code >= 400:
        raise ConfigError(f"Kibana rejected the import ({response.status_code}): {response.text[:500]}")
    body = response.json()
    if not body.get("success", False):
        raise ConfigError(f"Kibana imported with errors: {body.get('errors')}")
    return body
