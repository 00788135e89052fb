#!/usr/bin/env python3
"""Builds a large synthetic corpus from real text for the scale run (bench/scale.sh).

Real sentences from Reuters-21578 bodies are recombined into new articles; titles are
real Reuters titles; dates are spread uniformly over 2010-2024; outlets are drawn from
the 1,949 publishers of the UCI news sample (Zipf-weighted, as real coverage is);
tags from the Reuters topics. Fixed seed, so every run builds the same corpus.

  make_scale_corpus.py COUNT OUT.jsonl [--shared DIR] [--tsv OUT.tsv]

--tsv also writes the same articles in the peers' input format (bench/prepare.py).
"""
import argparse
import datetime
import json
import random
import re
import subprocess
from pathlib import Path

from prepare import to_tsv

SEED = 20261125


def zstd_json(path):
    data = subprocess.run(["zstd", "-dcq", str(path)], check=True, capture_output=True).stdout
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    parser.add_argument("--tsv", help="also write the articles as the peers' TSV")
    args = parser.parse_args()
    shared = Path(args.shared)
    reuters = zstd_json(shared / "corpora/reuters21578/reuters21578.jsonl.zst")
    uci = zstd_json(shared / "corpora/uci-news-aggregator/uci-news-aggregator-sample.jsonl.zst")

    sentences = []
    for record in reuters:
        body = " ".join((record.get("body") or "").split())
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if 40 <= len(s.strip()) <= 400]
    titles = [r["title"] for r in reuters if r.get("title")]
    outlets = sorted({r["outlet"] for r in uci if r.get("outlet")})
    topics = sorted({t for r in reuters for t in (r.get("tags") or [])})
    rng = random.Random(SEED)
    rng.shuffle(outlets)
    weights = [1.0 / (rank + 1) for rank in range(len(outlets))]
    start = datetime.datetime(2010, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    span = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc).timestamp() - start

    records = []
    with open(args.out, "w", encoding="utf-8") as out:
        for i in range(args.count):
            when = datetime.datetime.fromtimestamp(start + rng.random() * span, datetime.timezone.utc)
            article = {
                "id": f"scale-{i}",
                "url": None,
                "title": rng.choice(titles),
                "body": " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 12))),
                "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
                "outlet": rng.choices(outlets, weights)[0],
                "authors": [],
                "lang": "en",
                "tags": rng.sample(topics, rng.randint(0, 2)),
            }
            out.write(json.dumps(article) + "\n")
            if args.tsv:
                records.append(article)
    if args.tsv:
        to_tsv(records, args.tsv)
    print(f"wrote {args.count} articles from {len(sentences)} sentences and {len(outlets)} outlets to {args.out}")


if __name__ == "__main__":
    main()
