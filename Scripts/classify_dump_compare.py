#!/usr/bin/env python3
"""Compares two `classify-bench --dump` files row by row: every answer must be the same.

Usage: Scripts/classify_dump_compare.py BASE.jsonl OTHER.jsonl

For a speed change that must not change any answer (issue #19): run the same split(s) with both
builds, `--dump` each, and compare. Every field of every row is compared exactly (the top five and
their scores, the confidence and the score it is approved by, the prediction and heading sets, the
confidence features). Prints the rows and fields that differ; exit 0 when all rows are equal, 1 when
any differ, 2 on a usage error or when a file has no rows.
"""
import json
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    base, other = rows(argv[1]), rows(argv[2])
    if not base or not other:
        print("a dump has no rows", file=sys.stderr)
        return 2
    differences = 0
    if len(base) != len(other):
        print(f"row counts differ: {len(base)} and {len(other)}")
        differences += 1
    for n, (a, b) in enumerate(zip(base, other), start=1):
        # The row's input (dumps of binaries before session 29 do not carry it), not its answer.
        for key in sorted((set(a) | set(b)) - {"description"}):
            if a.get(key) != b.get(key):
                differences += 1
                if differences <= 20:
                    print(f"row {n} ({a.get('source', '')}): {key}: {a.get(key)!r} != {b.get(key)!r}")
    fields = sorted(set().union(*(set(r) for r in base)))
    if differences:
        print(f"{differences} differences in {len(base)} rows")
        return 1
    print(f"all {len(base)} rows equal ({len(fields)} fields a row: {', '.join(fields)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
