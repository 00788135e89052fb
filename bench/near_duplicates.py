#!/usr/bin/env python3
"""Precision and recall of Gazette's near-duplicate grouping on a test set built from
Reuters-21578: stories with known edits (sentences dropped or reordered, a word changed,
a different outlet and footer) among unrelated distractor stories.

Usage: bench/near_duplicates.py GAZETTE_BINARY REUTERS_JSONL[.zst] [--stories 200] [--distractors 2000]
                                [--min-precision P] [--min-recall R]
With --min-precision/--min-recall it exits 1 when a figure is below (ctest runs it so).
Pairs are counted over all articles: a pair is predicted when both got the same story
id, and true when both come from the same original story.
"""
import argparse, json, random, re, subprocess, sys, tempfile, os, itertools

def sentences(text):
    return [s for s in re.split(r'(?<=[.!?])\s+', text.strip()) if s]

def variant(rng, original, n):
    s = sentences(original['body'])
    kind = n % 3
    if kind == 0:                       # drop one or two sentences
        for _ in range(rng.choice([1, 2])):
            if len(s) > 4:
                s.pop(rng.randrange(1, len(s)))
    elif kind == 1:                     # swap two adjacent sentences, change a word
        i = rng.randrange(0, len(s) - 1)
        s[i], s[i + 1] = s[i + 1], s[i]
        s = [x.replace(' said ', ' stated ', 1) for x in s]
    else:                               # trim the last sentence, add a lead-in
        s = ['(Wire copy)'] + s[:-1]
    footer = rng.choice(['Reporting by staff; editing by the desk.', 'Copyright 1987 Syndicated Wire.',
                         'This story was distributed by a partner agency.'])
    return {'id': f"{original['id']}-v{n}", 'title': original['title'], 'body': ' '.join(s) + '\n\n' + footer,
            'outlet': f'Outlet {chr(65 + n)}', 'date': original.get('date')}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('gazette'); parser.add_argument('reuters')
    parser.add_argument('--stories', type=int, default=200)
    parser.add_argument('--distractors', type=int, default=2000)
    parser.add_argument('--seed', type=int, default=20261125)
    parser.add_argument('--min-precision', type=float, default=0.0)
    parser.add_argument('--min-recall', type=float, default=0.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.reuters.endswith('.zst'):
        text = subprocess.run(['zstd', '-dcq', args.reuters], check=True, capture_output=True).stdout.decode()
    else:
        text = open(args.reuters, encoding='utf-8').read()
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    long_ones = [r for r in records if len(r.get('body') or '') >= 1000 and len(sentences(r['body'])) >= 6]
    rng.shuffle(long_ones)
    chosen = long_ones[:args.stories]
    chosen_ids = {r['id'] for r in chosen}
    others = [r for r in records if r['id'] not in chosen_ids and len(r.get('body') or '') >= 400]
    rng.shuffle(others)
    truth, articles = {}, []
    for r in chosen:
        articles.append({k: r.get(k) for k in ('id', 'title', 'body', 'outlet', 'date')}); truth[r['id']] = r['id']
        for n in range(rng.choice([1, 2, 3])):
            v = variant(rng, r, n); articles.append(v); truth[v['id']] = r['id']
    for r in others[:args.distractors]:
        articles.append({k: r.get(k) for k in ('id', 'title', 'body', 'outlet', 'date')}); truth[r['id']] = r['id']
    rng.shuffle(articles)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'set.jsonl')
        with open(path, 'w') as out:
            for a in articles: out.write(json.dumps(a) + '\n')
        index = os.path.join(tmp, 'index')
        subprocess.run([args.gazette, 'index', '-q', '-i', index, path], check=True, stdout=subprocess.DEVNULL)
        result = json.loads(subprocess.run([args.gazette, 'search', '--json', '-i', index, '--limit', str(len(articles) + 10),
                                            '--facet-size', '0', ''], check=True, capture_output=True).stdout)
    story = {h['id']: h.get('story_id', h['id']) for h in result['hits']}
    missing = [i for i in truth if i not in story]
    def pairs(groups):
        by = {}
        for i, g in groups.items(): by.setdefault(g, []).append(i)
        return {tuple(sorted(p)) for members in by.values() for p in itertools.combinations(members, 2)}
    stored = {i: truth[i] for i in story}
    true_pairs, predicted = pairs(stored), pairs(story)
    tp = len(true_pairs & predicted)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0
    print(f"articles {len(articles)} (stories with copies {len(chosen)}, distractors {min(args.distractors, len(others))}), "
          f"not stored (exact duplicates) {len(missing)}")
    print(f"true pairs {len(true_pairs)}, predicted pairs {len(predicted)}, correct {tp}")
    print(f"precision {precision:.3f}  recall {recall:.3f}")
    wrong = sorted(predicted - true_pairs)[:5]
    for a, b in wrong: print(f"  false pair: {a} ~ {b}")
    if precision < args.min_precision or recall < args.min_recall:
        print(f"below the required precision {args.min_precision} / recall {args.min_recall}")
        sys.exit(1)

if __name__ == '__main__':
    main()
