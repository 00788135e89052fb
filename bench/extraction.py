#!/usr/bin/env python3
"""Main-text and metadata extraction measured on real web pages (issue 14).

    bench/extraction.py [--gazette build/gazette] [--pages DIR] [--dumps w3m|lynx|none]
                        [--out DIR] [--only NAME,...] [--show NAME [--diff] [--show-dump]]

Runs `gazette extract` on every page of the development set
(../shared/corpora/readability-test-pages: source.html, the text Readability.js keeps in
expected.html, its metadata in expected-metadata.json) and reports, per page and
overall:

- body precision / recall / F1 over word shingles, as the public article-extraction
  benchmarks compute them: the text lower-cased and split on white space, 4-word
  shingles counted with multiplicity, true positives = the multiset intersection. A
  page whose expected text is empty is left out; an empty body scores P = R = F1 = 0.
  Overall figures are means over pages (F1 of the mean P and R, and the mean per-page
  F1, both printed);
- title: exact after white-space folding; author: one of ours named in the expected
  byline (or the byline in ours); outlet: equal to the expected site name (case and
  white space folded); date: within a day of the expected published time. Each only
  over the pages whose expected metadata has the field;
- with --dumps, the same pages dumped to plain text by a text browser (`w3m -dump` or
  `lynx -dump`, menus, link lists and footers included) and read by
  `gazette extract --format text`: body scores of the cleaned text and of the raw dump.

Speed: pages/s and MB/s of HTML for `gazette extract --format html` over all pages
(read, decode, clean, JSON out), median of 5 runs.

Not part of CI; results go to docs/extraction.md. Writes per-page rows to
OUT/pages.jsonl.
"""
import argparse
import collections
import datetime
import html.parser
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "section", "article", "blockquote", "pre", "figure", "figcaption", "header", "footer", "dd", "dt",
    "hr", "aside", "main", "nav", "form", "details", "summary",
}


