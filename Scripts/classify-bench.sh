#!/bin/sh
# Builds and runs the HS classification benchmark in release mode, with the scikit-learn baseline.
# Usage: Scripts/classify-bench.sh [--items N] [--no-baseline] [--split-salt S | --salts dev | --salts report | --salts A,B,C]
#   --salts: every figure as mean ± sd [min, max] over several grouped splits (choose on `dev`,
#   quote `report`); see docs/benchmarks.md.
#   --cascade --encoder DIR --encoder-table PREFIX [--with-none] [--encoder-tokens N] [--cascade-share long=S,short=S]
#   [--cascade-curve]: the encoder cascade beside its static path, its full path, a model without the
#   encoder (--with-none) and the sklearn baseline, per split, with items per CPU-second (the forward
#   pass included) and the share of lines on the slow path. PREFIX holds the training texts' vectors
#   (write it once with --encoder DIR --save-encoder-table PREFIX).
#   --dump-candidates FILE: every row's whole candidate pool per path, for Scripts/classify_decoding.py.
#   --dump FILE: every test row's answer (top five with scores, confidence, sets, features); two builds'
#   dumps of the same splits compared row by row: Scripts/classify_dump_compare.py A B (a speed change keeps every answer).
set -e
cd "$(dirname "$0")/.."
python3 -c "import sklearn" 2>/dev/null || python3 -m pip install --quiet scikit-learn
swift build -c release --product classify-bench
exec .build/release/classify-bench "$@"
