"""HeLI, the language identifier of HeLI-OTS, for the candidate languages, over mapped tables.

heliport (HeLI-OTS in Rust) reads its models of 220 languages into 900 MB of hash maps at
every start. The workbench only ever asks HeLI about its candidate languages, so it keeps
their models alone (``workbench/data/heli-ots.tar.xz``, made by
``scripts/vendor_heli_models.py``: HeLI-OTS 2.0's models as heliport ships them, GPL-3.0),
unpacked once into sorted arrays that are memory-mapped (``mapped``). Scoring a subset is
heliport's own ``--relevant-langs``: a language's score depends on its own model alone.

The method, as heliport's ``Identifier.score_langs``: the text is lower-cased and every
character but letters and marks becomes a space. Each word is scored by the word model;
a word no model holds backs off to its character 6-grams (the word between two spaces),
then 5-grams, down to single letters, at the first order where some gram is known, as the
mean over those grams. A gram scores -log10 of its relative frequency in a language, or
``PENALTY`` where that language's model lacks it. A text's score in a language is the sum
over its words (heliport reports the mean); lower is better.
"""

from __future__ import annotations

import hashlib
import tarfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workbench.split import mapped
from workbench.split.wordrows import WordRows

MODELS = Path(__file__).resolve().parents[1] / "data" / "heli-ots.tar.xz"
# The backoff order: words, then character n-grams from 6 down to 1.
ORDERS = ("word", "hexagram", "quingram", "quadgram", "trigram", "bigram", "unigram")
_GRAM_LENGTH = {"hexagram": 6, "quingram": 5, "quadgram": 4, "trigram": 3, "bigram": 2, "unigram": 1}
PENALTY = 7.0  # what a gram a language's model lacks scores (HeLI's penalty value)
MAX_USED = 5e-7  # HeLI ignores grams rarer than this in a language's model
_CJK_MODELS = frozenset({"cmn", "jpn", "kor"})
_FORMAT = 1  # bump when the arrays built below change

# heliport's RE_NON_ALPHA (src/utils.rs), character for character: everything else becomes a
# space. (Its "#", "g" and "c" are there in the original.)
_NON_ALPHA = (
    r"[^#gc\p{L}\p{M}′'’´ʹािीुूृेैोौंँः् া ি ী ু ূ ৃ ে ৈ ো ৌ।্্্я̄"
    "\u07a6\u07a7\u07a8\u07a9\u07aa\u07ab\u07ac\u07ad\u07ae\u07af\u07b0\u0a81\u0a82\u0a83\u0abc\u0abd\u0abe\u0abf\u0ac0\u0ac1"
    "\u0ac2\u0ac3\u0ac4\u0ac5\u0ac6\u0ac7\u0ac8\u0ac9\u0aca\u0acb\u0acc\u0acd\u0ad0\u0ae0\u0ae1\u0ae2\u0ae3\u0ae4\u0ae5\u0ae6"
    "\u0ae7\u0ae8\u0ae9\u0aea\u0aeb\u0aec\u0aed\u0aee\u0aef\u0af0\u0af1]"
)
# The Unicode blocks heliport counts as CJK (ideographs, their compatibility forms, radicals,
# strokes, and CJK symbols and punctuation; not kana or Hangul).
_CJK = (
    "\u2e80-\u2eff\u3000-\u303f\u31c0-\u31ef\u3300-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U0002ebf0-\U0002ee5f\U0002f800-\U0002fa1f\U00030000-\U000323af"
)


