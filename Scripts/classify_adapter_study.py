#!/usr/bin/env python3
"""Fits a task adapter for the sentence encoder offline: a linear map A (384 x 384) applied to the frozen
mean-pooled vectors, so that texts of one HS-6 code lie closer together, fitted per split on that split's
train rows only. `classify-bench --adapter PREFIX` then maps the examples' vectors, the static projection
and the slow path's queries by it, and reports the whole classifier (issue #19; choose on dev only).

Usage:
  classify-bench --encoder DIR --save-encoder-table T --split-salt dev-1 --no-baseline   # T.texts, T.f32
  classify-bench --encoder DIR --static --salts dev --dump-split S --no-baseline         # S.rows.jsonl, S.splits.jsonl, S.static.f32
  classify_adapter_study.py T S lda|softmax|softmax-unfitted OUT    # writes OUT-<salt>.f32 per split
  classify_adapter_study.py T S measure            # the encoder alone: kNN and centroid figures per adapter

Adapters:
  lda      whitens the within-code scatter (shrunk by 0.05 of the total second moment): Sw^-1/2, closed form.
  softmax  A trained by Adam (3 epochs, batches of 512) on a softmax over every code's centroid, logits
           20 x cos(xA, cA); weak (model-written) rows weigh 0.7, as in the classifier's memory.
  softmax-unfitted  the same, fitted only on the train rows that do not fit the ranker (model-written,
           lexicon, foreign-language): the ranker's held-out rows then played no part in the adapter.
"""
import json
import sys

import numpy as np


def norm(x):
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def load(table, split):
    texts = [json.loads(line) for line in open(table + '.texts')]
    position = {t: i for i, t in enumerate(texts)}
    full = np.fromfile(table + '.f32', dtype=np.float32).reshape(len(texts), -1)
    rows = [json.loads(line) for line in open(split + '.rows.jsonl')]
    splits = [json.loads(line) for line in open(split + '.splits.jsonl')]
    static = np.fromfile(split + '.static.f32', dtype=np.float32).reshape(len(rows), -1)
    vectors = full[[position[r['text']] for r in rows]].astype(np.float64)
    return rows, splits, vectors, static.astype(np.float64)


def lda_adapter(E, y, classes, alpha=0.05):
    mu = np.zeros((classes, E.shape[1]))
    count = np.zeros(classes)
    np.add.at(mu, y, E)
    np.add.at(count, y, 1)
    mu /= np.maximum(count, 1)[:, None]
    R = E - mu[y]
    M = R.T @ R / len(E) + alpha * (E.T @ E / len(E))
    w, V = np.linalg.eigh(M)
    return V @ np.diag(1 / np.sqrt(np.maximum(w, 1e-9))) @ V.T


def softmax_adapter(E, y, classes, weights, epochs=3, rate=1e-3, scale=20.0, seed=0):
    rng = np.random.default_rng(seed)
    d = E.shape[1]
    mu = np.zeros((classes, d))
    np.add.at(mu, y, E * weights[:, None])
    mu = norm(mu)
    A = np.eye(d)
    m = np.zeros_like(A)
    v = np.zeros_like(A)
    t = 0
    for _ in range(epochs):
        perm = rng.permutation(len(E))
        for b in range(0, len(E), 512):
            ii = perm[b:b + 512]
            X, yy, ww = E[ii], y[ii], weights[ii]
            U = X @ A
            un = np.linalg.norm(U, axis=1, keepdims=True)
            Uh = U / un
            C = mu @ A
            cn = np.linalg.norm(C, axis=1, keepdims=True)
            Ch = C / cn
            Z = scale * Uh @ Ch.T
            Z -= Z.max(1, keepdims=True)
            P = np.exp(Z)
            P /= P.sum(1, keepdims=True)
            P[np.arange(len(ii)), yy] -= 1
            G = P * (ww[:, None] / ww.sum()) * scale
            dUh, dCh = G @ Ch, G.T @ Uh
            dU = (dUh - Uh * (dUh * Uh).sum(1, keepdims=True)) / un
            dC = (dCh - Ch * (dCh * Ch).sum(1, keepdims=True)) / cn
            g = X.T @ dU + mu.T @ dC
            t += 1
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            A -= rate * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return A


