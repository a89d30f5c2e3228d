#!/bin/sh
# Builds and runs the HS classification benchmark in release mode, with the scikit-learn baseline.
# Usage: Scripts/classify-bench.sh [--items N] [--no-baseline] [--split-salt S | --salts dev | --salts report | --salts A,B,C]
#   --salts: every figure as mean ± sd [min, max] over several grouped splits (choose on `dev`,
#   quote `report`); see docs/benchmarks.md.
set -e
cd "$(dirname "$0")/.."
python3 -c "import sklearn" 2>/dev/null || python3 -m pip install --quiet scikit-learn
swift build -c release --product classify-bench
exec .build/release/classify-bench "$@"
