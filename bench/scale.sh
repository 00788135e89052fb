#!/usr/bin/env bash
# The scale run, side by side: builds a synthetic corpus recombined from the real ones
# (bench/make_scale_corpus.py), then for each COUNT indexes its first COUNT articles with
# each engine (Gazette's default writer, as `gazette index` runs it; Lucene 8.7; plain
# Xapian when asked), recording the throughput every 50,000 articles, the total time,
# peak memory and the index size as found when the indexer returns, and then runs the
# news queries against each index with and without facets (outlet top 10 + month
# histogram over all matches). Writes the tables into docs/benchmarks.md.
#
#   bench/scale.sh [--counts "500000 1000000"] [--engines "gazette lucene"] [--reps N]
#                  [--out DIR] [--gazette-build DIR] [--keep-duplicates] [--report FILE]
#
# Not part of CI: a million articles take a while. --keep-duplicates runs Gazette
# without duplicate detection (the peers have none); the default detects them, as
# `gazette index` does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

counts="500000 1000000" engines="gazette lucene" reps=3 out="$root/build-bench/scale" gz="" gazette_flags=""
report=docs/benchmarks.md
while [ $# -gt 0 ]; do
  case "$1" in
    --counts) counts="$2"; shift ;;
    --engines) engines="$2"; shift ;;
    --reps) reps="$2"; shift ;;
    --out) out="$2"; shift ;;
    --gazette-build) gz="$2"; shift ;;
    --keep-duplicates) gazette_flags="--keep-duplicates" ;;
    --report) report="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
out=$(realpath -m "$out")
mkdir -p "$out"

source bench/setup.sh

largest=$(echo "$counts" | tr ' ' '\n' | sort -n | tail -1)
corpus="$out/corpus-$largest"
echo "==> corpus ($largest articles)"
[ -f "$corpus.jsonl" ] && [ -f "$corpus.tsv" ] ||
  (cd bench && $py make_scale_corpus.py "$largest" "$corpus.jsonl" --tsv "$corpus.tsv" --shared "$shared")
[ -f "$out/data/queries-news.txt" ] || $py bench/prepare.py "$out/data" --shared "$shared" >/dev/null

results="$out/results.jsonl"
: > "$results"
for count in $counts; do
  input="$out/input-$count"
  head -n "$count" "$corpus.jsonl" > "$input.jsonl"
  head -n "$count" "$corpus.tsv" > "$input.tsv"
  input_bytes=$(stat -c %s "$input.jsonl")
  for engine in $engines; do
    dir="$out/index-$engine"
    rm -rf "$dir"; mkdir -p "$dir"
    case "$engine" in
      gazette) command=("$gz"/bench/gazette_scale_bench "$dir" "$input.jsonl" $gazette_flags) ;;
      lucene) command=(java -cp "$lucene_cp" LuceneBench index "$dir" "$input.tsv" --progress 50000) ;;
      xapian) command=("$py" bench/peers/xapian_bench.py index "$dir" "$input.tsv") ;;
    esac
    echo "==> $engine: indexing $count articles"
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "${command[@]}" > "$out/progress.jsonl"
    read -r seconds rss_kb < <(tail -n 1 "$out/time.txt")
    size=$(du -sb "$dir" | cut -f1)
    echo "    ${seconds}s, $((rss_kb / 1024)) MiB peak, $((size / 1048576)) MiB"
    grep '"kind": "progress"' "$out/progress.jsonl" |
      $py -c 'import json,sys; [print(json.dumps(dict(json.loads(l), count=int(sys.argv[1])))) for l in sys.stdin]' "$count" \
      >> "$results" || true
    printf '{"kind": "index", "engine": "%s", "count": %s, "seconds": %s, "max_rss_kb": %s, "size_bytes": %s, "input_bytes": %s}\n' \
      "$engine" "$count" "$seconds" "$rss_kb" "$size" "$input_bytes" >> "$results"
    for facets in "" "--facets"; do
      case "$engine" in
        gazette) line=$("$gz"/bench/gazette_query_bench "$dir" "$out/data/queries-news.txt" --reps "$reps" $facets) ;;
        lucene) line=$(java -cp "$lucene_cp" LuceneBench query "$dir" "$out/data/queries-news.txt" --reps "$reps" $facets) ;;
        xapian) line=$($py bench/peers/xapian_bench.py query "$dir" "$out/data/queries-news.txt" --reps "$reps" $facets) ;;
      esac
      $py -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(kind="query", engine=sys.argv[2], count=int(sys.argv[3]), facets=sys.argv[4] != ""); print(json.dumps(d))' \
        "$line" "$engine" "$count" "$facets" >> "$results"
      echo "    queries ${facets:-without facets}: done"
    done
  done
  rm -f "$input.jsonl" "$input.tsv"
done

echo "==> report"
$py bench/report.py "$results" --scale --markdown "$report" \
  --command "bench/scale.sh --counts \"$counts\" --engines \"$engines\" --reps $reps${gazette_flags:+ $gazette_flags}"
