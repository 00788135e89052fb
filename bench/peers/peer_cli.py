"""What the Python peers share: the month range of a filtered query and the command
line (index DIR INPUT.tsv | query DIR QUERIES [--reps N] [--facets] [--filtered] |
run DIR TOPICS.tsv OUT.run TAG: the top 1000 per topic as a TREC run file)."""
import calendar
import sys


def month_range(month):
    """First and last second (UTC) of "YYYY-MM"."""
    year, mon = map(int, month.split("-"))
    first = calendar.timegm((year, mon, 1, 0, 0, 0))
    next_first = calendar.timegm((year + mon // 12, mon % 12 + 1, 1, 0, 0, 0))
    return first, next_first - 1


def read_topics(path):
    """(id, text) per line of "ID<TAB>text"."""
    with open(path, encoding="utf-8") as lines:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in lines if "\t" in line]


def write_run(path, tag, results):
    """results: [(topic, [(doc id, score), ...])] in rank order."""
    with open(path, "w", encoding="utf-8") as out:
        for topic, ranked in results:
            for rank, (doc, score) in enumerate(ranked, 1):
                out.write(f"{topic} Q0 {doc} {rank} {score:.10g} {tag}\n")


def run(index, query, trec_run=None):
    args = sys.argv[1:]
    if args[0] == "index":
        index(args[1], args[2])
    elif args[0] == "run":
        write_run(args[3], args[4], trec_run(args[1], read_topics(args[2])))
    else:
        reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 5
        query(args[1], args[2], reps, "--facets" in args, "--filtered" in args)
