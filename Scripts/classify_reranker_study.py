#!/usr/bin/env python3
"""Would a non-linear ranker over the same features rank the pool better than the shipped linear one?
A quick offline check on the rows that `classify-bench --salts dev --cascade ... --dump-features FILE`
wrote (choose on dev, never on the splits you quote).

Usage: classify_reranker_study.py FEATURES.jsonl

Each input line: {"salt", "slice", "truth", "text" (the first 80 characters, lowercased), "pool":
[[hs6, probability, feature...], ...] best first}. For each split in turn, gradient-boosted trees
(scikit-learn) are fitted, one row per candidate of the top 30 and "is it the right code" as the label,
on the other splits' rows. A text that also appears in the held-out split is left out, and so is a
repeat of a text and code. The held-out split's top 30 are then re-ranked by the trees. Besides the
ranker's features, the trees read the linear ranker's probability, its log and rank, the candidate's
heading mass, the pool's top probability and whether the text is a ruling.

The training rows here are other splits' test rows (a few thousand): fewer, and of other kinds, than
the held-out training rows `train` fits its ranker on, so this says whether the idea is worth building,
not what it would reach.
"""
import collections
import json
import math
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

TOP = 30


def featurize(row):
    pool = row["pool"][:TOP]
    mass = collections.defaultdict(float)
    for c in pool:
        mass[c[0][:4]] += c[1]
    top = pool[0][1] if pool else 0.0
    ruling = 1.0 if row["slice"] == "rulings" else 0.0
    return [c[2:] + [c[1], math.log(max(c[1], 1e-9)), 1 / (1 + k), mass[c[0][:4]], top, ruling] for k, c in enumerate(pool)]


def hits(codes, truth):
    return (codes[:1] == [truth], bool(codes) and codes[0][:4] == truth[:4], truth in codes[:5])


def main(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if not rows:
        sys.exit(f"{path}: no rows")
    salts = sorted(set(r["salt"] for r in rows))
    results = collections.defaultdict(lambda: collections.defaultdict(list))
    for held in salts:
        held_rows = [r for r in rows if r["salt"] == held]
        held_texts = set(r["text"] for r in held_rows)
        x, y, seen = [], [], set()
        for r in rows:
            key = (r["text"], r["truth"])
            if r["salt"] == held or r["text"] in held_texts or key in seen:
                continue
            seen.add(key)
            for c, features in zip(r["pool"][:TOP], featurize(r)):
                x.append(features)
                y.append(int(c[0] == r["truth"]))
        trees = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40,
                                               l2_regularization=1.0, random_state=0)
        trees.fit(np.array(x), np.array(y))
        for kind in ("rulings", "parcels"):
            mine = [r for r in held_rows if r["slice"] == kind]
            if not mine:
                continue
            linear, boosted = [0, 0, 0], [0, 0, 0]
            for r in mine:
                codes = [c[0] for c in r["pool"]]
                for k, h in enumerate(hits(codes, r["truth"])):
                    linear[k] += h
                if r["pool"]:
                    p = trees.predict_proba(np.array(featurize(r)))[:, 1]
                    codes = [r["pool"][i][0] for i in sorted(range(len(p)), key=lambda i: (-p[i], i))] + codes[TOP:]
                for k, h in enumerate(hits(codes, r["truth"])):
                    boosted[k] += h
            results[kind]["linear (shipped)"].append([v / len(mine) for v in linear])
            results[kind]["boosted trees"].append([v / len(mine) for v in boosted])
        print(f"{held}: trees fitted on {len(seen)} rows of the other splits", flush=True)
    for kind, by_ranker in results.items():
        for name, per_split in by_ranker.items():
            mean = np.mean(per_split, axis=0)
            print(f"{kind} {name:17s} HS-6 {mean[0]:.3f}  HS-4 {mean[1]:.3f}  top-5 {mean[2]:.3f}  | HS-4 per split "
                  + " ".join(f"{v[1]:.3f}" for v in per_split) + " | top-5 per split " + " ".join(f"{v[2]:.3f}" for v in per_split))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
