"""The toy language ``xx`` ("Toyish") and a tiny Transformer trained to translate it to English.

Toyish is English with every word replaced by an invented one, so a correct translation is
known exactly: ``translate_exactly("zo kema")`` is ``"the workers"``. The model is a 2+2-layer
pre-norm Transformer of width 64, trained with PyTorch on CPU in about three minutes (5,000 steps), then mapped
into a CTranslate2 ``TransformerSpec`` (int8) and packaged as a real ``.argosmodel``.

PyTorch is needed only to rebuild the committed fixture:

    python -m venv /tmp/builder && /tmp/builder/bin/pip install torch==2.13.0 numpy sentencepiece ctranslate2
    /tmp/builder/bin/python -m builders.toy          # rewrites builders/fixtures/translate-xx_en-toy.argosmodel
"""

from __future__ import annotations

import math
import random
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

from .spec import sinusoidal_positions, transformer_spec, write_argos_package, zip_argos_package
from .spec import train_sentencepiece as spec_train_sentencepiece

FIXTURE = Path(__file__).parent / "fixtures" / "translate-xx_en-toy.argosmodel"

# English word → Toyish word. Toyish words never coincide with English ones.
LEXICON: dict[str, str] = {
    "the": "zo", "a": "ka", "people": "mirunda", "workers": "kema", "world": "velto", "revolution": "rivolta",
    "war": "guzzo", "peace": "pazzu", "party": "partiko", "union": "unika", "bread": "panu", "land": "terku",
    "freedom": "libro", "justice": "justo", "city": "urbo", "village": "vilka", "strike": "greva", "solidarity": "solido",
    "struggle": "lukta", "comrades": "kamarado", "we": "mi", "they": "ili", "you": "vu", "all": "tuta", "our": "nia",
    "new": "nova", "old": "malna", "free": "libra", "united": "unuta", "long": "longa", "and": "ke", "of": "di",
    "for": "por", "against": "kontru", "in": "ini", "with": "kun", "want": "volas", "build": "konstru", "need": "bezon",
    "see": "vidas", "stand": "staras", "win": "venkas", "unite": "unigu", "today": "hodiau", "tomorrow": "morgau",
    "women": "virinoj", "men": "viroj", "children": "infanoj", "school": "lernejo", "work": "laboro", "home": "hejmo",
    "is": "estas", "are": "estu", "not": "ne", "will": "vil", "must": "devas", "can": "povas", "here": "chi", "now": "nun",
}  # fmt: skip
WORDS = list(LEXICON)
TOY_WORDS = list(LEXICON.values())
MAX_LENGTH = 256
SPECIALS = ["<unk>", "<s>", "</s>"]


PUNCTUATION = [".", ",", "!", "?"]
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _substitute(text: str, table: dict[str, str]) -> str:
    return re.sub(r"\w+", lambda match: table[match.group()], text)


def to_toyish(english: str) -> str:
    """Word by word; punctuation and spacing stay as they are."""
    return _substitute(english, LEXICON)


def translate_exactly(toyish: str) -> str:
    """The correct English for a Toyish sentence."""
    return _substitute(toyish, {toy: english for english, toy in LEXICON.items()})


