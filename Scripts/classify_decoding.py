#!/usr/bin/env python3
"""Replays other ways of reading the answer from the classifier's ranked candidate pool, on the rows
that `classify-bench --dump-candidates FILE` wrote (run it with `--salts dev`: choose on dev, never on
the splits you quote). Nothing is re-ranked by a model here; every rule reads the scores the
classifier gave, so a rule that wins here can be built into the classifier as it is.

Usage: classify_decoding.py CANDIDATES.jsonl

Each input line: {"salt", "slice", "path", "truth", "candidates": [[hs6, score], ...] best first}.
Every figure is the mean over the splits (salts) of the share of rows right; per-split values follow `|`.

1. Heading-first answers: the top-1 is the candidate with the largest score + lam x its heading's summed
   score (scores sharpened or flattened by a temperature T first); lam large = pick the heading by its
   mass, then its best subheading.
2. The top 5 read differently (top-1 kept): the other four by log score + beta x log heading mass, or
   with at most `div` per heading (a top 5 that covers more headings).
3. The cascade's routing, from the static and full paths' pools of the same rows: a share of rulings
   sent to the full path by the static pool's margin, top score, top heading's mass or top-5 mass,
   answered by the full path or by the mean of both pools; and an oracle that sends the rows where the
   full path is right and the static one is not (no rule can do better at that share).
4. A learned router (scikit-learn, when installed): a logistic model of "the full path is right where the
   static one is not", read from the static pool's shape, fitted on four splits and applied to the fifth.
"""
import collections
import json
import math
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def heading_mass(cands, temperature=1.0):
    weights = [max(p, 1e-6) ** (1.0 / temperature) for _, p in cands]
    total = sum(weights)
    mass = collections.defaultdict(float)
    for (code, _), w in zip(cands, weights):
        mass[code[:4]] += w / total
    return mass


def read(cands, lam=0.0, temperature=1.0, beta=0.0, per_heading=0):
    """The codes in answer order under one rule."""
    if not cands:
        return []
    mass = heading_mass(cands, temperature)
    first = max(range(len(cands)), key=lambda i: (cands[i][1] + lam * mass[cands[i][0][:4]], -i)) if lam else 0
    rest = [i for i in range(len(cands)) if i != first]
    if beta:
        rest.sort(key=lambda i: (-(math.log(max(cands[i][1], 1e-6)) + beta * math.log(max(mass[cands[i][0][:4]], 1e-6))), i))
    if per_heading:
        taken, count = [], collections.Counter([cands[first][0][:4]])
        for i in rest:
            if len(taken) == 4:
                break
            if count[cands[i][0][:4]] < per_heading:
                taken.append(i)
                count[cands[i][0][:4]] += 1
        rest = taken + [i for i in rest if i not in taken]
    return [cands[i][0] for i in [first] + rest]


def hits(codes, truth):
    return (codes[:1] == [truth], bool(codes) and codes[0][:4] == truth[:4], truth in codes[:5])


def summary(per_salt):
    """Mean of each measure over the splits, and the per-split values of the last one given."""
    salts = sorted(per_salt)
    means = [sum(per_salt[s][k] for s in salts) / len(salts) for k in range(3)]
    return means, salts


def score_rows(rows, **rule):
    per_salt = {}
    for salt in sorted(set(r["salt"] for r in rows)):
        mine = [r for r in rows if r["salt"] == salt]
        totals = [0, 0, 0]
        for r in mine:
            for k, h in enumerate(hits(read(r["candidates"], **rule), r["truth"])):
                totals[k] += h
        per_salt[salt] = [t / len(mine) for t in totals]
    return per_salt


def line(label, per_salt, show=1):
    (a6, a4, t5), salts = summary(per_salt)
    return f"  {label:40s} HS-6 {a6:.3f}  HS-4 {a4:.3f}  top-5 {t5:.3f}  | " + " ".join(f"{per_salt[s][show]:.3f}" for s in salts)


def rules_table(rows):
    for path in sorted(set(r["path"] for r in rows)):
        for kind in ("rulings", "parcels"):
            mine = [r for r in rows if r["path"] == path and r["slice"] == kind]
            if not mine:
                continue
            in_pool = sum(any(c[0] == r["truth"] for c in r["candidates"]) for r in mine) / len(mine)
            print(f"{path} path, {kind} ({len(mine)} rows, right code in the pool {in_pool:.3f}); per split: HS-4 for 1., top-5 for 2.")
            print(line("as shipped", score_rows(mine)))
            for t in (1.0, 2.0, 4.0):
                for lam in (0.25, 0.5, 1.0, 2.0, 100.0):
                    print(line(f"1. T {t:g}, lam {lam:g}", score_rows(mine, lam=lam, temperature=t)))
            for beta in (-0.5, 0.1, 0.2, 0.25, 0.3, 0.5, 1.0):
                print(line(f"2. beta {beta:g}", score_rows(mine, beta=beta), show=2))
            for div in (1, 2, 3):
                print(line(f"2. at most {div} per heading", score_rows(mine, per_heading=div), show=2))


def mean_pool(a, b):
    p = collections.defaultdict(float)
    for code, s in a:
        p[code] += s / 2
    for code, s in b:
        p[code] += s / 2
    return sorted(p.items(), key=lambda kv: (-kv[1], kv[0]))


