"""Kibana saved objects: well-formed NDJSON, fields that exist in the templates, a correct import request."""

from __future__ import annotations

import json
import re
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tradeties.indexer.kibana import KibanaAuth, import_objects
from tradeties.indexer.kibana_objects import saved_objects, to_ndjson
from tradeties.indexer.templates import alert_mappings, article_mappings, field_paths

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "deploy" / "kibana" / "tradeties.ndjson"


def objects() -> list[dict]:
    return [json.loads(line) for line in COMMITTED.read_text("utf-8").splitlines()]


def test_committed_ndjson_is_well_formed_and_up_to_date():
    text = COMMITTED.read_text("utf-8")
    assert text == to_ndjson(saved_objects("tradeties")), "run: tradeties kibana ndjson --out deploy/kibana/tradeties.ndjson"
    objs = objects()
    ids = [(o["type"], o["id"]) for o in objs]
    assert len(ids) == len(set(ids))
    for o in objs:
        assert {"type", "id", "attributes", "references", "coreMigrationVersion", "typeMigrationVersion"} <= set(o)
        for key in ("searchSourceJSON",):
            meta = o["attributes"].get("kibanaSavedObjectMeta", {})
            if key in meta:
                json.loads(meta[key])
        for key in ("panelsJSON", "optionsJSON", "layerListJSON", "mapStateJSON", "uiStateJSON", "fields", "runtimeFieldMap"):
            if key in o["attributes"]:
                json.loads(o["attributes"][key])


def test_every_reference_resolves_to_an_object_in_the_file():
    objs = objects()
    present = {(o["type"], o["id"]) for o in objs}
    for o in objs:
        for ref in o["references"]:
            assert (ref["type"], ref["id"]) in present, (o["id"], ref)
    # Lens layers and map layers name their references; each name is declared.
    for o in objs:
        names = {r["name"] for r in o["references"]}
        if o["type"] == "map":
            for layer in json.loads(o["attributes"]["layerListJSON"]):
                ref = layer["sourceDescriptor"].get("indexPatternRefName")
                assert ref is None or ref in names
        if o["type"] == "lens":
            for layer in o["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]:
                assert f"indexpattern-datasource-layer-{layer}" in names
        if o["type"] == "dashboard":
            for p in json.loads(o["attributes"]["panelsJSON"]):
                assert f"{p['panelIndex']}:{p['panelRefName']}" in names


def test_required_objects_exist():
    objs = objects()
    titles = {(o["type"], o["attributes"]["title"]) for o in objs}
    assert ("index-pattern", "tradeties-articles") in titles  # the read alias
    assert ("index-pattern", "tradeties-alerts") in titles
    for s in ("New delegations", "Agreements signed", "By region", "Latest alerts"):
        assert ("search", s) in titles
    assert any(t == "map" for t, _ in titles)
    dash = next(o for o in objs if o["type"] == "dashboard")
    panel_types = [p["type"] for p in json.loads(dash["attributes"]["panelsJSON"])]
    assert panel_types.count("lens") >= 4 and "map" in panel_types and "search" in panel_types


KUERY_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*:")


def _fields_used(o: dict) -> set[str]:
    a = o["attributes"]
    used: set[str] = set()
    if o["type"] == "index-pattern":
        used.add(a["timeFieldName"])
    if o["type"] == "search":
        used |= set(a["columns"]) | {s[0] for s in a["sort"]}
        used |= set(KUERY_FIELD.findall(json.loads(a["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]["query"]))
    if o["type"] == "lens":
        for layer in a["state"]["datasourceStates"]["formBased"]["layers"].values():
            used |= {c["sourceField"] for c in layer["columns"].values() if c["sourceField"] != "___records___"}
        used |= set(KUERY_FIELD.findall(a["state"]["query"]["query"]))
    return used


def test_every_field_a_search_or_visualisation_uses_exists_in_the_index_template():
    objs = objects()
    by_id = {o["id"]: o for o in objs}
    article_fields, alert_fields = field_paths(article_mappings()), field_paths(alert_mappings())
    fields_of = {"tradeties-articles": article_fields, "tradeties-alerts": alert_fields}
    checked = 0
    for o in objs:
        if o["type"] == "map":
            for layer in json.loads(o["attributes"]["layerListJSON"]):
                src = layer["sourceDescriptor"]
                if "indexPatternRefName" not in src:
                    continue
                dv = next(r["id"] for r in o["references"] if r["name"] == src["indexPatternRefName"])
                known = fields_of[by_id[dv]["attributes"]["title"]]
                for f in [src["geoField"], src["sortField"], *src["tooltipProperties"]]:
                    assert f in known, (o["id"], f)
                    checked += 1
                assert "geo_point" in json.dumps(article_mappings()["properties"][src["geoField"]])
            continue
        dv_ids = {r["id"] for r in o["references"] if r["type"] == "index-pattern"} or {o["id"]}
        for dv in dv_ids:
            if by_id[dv]["type"] != "index-pattern":
                continue
            known = fields_of[by_id[dv]["attributes"]["title"]]
            for f in _fields_used(o):
                assert f in known, (o["id"], f)
                checked += 1
    assert checked > 30


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list = []

    def log_message(self, *a):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Recorder.seen.append((self.command, self.path, dict(self.headers), body))
        payload = json.dumps({"success": True, "successCount": 12, "successResults": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def kibana_stub():
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _multipart(headers: dict, body: bytes):
    msg = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body)
    return list(msg.iter_parts())


def test_import_request_is_a_multipart_post_with_xsrf_and_overwrite(kibana_stub):
    ndjson = COMMITTED.read_text("utf-8")
    body = import_objects(kibana_stub + "/", ndjson, space="trade", auth=KibanaAuth(api_key="s3cret"))
    assert body["success"] is True
    method, path, headers, raw = _Recorder.seen[0]
    assert method == "POST"
    assert path == "/s/trade/api/saved_objects/_import?overwrite=true"
    assert headers["kbn-xsrf"]
    assert headers["Authorization"] == "ApiKey s3cret"
    assert headers["Content-Type"].startswith("multipart/form-data; boundary=")
    [part] = _multipart(headers, raw)
    assert part.get_param("name", header="content-disposition") == "file"
    assert part.get_filename() == "tradeties.ndjson"
    assert part.get_content_type() == "application/ndjson"
    assert part.get_payload(decode=True).decode("utf-8") == ndjson


def test_import_with_basic_auth_in_the_default_space(kibana_stub):
    import base64

    import_objects(kibana_stub, "{}\n", auth=KibanaAuth(username="elastic", password="pw"))
    method, path, headers, _ = _Recorder.seen[0]
    assert path == "/api/saved_objects/_import?overwrite=true"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"elastic:pw").decode()
