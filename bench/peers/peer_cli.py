"""What the Python peers share: the month range of a filtered query and the command
line (index DIR INPUT.tsv | query DIR QUERIES [--reps N] [--facets] [--filtered])."""
import calendar
import sys


def month_range(month):
    """First and last second (UTC) of "YYYY-MM"."""
    year, mon = map(int, month.split("-"))
    first = calendar.timegm((year, mon, 1, 0, 0, 0))
    next_first = calendar.timegm((year + mon // 12, mon % 12 + 1, 1, 0, 0, 0))
    return first, next_first - 1


def run(index, query):
    args = sys.argv[1:]
    if args[0] == "index":
        index(args[1], args[2])
    else:
        reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 5
        query(args[1], args[2], reps, "--facets" in args, "--filtered" in args)
