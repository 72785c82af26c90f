#!/usr/bin/env bash
# Smoke test of the launcher: start a node on loopback, index, search (match + highlight), aggregate
# (keyword terms + geo), then stop it with SIGTERM. Needs a prior `mvn -q -f <this dir>/pom.xml package`.
# usage: smoke.sh [HTTP_PORT] [TRANSPORT_PORT] [extra launcher args...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
http_port="${1:-29250}"; transport_port="${2:-29350}"; shift $(( $# > 2 ? 2 : $# ))
home="$(mktemp -d)"; url="http://127.0.0.1:${http_port}"
cp="${here}/target/tradeties-es-node.jar:$(cat "${here}/target/classpath.txt")"
mapfile -t jvm_flags < <(grep -v '^\s*\(#\|$\)' "${here}/jvm.options")

java -Xms512m -Xmx512m "${jvm_flags[@]}" -cp "$cp" tradeties.esnode.EsNodeMain \
  --home "$home" --http-port "$http_port" --transport-port "$transport_port" --cluster-name smoke "$@" \
  >"$home/stdout" 2>"$home/stderr" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$home"' EXIT

for _ in $(seq 1 240); do
  grep -q 'tradeties-es-node started' "$home/stdout" && break
  if ! kill -0 "$pid" 2>/dev/null; then cat "$home/stderr" >&2; exit 1; fi
  sleep 0.5
done
cat "$home/stdout"

json() { curl -sf -H 'content-type: application/json' "$@"; echo; }
json "$url/_cluster/health"
json "$url/"
json -XPUT "$url/smoke" -d '{"settings":{"number_of_shards":1,"number_of_replicas":0},
  "mappings":{"properties":{"title":{"type":"text"},"region":{"type":"keyword"},"location":{"type":"geo_point"}}}}'
json -XPUT "$url/smoke/_doc/1?refresh=true" -d '{"title":"Guizhou delegation signs trade deal in Birmingham",
  "region":"West Midlands","location":{"lat":52.48,"lon":-1.89}}'
json "$url/smoke/_search?filter_path=hits.hits.highlight,aggregations" -d '{"query":{"match":{"title":"delegation"}},
  "highlight":{"fields":{"title":{}}},"aggs":{"regions":{"terms":{"field":"region"}},
  "tiles":{"geotile_grid":{"field":"location","precision":6}},"centre":{"geo_centroid":{"field":"location"}}}}' \
  | tee "$home/search.json"
grep -q '<em>delegation</em>' "$home/search.json"
grep -q '"key":"West Midlands"' "$home/search.json"

kill -TERM "$pid"; wait "$pid" || true
grep -q 'node closed' "$home/logs/smoke.log"
echo "smoke OK"
