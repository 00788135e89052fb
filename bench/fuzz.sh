#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer under ASan and UBSan, and reports
# per target: executions, seconds, and what was found (crashes, timeouts over 1 s,
# leaks, out-of-memory), as the table in docs/reliability.md.
#
#   bench/fuzz.sh [--seconds N] [--build DIR] [--out DIR] [--only a,b] [--shared DIR]
#
# --seconds: per target (default 600, the long run docs/reliability.md reports; CI runs
# 10). DIR (default build-fuzz) is configured with clang++-15 and -DGAZETTE_FUZZ=ON when
# new; CI passes its sanitizer build, which is such a build. Seed corpora come from tests/fuzz/seeds, the project's own fixtures and samples
# of the shared corpora (pages, articles, Cranfield's files); the corpus each run grows
# is kept in OUT/corpus/TARGET for the next run. Inputs up to 100 KB; an input that takes
# over a second is a finding. Exits 1 when any target found something: its input is in
# OUT/findings/TARGET/, to be replayed with the target binary and turned into a
# regression input under tests/fuzz/regressions/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=600 build="$root/build-fuzz" out="$root/build-fuzz/fuzz-run" only=""
shared="${GAZETTE_SHARED_DIR:-$root/../shared}"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --build) build="$2"; shift ;;
    --out) out="$2"; shift ;;
    --only) only="$2"; shift ;;
    --shared) shared="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

targets=(query_parser jsonl_reader smart_reader html_page scraped_text date_text eval_files decompress)
if [ -n "$only" ]; then IFS=, read -r -a targets <<< "$only"; fi

if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "==> configuring $build (clang++-15, libFuzzer, ASan, UBSan)"
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++-15 -DGAZETTE_FUZZ=ON -DGAZETTE_BUILD_TESTS=OFF \
    -DGAZETTE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
grep -q '^GAZETTE_FUZZ:BOOL=ON' "$build/CMakeCache.txt" || { echo "$build is not a -DGAZETTE_FUZZ=ON build" >&2; exit 2; }
echo "==> building the fuzz targets in $build"
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/gazette_fuzz_}" >/dev/null

# Seeds: the project's own, then samples of the shared corpora where they are.
seeds="$out/seeds"
rm -rf "$seeds"
for target in "${targets[@]}"; do
  mkdir -p "$seeds/$target" "$out/corpus/$target"
  cp -r tests/fuzz/seeds/"$target"/. "$seeds/$target/"
done
copy_if() { [ -d "$seeds/$1" ] && cp "${@:2}" "$seeds/$1/" 2>/dev/null || true; }
copy_if html_page tests/fixtures/html/*.html
copy_if scraped_text corpus/seeds/*
if [ -d "$seeds/jsonl_reader" ]; then
  head -c 100000 corpus/reuters-sample.jsonl > "$seeds/jsonl_reader/reuters-sample.jsonl"
  head -c 100000 corpus/uci-news-sample.jsonl > "$seeds/jsonl_reader/uci-sample.jsonl"
fi
if [ -d "$shared/corpora/readability-test-pages" ] && [ -d "$seeds/html_page" ]; then
  # Thirty real pages (each cut to 100 KB, the inputs' cap).
  pages=$(mktemp -d)
  tar -C "$pages" -xf "$shared/corpora/readability-test-pages/readability-test-pages.tar.zst" \
    --use-compress-program=unzstd 2>/dev/null || true
  find "$pages" -name source.html | sort | head -30 | while read -r page; do
    head -c 100000 "$page" > "$seeds/html_page/$(basename "$(dirname "$page")").html"
  done
  rm -rf "$pages"
fi
if [ -d "$shared/corpora/seeds" ] && [ -d "$seeds/scraped_text" ]; then
  find "$shared/corpora/seeds" -type f -size -100k | head -10 | while read -r f; do cp "$f" "$seeds/scraped_text/"; done
fi
cran="$shared/eval/cranfield"
if [ -d "$cran" ]; then
  [ -d "$seeds/smart_reader" ] && head -c 50000 "$cran/cran.all.1400" > "$seeds/smart_reader/cran.all"
  if [ -d "$seeds/eval_files" ]; then
    { printf '\x00'; head -c 20000 "$cran/cran.qry"; } > "$seeds/eval_files/cran.qry"
    { printf '\x03'; head -c 20000 "$cran/cranqrel"; } > "$seeds/eval_files/cranqrel"
  fi
fi
if [ -d "$seeds/decompress" ]; then
  head -c 20000 corpus/reuters-sample.jsonl | gzip -c > "$seeds/decompress/sample.jsonl.gz"
  head -c 20000 corpus/reuters-sample.jsonl | zstd -q -c > "$seeds/decompress/sample.jsonl.zst"
fi

found_any=0
report="$out/summary.md"
{
  echo "| target | seconds | executions | exec/s | corpus inputs | findings |"
  echo "|---|---|---|---|---|---|"
} > "$report"
for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/gazette_fuzz_$target"
  findings="$out/findings/$target"
  mkdir -p "$findings"
  log="$out/$target.log"
  echo "==> fuzzing $target for ${seconds}s"
  set +e
  # -fork is not used: one process keeps the coverage guidance whole. Leaks are
  # findings (detect_leaks); a finding stops the run, as libFuzzer does.
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$binary" -max_total_time="$seconds" -timeout=1 -max_len=102400 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/" -print_final_stats=1 \
    "$out/corpus/$target" "$seeds/$target" > "$log" 2>&1
  status=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' || true)
  [ -z "$took" ] && took="$seconds"
  inputs=$(find "$out/corpus/$target" -type f | wc -l)
  artifacts=$(find "$findings" -type f | wc -l)
  what="none"
  if [ "$status" -ne 0 ] || [ "$artifacts" -gt 0 ]; then
    found_any=1
    what="$(find "$findings" -type f -printf '%f ' | sed 's/ $//') (exit $status; $log)"
    grep -m3 -E 'ERROR|SUMMARY|runtime error|terminate called' "$log" | sed 's/^/    /' || true
  fi
  rate=$(( took > 0 ? runs / took : runs ))
  echo "| $target | $took | $runs | $rate | $inputs | $what |" >> "$report"
  echo "    $runs executions, $rate/s, findings: $what"
done
echo
cat "$report"
exit "$found_any"
