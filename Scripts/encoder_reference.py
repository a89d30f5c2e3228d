#!/usr/bin/env python3
"""Reference embeddings for the Swift sentence encoder (TextEmbedding.MiniLMEncoder).

A BERT forward pass with mean pooling in numpy, on the `tokenizers` library's WordPiece ids: the
sentence-transformers recipe for all-MiniLM-L6-v2, written out so that the Swift port is held to
something independent of it.

  encoder_reference.py tiny OUT_DIR          a tiny random BERT (made here, seeded) with its
                                             tokenizer, ids and embeddings: the test fixture
  encoder_reference.py real MODEL_DIR OUT    ids and embeddings of a few texts by the real model
  encoder_reference.py embed MODEL_DIR TEXTS PREFIX
                                             embeds TEXTS (one JSON string a line) into PREFIX.texts
                                             and PREFIX.f32 (classify-bench --encoder-table)

Needs numpy, safetensors and tokenizers (pip).
"""
import json, math, os, sys
import numpy as np

TEXTS = ["Men's 100% cotton T-shirt, knitted, short sleeves",
         "Stainless steel hex bolts (M8 x 40 mm) for machinery; zinc-plated.",
         "Café crème — décaféiné, torréfié",
         "PIGEON REGULAR DRY SHEET PINK — 섬유유연제 시트",
         "",
         "a " * 200]


def erf(x):
    try:
        from scipy.special import erf as e
        return e(x)
    except ImportError:
        return np.vectorize(math.erf, otypes=[np.float32])(x)


class Encoder:
    def __init__(self, weights, tokenizer, heads=12, max_len=128):
        self.w = {k: v.astype(np.float32) for k, v in weights.items() if v.dtype != np.int64}
        self.tok, self.heads, self.max_len = tokenizer, heads, max_len
        self.tok.no_padding()
        self.tok.enable_truncation(max_len)

    def ids(self, texts):
        return [e.ids for e in self.tok.encode_batch(texts)]

    @staticmethod
    def ln(x, g, b):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-12) * g + b

    def forward(self, ids):
        W = self.w
        H = W["embeddings.word_embeddings.weight"].shape[1]
        nh, T = self.heads, len(ids)
        dh = H // nh
        layers = len([k for k in W if k.endswith("attention.self.query.weight")])
        x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:T] + W["embeddings.token_type_embeddings.weight"][0]
        x = self.ln(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"])
        for l in range(layers):
            p = f"encoder.layer.{l}."
            lin = lambda h, n: h @ W[p + n + ".weight"].T + W[p + n + ".bias"]
            q, k, v = (lin(x, "attention.self." + n).reshape(T, nh, dh).transpose(1, 0, 2) for n in ("query", "key", "value"))
            s = q @ k.transpose(0, 2, 1) / np.sqrt(dh)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(1, 0, 2).reshape(T, H)
            x = self.ln(x + lin(a, "attention.output.dense"), W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"])
            h = lin(x, "intermediate.dense")
            h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
            x = self.ln(x + lin(h, "output.dense"), W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"])
        e = x.mean(0)
        return e / max(np.linalg.norm(e), 1e-12)


def load(model_dir):
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer
    return Encoder(load_file(os.path.join(model_dir, "model.safetensors")), Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json")))


def reference(enc, texts, out):
    rows = []
    for text, ids in zip(texts, enc.ids(texts)):
        rows.append({"text": text, "ids": ids, "embedding": [round(float(v), 7) for v in enc.forward(np.array(ids))]})
    with open(out, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False)


def tiny(out_dir):
    """Hidden 16, 2 heads, 2 layers, intermediate 32, a 60-piece vocabulary, seeded weights."""
    from safetensors.numpy import save_file
    from tokenizers import Tokenizer
    words = ["men", "cotton", "shirt", "knit", "##ted", "steel", "bolt", "##s", "for", "machinery", "cafe", "creme",
             "short", "sleeve", "##ves", "t", "-", ",", "(", ")", ";", ".", "'", "%", "100", "m", "##8", "x", "40", "mm",
             "zinc", "plated", "hex", "stain", "##less", "dec", "##af", "##eine", "tor", "##re", "##fie", "a", "of", "dry", "sheet"]
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words)}
    spec = {"version": "1.0", "truncation": None, "padding": None,
            "added_tokens": [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
                             for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]],
            "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                               "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                               "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [vocab["[CLS]"]], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [vocab["[SEP]"]], "tokens": ["[SEP]"]}}},
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocab}}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False)
    rng = np.random.default_rng(19)
    H, I, L, V, P = 16, 32, 2, len(vocab), 24
    r = lambda *shape: (rng.standard_normal(shape) * 0.3).astype(np.float32)
    w = {"embeddings.word_embeddings.weight": r(V, H), "embeddings.position_embeddings.weight": r(P, H),
         "embeddings.token_type_embeddings.weight": r(2, H), "embeddings.LayerNorm.weight": 1 + r(H), "embeddings.LayerNorm.bias": r(H),
         "embeddings.position_ids": np.arange(P, dtype=np.int64)[None]}
    for l in range(L):
        p = f"encoder.layer.{l}."
        for n in ("query", "key", "value"):
            w[p + f"attention.self.{n}.weight"], w[p + f"attention.self.{n}.bias"] = r(H, H), r(H)
        w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"] = r(H, H), r(H)
        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"] = 1 + r(H), r(H)
        w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"] = r(I, H), r(I)
        w[p + "output.dense.weight"], w[p + "output.dense.bias"] = r(H, I), r(H)
        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"] = 1 + r(H), r(H)
    save_file(w, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})
    enc = Encoder(w, Tokenizer.from_file(os.path.join(out_dir, "tokenizer.json")), heads=2, max_len=P)
    reference(enc, TEXTS, os.path.join(out_dir, "expected.json"))


def embed(model_dir, texts_path, prefix):
    enc = load(model_dir)
    texts = [json.loads(l) for l in open(texts_path, encoding="utf-8") if l.strip()]
    out = np.stack([enc.forward(np.array(ids)) for ids in enc.ids(texts)]).astype("<f4")
    with open(prefix + ".texts", "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    out.tofile(prefix + ".f32")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "tiny" and len(sys.argv) == 3:
        tiny(sys.argv[2])
    elif command == "real" and len(sys.argv) == 4:
        reference(load(sys.argv[2]), TEXTS, sys.argv[3])
    elif command == "embed" and len(sys.argv) == 5:
        embed(*sys.argv[2:5])
    else:
        sys.exit(__doc__)
