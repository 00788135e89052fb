#!/usr/bin/python3
"""SQLite FTS5 peer for bench/run.sh: porter unicode61 tokenizer, bm25(), GROUP BY facets.
  fts5_bench.py index DB_DIR INPUT.tsv
  fts5_bench.py query DB_DIR QUERIES [--reps N] [--facets] [--filtered]
INPUT.tsv: id, title, body, unix seconds (or empty), YYYY-MM (or empty), outlet."""
import json
import os
import re
import sqlite3
import time

from peer_cli import month_range, run


def connect(directory):
    os.makedirs(directory, exist_ok=True)
    return sqlite3.connect(os.path.join(directory, "fts5.db"))


def index(directory, source):
    path = os.path.join(directory, "fts5.db")
    if os.path.exists(path):
        os.remove(path)
    db = connect(directory)
    # Title weighs 3x through bm25()'s column weights at query time.
    db.execute("CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, title, body, date UNINDEXED, "
               "month UNINDEXED, outlet UNINDEXED, tokenize='porter unicode61')")
    count = 0
    with open(source, encoding="utf-8") as lines, db:
        rows = []
        for line in lines:
            doc_id, title, body, seconds, month, outlet = line.rstrip("\n").split("\t")
            rows.append((doc_id, title, body, int(seconds) if seconds else None, month or None, outlet or None))
            if len(rows) == 5000:
                db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", rows)
                count += len(rows)
                rows = []
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", rows)
        count += len(rows)
    db.close()
    print(json.dumps({"engine": "fts5", "indexed": count}))


def query(directory, queries_path, reps, facets, filtered):
    db = connect(directory)
    work = []
    with open(queries_path, encoding="utf-8") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            words = re.findall(r"\w+", fields[0])
            if not words:
                continue
            match = " OR ".join('"' + w + '"' for w in words)
            if len(fields[0]) > 1 and fields[0][0] == fields[0][-1] == '"':  # A phrase.
                match = '"' + " ".join(words) + '"'
            where, params = "articles MATCH ?", [match]
            if filtered:
                low, high = month_range(fields[2])
                where += " AND outlet = ? AND date BETWEEN ? AND ?"
                params += [fields[1], low, high]
            work.append((where, params))
    latencies, hits = [], 0
    for rep in range(reps + 1):
        for where, params in work:
            start = time.perf_counter()
            top = db.execute(f"SELECT id, title, outlet, date FROM articles WHERE {where} "
                             "ORDER BY bm25(articles, 0, 3.0, 1.0) LIMIT 10", params).fetchall()
            total = None
            if facets:
                db.execute(f"SELECT outlet, count(*) AS n FROM articles WHERE {where} GROUP BY outlet "
                           "ORDER BY n DESC LIMIT 10", params).fetchall()
                months = db.execute(f"SELECT month, count(*) FROM articles WHERE {where} GROUP BY month",
                                    params).fetchall()
                total = sum(n for _, n in months)
            elapsed = time.perf_counter() - start
            if rep == 0:
                continue
            latencies.append(int(elapsed * 1e6))
            if rep == 1:
                hits += total if total is not None else len(top)
    print(json.dumps({"engine": "fts5", "hits": hits, "latencies_us": latencies}))


def trec_run(directory, topics):
    """The top 1000 per topic, words ORed, title 3x, as in the timed queries."""
    db = connect(directory)
    results = []
    for topic, text in topics:
        words = re.findall(r"\w+", text)
        if not words:
            results.append((topic, []))
            continue
        match = " OR ".join('"' + w + '"' for w in words)
        rows = db.execute("SELECT id, bm25(articles, 0, 3.0, 1.0) AS score FROM articles WHERE articles MATCH ? "
                          "ORDER BY score LIMIT 1000", [match]).fetchall()
        # bm25() is lower for better matches; a run file wants higher for better.
        results.append((topic, [(doc, -score) for doc, score in rows]))
    return results


if __name__ == "__main__":
    run(index, query, trec_run)
