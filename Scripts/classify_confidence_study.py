#!/usr/bin/env python3
"""Can another correctness model, or agreement between the classifier's own signals, single out answers
that are right 95 % of the time? Replays auto-approval offline from classify-bench dumps
(docs/benchmarks.md, session 23, issue #19).

    classify-bench --salts dev ... --dump TEST --dump-heldout HELD
    python3 Scripts/classify_confidence_study.py HELD TEST

Per split and text kind, on the cross-fitted held-out training rows (`--dump-heldout`, the rows the shipped
confidence and `SelectiveApproval` are fitted on) each correctness model is cross-fitted by the rows' own
folds; `SelectiveApproval`'s rule (Clopper-Pearson, fixed sequence on a 0.005 grid, 5 % error, delta 0.05,
started at 153 rows) is fitted on those scores and applied to the split's test rows (`--dump`), scored by
the average of the fold models, as the classifier answers. Models:
- current: the shipped confidence before binning (`approval_score`);
- lr: logistic regression on every feature of the dump (the confidence's 22 and the 12 agreement
  readings it does not use, `Classifier.confidenceStudyFeatureNames`), standardised;
- gbm: gradient-boosted trees on the same features.
Then: the precision of each model's N strongest rows (held-out and test), each slice's ten-bin ECE of the
test rows, the precision of rows by how many of seven code-level sources agree with the top answer, and
at which level the strongest wrong test answers miss (same heading, same chapter, another chapter).
Needs numpy, scipy and scikit-learn.
"""
import collections
import json
import sys

import numpy as np
from scipy.stats import beta
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

NAMES = ["top_probability", "margin", "neighbour_max", "subheading_cosine", "neighbour_agrees", "centroid_agrees", "log_tokens",
         "neighbour_vote", "heading_vote", "chapter_vote", "example_centroid", "nearest", "neighbour_count",
         "heading_cosine", "chapter_cosine", "examples_agree", "vote_agrees", "heading_mass", "chapter_mass",
         "second_same_heading", "tariff_line", "tariff_line_agrees",
         "encoder_agrees", "encoder_vote", "encoder_max", "encoder_centroid_agrees",
         "encoder_heading_agrees", "encoder_heading_vote", "encoder_chapter_agrees",
         "neighbour_heading_agrees", "neighbour_chapter_agrees", "top3_mass", "candidate_entropy", "signals_agree"]
AT = {n: i for i, n in enumerate(NAMES)}


def cp_upper(k, n, delta=0.05):
    return 1.0 if k >= n else float(beta.ppf(1 - delta, k + 1, n - k))


def first_rows(max_error=0.05, delta=0.05, errors=3):
    n = 1
    while cp_upper(errors, n, delta) > max_error:
        n += 1
    return n


def selective_approval(conf, ok, max_error=0.05, delta=0.05):
    """`SelectiveApproval.fit`: the threshold (1.01: nothing) and the lowest bound any cut reached."""
    fewest = first_rows(max_error, delta)
    order = np.argsort(-conf)
    threshold, closest, taken, wrong, open_ = 1.01, 1.0, 0, 0, True
    for j in range(201):
        cut = (200 - j) / 200
        while taken < len(order) and conf[order[taken]] >= cut:
            wrong += not ok[order[taken]]
            taken += 1
        if taken == 0:
            continue
        bound = cp_upper(wrong, taken, delta)
        closest = min(closest, bound)
        if not open_ or taken < fewest:
            continue
        if bound <= max_error:
            threshold = cut
        else:
            open_ = False
    return threshold, closest


def ece(conf, right, bins=10):
    conf, right = np.asarray(conf), np.asarray(right, dtype=float)
    which = np.minimum((conf * bins).astype(int), bins - 1)
    return sum((which == b).mean() * abs(conf[which == b].mean() - right[which == b].mean()) for b in range(bins) if (which == b).any())


MODELS = {
    "lr": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000)),
    "gbm": lambda: HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40),
}


