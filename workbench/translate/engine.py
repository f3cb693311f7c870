"""The translation engine: CTranslate2 + SentencePiece, loaded once per model, batched.

Argos Translate's own ``translate()`` makes one small batch per paragraph, splits sentences
with models it downloads, and leaves CTranslate2's threading at its defaults. Here every
sentence of a run goes through one sorted, token-batched ``translate_batch`` pass per model,
with one worker per core (``inter_threads``, ``intra_threads=1``: measured several times
faster on 2 cores than the reverse). Tokenisation, decoding options and detokenisation are
Argos's own, so outputs are identical (tested).
"""

from __future__ import annotations

import math
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.translate.models import InstalledModel


@dataclass(frozen=True)
class DecodingOptions:
    """How to decode. ``beam=4`` and ``length_penalty=0.2`` are Argos's defaults."""

    beam: int = 4
    length_penalty: float = 0.2
    max_decoding_length: int = 256
    # A translation stops at this many times its source's tokens, plus ``LENGTH_SLACK`` (0: off).
    length_factor: int = 3
    # Sentences per batch, sorted by length (Argos uses 32 *tokens*, about one sentence;
    # measured fastest here: bench/translate.py).
    batch_size: int = 32

    def as_dict(self) -> dict:
        """The options that change outputs: part of provenance and of cache keys."""
        return {
            "beam": self.beam,
            "length_penalty": self.length_penalty,
            "max_decoding_length": self.max_decoding_length,
            "length_factor": self.length_factor,
        }


GREEDY = DecodingOptions(beam=1)
# A translation at most ``length_factor`` times as long as its source, plus a few tokens (in
# tokens; Marian's --max-length-factor is 3 too): longer is a decoder looping, not a
# translation. It bounds a loop's cost, and lets a batch of short inputs (a link's text, a
# bold word: inline spans) stop early instead of running to ``max_decoding_length``.
LENGTH_SLACK = 5


def decoding_limit(batch: list[list[str]], options: DecodingOptions) -> int:
    """The decoding length of a batch: ``length_factor`` times its longest input plus
    ``LENGTH_SLACK`` tokens, at most ``options.max_decoding_length``."""
    if not options.length_factor:
        return options.max_decoding_length
    longest = max((len(tokens) for tokens in batch), default=0)
    return min(options.max_decoding_length, options.length_factor * longest + LENGTH_SLACK)


@dataclass(frozen=True)
class SentenceTranslation:
    source: str
    text: str
    score: float  # CTranslate2's length-normalised log-probability
    confidence: float  # geometric-mean token probability, 0..1
    flags: tuple[str, ...] = ()


@dataclass
class LoadedModel:
    """A model ready for one source language: how to tokenise for it, and how to read back."""

    info: InstalledModel
    translator: object
    tokenizer: object  # SentencePiece processor, or Argos's BPETokenizer
    target_prefix: str = ""  # a token every output starts with (multilingual: eng_Latn)
    source_prefix: tuple[str, ...] = ()  # multilingual: the source language token
    source_suffix: tuple[str, ...] = ()  # multilingual: "</s>"
    decoder: object = None  # OPUS-MT: the target SentencePiece model
    argos_prefix: str = ""  # an Argos package's target_prefix: Argos strips it from the decoded text

    def encode(self, sentence: str) -> list[str]:
        if self.info.tokenizer == "bpe":
            return [*self.source_prefix, *self.tokenizer.encode(sentence), *self.source_suffix]
        return [*self.source_prefix, *self.tokenizer.encode(sentence, out_type=str), *self.source_suffix]

    def decode(self, tokens: list[str]) -> str:
        if self.info.kind != "argos" and self.target_prefix and tokens and tokens[0] == self.target_prefix:
            tokens = tokens[1:]
        if self.info.tokenizer == "bpe":
            return self.tokenizer.decode(tokens)
        if self.info.kind != "argos":
            return (self.decoder or self.tokenizer).decode_pieces(tokens)
        # Argos's SentencePieceTokenizer.decode, kept identical for parity.
        value = self.tokenizer.decode_pieces(tokens).replace("▁", " ").replace("_", " ")
        if self.argos_prefix and value.startswith(self.argos_prefix):
            value = value[len(self.argos_prefix) :]
        return value[1:] if value.startswith(" ") else value


def default_threads() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


DEVICES = ("auto", "cpu", "cuda")


