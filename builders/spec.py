"""Fill a CTranslate2 TransformerSpec from named weights, and package it as an Argos model."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

# Weight names follow this layout; ``params(name, shape)`` returns each array.
#   embeddings (V, d), positions (L, d)
#   enc.{i}.attn_norm.{gamma,beta} enc.{i}.qkv.{weight,bias} enc.{i}.out.{weight,bias}
#   enc.{i}.ffn_norm.{gamma,beta} enc.{i}.ffn0.{weight,bias} enc.{i}.ffn1.{weight,bias}   enc.norm.{gamma,beta}
#   dec.{i}.self_norm / self_qkv / self_out, dec.{i}.cross_norm / cross_q / cross_kv / cross_out,
#   dec.{i}.ffn_norm / ffn0 / ffn1, dec.norm, proj.{weight,bias}
Params = Callable[[str, tuple[int, ...]], np.ndarray]


def sinusoidal_positions(length: int, depth: int) -> np.ndarray:
    """OpenNMT's encoding: sines in the first half of the channels, cosines in the second."""
    half = depth // 2
    timescales = np.exp(np.arange(half, dtype=np.float64) * -(np.log(10000.0) / (half - 1)))
    angles = np.arange(length, dtype=np.float64)[:, None] * timescales[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)


def _norm(spec, params: Params, name: str, d: int) -> None:
    spec.gamma = params(f"{name}.gamma", (d,))
    spec.beta = params(f"{name}.beta", (d,))


def _linear(spec, params: Params, name: str, out_dim: int, in_dim: int) -> None:
    spec.weight = params(f"{name}.weight", (out_dim, in_dim))
    spec.bias = params(f"{name}.bias", (out_dim,))


def _feed_forward(ffn, params: Params, prefix: str, d: int, d_ff: int) -> None:
    """The pre-norm feed-forward block, the same in encoder and decoder layers."""
    _norm(ffn.layer_norm, params, f"{prefix}.ffn_norm", d)
    _linear(ffn.linear_0, params, f"{prefix}.ffn0", d_ff, d)
    _linear(ffn.linear_1, params, f"{prefix}.ffn1", d, d_ff)


def transformer_spec(params: Params, *, layers: int, heads: int, d_model: int, d_ff: int, vocabulary: list[str], max_length: int):
    """A pre-norm Transformer with shared embeddings and vocabulary, ready to ``save``."""
    from ctranslate2.specs import TransformerSpec

    vocab = len(vocabulary)
    d = d_model
    spec = TransformerSpec.from_config((layers, layers), heads)
    embeddings = params("embeddings", (vocab, d))
    positions = params("positions", (max_length, d))
    spec.encoder.embeddings[0].weight = embeddings
    spec.encoder.position_encodings.encodings = positions
    spec.decoder.embeddings.weight = embeddings
    spec.decoder.position_encodings.encodings = positions
    for i, layer in enumerate(spec.encoder.layer):
        _norm(layer.self_attention.layer_norm, params, f"enc.{i}.attn_norm", d)
        _linear(layer.self_attention.linear[0], params, f"enc.{i}.qkv", 3 * d, d)
        _linear(layer.self_attention.linear[1], params, f"enc.{i}.out", d, d)
        _feed_forward(layer.ffn, params, f"enc.{i}", d, d_ff)
    _norm(spec.encoder.layer_norm, params, "enc.norm", d)
    for i, layer in enumerate(spec.decoder.layer):
        _norm(layer.self_attention.layer_norm, params, f"dec.{i}.self_norm", d)
        _linear(layer.self_attention.linear[0], params, f"dec.{i}.self_qkv", 3 * d, d)
        _linear(layer.self_attention.linear[1], params, f"dec.{i}.self_out", d, d)
        _norm(layer.attention.layer_norm, params, f"dec.{i}.cross_norm", d)
        _linear(layer.attention.linear[0], params, f"dec.{i}.cross_q", d, d)
        _linear(layer.attention.linear[1], params, f"dec.{i}.cross_kv", 2 * d, d)
        _linear(layer.attention.linear[2], params, f"dec.{i}.cross_out", d, d)
        _feed_forward(layer.ffn, params, f"dec.{i}", d, d_ff)
    _norm(spec.decoder.layer_norm, params, "dec.norm", d)
    spec.decoder.projection.weight = embeddings  # tied, as in Argos's OpenNMT models
    spec.decoder.projection.bias = params("proj.bias", (vocab,))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.config.add_source_bos = False
    spec.config.add_source_eos = False
    return spec


def train_sentencepiece(text: str, target: Path, **options) -> Path:
    """Train a SentencePiece model on ``text`` with Argos's special ids (unk 0, <s> 1, </s> 2)."""
    import tempfile

    import sentencepiece as spm

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "text.txt"
        text_file.write_text(text, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(text_file),
            model_prefix=str(Path(tmp) / "sp"),
            character_coverage=1.0,
            unk_id=0,
            bos_id=1,
            eos_id=2,
            pad_id=-1,
            minloglevel=2,
            **options,
        )
        (Path(tmp) / "sp.model").replace(target)
    return target


def write_argos_package(
    folder: Path,
    *,
    spec,
    sentencepiece_model: Path,
    from_code: str,
    from_name: str,
    to_code: str = "en",
    to_name: str = "English",
    package_version: str = "1.0",
    quantization: str = "int8",
    readme: str = "",
) -> Path:
    """Write an installed-package folder (metadata.json, model/, sentencepiece.model)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    spec.validate()
    spec.optimize(quantization=quantization)
    (folder / "model").mkdir()
    spec.save(str(folder / "model"))
    shutil.copyfile(sentencepiece_model, folder / "sentencepiece.model")
    metadata = {
        "package_version": package_version,
        "argos_version": "1.12",
        "from_code": from_code,
        "from_name": from_name,
        "to_code": to_code,
        "to_name": to_name,
        "type": "translate",
        "links": [],
    }
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    if readme:
        (folder / "README.md").write_text(readme, encoding="utf-8")
    return folder


def zip_argos_package(folder: Path, target: Path) -> Path:
    """Zip a package folder into an ``.argosmodel``: one top-level folder, deterministic order."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            info = zipfile.ZipInfo(str(Path(folder.name) / path.relative_to(folder)), date_time=(2024, 1, 1, 0, 0, 0))
            if path.is_dir():
                continue
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(target)
    return target