def main(held_path, test_path):
    held = [json.loads(line) for line in open(held_path)]
    test = [json.loads(line) for line in open(test_path)]
    assert all(len(r["features"]) == len(NAMES) for r in held + test), "a dump of another feature set"
    approvals = collections.defaultdict(lambda: [0, 0, 0])
    curves = collections.defaultdict(list)
    test_confidence = collections.defaultdict(dict)   # model -> row index -> confidence
    for salt in sorted({r["salt"] for r in held}):
        for kind in ("long", "short"):
            hi = [r for r in held if r["salt"] == salt and r["kind"] == kind]
            ti = [i for i, r in enumerate(test) if r["salt"] == salt and r["kind"] == kind]
            X = np.array([r["features"] for r in hi]); y = np.array([r["correct"] for r in hi]); folds = np.array([r["fold"] for r in hi])
            XT = np.array([test[i]["features"] for i in ti]); yT = np.array([test[i]["top"] == test[i]["truth"] for i in ti])
            scores = {"current": (np.array([r["approval_score"] for r in hi]), np.array([test[i]["approval_score"] for i in ti]))}
            for name, make in MODELS.items():
                cv, fold_tests = np.zeros(len(hi)), []
                for f in sorted(set(folds)):
                    m = make().fit(X[folds != f], y[folds != f])
                    cv[folds == f] = m.predict_proba(X[folds == f])[:, 1]
                    fold_tests.append(m.predict_proba(XT)[:, 1])
                scores[name] = (cv, np.mean(fold_tests, axis=0))
            for name, (cv, ts) in scores.items():
                threshold, closest = selective_approval(cv, y)
                chosen = ts >= threshold
                a = approvals[(name, kind)]
                a[0] += int(chosen.sum()); a[1] += int((chosen & yT).sum()); a[2] += len(ti)
                strongest = np.argsort(-cv)
                for n in (59, 100, 153, 300):
                    curves[(name, kind, "held-out", n)].append(y[strongest[:n]].mean())
                strongest = np.argsort(-ts)
                for n in (10, 20, 40, 80):
                    curves[(name, kind, "test", n)].append(yT[strongest[:n]].mean())
                for i, c in zip(ti, ts):
                    test_confidence[name][i] = c
                print(f"{salt} {kind:5} {name:7} held-out {len(hi)} right {y.mean():.3f}, threshold {threshold:.3f}, closest bound {closest:.3f}"
                      f" | test {len(ti)}: approved {int(chosen.sum())}, right {int((chosen & yT).sum())}")
    print("\napproved / right / rows on the test rows, all splits:")
    for key, (n, right, rows) in sorted(approvals.items()):
        print(f"  {key[0]:7} {key[1]:5} {n} / {right} / {rows}")
    print("\nprecision of the N strongest rows, mean [min, max] over splits:")
    for key, values in sorted(curves.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3])):
        print(f"  {key[0]:7} {key[1]:5} {key[2]:8} {key[3]:3}: {np.mean(values):.3f} [{min(values):.3f}, {max(values):.3f}]")
    print("\nten-bin ECE of the test rows per split, mean (current: the shipped confidence after binning):")
    for sl in ("rulings", "parcels"):
        for name in ["current"] + list(MODELS):
            per = []
            for salt in sorted({r["salt"] for r in test}):
                idx = [i for i, r in enumerate(test) if r["salt"] == salt and r["slice"] == sl]
                # A row without an answer (no kind) reads confidence 0, as the bench counts it.
                conf = [test[i]["confidence"] if name == "current" else test_confidence[name].get(i, 0.0) for i in idx]
                per.append(ece(conf, [test[i]["top"] == test[i]["truth"] for i in idx]))
            print(f"  {sl:8} {name:7} {np.mean(per):.3f} [{min(per):.3f}, {max(per):.3f}]")
    print("\nagreement: rows (right share) by how many of seven code-level sources back the top answer:")
    for kind in ("long", "short"):
        for s in range(8):
            h = [r["correct"] for r in held if r["kind"] == kind and round(r["features"][AT["signals_agree"]] * 7) == s]
            t = [r["top"] == r["truth"] for r in test if r["kind"] == kind and round(r["features"][AT["signals_agree"]] * 7) == s]
            if h or t:
                print(f"  {kind:5} {s}: held-out {len(h)} ({np.mean(h) if h else float('nan'):.3f}), test {len(t)} ({np.mean(t) if t else float('nan'):.3f})")
        every = ["vote_agrees", "encoder_agrees", "neighbour_agrees", "examples_agree", "encoder_centroid_agrees",
                 "encoder_heading_agrees", "neighbour_heading_agrees"]
        for p in (0, 0.5, 0.7, 0.8, 0.9):
            def backed(r):
                return all(r["features"][AT[n]] == 1 for n in every) and r["features"][AT["top_probability"]] >= p
            h = [r["correct"] for r in held if r["kind"] == kind and backed(r)]
            t = [r["top"] == r["truth"] for r in test if r["kind"] == kind and backed(r)]
            print(f"  {kind:5} the seven backing agreements and top probability >= {p}: held-out {len(h)} ({np.mean(h) if h else float('nan'):.3f}),"
                  f" test {len(t)} ({np.mean(t) if t else float('nan'):.3f})")
    print("\nthe strongest test answers by the shipped confidence, pooled over splits: right, and where the wrong ones miss:")
    for kind in ("long", "short"):
        ranked = sorted((r for r in test if r["kind"] == kind), key=lambda r: -r["approval_score"])
        for n in (50, 100, 150):
            wrong = [r for r in ranked[:n] if r["top"] != r["truth"]]
            heading = sum(r["top"][:4] == r["truth"][:4] for r in wrong)
            chapter = sum(r["top"][:2] == r["truth"][:2] for r in wrong) - heading
            print(f"  {kind:5} {n}: right {n - len(wrong)} ({(n - len(wrong)) / n:.3f}); wrong in the same heading {heading},"
                  f" the same chapter {chapter}, another chapter {len(wrong) - heading - chapter}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
