"""A tiny multilingual model in the NLLB-200 layout, trained on two toy languages.

Both toy languages use Toyish's words, but with different meanings: in the one tagged
``kmr_Latn`` every word means what it means in Toyish (``zo`` → "the"); in the one tagged
``hye_Armn`` the meanings are rotated (``zo`` → another English word). Only the language token
at the start of the input tells them apart, so exact outputs prove that the workbench puts
the right NLLB code in front of each segment (``ku`` → ``kmr_Latn``, ``hy`` → ``hye_Armn``).

The folder is what CTranslate2's ``ct2-transformers-converter`` writes for NLLB, plus the
checkpoint's SentencePiece model copied beside it: ``model.bin``, ``config.json``,
``shared_vocabulary.json``, ``sentencepiece.bpe.model``. Input is ``[src_lang] + pieces +
["</s>"]``, decoding starts from ``</s>`` with ``target_prefix=[["eng_Latn"]]``.

PyTorch is needed only to rebuild the committed fixture (about four minutes on 2 cores):

    /tmp/builder/bin/python -m builders.multilingual   # rewrites builders/fixtures/nllb-toy.zip
"""

from __future__ import annotations

import random
import sys
import tempfile
import zipfile
from pathlib import Path

from .spec import transformer_spec
from .toy import LEXICON, MAX_LENGTH, WORDS, sample_sentences, train_sentencepiece, train_transformer

FIXTURE = Path(__file__).parent / "fixtures" / "nllb-toy.zip"
LANGUAGE_TOKENS = ("kmr_Latn", "hye_Armn", "eng_Latn")
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
ROTATION = 7
# Toy word → English, per language token.
MEANINGS: dict[str, dict[str, str]] = {
    "kmr_Latn": {LEXICON[word]: word for word in WORDS},
    "hye_Armn": {LEXICON[word]: WORDS[(index + ROTATION) % len(WORDS)] for index, word in enumerate(WORDS)},
}


def to_toy(english: str, token: str) -> str:
    """English → the toy language tagged ``token`` (punctuation and spacing kept)."""
    import re

    table = {meaning: toy for toy, meaning in MEANINGS[token].items()}
    return re.sub(r"\w+", lambda match: table[match.group()], english)


def vocabulary(sp_model: Path) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(sp_model))
    pieces = [processor.id_to_piece(i) for i in range(3, processor.get_piece_size())]  # after unk, <s>, </s>
    return SPECIALS + pieces + list(LANGUAGE_TOKENS)


def train(sp_model: Path, steps: int = 8000, seed: int = 0):
    import sentencepiece as spm

    vocab = vocabulary(sp_model)
    index = {token: number for number, token in enumerate(vocab)}
    processor = spm.SentencePieceProcessor(model_file=str(sp_model))
    eos, english = index["</s>"], index["eng_Latn"]

    def ids(text: str) -> list[int]:
        return [index.get(piece, index["<unk>"]) for piece in processor.encode(text, out_type=str)]

    def batch(rng: random.Random):
        sentences = sample_sentences(64, seed=rng.randrange(1 << 30))
        sources, decoder_in, decoder_out = [], [], []
        for number, sentence in enumerate(sentences):
            token = LANGUAGE_TOKENS[number % 2]
            target = ids(sentence)
            sources.append([index[token], *ids(to_toy(sentence, token)), eos])
            decoder_in.append([eos, english, *target])
            decoder_out.append([english, *target, eos])
        return sources, decoder_in, decoder_out

    return train_transformer(len(vocab), batch, steps=steps, seed=seed, d_model=64, heads=4, d_ff=256, layers=2, pad_target=index["<pad>"])


def write_folder(folder: Path, sp_model: Path, weights: dict, shape: dict) -> Path:
    import shutil

    def params(name: str, expected: tuple[int, ...]):
        value = weights[name]
        assert value.shape == expected, (name, value.shape, expected)
        return value

    spec = transformer_spec(params, vocabulary=vocabulary(sp_model), max_length=MAX_LENGTH, **shape)
    spec.config.decoder_start_token = "</s>"
    spec.validate()
    spec.optimize(quantization="int8")
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))
    shutil.copyfile(sp_model, folder / "sentencepiece.bpe.model")
    (folder / "README.md").write_text(
        "A toy multilingual model in the NLLB-200 layout (kmr_Latn and hye_Armn toy languages → eng_Latn). "
        "Built by builders/multilingual.py.\n",
        encoding="utf-8",
    )
    return folder


def build(target: Path = FIXTURE, steps: int = 8000) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        sp_model = train_sentencepiece(Path(tmp) / "sentencepiece.model")
        weights, shape = train(sp_model, steps=steps)
        folder = write_folder(Path(tmp) / "nllb-toy", sp_model, weights, shape)
        check(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                info = zipfile.ZipInfo(f"nllb-toy/{path.relative_to(folder)}", date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return target


def check(folder: Path, count: int = 200) -> float:
    """Share of held-out sentences translated exactly, in both toy languages."""
    import ctranslate2
    import sentencepiece as spm

    translator = ctranslate2.Translator(str(folder))
    processor = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.bpe.model"))
    sentences = sample_sentences(count, seed=99)
    right = 0
    for token in LANGUAGE_TOKENS[:2]:
        batch = [[token, *processor.encode(to_toy(s, token), out_type=str), "</s>"] for s in sentences]
        results = translator.translate_batch(batch, target_prefix=[["eng_Latn"]] * len(batch), beam_size=4)
        for sentence, result in zip(sentences, results):
            right += processor.decode(result.hypotheses[0][1:]) == sentence
    share = right / (2 * count)
    print(f"exact on held-out sentences: {share:.1%}", file=sys.stderr)
    return share


if __name__ == "__main__":
    print(build())
