#!/usr/bin/env bash
# The serving benchmark: Reuters-21578 indexed with `gazette index`, then the 200 news
# queries as faceted searches (outlet top 10 + month histogram) through the library in
# process and over HTTP from `gazette serve` at 1, 4 and 16 concurrent clients, in one
# run (bench/serve_bench.cpp). Prints the figures as a Markdown table.
#
#   bench/serve.sh [--gazette-build DIR] [--seconds S] [--out DIR]
#
# Not part of CI (timing on a shared machine); docs/benchmarks.md has the results.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
gz="$root/build" seconds=10 out="$root/build-bench/serve"
while [ $# -gt 0 ]; do
  case "$1" in
    --gazette-build) gz="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --out) out="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
gz=$(realpath "$gz")
shared=$(realpath "${GAZETTE_SHARED_DIR:-$root/../shared}")
mkdir -p "$out/data"
[ -f "$out/data/queries-news.txt" ] || python3 bench/prepare.py "$out/data" --shared "$shared" >/dev/null
if [ ! -d "$out/index" ]; then
  "$gz/gazette" index -q -i "$out/index" "$shared/corpora/reuters21578/reuters21578.jsonl.zst" >/dev/null
fi
"$gz/bench/gazette_serve_bench" "$gz/gazette" "$out/index" "$out/data/queries-news.txt" --seconds "$seconds" \
  --clients 1,4,16 > "$out/results.jsonl"
python3 - "$out/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
library = next(r for r in rows if r["mode"] == "library")
encoded = next(r for r in rows if r["mode"] == "library+json")
floor = next(r for r in rows if r["mode"] == "http-floor")
http = {r["clients"]: r for r in rows if r["mode"] == "http"}
paired = next(r for r in rows if r["mode"] == "paired")
names = {"library": "library, in process", "library+json": "library + JSON text, in process",
         "http-floor": "HTTP GET /v1/health (floor)", "http": "HTTP /v1/search"}
print("| mode | clients | requests/s | p50 ms | p99 ms | p99 / p50 |")
print("|---|---|---|---|---|---|")
for r in [library, encoded, floor] + [http[c] for c in sorted(http)]:
    print("| %s | %d | %.0f | %.3f | %.3f | %.1f |" % (
        names[r["mode"]], r["clients"], r["rps"], r["p50_ms"], r["p99_ms"], r["p99_ms"] / r["p50_ms"]))
one = http.get(1)
if one:
    print()
    overhead = one["p50_ms"] - library["p50_ms"]
    print("HTTP overhead over in-process p50: %.3f ms, of which" % overhead)
    print("  JSON encoding (library+json - library): %.3f ms" % (encoded["p50_ms"] - library["p50_ms"]))
    print("  transport floor (GET /v1/health p50): %.3f ms" % floor["p50_ms"])
    print("  the rest (parameters, routing, pool; noise): %.3f ms" % (one["p50_ms"] - encoded["p50_ms"] - floor["p50_ms"]))
    print("paired (each query through the library with JSON, then over HTTP, back to back): "
          "HTTP overhead median %.3f ms (quartiles %.3f, %.3f) over %d queries" % (
              paired["overhead_p50_ms"], paired["overhead_p25_ms"], paired["overhead_p75_ms"], paired["requests"]))
    for c in (4, 16):
        if c in http:
            print("throughput at %d clients: %.2fx one client" % (c, http[c]["rps"] / one["rps"]))
PY
