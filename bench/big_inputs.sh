#!/usr/bin/env bash
# Big and odd inputs, measured (docs/reliability.md): a JSON Lines file of 2 GB with a bad
# line every 1,000 read end to end (records and errors counted exactly, peak memory),
# the same file's first 200 MB indexed (resident memory sampled through the run),
# 100,000 tiny files in one directory indexed, and one article of 100 MB stored with
# --max-file-size 0 (time, peak memory).
#
#   bench/big_inputs.sh [--gazette build/gazette] [--work DIR] [--gigabytes N]
#
# Needs about 3 GB free in DIR (default /tmp/gazette-big). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
gazette="$root/build/gazette" work=/tmp/gazette-big gigabytes=2
while [ $# -gt 0 ]; do
  case "$1" in
    --gazette) gazette="$2"; shift ;;
    --work) work="$2"; shift ;;
    --gigabytes) gigabytes="$2"; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$work"
shared="${GAZETTE_SHARED_DIR:-$root/../shared}"
peak() { /usr/bin/time -f '%e s, peak %M KB' "$@"; }

echo "==> a ${gigabytes} GB JSON Lines file with a bad line every 1,000"
big="$work/big.jsonl"
python3 - "$shared/corpora/reuters21578/reuters21578.jsonl.zst" "$big" "$gigabytes" <<'EOF'
import io, json, subprocess, sys
source, target, gigabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
lines = subprocess.run(["zstd", "-dcq", source], capture_output=True, check=True).stdout.decode().splitlines()
limit, written, records, bad, n = int(gigabytes * (1 << 30)), 0, 0, 0, 0
with open(target, "w") as out:
    while written < limit:
        for line in lines:
            n += 1
            if n % 1000 == 0:
                text = '{"title": "a bad line", "body": \n'  # Truncated JSON.
                bad += 1
            else:
                record = json.loads(line)
                record["id"] = f"big-{n}"
                text = json.dumps(record) + "\n"
                records += 1
            out.write(text)
            written += len(text.encode())
            if written >= limit:
                break
print(f"{written} bytes, {records} good records, {bad} bad lines", file=sys.stderr)
open(target + ".counts", "w").write(f"{records} {bad}\n")
EOF
read -r records bad < "$big.counts"
echo "    expected: $records articles, $bad bad lines"
echo "==> gazette extract over it (read stage: every record parsed, checked and written out)"
{ peak "$gazette" extract "$big" 2> "$work/extract.err" || true; } |
  awk '/^\{"error"/{e++; next} {a++} END{printf "    %d articles and %d error records out\n", a, e}'
grep -v '^gazette: ' "$work/extract.err" | tail -1  # The time and peak memory line.
echo "    (expected $records articles and $bad errors)"

echo "==> gazette index of its first 200 MB (resident memory sampled every 2 s)"
head -c $((200 << 20)) "$big" | head -n -1 > "$work/part.jsonl"
rm -rf "$work/part.idx"
"$gazette" index -q -i "$work/part.idx" "$work/part.jsonl" 2> "$work/index.err" &
pid=$!
samples=()
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$rss" ] && samples+=("$rss")
  sleep 2
done
wait "$pid" || true
tail -1 "$work/index.err"
n=${#samples[@]}
if [ "$n" -gt 0 ]; then
  printf '    RSS samples: %s (KB, every 2 s)\n' "${samples[*]}"
fi
echo "    bad lines named: $(grep -c 'part.jsonl:' "$work/index.err" || true)"

echo "==> 100,000 tiny files in one directory"
tiny="$work/tiny"
rm -rf "$tiny" "$work/tiny.idx"
mkdir -p "$tiny"
python3 - "$tiny" <<'EOF'
import sys
for i in range(100000):
    with open(f"{sys.argv[1]}/note-{i:06d}.txt", "w") as f:
        f.write(f"Note {i}\n\nA tiny note number {i} about the harbour.\n")
EOF
peak "$gazette" index -q --date 2020-01-01 -i "$work/tiny.idx" "$tiny" 2>&1 | tail -2
"$gazette" stats -i "$work/tiny.idx" | head -1

echo "==> one article of 100 MB, stored with --max-file-size 0"
python3 - "$work/huge.jsonl" <<'EOF'
import json, random, sys
random.seed(1)
words = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(2, 9))) for _ in range(50000)]
body = " ".join(random.choice(words) for _ in range(16_000_000))[: 100 << 20]
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": "huge", "title": "A very long article", "date": "2020-01-01", "body": body}) + "\n")
EOF
rm -rf "$work/huge.idx"
peak "$gazette" index -q --max-file-size 0 -i "$work/huge.idx" "$work/huge.jsonl" 2>&1 | tail -2
