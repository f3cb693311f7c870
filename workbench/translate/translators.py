"""Translators: one small interface, composed (argos-translate's idea, done explicitly).

A ``Translator`` turns texts of one language into ``MachineTranslation``s with provenance.
The batch run and the review app use the same chain, each layer a wrapper:

    MemoryTranslator          exact matches of reviewed corrections (whole segments)
      → SentenceTranslator    a segment is split into sentences, translated, joined back
        → CachedTranslator    the SQLite cache, committed chunk by chunk
          → EngineTranslator  CTranslate2, batched, through the installed model for the language

``expected(lang, text)`` says what a translator *would* produce (model and options), so a
run can tell a segment that is already up to date without translating it; None means there
is no route for the language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from workbench.core import languages
from workbench.store.files import MachineTranslation
from workbench.store.memory import TranslationMemory
from workbench.translate import models as model_store
from workbench.translate.engine import DecodingOptions, Engine, SentenceTranslation

TARGET = "en"

OnChunk = Callable[[int], None]  # told how many sentences were just translated


@dataclass(frozen=True)
class Route:
    """What a translator would produce for a text: the model's id and the decoding options."""

    model: str
    options: dict


class Translator(Protocol):
    def expected(self, lang: str, text: str, *, use_memory: bool = True) -> Route | None: ...

    def translate(
        self, lang: str, texts: Sequence[str], *, use_memory: bool = True, on_chunk: OnChunk | None = None
    ) -> dict[str, MachineTranslation]: ...

    def missing_hint(self, lang: str) -> str: ...


def _machine(result: SentenceTranslation, route: Route, origin: str = "engine") -> MachineTranslation:
    return MachineTranslation(
        text=result.text,
        model=route.model,
        options=route.options,
        score=result.score,
        confidence=result.confidence,
        flags=result.flags,
        origin=origin,
    )


class EngineTranslator:
    """The route of each language (``models.route_for``: a dedicated pair, OPUS-MT, then a
    multilingual model; ``overrides`` first), through the engine. The installed models are
    listed once, not per call; ``refresh()`` lists them again (after an install)."""

    def __init__(
        self,
        engine: Engine | None = None,
        options: DecodingOptions | None = None,
        threads: int | None = None,
        *,
        models_dir: Path | None = None,
        overrides: dict[str, str] | None = None,
        device: str = "auto",
    ) -> None:
        self.engine = engine or Engine(threads, device)
        self.options = options or DecodingOptions()
        self.models_dir = models_dir
        self.overrides = dict(overrides or {})
        self._installed: list[model_store.InstalledModel] | None = None
        self._models: dict[str, model_store.InstalledModel | None] = {}

    def refresh(self) -> None:
        self._installed = None
        self._models.clear()

    def model_for(self, lang: str) -> model_store.InstalledModel | None:
        """Raises ModelError for an override that names no installed model for ``lang``."""
        if lang not in self._models:
            if self._installed is None:
                self._installed = model_store.list_installed(self.models_dir)[0]
            self._models[lang] = model_store.route_for(lang, self._installed, self.overrides, TARGET)
        return self._models[lang]

    def expected(self, lang: str, text: str = "", *, use_memory: bool = True) -> Route | None:
        model = self.model_for(lang)
        return None if model is None else Route(model.model_id, self.options.as_dict())

    def missing_hint(self, lang: str) -> str:
        return model_store.install_hint(lang, TARGET, self.models_dir)

    def translate(self, lang, texts, *, use_memory=True, on_chunk=None) -> dict[str, MachineTranslation]:
        results: dict[str, MachineTranslation] = {}
        for chunk in self.translate_chunks(lang, list(texts)):
            results.update(chunk)
            if on_chunk is not None:
                on_chunk(len(chunk))
        return results

    def translate_chunks(self, lang: str, sentences: list[str]):
        """Yield ``{sentence: MachineTranslation}`` chunk by chunk (for committing); nothing
        when ``lang`` has no route. Subclasses (Ray's) translate elsewhere through this."""
        model = self.model_for(lang)
        if model is None:
            return
        route = Route(model.model_id, self.options.as_dict())
        for chunk in self.engine.translate_chunks(model, sentences, self.options, lang=lang):
            yield {sentence: _machine(result, route) for sentence, result in chunk.items()}


