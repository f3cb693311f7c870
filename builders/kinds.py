"""Small models of the other kinds the workbench installs, built with numpy in seconds:

- an OPUS-MT (Marian) *release folder*: ``*.npz`` with Marian's own parameter names and its
  ``special:model.yml``, ``decoder.yml``, ``*.vocab.yml``, ``source.spm``, ``target.spm``,
  which the workbench converts at install time with CTranslate2's real ``OpusMTConverter``;
- an Argos package with a ``bpe.model`` (subword-nmt codes, as LibreTranslate's Locomotive
  writes for OPUS-MT conversions) instead of a SentencePiece model.

Weights are random (outputs are meaningless but deterministic); what they test is the real
installing, loading, tokenising and decoding path of each kind.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np

from .random_model import CACHE, random_params, sentencepiece_vocabulary, train_sentencepiece
from .spec import transformer_spec, zip_argos_package
from .toy import LEXICON, sample_sentences, to_toyish


def _marian_config(layers: int, heads: int, d_model: int, d_ff: int) -> str:
    return "\n".join(
        [
            "type: transformer",
            f"enc-depth: {layers}",
            f"dec-depth: {layers}",
            f"dim-emb: {d_model}",
            f"transformer-dim-ffn: {d_ff}",
            f"transformer-heads: {heads}",
            "transformer-ffn-activation: swish",
            "transformer-preprocess: ''",
            "transformer-postprocess: dan",
            "transformer-postprocess-emb: d",
            "transformer-decoder-autoreg: self-attention",
            "transformer-no-projection: false",
            "transformer-guided-alignment-layer: last",
            "tied-embeddings-all: true",
            "",
        ]
    )


def build_opus_mt_release(
    folder: Path, from_code: str = "tr", *, layers: int = 2, heads: int = 4, d_model: int = 64, d_ff: int = 128, seed: int = 3
) -> Path:
    """Write an OPUS-MT release folder ``folder`` (named like ``opus-mt-tr-en``)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    spm = train_sentencepiece(folder / "source.spm", 1000)
    (folder / "target.spm").write_bytes(spm.read_bytes())
    pieces = sentencepiece_vocabulary(spm)[3:]  # Marian: </s> 0, <unk> 1, then the pieces
    vocabulary = ["</s>", "<unk>", *pieces]
    vocab_yml = "".join(f"{json.dumps(token, ensure_ascii=False)}: {index}\n" for index, token in enumerate(vocabulary))
    (folder / "opus.spm1k-spm1k.vocab.yml").write_text(vocab_yml, encoding="utf-8")

    def matrix(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) / np.sqrt(shape[0])).astype(np.float32)

    weights: dict[str, np.ndarray] = {"Wemb": matrix(len(vocabulary), d_model)}
    bias = np.zeros((1, len(vocabulary)), np.float32)
    bias[0, 0] = 3.0  # </s>: outputs stop after a few tokens
    weights["decoder_ff_logit_out_b"] = bias

    def attention(prefix: str) -> None:
        for name in ("q", "k", "v", "o"):
            weights[f"{prefix}_W{name}"] = matrix(d_model, d_model)
            weights[f"{prefix}_b{name}"] = np.zeros((1, d_model), np.float32)
        weights[f"{prefix}_Wo_ln_scale"] = np.ones((1, d_model), np.float32)
        weights[f"{prefix}_Wo_ln_bias"] = np.zeros((1, d_model), np.float32)

    def ffn(prefix: str) -> None:
        weights[f"{prefix}_ffn_W1"] = matrix(d_model, d_ff)
        weights[f"{prefix}_ffn_b1"] = np.zeros((1, d_ff), np.float32)
        weights[f"{prefix}_ffn_W2"] = matrix(d_ff, d_model)
        weights[f"{prefix}_ffn_b2"] = np.zeros((1, d_model), np.float32)
        weights[f"{prefix}_ffn_ffn_ln_scale"] = np.ones((1, d_model), np.float32)
        weights[f"{prefix}_ffn_ffn_ln_bias"] = np.zeros((1, d_model), np.float32)

    for i in range(1, layers + 1):
        attention(f"encoder_l{i}_self")
        ffn(f"encoder_l{i}")
        attention(f"decoder_l{i}_self")
        attention(f"decoder_l{i}_context")
        ffn(f"decoder_l{i}")
    config = _marian_config(layers, heads, d_model, d_ff).encode("utf-8") + b"\x00"
    weights["special:model.yml"] = np.frombuffer(config, dtype=np.int8)
    model_name = "opus.spm1k-spm1k.transformer.model1.npz.best-perplexity.npz"
    np.savez(folder / model_name, **weights)
    (folder / "decoder.yml").write_text(
        f"models:\n  - {model_name}\nvocabs:\n  - opus.spm1k-spm1k.vocab.yml\n  - opus.spm1k-spm1k.vocab.yml\nbeam-size: 4\nnormalize: 1\n",
        encoding="utf-8",
    )
    (folder / "README.md").write_text(
        f"# {folder.name}\n\n* source language(s): {from_code}\n* target language(s): en\n* model: transformer (random weights, "
        "built by builders/kinds.py)\n* download: opus-2024-01-01.zip\n",
        encoding="utf-8",
    )
    return folder


def bpe_codes(words: list[str]) -> str:
    """subword-nmt (version 0.2) codes that merge each word's characters into the whole word."""
    merges: list[str] = []
    seen: set[str] = set()
    for word in sorted(set(words)):
        current = word[0]
        for position, char in enumerate(word[1:], start=1):
            right = char + ("</w>" if position == len(word) - 1 else "")
            merge = f"{current} {right}"
            if merge not in seen:
                seen.add(merge)
                merges.append(merge)
            current += char
    return "#version: 0.2\n" + "\n".join(merges) + "\n"


def build_bpe_package(from_code: str = "xb", *, cache: Path = CACHE, seed: int = 5) -> Path:
    """An ``.argosmodel`` whose package has ``bpe.model`` and no SentencePiece model; its
    vocabulary is every token Argos's own BPETokenizer makes of Toyish text."""
    target = cache / f"translate-{from_code}_en-bpe.argosmodel"
    if target.exists():
        return target
    from argostranslate.tokenizer import BPETokenizer

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / f"translate-{from_code}_en-bpe"
        (folder / "model").mkdir(parents=True)
        toy_words = list(LEXICON.values())
        (folder / "bpe.model").write_text(bpe_codes(toy_words), encoding="utf-8")
        tokenizer = BPETokenizer(folder / "bpe.model", "en", "en")
        tokens: set[str] = set()
        for sentence in sample_sentences(400, seed=11):
            tokens.update(tokenizer.encode(to_toyish(sentence)))
            tokens.update(tokenizer.encode(sentence))
        letters = sorted({char for word in list(LEXICON) + toy_words for char in word})
        tokens.update(letters + [f"{char}@@" for char in letters] + list(".,!?"))
        vocabulary = ["<unk>", "<s>", "</s>", *sorted(tokens)]
        spec = transformer_spec(
            random_params(seed, eos_bias=3.0), layers=2, heads=4, d_model=64, d_ff=128, vocabulary=vocabulary, max_length=256
        )
        spec.validate()
        spec.optimize(quantization="int8")
        spec.save(str(folder / "model"))
        metadata = {
            "package_version": "1.0",
            "argos_version": "1.12",
            "from_code": from_code,
            "from_name": "Toyish (BPE, random weights)",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "links": [],
        }
        (folder / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        return zip_argos_package(folder, target)
