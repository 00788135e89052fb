#!/usr/bin/env bash
# The scale run: builds a synthetic corpus of COUNT articles from the real ones
# (bench/make_scale_corpus.py), indexes it with bench/scale_bench.cpp, and writes the
# curve (throughput and RSS every 50,000 articles, query p50 at 10k/100k/1M) into
# docs/benchmarks.md. Not part of CI: a million articles take a while.
#   bench/scale.sh [COUNT] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000000}"
work="${2:-build-bench/scale}"
shared="${GAZETTE_SHARED_DIR:-}"
for candidate in "$(pwd)/../shared" /work/shared; do
  [ -z "$shared" ] && [ -d "$candidate/corpora" ] && shared="$candidate"
done
scripts/setup.sh build-bench -DGAZETTE_BUILD_TESTS=OFF -DGAZETTE_BUILD_BENCH=ON >/dev/null
mkdir -p "$work"
[ -f "$work/corpus-$count.jsonl" ] || python3 bench/make_scale_corpus.py "$count" "$work/corpus-$count.jsonl" --shared "$shared"
[ -f "$work/data/queries-news.txt" ] || python3 bench/prepare.py "$work/data" --shared "$shared" >/dev/null
rm -rf "$work/index"
build-bench/bench/gazette_scale_bench "$work/index" "$work/corpus-$count.jsonl" "$work/data/queries-news.txt" \
  | tee "$work/scale.jsonl"
python3 bench/report.py "$work/scale.jsonl" --scale --markdown docs/benchmarks.md --command "bench/scale.sh $count"