@dataclass(frozen=True)
class Tables:
    """Every known gram of every order, as a sorted array of 64-bit keys (``_keys``), and for
    each the languages whose models hold it with its score there."""

    languages: tuple[str, ...]  # HeLI-OTS model codes ("eng", "pes", "kmr"), in column order
    keys: object  # uint64, sorted
    offsets: object  # int64, len(keys) + 1: key i's entries are offsets[i]:offsets[i + 1]
    columns: object  # int16: each entry's language column
    scores: object  # float32: each entry's -log10 P(gram | language) minus PENALTY

    def summed(self, texts: list[str]):
        """(scores, words): each text's HeLI score in every language, summed over its words
        (lower is better; a column per ``languages``), and its number of words."""
        import numpy as np

        parsed = [_words(text) for text in texts]
        counts = np.fromiter((len(text_words) for text_words, _ in parsed), dtype=np.int64, count=len(parsed))
        # Each word is scored once per process (``WordRows``).
        seen = _SEEN_WORDS.get(id(self))
        if seen is None:
            seen = _SEEN_WORDS.setdefault(id(self), WordRows(len(self.languages), "float64", at_most=100_000))  # up to 55 MB
        word_scores = seen.rows_of([word for text_words, _ in parsed for word in text_words], self._word_scores)
        sums = np.zeros((len(texts), len(self.languages)), dtype=np.float64)
        worded = np.flatnonzero(counts)
        if len(worded):
            sums[worded] = np.add.reduceat(word_scores, (np.cumsum(counts) - counts)[worded], axis=0)
        # heliport's rule for a text mostly of ideographs: only Chinese, Japanese and Korean.
        cjk = np.array([mostly_cjk for _, mostly_cjk in parsed], dtype=bool)
        if cjk.any():
            others = np.array([code not in _CJK_MODELS for code in self.languages])
            sums[np.ix_(cjk, others)] = (PENALTY + 1.0) * counts[cjk, None]
        return sums, counts

    def _word_scores(self, words: list[str]):
        """Each word's score in every language (a row each): by the word model, or backing
        off to character grams."""
        import numpy as np

        word_scores = np.zeros((len(words), len(self.languages)), dtype=np.float64)
        known = self._add(word_scores, np.arange(len(words)), words, "word") > 0
        pending = np.flatnonzero(~known)
        for order in ORDERS[1:]:
            if not len(pending):
                break
            length = _GRAM_LENGTH[order]
            owners, grams = [], []
            for position, index in enumerate(pending.tolist()):
                spaced = f" {words[index]} "
                for start in range(len(spaced) - length + 1):
                    owners.append(position)
                    grams.append(spaced[start : start + length])
            gram_scores = np.zeros((len(pending), len(self.languages)), dtype=np.float64)
            hits = self._add(gram_scores, np.asarray(owners, dtype=np.int64), grams, order)
            scored = hits > 0
            word_scores[pending[scored]] = gram_scores[scored] / hits[scored, None]
            pending = pending[~scored]
        return word_scores

    def _add(self, table, owners, grams: list[str], order: str):
        """Add each known gram's scores into its owner's row of ``table``; returns how many
        known grams each row got."""
        import numpy as np

        hits = np.zeros(len(table), dtype=np.int64)
        if grams:
            wanted = _keys(order, grams)
            at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
            known = self.keys[at] == wanted
            rows, owners = at[known], owners[known]
            hits = np.bincount(owners, minlength=len(table))
            # Every known gram scores PENALTY in every language, less where a model holds it.
            table += hits[:, None] * PENALTY
            starts = self.offsets[rows]
            lengths = self.offsets[rows + 1] - starts
            entries = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
            # (bincount over flat cells: np.add.at's unbuffered loop cost a third of HeLI's time)
            cells = np.repeat(owners, lengths) * table.shape[1] + self.columns[entries]
            table += np.bincount(cells, weights=self.scores[entries], minlength=table.size).reshape(table.shape)
        return hits


# Words already scored, per Tables (by id: ``tables`` keeps each one for the process).
_SEEN_WORDS: dict[int, WordRows] = {}


def forget_words() -> None:
    """Empty this process's cache of scored words (for benchmarks: each run reads every word afresh)."""
    _SEEN_WORDS.clear()


def _words(text: str) -> tuple[list[str], bool]:
    """heliport's words of ``text`` and whether more than half its letters are ideographs."""
    cleaned = _non_alpha().sub(" ", text.lower())
    letters = len(cleaned) - cleaned.count(" ")
    ideographs = len(_cjk().findall(cleaned))
    if ideographs:
        cleaned = _cjk_edges().sub(" ", cleaned)  # a run of ideographs is a word of its own
    return cleaned.split(), letters > 0 and ideographs / letters > 0.5


