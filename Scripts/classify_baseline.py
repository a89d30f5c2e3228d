#!/usr/bin/env python3
"""scikit-learn baseline for `classify-bench`: TF-IDF (word 1-2 grams + char_wb 3-5 grams,
sublinear tf) and cosine nearest neighbours over exactly the training rows the Swift model got.

Usage: classify_baseline.py TRAIN.jsonl TEST.jsonl OUT.jsonl
Each input line: {"description": ..., "hs6": ...}. Each output line (test order):
{"ranked": [hs6, ...top 5 distinct labels by best neighbour], "similarity": top cosine,
 "fit_seconds": ..., "predict_seconds": ..., "predict_cpu_seconds": ...} (timings on the first line only;
 CPU seconds of this process, which may include BLAS threads).
"""
import json, sys, time
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]

train, test = load(sys.argv[1]), load(sys.argv[2])
t0 = time.perf_counter()
word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
docs = [r["description"] for r in train]
X = normalize(hstack([word.fit_transform(docs), char.fit_transform(docs)]).tocsr())
labels = [r["hs6"] for r in train]
t1 = time.perf_counter()
c1 = time.process_time()
queries = [r["description"] for r in test]
Q = normalize(hstack([word.transform(queries), char.transform(queries)]).tocsr())
S = (Q @ X.T).toarray()
out = []
for i in range(S.shape[0]):
    order = S[i].argsort()[::-1]
    ranked, seen = [], set()
    for j in order:
        if labels[j] not in seen:
            seen.add(labels[j]); ranked.append(labels[j])
            if len(ranked) == 5: break
    out.append({"ranked": ranked, "similarity": float(S[i][order[0]]) if len(order) else 0.0})
t2 = time.perf_counter()
c2 = time.process_time()
if out:
    out[0]["fit_seconds"] = t1 - t0
    out[0]["predict_seconds"] = t2 - t1
    out[0]["predict_cpu_seconds"] = c2 - c1
with open(sys.argv[3], "w", encoding="utf-8") as f:
    for r in out: f.write(json.dumps(r) + "\n")
