#!/usr/bin/env python3
"""Replays the classifier's calibration from classify-bench dumps, for measuring other calibration maps
without a rebuild (docs/benchmarks.md, session 22).

    classify-bench --salts dev ... --dump TEST --dump-heldout HELD
    python3 Scripts/classify_calibration_replay.py TEST HELD [--offset-from OTHER_TEST]

    python3 Scripts/classify_calibration_replay.py TEST1,TEST2 HELD1,HELD2 --bins 3,5,6   # several runs, other bin counts

Per split and slice: the ten-bin ECE of the bench's confidence; of six bins (or `--bins`' counts) refitted on the held-out
rows' scores (`approval_score`, the confidence before binning), as `ConfidenceBinning.fit` does
(it reproduces the bench's figure); of those bins fitted on the held-out authority rows only; and,
with --offset-from, of a logit offset on the rulings' confidence fitted by log loss on another run's
test rows (never on the rows it is measured on).
"""
import json
import math
import sys
from collections import defaultdict


def ece(conf, right, bins=10):
    total, n = 0.0, len(conf)
    for b in range(bins):
        idx = [i for i, c in enumerate(conf) if min(int(c * bins), bins - 1) == b]
        if idx:
            total += len(idx) / n * abs(sum(conf[i] for i in idx) / len(idx) - sum(right[i] for i in idx) / len(idx))
    return total


def fit_bins(conf, right, bins=6, floor=100):
    """`ConfidenceBinning.fit` without an approved bin: equal blocks of at least `floor` rows, pooled where out of order."""
    order = sorted(range(len(conf)), key=lambda i: conf[i])
    if bins < 2 or len(order) < 2 * floor:
        return None
    size = max(floor, len(order) // bins)
    blocks, start = [], 0
    while start < len(order):
        end = min(len(order), start + size)
        if len(order) - end < size:
            end = len(order)
        while end < len(order) and conf[order[end]] == conf[order[end - 1]]:
            end += 1
        part = order[start:end]
        blocks.append([len(part), sum(right[i] for i in part), conf[order[end - 1]]])
        start = end
    pooled = []
    for b in blocks:
        pooled.append(b)
        while len(pooled) > 1 and pooled[-2][1] / pooled[-2][0] >= pooled[-1][1] / pooled[-1][0]:
            last = pooled.pop()
            pooled[-1] = [pooled[-1][0] + last[0], pooled[-1][1] + last[1], last[2]]
    bounds = [p[2] for p in pooled]
    bounds[-1] = 1
    return bounds, [p[1] / p[0] for p in pooled]


def apply_bins(binning, p):
    for bound, value in zip(*binning):
        if p <= bound:
            return value
    return binning[1][-1]


def logit(p):
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def fitted_offset(rows):
    rulings = [r for r in rows if r["slice"] == "rulings"]
    best = None
    for step in range(-50, 81):
        b = step / 100
        loss = 0.0
        for r in rulings:
            p = sigmoid(logit(r["confidence"]) + b)
            loss -= math.log(p) if r["top"] == r["truth"] else math.log(1 - p)
        if best is None or loss < best[1]:
            best = (b, loss)
    return best[0]


def main():
    args = sys.argv[1:]
    offset = None
    if "--offset-from" in args:
        i = args.index("--offset-from")
        offset = fitted_offset(load(args[i + 1]))
        del args[i:i + 2]
    counts = [6]
    if "--bins" in args:
        i = args.index("--bins")
        counts = [int(n) for n in args[i + 1].split(",")]
        del args[i:i + 2]
    # Several dump files of distinct splits may be given comma-separated.
    test = [r for path in args[0].split(",") for r in load(path)]
    held = [r for path in args[1].split(",") for r in load(path)] if args[1] != "/dev/null" else []
    variants = [("bins" if n == 6 else "%d bins" % n, n, lambda r: True) for n in counts] + [("authority bins", 6, lambda r: r.get("authority", True))]
    figures = defaultdict(list)
    brier = defaultdict(lambda: [0.0, 0])
    for salt in sorted({r["salt"] for r in test}):
        maps = {}
        for variant, bins, keep in variants:
            for kind in ("long", "short"):
                rows = [r for r in held if r["salt"] == salt and r["kind"] == kind and (kind == "short" or keep(r))]
                maps[variant, kind] = fit_bins([r["approval_score"] for r in rows], [r["correct"] for r in rows], bins=bins)
        for slice_ in ("rulings", "parcels"):
            rows = [r for r in test if r["salt"] == salt and r["slice"] == slice_]
            right = [r["top"] == r["truth"] for r in rows]
            figures[slice_, "bench"].append(ece([r["confidence"] for r in rows], right))
            for variant, _, _ in variants:
                if not any(maps.get((variant, kind)) for kind in ("long", "short")):
                    continue  # no held-out rows of this split in HELD
                conf = [apply_bins(maps[variant, r["kind"]], r["approval_score"]) if maps.get((variant, r["kind"])) else r["confidence"]
                        for r in rows]
                figures[slice_, variant].append(ece(conf, right))
                brier[slice_, variant][0] += sum((c - y) ** 2 for c, y in zip(conf, right))
                brier[slice_, variant][1] += len(rows)
            if offset is not None and slice_ == "rulings":
                conf = [sigmoid(logit(r["confidence"]) + offset) if r["kind"] == "long" else r["confidence"] for r in rows]
                figures[slice_, "offset %+.2f" % offset].append(ece(conf, right))
    for (slice_, variant), values in figures.items():
        b = brier.get((slice_, variant))
        print("%-8s %-15s ECE per split mean %.4f, worst %.3f%s: %s" % (slice_, variant, sum(values) / len(values), max(values),
                                                                      ", Brier %.4f" % (b[0] / b[1]) if b else "",
                                                                      " ".join("%.3f" % v for v in values)))


if __name__ == "__main__":
    main()
