#!/usr/bin/env python3
"""Prepares benchmark inputs from ../shared: corpora as JSON Lines and query sets.

Writes into OUT_DIR:
  reuters.jsonl, uci.jsonl, cranfield.jsonl      corpora in the common JSON Lines shape
  reuters.tsv, uci.tsv, cranfield.tsv            the same for the peers (see to_tsv)
  queries-cranfield.txt                          the 225 Cranfield queries, one per line
  queries-news.txt                               200 news queries of 2-3 words from Reuters titles
  queries-news-filtered.tsv                      the news queries with one outlet and one month
  queries-phrases.txt                            the news queries as quoted phrases
With --smoke every corpus is cut to its first 200 articles and every query set to 20.
"""
import argparse
import datetime
import json
import random
import re
import subprocess
from pathlib import Path

SEED = 20261125
STOPWORDS = set("""a an and are as at be by for from has have in is it its of on or that the to was
were will with said says say inc corp co ltd plc lt gt vs mln dlrs pct up u s""".split())


def zstd_lines(path):
    data = subprocess.run(["zstd", "-dcq", str(path)], check=True, capture_output=True).stdout
    return data.decode("utf-8").splitlines()


def cranfield_records(path):
    """Parses cran.all.1400 (.I/.T/.A/.B/.W) into article records."""
    records, current, field = [], None, None
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(".I "):
            if current:
                records.append(current)
            # Ids as the judgments (cranqrel) know them.
            current = {"id": str(int(line[3:].strip())), "T": [], "A": [], "B": [], "W": []}
            field = None
        elif line[:2] in (".T", ".A", ".B", ".W") and line.strip() == line[:2]:
            field = line[1]
        elif current is not None and field:
            current[field].append(line)
    if current:
        records.append(current)
    out = []
    for record in records:
        title = " ".join(" ".join(record["T"]).split())
        body = "\n".join(record["W"]).strip()
        # .W repeats the title first; keep the abstract only.
        if body.replace("\n", " ").startswith(title):
            body = body.replace("\n", " ")[len(title):].strip()
        out.append({"id": record["id"], "url": None, "title": title, "body": body, "date": None,
                    "outlet": "Cranfield", "authors": [" ".join(record["A"]).strip()] if record["A"] else [],
                    "tags": [], "lang": "en"})
    return out


def cranfield_queries(path):
    queries, current = [], None
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(".I "):
            if current is not None:
                queries.append(" ".join(current).strip())
            current = []
        elif line.strip() == ".W":
            continue
        elif current is not None:
            current.append(line)
    if current is not None:
        queries.append(" ".join(current).strip())
    # Punctuation would be query syntax in some engines; plain words only, for fairness.
    return [" ".join(re.findall(r"[a-z0-9]+", q.lower())) for q in queries]


def news_queries(reuters, count):
    rng = random.Random(SEED)
    titles = [r["title"] for r in reuters if r.get("title")]
    queries = []
    while len(queries) < count:
        words = [w for w in re.findall(r"[a-z]+", rng.choice(titles).lower())
                 if w not in STOPWORDS and len(w) > 2]
        if len(words) < 2:
            continue
        size = min(len(words), rng.choice((2, 3)))
        start = rng.randrange(0, len(words) - size + 1)
        queries.append(" ".join(words[start:start + size]))
    return queries


def to_tsv(records, path):
    """The peers' input: id, title, body, unix seconds, YYYY-MM, outlet (tabs and newlines
    in text become spaces)."""
    clean = lambda text: " ".join((text or "").replace("\t", " ").split("\n")).replace("\r", " ")
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            seconds, month = "", ""
            if r.get("date"):
                when = datetime.datetime.fromisoformat(r["date"]).replace(tzinfo=datetime.timezone.utc)
                seconds, month = str(int(when.timestamp())), r["date"][:7]
            f.write("\t".join([r["id"], clean(r.get("title")), clean(r.get("body")), seconds, month,
                               clean(r.get("outlet"))]) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parent.parent.parent / "shared"))
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shared = Path(args.shared)
    limit = 200 if args.smoke else None
    query_limit = 20 if args.smoke else None

    reuters_lines = zstd_lines(shared / "corpora/reuters21578/reuters21578.jsonl.zst")
    uci_lines = zstd_lines(shared / "corpora/uci-news-aggregator/uci-news-aggregator-sample.jsonl.zst")
    (out / "reuters.jsonl").write_text("\n".join(reuters_lines[:limit]) + "\n", encoding="utf-8")
    (out / "uci.jsonl").write_text("\n".join(uci_lines[:limit]) + "\n", encoding="utf-8")
    cran = cranfield_records(shared / "eval/cranfield/cran.all.1400")[:limit]
    (out / "cranfield.jsonl").write_text("".join(json.dumps(r) + "\n" for r in cran), encoding="utf-8")

    reuters = [json.loads(line) for line in reuters_lines]
    to_tsv(reuters[:limit], out / "reuters.tsv")
    to_tsv([json.loads(line) for line in uci_lines[:limit]], out / "uci.tsv")
    to_tsv(cran, out / "cranfield.tsv")
    cq = cranfield_queries(shared / "eval/cranfield/cran.qry")[:query_limit]
    nq = news_queries(reuters, 200)[:query_limit]
    (out / "queries-cranfield.txt").write_text("\n".join(cq) + "\n", encoding="utf-8")
    # For the quality table: topics numbered by position, as the judgments number them.
    (out / "topics-cranfield.tsv").write_text("".join(f"{i}\t{q}\n" for i, q in enumerate(cq, 1)), encoding="utf-8")
    (out / "qrels-cranfield").write_bytes((shared / "eval/cranfield/cranqrel").read_bytes())
    (out / "queries-news.txt").write_text("\n".join(nq) + "\n", encoding="utf-8")
    (out / "queries-phrases.txt").write_text("".join(f'"{q}"\n' for q in nq), encoding="utf-8")
    # Filtered variants: one outlet and one month, drawn from the corpus itself.
    rng = random.Random(SEED + 1)
    months = sorted({r["date"][:7] for r in reuters if r.get("date")})
    with open(out / "queries-news-filtered.tsv", "w", encoding="utf-8") as f:
        for q in nq:
            f.write(f"{q}\tReuters\t{rng.choice(months)}\n")
    print(f"prepared {len(reuters_lines[:limit])} reuters, {len(uci_lines[:limit])} uci, {len(cran)} cranfield; "
          f"{len(cq)} cranfield and {len(nq)} news queries in {out}")


if __name__ == "__main__":
    main()