class CachedTranslator:
    """Looks sentences up in the SQLite cache first; commits every chunk the engine finishes,
    so a run killed at any moment keeps what was done."""

    def __init__(self, inner: EngineTranslator, cache_path: Path) -> None:
        self.inner = inner
        self.cache_path = cache_path
        self.hits = 0
        self.misses = 0
        # Set when the cache could not be opened or written (a full disk, a read-only folder):
        # the run goes on without it, and says so once.
        self.disabled: str | None = None

    def expected(self, lang, text="", *, use_memory=True):
        return self.inner.expected(lang, text)

    def missing_hint(self, lang):
        return self.inner.missing_hint(lang)

    def _open(self):
        import sqlite3

        from workbench.translate.cache import TranslationCache

        if self.disabled is not None:
            return None
        try:
            return TranslationCache(self.cache_path)
        except (sqlite3.Error, OSError) as error:
            self._disable(error)
            return None

    def _disable(self, error: BaseException) -> None:
        self.disabled = f"{self.cache_path}: the translation cache cannot be used ({error}); going on without it"

    def translate(self, lang, texts, *, use_memory=True, on_chunk=None) -> dict[str, MachineTranslation]:
        import sqlite3

        route = self.inner.expected(lang)
        if route is None:
            return {}
        cache = self._open()
        results: dict[str, MachineTranslation] = {}
        try:
            if cache is not None:
                try:
                    found = cache.get_many(route.model, route.options, list(texts))
                except sqlite3.Error as error:
                    found = {}
                    self._disable(error)
                results = {sentence: _machine(result, route) for sentence, result in found.items()}
                self.hits += len(found)
            missing = sorted({text for text in texts if text not in results and text.strip()})
            for chunk in self.inner.translate_chunks(lang, missing):
                if cache is not None and self.disabled is None:
                    try:
                        cache.put_many(
                            route.model,
                            route.options,
                            {s: SentenceTranslation(s, m.text, m.score, m.confidence, m.flags) for s, m in chunk.items()},
                        )
                    except sqlite3.Error as error:
                        self._disable(error)
                results.update(chunk)
                self.misses += len(chunk)
                if on_chunk is not None:
                    on_chunk(len(chunk))
        finally:
            if cache is not None:
                cache.close()
        return results


class SentenceTranslator:
    """Splits each text into sentences, translates the sentences (each distinct one once),
    and joins them back with the text's own spacing between them."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner

    def expected(self, lang, text="", *, use_memory=True):
        return self.inner.expected(lang, text)

    def missing_hint(self, lang):
        return self.inner.missing_hint(lang)

    def translate(self, lang, texts, *, use_memory=True, on_chunk=None) -> dict[str, MachineTranslation]:
        spans = {text: sentence_spans(text, lang) for text in texts}
        sentences = sorted({text[a:b] for text, pairs in spans.items() for a, b in pairs})
        results = self.inner.translate(lang, sentences, on_chunk=on_chunk)
        joined = {}
        for text, pairs in spans.items():
            if pairs and all(text[a:b] in results for a, b in pairs):
                joined[text] = join_sentences(text, pairs, results)
        return joined


class MemoryTranslator:
    """Exact matches of reviewed corrections first (marked ``origin: memory``); the rest goes on."""

    def __init__(self, inner: Translator, memory: TranslationMemory) -> None:
        self.inner = inner
        self.memory = memory

    def expected(self, lang, text="", *, use_memory=True):
        entry = self.memory.exact(lang, text) if use_memory and text else None
        if entry is not None:
            return Route(entry.provenance, {})
        return self.inner.expected(lang, text)

    def missing_hint(self, lang):
        return self.inner.missing_hint(lang)

    def translate(self, lang, texts, *, use_memory=True, on_chunk=None) -> dict[str, MachineTranslation]:
        results: dict[str, MachineTranslation] = {}
        rest = []
        for text in texts:
            entry = self.memory.exact(lang, text) if use_memory else None
            if entry is None:
                rest.append(text)
            else:
                results[text] = entry.as_machine()
        if rest:
            results.update(self.inner.translate(lang, rest, on_chunk=on_chunk))
        return results


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    from workbench.split.segment import split_sentences

    return [(a, b) for a, b in split_sentences(text, 0, len(text), languages.script_of(lang)) if text[a:b].strip()]


def join_sentences(text: str, spans: list[tuple[int, int]], results: dict[str, MachineTranslation]) -> MachineTranslation:
    """One segment's translation from its sentences': text between sentences kept, score and
    confidence weighted by sentence length, flags pooled."""
    parts, weights, confidences, scores, flags = [], [], [], [], []
    cursor = None
    first = results[text[spans[0][0] : spans[0][1]]]
    for start, end in spans:
        result = results[text[start:end]]
        if cursor is not None:
            parts.append(text[cursor:start])
        parts.append(result.text)
        cursor = end
        weights.append(max(1, end - start))
        confidences.append(result.confidence)
        scores.append(result.score)
        flags.extend(flag for flag in result.flags if flag not in flags)
    total = sum(weights)
    return MachineTranslation(
        text="".join(parts),
        model=first.model,
        options=first.options,
        score=round(sum(s * w for s, w in zip(scores, weights)) / total, 6),
        confidence=round(sum(c * w for c, w in zip(confidences, weights)) / total, 6),
        flags=tuple(flags),
        origin=first.origin,
    )


def build_translator(
    cache_path: Path,
    *,
    options: DecodingOptions | None = None,
    threads: int | None = None,
    engine: Engine | None = None,
    memory: TranslationMemory | None = None,
    models_dir: Path | None = None,
    overrides: dict[str, str] | None = None,
    device: str = "auto",
    routed: EngineTranslator | None = None,
) -> Translator:
    """The standard chain: memory (when given) → sentences → cache → engine (``routed``: another
    engine layer, e.g. Ray's)."""
    routed = routed or EngineTranslator(engine, options, threads, models_dir=models_dir, overrides=overrides, device=device)
    chain: Translator = SentenceTranslator(CachedTranslator(routed, cache_path))
    return MemoryTranslator(chain, memory) if memory is not None else chain
