#!/usr/bin/env bash
# Gazette against Lucene 8.7, SQLite FTS5 and plain Xapian, side by side, same machine,
# same data. Installs the peers from Debian, builds Gazette in Release mode, indexes
# every corpus with every engine, runs the query sets, and writes the report.
#
#   bench/run.sh [--smoke] [--reps N] [--index-reps N] [--out DIR]
#                [--engines "gazette gazette-1w lucene xapian fts5"] [--gazette-build DIR]
# gazette is `gazette index` as a user runs it (a writing lane per core); gazette-1w
# writes with one lane (--writers 1). Gazette indexes with --keep-duplicates so every
# engine stores the same articles (Reuters holds ~1,000 repeats).
#
# --smoke: 200 articles and 20 queries per set, one repetition, report in OUT only
# (CI uses it to check the harness still runs). Otherwise the report replaces the
# generated section of docs/benchmarks.md and docs/benchmarks.svg. --gazette-build uses
# an existing Release build with the benchmark programs (CI: the one it just tested)
# instead of building build-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

smoke=0 reps=5 index_reps=3 out="$root/build-bench/results" engines="gazette gazette-1w lucene xapian fts5"
gz=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; reps=1; index_reps=1 ;;
    --reps) reps="$2"; shift ;;
    --index-reps) index_reps="$2"; shift ;;
    --out) out="$2"; shift ;;
    --engines) engines="$2"; shift ;;
    --gazette-build) gz="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

source bench/setup.sh

echo "==> preparing data"
data="$out/data"
smoke_flag=""; [ "$smoke" = 1 ] && smoke_flag="--smoke"
$py bench/prepare.py "$data" --shared "$shared" $smoke_flag

results="$out/results.jsonl"
: > "$results"
indexes="$out/indexes"

index_command() {  # engine corpus directory: sets the array "command"
  local engine=$1 corpus=$2 dir=$3
  case "$engine" in
    gazette) command=("$gz"/gazette index -q --keep-duplicates -i "$dir" "$data/$corpus.jsonl") ;;
    gazette-1w) command=("$gz"/gazette index -q --keep-duplicates --writers 1 -i "$dir" "$data/$corpus.jsonl") ;;
    lucene) command=(java -cp "$lucene_cp" LuceneBench index "$dir" "$data/$corpus.tsv") ;;
    xapian) command=("$py" bench/peers/xapian_bench.py index "$dir" "$data/$corpus.tsv") ;;
    fts5) command=("$py" bench/peers/fts5_bench.py index "$dir" "$data/$corpus.tsv") ;;
  esac
}

query_with() {  # engine directory queries [flags...]
  local engine=$1 dir=$2 queries=$3
  shift 3
  case "$engine" in
    gazette|gazette-1w) "$gz"/bench/gazette_query_bench "$dir" "$queries" --reps "$reps" "$@" ;;
    lucene) java -cp "$lucene_cp" LuceneBench query "$dir" "$queries" --reps "$reps" "$@" ;;
    xapian) $py bench/peers/xapian_bench.py query "$dir" "$queries" --reps "$reps" "$@" ;;
    fts5) $py bench/peers/fts5_bench.py query "$dir" "$queries" --reps "$reps" "$@" ;;
  esac
}

for corpus in reuters uci cranfield; do
  articles=$(wc -l < "$data/$corpus.jsonl")
  input_bytes=$(stat -c %s "$data/$corpus.jsonl")
  for engine in $engines; do
    for rep in $(seq 1 "$index_reps"); do
      dir="$indexes/$engine-$corpus"
      rm -rf "$dir"; mkdir -p "$dir"
      index_command "$engine" "$corpus" "$dir"
      /usr/bin/time -f "%e %M" -o "$out/time.txt" "${command[@]}" >/dev/null
      read -r seconds rss_kb < <(tail -n 1 "$out/time.txt")
      size=$(du -sb "$dir" | cut -f1)
      echo "    $engine $corpus rep $rep: ${seconds}s, ${rss_kb} KiB peak, $size bytes"
      printf '{"kind": "index", "engine": "%s", "corpus": "%s", "rep": %s, "seconds": %s, "max_rss_kb": %s, "size_bytes": %s, "articles": %s, "input_bytes": %s}\n' \
        "$engine" "$corpus" "$rep" "$seconds" "$rss_kb" "$size" "$articles" "$input_bytes" >> "$results"
    done
  done
done

echo "==> queries"
run_set() {  # label corpus queries flags...
  local label=$1 corpus=$2 queries=$3
  shift 3
  for engine in $engines; do
    local line
    line=$(query_with "$engine" "$indexes/$engine-$corpus" "$queries" "$@")
    echo "    $engine $label: done"
    $py -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(kind="query", set=sys.argv[2]); print(json.dumps(d))' \
      "$line" "$label" >> "$results"
  done
}
run_set "cranfield" cranfield "$data/queries-cranfield.txt"
run_set "cranfield+facets" cranfield "$data/queries-cranfield.txt" --facets
run_set "news" reuters "$data/queries-news.txt"
run_set "news+facets" reuters "$data/queries-news.txt" --facets
run_set "news+filter+facets" reuters "$data/queries-news-filtered.tsv" --filtered --facets
run_set "phrases" reuters "$data/queries-phrases.txt"

echo "==> quality (Cranfield: nDCG@10, MAP, P@10, Recall@1000, scored by gazette eval)"
mkdir -p "$out/runs"
for engine in $engines; do
  run_file="$out/runs/$engine-cranfield.run"
  case "$engine" in
    gazette|gazette-1w) "$gz"/gazette eval -i "$indexes/$engine-cranfield" --topics "$data/topics-cranfield.tsv" \
                              --qrels "$data/qrels-cranfield" --run "$run_file" --tag "$engine" >/dev/null ;;
    lucene) java -cp "$lucene_cp" LuceneBench run "$indexes/$engine-cranfield" "$data/topics-cranfield.tsv" "$run_file" lucene ;;
    xapian) $py bench/peers/xapian_bench.py run "$indexes/$engine-cranfield" "$data/topics-cranfield.tsv" "$run_file" xapian ;;
    fts5) $py bench/peers/fts5_bench.py run "$indexes/$engine-cranfield" "$data/topics-cranfield.tsv" "$run_file" fts5 ;;
  esac
  line=$("$gz"/gazette eval --json --qrels "$data/qrels-cranfield" --score-run "$run_file")
  echo "    $engine: $(echo "$line" | $py -c 'import json,sys; d=json.load(sys.stdin); print("nDCG@10 %.4f MAP %.4f P@10 %.4f" % (d["ndcg@10"], d["map"], d["p@10"]))')"
  $py -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(kind="quality", engine=sys.argv[2], collection="cranfield"); print(json.dumps(d))' \
    "$line" "$engine" >> "$results"
done

echo "==> report"
invocation="bench/run.sh $([ "$smoke" = 1 ] && echo --smoke || true) --reps $reps --index-reps $index_reps"
if [ "$smoke" = 1 ]; then
  $py bench/report.py "$results" --markdown "$out/benchmarks.md" --svg "$out/benchmarks.svg" --command "$invocation"
else
  $py bench/report.py "$results" --markdown docs/benchmarks.md --svg docs/benchmarks.svg --command "$invocation"
fi
