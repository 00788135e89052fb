#!/usr/bin/env python3
"""Publication dates measured on real web pages (issue 23).

    bench/dates.py [--gazette build/gazette] [--set dates|readability|both]
                   [--out DIR] [--show NAME ...] [--wrong] [--detail]

Runs `gazette extract --format html` on the pages of the development sets, the page's
HTML only (no URL passed, no file time), as htmldate's evaluation passes them:

- dates: ../shared/corpora/date-test-pages (200 news pages of Media Cloud's 2020
  collection with a reviewed gold day each, from htmldate's evaluation set);
- readability: ../shared/corpora/readability-test-pages, the pages whose
  expected-metadata.json has a publishedTime.

A page is right when the day Gazette gives is the gold day, the day as the page writes it
(Gazette's `date` keeps the offset the page wrote, so its first ten characters are that
day); the five pages whose reviewers found no date are right when Gazette gives none.
Reported:

- accuracy = right / all pages (no date counts as wrong, as in htmldate's evaluation);
- precision = right / pages given a date ("of the dates Gazette gives, how many are right");
- coverage = pages given a date / all pages;
- the same per date source (the article's date_source; with --detail, the first words of
  provenance "date"), so that what each source is worth can be read off.

Not part of CI; figures go to docs/extraction.md. Writes per-page rows to OUT/dates.jsonl.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "corpora")


def unpack(archive, target):
    """Unpacks a .tar.zst from the shared corpora into TARGET, once."""
    if os.path.isdir(os.path.join(target, "pages")):
        return
    os.makedirs(target, exist_ok=True)
    data = subprocess.run(["zstd", "-dc", archive], check=True, capture_output=True).stdout
    with tempfile.TemporaryFile() as tar_file:
        tar_file.write(data)
        tar_file.seek(0)
        with tarfile.open(fileobj=tar_file) as tar:
            tar.extractall(target)


def date_test_pages(work):
    """(pages dir, {page: gold day}) of the date-test-pages set."""
    target = os.path.join(work, "date-test-pages")
    unpack(os.path.join(SHARED, "date-test-pages", "date-test-pages.tar.zst"), target)
    with open(os.path.join(target, "gold.json"), encoding="utf-8") as f:
        # A page the reviewers found no date on has NaN: the right answer is no date.
        gold = {name: entry["date"] if isinstance(entry["date"], str) else None
                for name, entry in json.load(f).items()}
    return os.path.join(target, "pages"), gold


def readability_pages(work):
    """(pages dir, {page: gold day}) of the readability pages that have a publishedTime,
    linked into one folder as NAME.html."""
    target = os.path.join(work, "readability-test-pages")
    unpack(os.path.join(SHARED, "readability-test-pages", "readability-test-pages.tar.zst"), target)
    pages_dir = os.path.join(target, "pages")
    out = os.path.join(work, "readability-dated")
    os.makedirs(out, exist_ok=True)
    gold = {}
    for name in sorted(os.listdir(pages_dir)):
        meta_path = os.path.join(pages_dir, name, "expected-metadata.json")
        html_path = os.path.join(pages_dir, name, "source.html")
        if not (os.path.exists(meta_path) and os.path.exists(html_path)):
            continue
        with open(meta_path, encoding="utf-8") as f:
            published = json.load(f).get("publishedTime")
        if not published:
            continue
        link = os.path.join(out, name + ".html")
        if not os.path.exists(link):
            os.symlink(os.path.abspath(html_path), link)
        gold[name + ".html"] = published[:10]
    return out, gold


def extract(gazette, pages_dir):
    """{file name: extracted article} for every page in PAGES_DIR, in one gazette run."""
    run = subprocess.run([gazette, "extract", "--format", "html", pages_dir], capture_output=True, text=True)
    articles = {}
    for line in run.stdout.splitlines():
        article = json.loads(line)
        if "error" in article:
            articles[os.path.basename(article["error"]["file"])] = {"error": article["error"]["message"]}
            continue
        articles[os.path.basename(article.get("source", ""))] = article
    return articles


def day_of(article):
    """The day the article is dated, as the page wrote it."""
    value = article.get("date")
    return value[:10] if value else None


def source_of(article, detail=False):
    how = (article.get("provenance") or {}).get("date", "")
    if not how:
        return "undated"
    if not detail:
        return article.get("date_source") or "?"
    # "JSON-LD datePublished \"...\"" -> "JSON-LD datePublished"
    return how.split(' "')[0].split(" (")[0]


def measure(name, articles, gold, show_wrong, rows, detail=False):
    counts = collections.Counter()
    by_source = collections.defaultdict(collections.Counter)
    for page, expected in sorted(gold.items()):
        article = articles.get(page, {})
        got = day_of(article)
        source = source_of(article, detail) if got else "undated"
        right = got == expected
        counts["pages"] += 1
        counts["dated"] += bool(got)
        counts["right"] += right
        counts["right_dated"] += right and bool(got)
        by_source[source]["pages"] += 1
        by_source[source]["right"] += right
        rows.append({"set": name, "page": page, "gold": expected, "got": got, "right": right, "source": source,
                     "how": (article.get("provenance") or {}).get("date")})
        if show_wrong and not right:
            print("  %-22s gold %s got %-10s %s" % (page, expected, got, (article.get("provenance") or {}).get(
                "date", article.get("error", ""))[:150]))
    pages, dated, right, right_dated = counts["pages"], counts["dated"], counts["right"], counts["right_dated"]
    print("%s: %d pages, accuracy %.3f (%d right), precision %.3f (%d of %d dated), coverage %.3f" % (
        name, pages, right / pages, right, right_dated / dated if dated else 0, right_dated, dated, dated / pages))
    for source, c in sorted(by_source.items(), key=lambda item: -item[1]["pages"]):
        print("    %-48s %4d pages, %4d right" % (source, c["pages"], c["right"]))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazette", default=os.path.join(ROOT, "build", "gazette"))
    parser.add_argument("--set", default="both", choices=["dates", "readability", "both"])
    parser.add_argument("--out", default=os.path.join(ROOT, "build-bench", "dates"))
    parser.add_argument("--wrong", action="store_true", help="list every page not dated right")
    parser.add_argument("--detail", action="store_true", help="count by the provenance's wording, not by source")
    parser.add_argument("--show", nargs="*", default=[], help="print the extracted date fields of these pages")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = []
    sets = []
    if args.set in ("dates", "both"):
        sets.append(("date-test-pages",) + date_test_pages(args.out))
    if args.set in ("readability", "both"):
        sets.append(("readability",) + readability_pages(args.out))
    for name, pages_dir, gold in sets:
        articles = extract(args.gazette, pages_dir)
        for page in args.show:
            if page in articles:
                a = articles[page]
                print(page, json.dumps({k: a.get(k) for k in ("date", "date_source", "date_modified", "provenance")},
                                       ensure_ascii=False)[:2000])
        measure(name, articles, gold, args.wrong, rows, args.detail)
    with open(os.path.join(args.out, "dates.jsonl"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
