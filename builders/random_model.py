"""Random-weight Argos packages: real files through the real loading path, for any language code.

Used to test routing of mixed documents (ar, tr, fa, el … → en) and, Transformer-base-shaped,
to benchmark the engine. Outputs are meaningless but deterministic for a given seed.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np

from .spec import sinusoidal_positions, transformer_spec, write_argos_package, zip_argos_package
from .spec import train_sentencepiece as spec_train_sentencepiece

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "models"


def training_text() -> str:
    """Text in the workbench's languages for SentencePiece: the UDHR dev set and the corpus."""
    lines = []
    data = ROOT / "bench" / "data" / "dev_single.jsonl"
    for line in data.read_text(encoding="utf-8").splitlines():
        lines.append(json.loads(line)["text"])
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        lines.extend(part for part in path.read_text(encoding="utf-8").splitlines() if part.strip())
    return "\n".join(lines) + "\n"


def train_sentencepiece(target: Path, vocab_size: int, extra_symbols: int = 0) -> Path:
    """A unigram SentencePiece model; ``extra_symbols`` pads the vocabulary with decodable pieces."""
    return spec_train_sentencepiece(
        training_text(),
        target,
        vocab_size=vocab_size + extra_symbols,
        model_type="unigram",
        user_defined_symbols=[f"▁x{i}" for i in range(extra_symbols)],
        hard_vocab_limit=False,
        num_threads=2,
    )


def sentencepiece_vocabulary(model: Path) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(model))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def random_params(seed: int, eos_bias: float, eos_id: int = 2):
    rng = np.random.default_rng(seed)

    def params(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name == "positions":
            return sinusoidal_positions(*shape)
        if name.endswith(".gamma"):
            return np.ones(shape, np.float32)
        if name.endswith(".beta") or name.endswith(".bias"):
            value = np.zeros(shape, np.float32)
            if name == "proj.bias":
                value[eos_id] = eos_bias
            return value
        scale = 1.0 / np.sqrt(shape[-1])
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    return params


def build_random_package(
    from_code: str,
    *,
    layers: int = 2,
    heads: int = 4,
    d_model: int = 64,
    d_ff: int = 128,
    vocab_size: int = 2000,
    extra_symbols: int = 0,
    eos_bias: float = 0.0,
    seed: int = 0,
    package_version: str = "1.0",
    cache: Path = CACHE,
) -> Path:
    """Build (or reuse from ``cache``) ``translate-<code>_en-random-….argosmodel``."""
    key = hashlib.sha1(
        json.dumps([from_code, layers, heads, d_model, d_ff, vocab_size, extra_symbols, eos_bias, seed, package_version]).encode()
    ).hexdigest()[:10]
    target = cache / f"translate-{from_code}_en-random-{key}.argosmodel"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        sp_model = cache / f"sentencepiece-{vocab_size}-{extra_symbols}.model"
        if not sp_model.exists():
            train_sentencepiece(sp_model, vocab_size, extra_symbols)
        vocabulary = sentencepiece_vocabulary(sp_model)
        vocabulary[0], vocabulary[1], vocabulary[2] = "<unk>", "<s>", "</s>"
        spec = transformer_spec(
            random_params(seed, eos_bias),
            layers=layers,
            heads=heads,
            d_model=d_model,
            d_ff=d_ff,
            vocabulary=vocabulary,
            max_length=512,
        )
        folder = Path(tmp) / f"translate-{from_code}_en-random"
        write_argos_package(
            folder,
            spec=spec,
            sentencepiece_model=sp_model,
            from_code=from_code,
            from_name=f"{from_code} (random weights)",
            package_version=package_version,
            readme="Random weights, built by builders/random_model.py for tests and benchmarks.\n",
        )
        return zip_argos_package(folder, target)


def build_base_package(from_code: str = "de", cache: Path = CACHE) -> Path:
    """Transformer-base shape: 6+6 layers, width 512, feed-forward 2048, 8 heads, ~32k shared vocabulary.

    ``</s>`` is never chosen (large negative bias), so every system decodes to the pinned
    maximum length and does the same work.
    """
    return build_random_package(
        from_code,
        layers=6,
        heads=8,
        d_model=512,
        d_ff=2048,
        vocab_size=8000,
        extra_symbols=24000,
        eos_bias=-1e4,
        seed=1,
        cache=cache,
    )