def resolve_device(device: str) -> str:
    """``auto`` → ``cuda`` when CTranslate2 sees a CUDA device, else ``cpu``. Raises
    WorkbenchError for ``cuda`` without one, or an unknown name."""
    import ctranslate2

    if device not in DEVICES:
        raise WorkbenchError(f"--device: unknown device {device!r}; choose one of: {', '.join(DEVICES)}")
    gpus = ctranslate2.get_cuda_device_count() if device != "cpu" else 0
    if device == "cuda" and gpus == 0:
        raise WorkbenchError("--device cuda: CTranslate2 finds no CUDA device (get_cuda_device_count() is 0); use --device cpu or auto")
    return "cuda" if device == "cuda" or (device == "auto" and gpus > 0) else "cpu"


class Engine:
    """Loads models on first use and keeps one copy of each; translates sentence lists.

    On the CPU: one CTranslate2 worker per core, one thread each, int8 as the model was
    saved. On CUDA: one worker per GPU, int8 weights with float16 activations.
    """

    def __init__(self, threads: int | None = None, device: str = "cpu") -> None:
        self.device = resolve_device(device)
        self.threads = threads or default_threads()
        self._translators: dict[Path, object] = {}
        self._models: dict[tuple[Path, str], LoadedModel] = {}
        self._input_limits: dict[Path, int] = {}  # models found to have fewer positions than 1,024
        self._lock = threading.Lock()

    def _translator(self, model: InstalledModel):
        translator = self._translators.get(model.path)
        if translator is None:
            import ctranslate2

            if self.device == "cuda":
                options = {"device": "cuda", "compute_type": "int8_float16", "inter_threads": max(1, ctranslate2.get_cuda_device_count())}
            else:
                options = {"device": "cpu", "compute_type": "default", "inter_threads": self.threads, "intra_threads": 1}
            translator = self._translators[model.path] = ctranslate2.Translator(str(model.path / "model"), **options)
        return translator

    def load(self, model: InstalledModel, lang: str = "") -> LoadedModel:
        """Load (once) a model's CTranslate2 model and tokenizer, for source language ``lang``
        (multilingual models put its token first). Raises WorkbenchError naming the package
        when its files cannot be loaded."""
        key = (model.path, lang if model.kind == "multilingual" else "")
        with self._lock:
            loaded = self._models.get(key)
            if loaded is not None:
                return loaded
            try:
                loaded = self._models[key] = self._loaded(model, lang)
            except (RuntimeError, OSError, ValueError) as error:
                raise WorkbenchError(f"{model.path}: cannot load the {model.pair} model: {error}") from None
            return loaded

    def _loaded(self, model: InstalledModel, lang: str) -> LoadedModel:
        import sentencepiece

        translator = self._translator(model)
        if model.tokenizer == "bpe":
            from argostranslate.tokenizer import BPETokenizer

            return LoadedModel(model, translator, BPETokenizer(model.path / "bpe.model", model.argos_from, model.argos_to))
        if model.kind == "opus-mt":
            source = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "source.spm"))
            target = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "target.spm"))
            return LoadedModel(model, translator, source, decoder=target)
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
        if model.kind == "multilingual":
            token = model.token_for(lang)
            if not token:
                raise WorkbenchError(f"{model.path}: the multilingual model has no token for {lang}")
            return LoadedModel(model, translator, tokenizer, model.target_token, (token,), ("</s>",))
        import json

        metadata = json.loads((model.path / "metadata.json").read_text(encoding="utf-8"))
        prefix = metadata.get("target_prefix", "") or ""
        return LoadedModel(model, translator, tokenizer, target_prefix=prefix, argos_prefix=prefix)

    def translate(
        self,
        model: InstalledModel,
        sentences: Iterable[str],
        options: DecodingOptions = DecodingOptions(),
        progress: Callable[[int], None] | None = None,
        chunk_size: int = 256,
        lang: str = "",
    ) -> dict[str, SentenceTranslation]:
        """Translate sentences; returns ``{sentence: translation}`` (``progress(n)`` per chunk)."""
        results: dict[str, SentenceTranslation] = {}
        for chunk in self.translate_chunks(model, list(sentences), options, chunk_size, lang=lang):
            results.update(chunk)
            if progress is not None:
                progress(len(chunk))
        return results

    def translate_chunks(
        self, model: InstalledModel, sentences: list[str], options: DecodingOptions, chunk_size: int = 256, lang: str = ""
    ):
        """Yield ``{sentence: translation}`` per chunk, in order, as each is done, so callers
        can commit it.

        Sentences are de-duplicated and sorted by length. Every chunk is submitted at once
        (asynchronously) so the workers never wait between chunks; results are collected
        chunk by chunk.
        """
        loaded = self.load(model, lang or model.from_code)
        unique = sorted({s for s in sentences if s.strip()}, key=lambda s: (len(s), s))
        submitted = []
        for offset in range(0, len(unique), chunk_size):
            chunk = unique[offset : offset + chunk_size]
            tokenized = [loaded.encode(sentence) for sentence in chunk]
            submitted.append((chunk, tokenized, self._submit(loaded, tokenized, options, self._input_limits.get(model.path))))
        for chunk, tokenized, futures in submitted:
            try:
                results = [(future.result(), decoded) for future, decoded in futures]
                limit = self._input_limits.get(model.path)
            except RuntimeError as error:
                # A sentence longer than the model's position encodings: truncate it to the model's
                # limit (flagged), instead of failing every other sentence of the run.
                match = _POSITIONS.search(str(error))
                if match is None:
                    raise
                limit = self._input_limits[model.path] = int(match.group(1))
                results = [(future.result(), decoded) for future, decoded in self._submit(loaded, tokenized, options, limit)]
            yield {
                sentence: self._result(loaded, sentence, result, options, decoded, truncated=limit is not None and len(tokens) > limit)
                for sentence, tokens, (result, decoded) in zip(chunk, tokenized, results)
            }

    @staticmethod
    def _submit(loaded: LoadedModel, tokenized: list[list[str]], options: DecodingOptions, input_limit: int | None = None):
        """One asynchronous call per batch, each with its own decoding limit
        (``decoding_limit``): ``[(future, limit)]`` in the order of ``tokenized``."""
        submitted = []
        for offset in range(0, len(tokenized), options.batch_size):
            batch = tokenized[offset : offset + options.batch_size]
            limit = decoding_limit(batch, options)
            futures = loaded.translator.translate_batch(
                batch,
                max_input_length=input_limit or 1024,
                target_prefix=[[loaded.target_prefix]] * len(batch) if loaded.target_prefix else None,
                replace_unknowns=True,
                max_batch_size=options.batch_size,
                batch_type="examples",
                beam_size=options.beam,
                num_hypotheses=1,
                length_penalty=options.length_penalty,
                max_decoding_length=limit,
                return_scores=True,
                asynchronous=True,
            )
            submitted.extend((future, limit) for future in futures)
        return submitted

    @staticmethod
    def _result(
        loaded: LoadedModel, sentence: str, result, options: DecodingOptions, limit: int, truncated: bool = False
    ) -> SentenceTranslation:
        output_tokens = result.hypotheses[0]
        text = loaded.decode(output_tokens)
        if loaded.target_prefix and output_tokens and output_tokens[0] == loaded.target_prefix:
            output_tokens = output_tokens[1:]
        score = float(result.scores[0]) if result.scores else 0.0
        length = max(1, len(output_tokens) + 1)  # + </s>
        log_prob = score * length**options.length_penalty
        confidence = math.exp(log_prob / length)
        flags = quality_flags(sentence, text, output_tokens, limit)
        if truncated:
            flags = (*flags, "input-truncated")
        return SentenceTranslation(sentence, text, round(score, 6), round(confidence, 6), flags)