def fit(kind, E, labels, weak):
    codes = sorted(set(labels))
    index = {c: i for i, c in enumerate(codes)}
    y = np.array([index[c] for c in labels])
    if kind == 'lda':
        return lda_adapter(E, y, len(codes))
    if kind == 'softmax':
        return softmax_adapter(E, y, len(codes), np.where(weak, 0.7, 1.0))
    return np.eye(E.shape[1])


def measure(Q, E, labels, weights, truth):
    """The encoder alone: a 20-nearest-neighbour vote (HS-6, HS-4, top 5) and the nearest code centroid (HS-6, top 5, top 20)."""
    S = Q @ E.T * weights[None, :]
    near = np.argpartition(-S, 20, axis=1)[:, :20]
    codes = sorted(set(labels))
    index = {c: i for i, c in enumerate(codes)}
    C = np.zeros((len(codes), E.shape[1]))
    for e, c in zip(E, labels):
        C[index[c]] += e
    by_centroid = np.argsort(-(Q @ norm(C).T), axis=1)[:, :20]
    out = np.zeros(6)
    for q in range(len(Q)):
        votes = {}
        for r in near[q]:
            votes[labels[r]] = votes.get(labels[r], 0) + max(0, S[q, r])
        order = sorted(votes, key=lambda c: (-votes[c], c))
        top = [codes[j] for j in by_centroid[q]]
        t = truth[q]
        out += [order[0] == t, order[0][:4] == t[:4], t in order[:5], top[0] == t, t in top[:5], t in top]
    return out / len(Q)


def main():
    table, split, kind = sys.argv[1:4]
    rows, splits, full, static = load(table, split)
    labels = np.array([r['hs6'] for r in rows])
    weak = np.array([r['weak'] for r in rows])
    slices = np.array([r['slice'] for r in rows])
    figures = {}
    for s in splits:
        train, test = np.array(s['train']), np.array(s['test'])
        if kind == 'softmax-unfitted':
            train = np.array([i for i in train if not rows[i]['fits']])
        if kind in ('lda', 'softmax', 'softmax-unfitted'):
            fit(kind.split('-')[0], full[train], labels[train], weak[train]).astype(np.float32).tofile('%s-%s.f32' % (sys.argv[4], s['salt']))
            print(s['salt'], 'written', file=sys.stderr)
            continue
        # The static path's queries: the unprojected static vectors, projected onto the full ones by ridge (as `train` does).
        S = norm(static[train])
        projection = np.linalg.solve(S.T @ S + np.eye(S.shape[1]), S.T @ full[train])
        queries = {'static': norm(norm(static[test]) @ projection), 'full': full[test]}
        for adapter in ('none', 'lda', 'softmax'):
            A = fit(adapter, full[train], labels[train], weak[train])
            E = norm(full[train] @ A)
            for path, Q in queries.items():
                for sl in ('rulings', 'parcels'):
                    pick = slices[test] == sl
                    figures.setdefault((path, sl, adapter), []).append(
                        measure(norm(Q[pick] @ A), E, labels[train], np.where(weak[train], 0.7, 1.0), labels[test][pick]))
    if figures:
        print('path    slice    adapter   kNN HS-6  HS-4  top-5   centroid HS-6  top-5  top-20 (mean over %d splits)' % len(splits))
        for (path, sl, adapter), values in sorted(figures.items()):
            m = np.mean(values, axis=0)
            print('%-7s %-8s %-8s  %.3f    %.3f  %.3f   %.3f          %.3f  %.3f' % ((path, sl, adapter) + tuple(m)))


if __name__ == '__main__':
    main()