@cache
def _non_alpha():
    import regex  # Unicode properties (\p{L})

    return regex.compile(_NON_ALPHA)


@cache
def _cjk():
    import re

    return re.compile(f"[{_CJK}]")


@cache
def _cjk_edges():
    import re

    return re.compile(f"(?<=[^ {_CJK}])(?=[{_CJK}])|(?<=[{_CJK}])(?=[^ {_CJK}])")


def _keys(order: str, grams: list[str]):
    """64-bit keys of ``grams`` of ``order`` (BLAKE2b: stable across processes and runs)."""
    import numpy as np

    prefix = f"{ORDERS.index(order)}\x00"
    digests = b"".join(hashlib.blake2b((prefix + gram).encode("utf-8"), digest_size=8).digest() for gram in grams)
    return np.frombuffer(digests, dtype="<u8")


@cache
def tables(models: Path = MODELS) -> Tables:
    """The tables of ``models`` (the vendored archive), unpacked on first use, then mapped."""
    arrays, meta = mapped.cached_arrays("heli", models, _FORMAT, lambda: _built(models))
    return Tables(languages=tuple(meta["languages"]), **arrays)


def _built(models: Path) -> tuple[mapped.Arrays, dict]:
    """Arrays from the plain-text models in ``models``: ``<lang>.<order>.model`` files of a
    total, then ``gram<TAB>count`` lines, most frequent first (HeLI-OTS's format). Two of
    the 1.5 million grams sharing a 64-bit key is a chance of one in ten million."""
    import numpy as np

    read = []  # (model, its grams' keys, their scores): each model's strings go once keyed
    with tarfile.open(models, "r:xz") as archive:
        for member in archive:  # in the archive's order: going back would decompress it again
            code, order, _ = member.name.split(".")
            grams, gram_scores = _model_scores(archive.extractfile(member).read().decode("utf-8"))
            read.append((code, _keys(order, grams), gram_scores - np.float32(PENALTY)))
    codes = sorted({code for code, *_ in read})
    keys = [model_keys for _, model_keys, _ in read]
    columns = [np.full(len(model_keys), codes.index(code), dtype=np.int16) for code, model_keys, _ in read]
    scores = [model_scores for *_, model_scores in read]
    all_keys = np.concatenate(keys)
    order = np.argsort(all_keys, kind="stable")
    sorted_keys = all_keys[order]
    unique, starts = np.unique(sorted_keys, return_index=True)
    arrays = {
        "keys": unique,
        "offsets": np.append(starts, len(sorted_keys)).astype(np.int64),
        "columns": np.concatenate(columns)[order],
        "scores": np.concatenate(scores)[order],
    }
    return arrays, {"languages": codes}


def kept_rows(text: str):
    """The (gram, count) rows of a plain-text model that HeLI reads, their counts, and the
    model's total (its first line): rows are taken until the first one rarer than
    ``MAX_USED`` (the files are sorted by count)."""
    import numpy as np

    lines = [line for line in text.split("\n") if line]
    total = int(lines[0])
    rows = [line.split("\t") for line in lines[1:]]
    amounts = np.array([int(row[1]) for row in rows], dtype=np.int64)
    rare = np.flatnonzero(amounts / total <= MAX_USED)
    kept = int(rare[0]) if len(rare) else len(rows)
    return rows[:kept], amounts[:kept], total


def _model_scores(text: str):
    """Each gram a model holds and -log10 of its share of the language's kept grams, as
    heliport's ``read_model`` (single precision; a gram listed twice keeps its last count,
    both counted in the total)."""
    import numpy as np

    rows, amounts, _ = kept_rows(text)
    last = {row[0]: index for index, row in enumerate(rows)}
    shares = amounts[list(last.values())].astype(np.float32) / np.float32(amounts.sum())
    return list(last), -np.log10(shares)