# -- quality flags ----------------------------------------------------------------------

_POSITIONS = re.compile(r"position encodings are defined for positions >= (\d+)")

_LETTERS = re.compile(r"[^\W\d_]+")


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def quality_flags(source: str, output: str, output_tokens: list[str], max_length: int) -> tuple[str, ...]:
    """Signs of degenerate output a reviewer should look at first.

    ``empty``: nothing came out; ``copy``: the source came back unchanged; ``repetition``:
    the decoder looped; ``length-ratio``: far shorter or longer than the source;
    ``truncated``: it stopped at the maximum length.
    """
    flags = []
    if not output.strip():
        return ("empty",)
    source_words = _LETTERS.findall(source)
    if len(source_words) >= 2 and _normalised(output) == _normalised(source):
        flags.append("copy")
    if _repeats(output_tokens):
        flags.append("repetition")
    if len(source) >= 20:
        ratio = len(output) / len(source)
        if ratio < 0.25 or ratio > 4.0:
            flags.append("length-ratio")
    if len(output_tokens) >= max_length - 1:
        flags.append("truncated")
    return tuple(flags)


def _repeats(tokens: list[str]) -> bool:
    """A unit of 1-4 tokens repeated back to back at least 4 times (1 token: 5 times)."""
    count = len(tokens)
    for size in range(1, 5):
        needed = 5 if size == 1 else 4
        if count < size * needed:
            continue
        for start in range(count - size * needed + 1):
            unit = tokens[start : start + size]
            if all(tokens[start + k * size : start + (k + 1) * size] == unit for k in range(1, needed)):
                return True
    return False
