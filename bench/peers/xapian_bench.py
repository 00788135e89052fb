#!/usr/bin/python3
"""Plain Xapian peer for bench/run.sh, through python3-xapian with stock settings:
TermGenerator + English stemmer (STEM_SOME), QueryParser, BM25, ValueCountMatchSpy.
  xapian_bench.py index INDEX_DIR INPUT.tsv
  xapian_bench.py query INDEX_DIR QUERIES [--reps N] [--facets] [--filtered]
INPUT.tsv: id, title, body, unix seconds (or empty), YYYY-MM (or empty), outlet."""
import json
import time

import xapian

from peer_cli import month_range, run

DATE, OUTLET, MONTH = 0, 1, 2


def index(path, source):
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    generator = xapian.TermGenerator()
    generator.set_stemmer(xapian.Stem("english"))
    generator.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    count = 0
    with open(source, encoding="utf-8") as lines:
        for line in lines:
            doc_id, title, body, seconds, month, outlet = line.rstrip("\n").split("\t")
            doc = xapian.Document()
            generator.set_document(doc)
            generator.index_text(title, 1, "S")
            generator.index_text(title, 3)  # Title words weigh 3x, as in Gazette.
            generator.increase_termpos()
            generator.index_text(body)
            if seconds:
                doc.add_value(DATE, xapian.sortable_serialise(float(seconds)))
            if month:
                doc.add_value(MONTH, month)
            if outlet:
                doc.add_value(OUTLET, outlet)
                doc.add_boolean_term("XO" + outlet.lower())
            doc.set_data(json.dumps({"id": doc_id, "title": title, "body": body, "date": seconds, "outlet": outlet}))
            unique = "Q" + doc_id
            doc.add_boolean_term(unique)
            db.replace_document(unique, doc)
            count += 1
    db.commit()
    print(json.dumps({"engine": "xapian", "indexed": count}))


def make_parser(db):
    """Words ORed, English stems as indexed (STEM_SOME)."""
    parser = xapian.QueryParser()
    parser.set_stemmer(xapian.Stem("english"))
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_database(db)
    parser.set_default_op(xapian.Query.OP_OR)
    return parser


def query(path, queries_path, reps, facets, filtered):
    db = xapian.Database(path)
    parser = make_parser(db)
    queries = []
    with open(queries_path, encoding="utf-8") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if not fields[0]:
                continue
            q = parser.parse_query(fields[0])
            if filtered:
                low, high = month_range(fields[2])
                restriction = xapian.Query(xapian.Query.OP_AND,
                                           xapian.Query("XO" + fields[1].lower()),
                                           xapian.Query(xapian.Query.OP_VALUE_RANGE, DATE,
                                                        xapian.sortable_serialise(low),
                                                        xapian.sortable_serialise(high)))
                q = xapian.Query(xapian.Query.OP_FILTER, q, restriction)
            queries.append(q)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight(1.2, 0, 1, 0.75, 0.5))
    all_docs = db.get_doccount()
    latencies, hits = [], 0
    for rep in range(reps + 1):
        for q in queries:
            start = time.perf_counter()
            enquire.set_query(q)
            enquire.clear_matchspies()
            if facets:
                outlets, months = xapian.ValueCountMatchSpy(OUTLET), xapian.ValueCountMatchSpy(MONTH)
                enquire.add_matchspy(outlets)
                enquire.add_matchspy(months)
                mset = enquire.get_mset(0, 10, all_docs)
                list(outlets.top_values(10))
                list(months.values())
            else:
                mset = enquire.get_mset(0, 10, 1000)
            stored = sum(len(json.loads(item.document.get_data())["title"]) for item in mset)
            elapsed = time.perf_counter() - start
            if rep == 0:
                continue
            latencies.append(int(elapsed * 1e6))
            if rep == 1:
                hits += mset.get_matches_estimated() + (0 if stored >= 0 else 1)
    print(json.dumps({"engine": "xapian", "hits": hits, "latencies_us": latencies}))


def trec_run(path, topics):
    """The top 1000 per topic, words ORed, as in the timed queries."""
    db = xapian.Database(path)
    parser = make_parser(db)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight(1.2, 0, 1, 0.75, 0.5))
    results = []
    for topic, text in topics:
        enquire.set_query(parser.parse_query(text))
        mset = enquire.get_mset(0, 1000)
        results.append((topic, [(json.loads(item.document.get_data())["id"], item.weight) for item in mset]))
    return results


if __name__ == "__main__":
    run(index, query, trec_run)
