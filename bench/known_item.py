#!/usr/bin/env python3
"""Known-item search: does searching an article's exact title find it at rank 1?

Usage: bench/known_item.py GAZETTE_BINARY INDEX REUTERS_JSONL[.zst] [--count 500] [--seed 20261125]
                           [--min-mrr X]
Picks COUNT stored articles whose title is unique in the collection (a title two
articles share cannot name one of them), searches each title as a user would type it
(the default query syntax, all words required), and reports the mean reciprocal rank
over the first 10 results (0 when not in them) and the share found at rank 1.
"""
import argparse, json, random, subprocess, sys
from collections import Counter


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('gazette'); parser.add_argument('index'); parser.add_argument('reuters')
    parser.add_argument('--count', type=int, default=500)
    parser.add_argument('--seed', type=int, default=20261125)
    parser.add_argument('--min-mrr', type=float, default=0.0)
    args = parser.parse_args()
    if args.reuters.endswith('.zst'):
        text = subprocess.run(['zstd', '-dcq', args.reuters], check=True, capture_output=True).stdout.decode()
    else:
        text = open(args.reuters, encoding='utf-8').read()
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    fold = lambda t: ' '.join((t or '').lower().split())
    counts = Counter(fold(r.get('title')) for r in records)
    candidates = [r for r in records if r.get('title') and counts[fold(r['title'])] == 1]
    random.Random(args.seed).shuffle(candidates)
    reciprocal, first, asked, missing = 0.0, 0, 0, 0
    misses = []
    for record in candidates:
        if asked == args.count:
            break
        shown = subprocess.run([args.gazette, 'show', '--json', '-i', args.index, record['id']], capture_output=True)
        if shown.returncode != 0:  # Not stored (an exact duplicate of another article).
            missing += 1
            continue
        asked += 1
        result = subprocess.run([args.gazette, 'search', '--json', '--limit', '10', '--facet-size', '0',
                                 '--date-facet', 'none', '-i', args.index, record['title']], capture_output=True)
        ids = [h['id'] for h in json.loads(result.stdout)['hits']] if result.returncode == 0 else []
        if record['id'] in ids:
            rank = ids.index(record['id']) + 1
            reciprocal += 1.0 / rank
            first += rank == 1
            if rank > 1:
                misses.append((rank, record['title']))
        else:
            misses.append((None, record['title'] + ('' if result.returncode == 0 else ' [query error]')))
    mrr = reciprocal / asked if asked else 0.0
    print(f"known-item queries: {asked} unique titles (seed {args.seed}; {missing} picks skipped: not stored)")
    print(f"MRR@10 {mrr:.4f}   found at rank 1: {first} ({first / asked:.1%})")
    for rank, title in misses[:10]:
        print(f"  rank {rank or '>10'}: {title}")
    if mrr < args.min_mrr:
        print(f"below the required MRR {args.min_mrr}")
        sys.exit(1)


if __name__ == '__main__':
    main()