def sample_sentences(count: int, seed: int) -> list[str]:
    """Random English sentences over the lexicon, some with a comma and an end mark."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 12))]
        if len(words) > 3 and rng.random() < 0.3:
            words[rng.randrange(1, len(words) - 1)] += ","
        sentences.append(" ".join(words) + rng.choice(["", "", ".", ".", "!", "?"]))
    return sentences


def train_sentencepiece(target: Path) -> Path:
    """A unigram SentencePiece model over both languages in which every word is one piece
    and punctuation is always its own piece."""
    lines = sample_sentences(6000, seed=7)
    return spec_train_sentencepiece(
        "\n".join(lines + [to_toyish(line) for line in lines]) + "\n",
        target,
        model_type="unigram",
        vocab_size=len(WORDS) + len(TOY_WORDS) + 60,
        hard_vocab_limit=False,
        user_defined_symbols=PUNCTUATION,
    )


def vocabulary_of(sp_model: Path) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(sp_model))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    return SPECIALS + pieces[len(SPECIALS) :]


# -- training (PyTorch, builder only) ------------------------------------------------------


def train(sp_model: Path, steps: int = 5000, seed: int = 0, d_model: int = 64, heads: int = 4, d_ff: int = 256, layers: int = 2):
    """Train the toy model; return ``{name: numpy array}`` in builders.spec naming."""
    import sentencepiece as spm

    vocab = vocabulary_of(sp_model)
    processor = spm.SentencePieceProcessor(model_file=str(sp_model))
    bos, eos = 1, 2

    def batch(rng: random.Random):
        sentences = sample_sentences(64, seed=rng.randrange(1 << 30))
        sources = [processor.encode(to_toyish(sentence)) for sentence in sentences]
        targets = [processor.encode(sentence) for sentence in sentences]
        return sources, [[bos, *t] for t in targets], [[*t, eos] for t in targets]

    return train_transformer(len(vocab), batch, steps=steps, seed=seed, d_model=d_model, heads=heads, d_ff=d_ff, layers=layers)


def train_transformer(
    vocab_size: int, batch, *, steps: int, seed: int, d_model: int, heads: int, d_ff: int, layers: int, pad_target: int = 2
):
    """Train a pre-norm Transformer with shared, tied embeddings on ``batch(rng)`` →
    (source ids, decoder input ids, decoder output ids) lists; return ``(weights, shape)``."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    torch.set_num_threads(2)

    class Attention(nn.Module):
        def __init__(self, fused_kv_only: bool = False) -> None:
            super().__init__()
            self.fused_kv_only = fused_kv_only
            if fused_kv_only:
                self.q = nn.Linear(d_model, d_model)
                self.kv = nn.Linear(d_model, 2 * d_model)
            else:
                self.qkv = nn.Linear(d_model, 3 * d_model)
            self.out = nn.Linear(d_model, d_model)

        def forward(self, x, memory=None, mask=None):
            if self.fused_kv_only:
                q = self.q(x)
                k, v = self.kv(memory).chunk(2, dim=-1)
            else:
                q, k, v = self.qkv(x).chunk(3, dim=-1)
            b, tq, _ = q.shape
            tk = k.shape[1]
            hd = d_model // heads
            q = q.view(b, tq, heads, hd).transpose(1, 2) / math.sqrt(hd)
            k = k.view(b, tk, heads, hd).transpose(1, 2)
            v = v.view(b, tk, heads, hd).transpose(1, 2)
            scores = q @ k.transpose(-1, -2)
            if mask is not None:
                scores = scores.masked_fill(mask, float("-inf"))
            out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, tq, d_model)
            return self.out(out)

    def ffn() -> nn.Sequential:
        return nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))

    class EncoderLayer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.attn_norm, self.attn = nn.LayerNorm(d_model, eps=1e-6), Attention()
            self.ffn_norm, self.ffn = nn.LayerNorm(d_model, eps=1e-6), ffn()

        def forward(self, x, pad_mask):
            x = x + self.attn(self.attn_norm(x), mask=pad_mask)
            return x + self.ffn(self.ffn_norm(x))

    class DecoderLayer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.self_norm, self.self_attn = nn.LayerNorm(d_model, eps=1e-6), Attention()
            self.cross_norm, self.cross = nn.LayerNorm(d_model, eps=1e-6), Attention(fused_kv_only=True)
            self.ffn_norm, self.ffn = nn.LayerNorm(d_model, eps=1e-6), ffn()

        def forward(self, x, memory, causal, pad_mask):
            x = x + self.self_attn(self.self_norm(x), mask=causal)
            x = x + self.cross(self.cross_norm(x), memory=memory, mask=pad_mask)
            return x + self.ffn(self.ffn_norm(x))

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embeddings = nn.Embedding(vocab_size, d_model)
            nn.init.normal_(self.embeddings.weight, std=d_model**-0.5)
            self.register_buffer("positions", torch.from_numpy(sinusoidal_positions(MAX_LENGTH, d_model)))
            self.enc = nn.ModuleList(EncoderLayer() for _ in range(layers))
            self.dec = nn.ModuleList(DecoderLayer() for _ in range(layers))
            self.enc_norm = nn.LayerNorm(d_model, eps=1e-6)
            self.dec_norm = nn.LayerNorm(d_model, eps=1e-6)
            self.proj_bias = nn.Parameter(torch.zeros(vocab_size))

        def embed(self, ids):
            return self.embeddings(ids) * math.sqrt(d_model) + self.positions[: ids.shape[1]]

        def forward(self, src, src_pad, tgt_in):
            pad_mask = src_pad[:, None, None, :]
            x = self.embed(src)
            for layer in self.enc:
                x = layer(x, pad_mask)
            memory = self.enc_norm(x)
            t = tgt_in.shape[1]
            causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)[None, None]
            y = self.embed(tgt_in)
            for layer in self.dec:
                y = layer(y, memory, causal, pad_mask)
            return self.dec_norm(y) @ self.embeddings.weight.T + self.proj_bias

    model = Model()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.9, 0.98))
    rng = random.Random(seed)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    for step in range(1, steps + 1):
        sources, decoder_in, decoder_out = batch(rng)
        s_len, t_len = max(map(len, sources)), max(map(len, decoder_in))
        src_ids = torch.tensor([s + [0] * (s_len - len(s)) for s in sources])
        src_pad = torch.tensor([[False] * len(s) + [True] * (s_len - len(s)) for s in sources])
        tgt_in = torch.tensor([t + [pad_target] * (t_len - len(t)) for t in decoder_in])
        tgt_out = torch.tensor([t + [-100] * (t_len - len(t)) for t in decoder_out])
        for group in optimizer.param_groups:
            group["lr"] = 2e-3 * min(1.0, step / 200) * (0.5 * (1 + math.cos(math.pi * step / steps)) * 0.95 + 0.05)
        logits = model(src_ids, src_pad, tgt_in)
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 250 == 0:
            print(f"step {step} loss {loss.item():.4f}", file=sys.stderr, flush=True)

    state = {name: value.detach().numpy().astype(np.float32) for name, value in model.state_dict().items()}
    weights: dict[str, np.ndarray] = {
        "embeddings": state["embeddings.weight"],
        "positions": state["positions"],
        "proj.bias": state["proj_bias"],
    }

    def norm(target: str, source: str) -> None:
        weights[f"{target}.gamma"] = state[f"{source}.weight"]
        weights[f"{target}.beta"] = state[f"{source}.bias"]

    def linear(target: str, source: str) -> None:
        weights[f"{target}.weight"] = state[f"{source}.weight"]
        weights[f"{target}.bias"] = state[f"{source}.bias"]

    for i in range(layers):
        norm(f"enc.{i}.attn_norm", f"enc.{i}.attn_norm")
        linear(f"enc.{i}.qkv", f"enc.{i}.attn.qkv")
        linear(f"enc.{i}.out", f"enc.{i}.attn.out")
        norm(f"enc.{i}.ffn_norm", f"enc.{i}.ffn_norm")
        linear(f"enc.{i}.ffn0", f"enc.{i}.ffn.0")
        linear(f"enc.{i}.ffn1", f"enc.{i}.ffn.2")
        norm(f"dec.{i}.self_norm", f"dec.{i}.self_norm")
        linear(f"dec.{i}.self_qkv", f"dec.{i}.self_attn.qkv")
        linear(f"dec.{i}.self_out", f"dec.{i}.self_attn.out")
        norm(f"dec.{i}.cross_norm", f"dec.{i}.cross_norm")
        linear(f"dec.{i}.cross_q", f"dec.{i}.cross.q")
        linear(f"dec.{i}.cross_kv", f"dec.{i}.cross.kv")
        linear(f"dec.{i}.cross_out", f"dec.{i}.cross.out")
        norm(f"dec.{i}.ffn_norm", f"dec.{i}.ffn_norm")
        linear(f"dec.{i}.ffn0", f"dec.{i}.ffn.0")
        linear(f"dec.{i}.ffn1", f"dec.{i}.ffn.2")
    norm("enc.norm", "enc_norm")
    norm("dec.norm", "dec_norm")
    return weights, dict(layers=layers, heads=heads, d_model=d_model, d_ff=d_ff)


def build(target: Path = FIXTURE, steps: int = 5000) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        sp_model = train_sentencepiece(Path(tmp) / "sentencepiece.model")
        weights, shape = train(sp_model, steps=steps)
        return _package(target, sp_model, weights, shape)


def _package(target: Path, sp_model: Path, weights: dict, shape: dict) -> Path:

    def params(name: str, expected: tuple[int, ...]) -> np.ndarray:
        value = weights[name]
        assert value.shape == expected, (name, value.shape, expected)
        return value

    with tempfile.TemporaryDirectory() as tmp:
        spec = transformer_spec(params, vocabulary=vocabulary_of(sp_model), max_length=MAX_LENGTH, **shape)
        folder = write_argos_package(
            Path(tmp) / "translate-xx_en-toy",
            spec=spec,
            sentencepiece_model=sp_model,
            from_code="xx",
            from_name="Toyish",
            package_version="1.0",
            readme="Toyish (xx) → English, a word-substitution toy language. Built by builders/toy.py.\n",
        )
        return zip_argos_package(folder, target)


if __name__ == "__main__":
    print(build())