def routing_table(rows):
    by = collections.defaultdict(list)
    for r in rows:
        if r["slice"] == "rulings":
            by[(r["salt"], r["path"])].append(r)
    salts = sorted(set(s for s, _ in by))
    if not all(by[(s, "static")] and by[(s, "full")] for s in salts):
        return
    criteria = {
        "margin": lambda c: c[0][1] - (c[1][1] if len(c) > 1 else 0),
        "top score": lambda c: c[0][1],
        "top heading's mass": lambda c: sum(p for code, p in c if code[:4] == c[0][0][:4]),
        "top-5 mass": lambda c: sum(p for _, p in c[:5]),
    }
    print("routing rulings between the static and the full path (the full path's answers on the sent rows)")
    for share in (0.08, 0.12, 0.16):
        for name, criterion in list(criteria.items()) + [("oracle for HS-4", None), ("oracle for top-5", None)]:
            for answer in (("full", "mean of both") if criterion else ("full",)):
                per_salt = {}
                for s in salts:
                    fast, slow = by[(s, "static")], by[(s, "full")]
                    if criterion:
                        key = [criterion(r["candidates"]) if r["candidates"] else -1 for r in fast]
                    else:
                        k = 1 if name.endswith("HS-4") else 2
                        key = [hits([c[0] for c in f["candidates"]], f["truth"])[k] - hits([c[0] for c in g["candidates"]], f["truth"])[k]
                               for f, g in zip(fast, slow)]
                    order = sorted(range(len(fast)), key=lambda i: (key[i], i))
                    sent = set(order[:round(share * len(fast))])
                    totals = [0, 0, 0]
                    for i, (f, g) in enumerate(zip(fast, slow)):
                        cands = f["candidates"]
                        if i in sent:
                            cands = g["candidates"] if answer == "full" else mean_pool(f["candidates"], g["candidates"])
                        for k, h in enumerate(hits([c[0] for c in cands], f["truth"])):
                            totals[k] += h
                    per_salt[s] = [t / len(fast) for t in totals]
                print(line(f"{share:.0%} by {name}, {answer}", per_salt))
    for k, name in ((0, "HS-6"), (1, "HS-4"), (2, "top-5")):
        win = lose = n = 0
        for s in salts:
            for f, g in zip(by[(s, "static")], by[(s, "full")]):
                x = hits([c[0] for c in f["candidates"]], f["truth"])[k]
                y = hits([c[0] for c in g["candidates"]], f["truth"])[k]
                n += 1
                win += y and not x
                lose += x and not y
        print(f"  {name}: the full path right where the static one is wrong on {win / n:.3f} of rulings, the reverse on {lose / n:.3f}")


def pool_shape(cands):
    """What a router can read of the static pool alone: its top scores, margin, top-5 mass, the two
    heaviest headings' mass, how many headings and chapters the top 5 span, and the pool's size."""
    p = [s for _, s in cands] + [0.0] * 5
    masses = sorted(heading_mass(cands).values(), reverse=True) + [0.0, 0.0]
    return [p[0], p[1], p[0] - p[1], sum(p[:5]), masses[0], masses[1],
            len(set(c[:4] for c, _ in cands[:5])), len(set(c[:2] for c, _ in cands[:5])), len(cands)]


def learned_router_table(rows):
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("learned router: scikit-learn is not installed, skipped")
        return
    by = collections.defaultdict(list)
    for r in rows:
        if r["slice"] == "rulings" and r["candidates"]:
            by[(r["salt"], r["path"])].append(r)
    salts = sorted(set(s for s, _ in by))
    if len(salts) < 2 or not all(len(by[(s, "static")]) == len(by[(s, "full")]) > 0 for s in salts):
        return
    print("learned router for rulings (fitted on the other splits; per split: the measure it is fitted for)")
    for k, name in ((1, "HS-4"), (2, "top-5")):
        for share in (0.08, 0.12):
            per_salt = {}
            for held in salts:
                x, y = [], []
                for s in salts:
                    if s == held:
                        continue
                    for f, g in zip(by[(s, "static")], by[(s, "full")]):
                        x.append(pool_shape(f["candidates"]))
                        y.append(int(hits([c[0] for c in g["candidates"]], f["truth"])[k] and not hits([c[0] for c in f["candidates"]], f["truth"])[k]))
                router = LogisticRegression(max_iter=2000).fit(x, y)
                fast, slow = by[(held, "static")], by[(held, "full")]
                gain = router.predict_proba([pool_shape(f["candidates"]) for f in fast])[:, 1]
                sent = set(sorted(range(len(fast)), key=lambda i: (-gain[i], i))[:round(share * len(fast))])
                totals = [0, 0, 0]
                for i, (f, g) in enumerate(zip(fast, slow)):
                    for j, h in enumerate(hits([c[0] for c in (g if i in sent else f)["candidates"]], f["truth"])):
                        totals[j] += h
                per_salt[held] = [t / len(fast) for t in totals]
            print(line(f"{share:.0%} for {name}", per_salt, show=k))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = load(sys.argv[1])
    if not data:
        sys.exit(f"{sys.argv[1]}: no rows")
    rules_table(data)
    routing_table(data)
    learned_router_table(data)