class TextOf(html.parser.HTMLParser):
    """The text of an HTML fragment, blocks separated by newlines (scripts and styles out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template") and self.skip:
            self.skip -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self):
        return "".join(self.parts)


def html_text(fragment):
    parser = TextOf()
    parser.feed(fragment)
    parser.close()
    return parser.text()


def shingles(text, n=4):
    tokens = text.lower().split()
    return collections.Counter(tuple(tokens[i:i + n]) for i in range(max(0, len(tokens) - n + 1)))


def prf(expected, got):
    """Precision, recall, F1 of `got` against `expected` over 4-word shingles."""
    truth, pred = shingles(expected), shingles(got)
    if not pred or not truth:
        return 0.0, 0.0, 0.0
    tp = sum((truth & pred).values())
    precision = tp / sum(pred.values())
    recall = tp / sum(truth.values())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def differences(expected, got, least=4):
    """Runs of at least `least` words that only one side has: (missing, extra)."""
    import difflib
    a, b = expected.split(), got.split()
    matcher = difflib.SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False)
    missing, extra = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace") and i2 - i1 >= least:
            missing.append(" ".join(a[i1:i2]))
        if op in ("insert", "replace") and j2 - j1 >= least:
            extra.append(" ".join(b[j1:j2]))
    return missing, extra


def fold(text):
    return " ".join((text or "").split()).casefold()


def parse_time(text):
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00")
    for candidate in (text, text[:19], text[:10]):
        try:
            moment = datetime.datetime.fromisoformat(candidate)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=datetime.timezone.utc)
            return moment
        except ValueError:
            continue
    return None


def author_named(byline, authors):
    byline = fold(byline)
    for author in authors:
        author = fold(author)
        if author and (author in byline or (byline and byline.removeprefix("by ").strip() in author)):
            return True
    return False


def run_extract(gazette, files, fmt):
    result = subprocess.run([gazette, "extract", "--format", fmt, *files], capture_output=True, text=True)
    # Lines end at "\n" only: a text may hold U+2028, which splitlines() would split on.
    rows = [json.loads(line) for line in result.stdout.split("\n") if line.strip()]
    if len(rows) != len(files):
        sys.exit(f"gazette extract gave {len(rows)} records for {len(files)} files:\n{result.stderr}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazette", default=os.path.join(ROOT, "build", "gazette"))
    parser.add_argument("--pages", help="unpacked pages/ directory (default: unpack the shared archive)")
    parser.add_argument("--shared", default=os.environ.get("GAZETTE_SHARED_DIR", os.path.join(ROOT, "..", "shared")))
    parser.add_argument("--dumps", default="none", choices=["w3m", "lynx", "none"])
    parser.add_argument("--out", default=os.path.join(ROOT, "build-bench", "extraction"))
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--show", help="print expected and extracted text of one page")
    parser.add_argument("--diff", action="store_true", help="with --show, print only the runs of words one side lacks")
    parser.add_argument("--show-dump", action="store_true",
                        help="with --show and --dumps, compare the cleaned page dump instead of the page's body")
    parser.add_argument("--speed-runs", type=int, default=5)
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    pages_dir = args.pages
    if not pages_dir:
        pages_dir = os.path.join(args.out, "pages")
        if not os.path.isdir(pages_dir):
            archive = os.path.join(args.shared, "corpora", "readability-test-pages", "readability-test-pages.tar.zst")
            zstd = subprocess.run(["zstd", "-dc", archive], capture_output=True, check=True)
            with tempfile.TemporaryFile() as tar_bytes:
                tar_bytes.write(zstd.stdout)
                tar_bytes.seek(0)
                with tarfile.open(fileobj=tar_bytes) as tar:
                    tar.extractall(args.out)
    names = sorted(os.listdir(pages_dir))
    if args.only:
        wanted = set(args.only.split(","))
        names = [name for name in names if name in wanted]
    if args.show:
        names = [args.show]

    sources = [os.path.join(pages_dir, name, "source.html") for name in names]
    extracted = run_extract(args.gazette, sources, "html")
    dumps = {}
    if args.dumps != "none":
        dump_dir = os.path.join(args.out, "dumps-" + args.dumps)
        os.makedirs(dump_dir, exist_ok=True)
        files = []
        for name, source in zip(names, sources):
            path = os.path.join(dump_dir, name + ".txt")
            if not os.path.exists(path):
                command = ["w3m", "-dump", "-T", "text/html", "-O", "UTF-8", source] if args.dumps == "w3m" else \
                          ["lynx", "-dump", "-nolist", "-display_charset=utf-8", source]
                text = subprocess.run(command, capture_output=True).stdout.decode("utf-8", "replace")
                with open(path, "w", encoding="utf-8") as file:
                    file.write(text)
            files.append(path)
        for name, path, row in zip(names, files, run_extract(args.gazette, files, "text")):
            with open(path, encoding="utf-8") as file:
                dumps[name] = (file.read(), row)

    rows = []
    for name, got in zip(names, extracted):
        folder = os.path.join(pages_dir, name)
        with open(os.path.join(folder, "expected.html"), encoding="utf-8") as file:
            expected_text = html_text(file.read())
        with open(os.path.join(folder, "expected-metadata.json"), encoding="utf-8") as file:
            meta = json.load(file)
        body = got.get("body", "")
        precision, recall, f1 = prf(expected_text, body)
        row = {"page": name, "expected_words": len(expected_text.split()), "words": len(body.split()),
               "precision": precision, "recall": recall, "f1": f1,
               "body_source": got.get("provenance", {}).get("body", "")}
        if meta.get("title"):
            row["title_ok"] = fold(meta["title"]) == fold(got.get("title"))
        if meta.get("byline"):
            row["author_ok"] = author_named(meta["byline"], got.get("authors", []))
        if meta.get("siteName"):
            row["outlet_ok"] = fold(meta["siteName"]) == fold(got.get("outlet"))
        expected_time = parse_time(meta.get("publishedTime"))
        if expected_time:
            got_time = parse_time(got.get("date"))
            row["date_ok"] = bool(got_time) and abs((got_time - expected_time).total_seconds()) <= 86400
        if got.get("date"):
            year = int(got["date"][:4])
            row["date_implausible"] = year < 1990 or year > datetime.date.today().year
        if name in dumps:
            dump_text, dump_row = dumps[name]
            row["dump_raw"] = prf(expected_text, dump_text)
            row["dump_clean"] = prf(expected_text, dump_row.get("body", ""))
        rows.append(row)
        if args.show:
            if args.show_dump and name in dumps:
                body = dumps[name][1].get("body", "")
            if args.diff:
                missing, extra = differences(expected_text, body)
                print("== missing (expected, not extracted) ==\n" + "\n--\n".join(missing))
                print("\n== extra (extracted, not expected) ==\n" + "\n--\n".join(extra))
            else:
                print("== expected ==\n" + expected_text.strip() + "\n\n== extracted ==\n" + body)
            print("\n== metadata ==\nexpected:", json.dumps(meta, ensure_ascii=False))
            print("got:", json.dumps({k: got.get(k) for k in ("title", "authors", "outlet", "date", "lang")},
                                     ensure_ascii=False))
            print("provenance:", json.dumps(got.get("provenance"), ensure_ascii=False, indent=1))
            print(json.dumps(row))
            return

    with open(os.path.join(args.out, "pages.jsonl"), "w") as file:
        for row in rows:
            file.write(json.dumps(row) + "\n")

    scored = [row for row in rows if row["expected_words"] >= 4]
    mean = lambda key: statistics.mean(row[key] for row in scored)
    p, r = mean("precision"), mean("recall")
    print("| page | words expected | words kept | P | R | F1 | body from |")
    print("|---|---|---|---|---|---|---|")
    for row in sorted(scored, key=lambda row: row["f1"]):
        print("| %s | %d | %d | %.3f | %.3f | %.3f | %s |" % (row["page"], row["expected_words"], row["words"],
                                                           row["precision"], row["recall"], row["f1"],
                                                           row["body_source"][:60]))
    print()
    print("pages scored: %d; body P %.3f R %.3f F1 %.3f (F1 of means; mean per-page F1 %.3f)" %
          (len(scored), p, r, 2 * p * r / (p + r) if p + r else 0, mean("f1")))
    print("empty bodies: %d; no expected text kept (R < 0.05): %d" %
          (sum(1 for row in scored if row["words"] == 0), sum(1 for row in scored if row["recall"] < 0.05)))
    for field in ("title_ok", "author_ok", "outlet_ok", "date_ok"):
        having = [row[field] for row in rows if field in row]
        if having:
            print("%s: %d/%d = %.3f" % (field, sum(having), len(having), sum(having) / len(having)))
    print("dates outside 1990..now: %d" % sum(1 for row in rows if row.get("date_implausible")))
    if dumps:
        for key in ("dump_raw", "dump_clean"):
            values = [row[key] for row in scored if key in row]
            mp = statistics.mean(v[0] for v in values)
            mr = statistics.mean(v[1] for v in values)
            print("%s (%s): P %.3f R %.3f F1 %.3f (mean per-page F1 %.3f)" % (
                key, args.dumps, mp, mr, 2 * mp * mr / (mp + mr) if mp + mr else 0,
                statistics.mean(v[2] for v in values)))

    if args.speed_runs > 0 and not args.only:
        total_bytes = sum(os.path.getsize(source) for source in sources)
        times = []
        for _ in range(args.speed_runs):
            started = time.perf_counter()
            subprocess.run([args.gazette, "extract", "--format", "html", *sources], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print("speed: %d pages, %.1f MB of HTML in %.3f s (median of %d): %.0f pages/s, %.1f MB/s" % (
            len(sources), total_bytes / 1e6, median, len(times), len(sources) / median, total_bytes / 1e6 / median))


if __name__ == "__main__":
    main()
