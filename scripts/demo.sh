#!/usr/bin/env bash
# The README's first command: set up, build, index corpus/ and run a sample search.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build -DGAZETTE_BUILD_TESTS=OFF
index=build/demo-index
rm -rf "$index"
echo "==> gazette index -i $index corpus/"
build/gazette index -i "$index" corpus/
echo "==> gazette search -i $index --limit 3 damascus"
build/gazette search -i "$index" --limit 3 damascus
echo "==> gazette search -i $index --limit 3 --tag business --from 2014-03 'fed OR ecb'"
build/gazette search -i "$index" --limit 3 --tag business --from 2014-03 'fed OR ecb'
