#!/usr/bin/env bash
# The README's second command: set up, build, run every test, build and run them again
# (all but the longest suites) under AddressSanitizer and UndefinedBehaviorSanitizer with
# clang, fuzz every parser of outside input for a few seconds with libFuzzer in that same
# build, then check that the benchmark harness still runs end to end (bench/run.sh --smoke).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
# The search page is tested in headless Chromium driven by Selenium; the sanitizer build
# is clang's, with libFuzzer, so that the fuzz targets run in it.
export GAZETTE_EXTRA_PACKAGES="chromium chromium-driver python3-selenium clang-15 libfuzzer-15-dev"
scripts/setup.sh build -DGAZETTE_BUILD_TESTS=ON
echo "==> ctest (release)"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "==> building with ASan + UBSan (clang 15, fuzz targets with libFuzzer)"
# The benchmark programs are compiled (and checked) by the Release build above.
scripts/setup.sh build-sanitize -DCMAKE_CXX_COMPILER=clang++-15 -DGAZETTE_BUILD_TESTS=ON -DGAZETTE_BUILD_BENCH=OFF \
  -DGAZETTE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "==> ctest (sanitizers)"
# Everything but the whole-Reuters suites (e2e.reuters, e2e.newcomer), which run the same code as e2e.cli on more
# data and would take half the CI budget under the sanitizers (they ran above in Release),
# the server under load (e2e.server runs the same code on less), and the browser test,
# whose server code e2e.server already runs under them, and the kill and concurrency
# trials (e2e.faults_long: the same binary killed twenty times; e2e.faults runs here).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure -j"$jobs" -E '^e2e\.(reuters|newcomer|server_load|browser|faults_long)$'
echo "==> fuzzing each parser for 8 s (the long run: bench/fuzz.sh, docs/reliability.md)"
bench/fuzz.sh --build build-sanitize --seconds 8 --out build-sanitize/fuzz-run
echo "==> benchmark harness (smoke run: 200 articles, every engine)"
bench/run.sh --smoke --out build-bench/smoke --gazette-build build
echo "==> all tests passed"
