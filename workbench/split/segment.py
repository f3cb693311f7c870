"""Split a mixed-language text into single-language segments with exact offsets.

Layers, each cheap and linear in the text (docs/splitting.md tells each in full):
1. lines (a heading stays its own segment);
2. runs of one script: Greek is ``el`` and Armenian ``hy`` without asking a model, the
   other scripts narrow the candidate languages;
3. sentences, with a quoted or bracketed stretch as its own piece;
4. each piece classified by a detector restricted to its script's candidates;
5. phrases inside sentences, where a run of words favours another language;
6. evidence, or the document's main language: a piece the detector put in another
   language keeps the main one unless a rule a reader would accept says otherwise;
7. very short pieces between two agreeing neighbours take their label, then neighbours of
   the same language merge;
8. the open set: a line or segment surely in a language outside the candidates gets its code.

Every segment carries the rule that decided its language (``RULES``, ``Segment.rule``).

Invariants (tested): segments are ordered and do not overlap; ``text[start:end]`` is the
segment; every letter, digit or symbol is in exactly one segment; only whitespace and
punctuation fall between segments.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import math
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np

from workbench.core import languages
from workbench.core.document import Document, Segment
from workbench.split import heli, langid

_LINE = re.compile(r"[^\r\n\u2028\u2029\x85\x0b\x0c]+")
# A maximal run of one script's letters; neutral characters and marks may sit inside it.
_SCRIPT_RUN = re.compile(r"([^ m])(?:[ m]*\1)*m*")
_OPENING = frozenset("“„«‹‘‚\"'([{¿¡*")
_QUOTE_PAIRS = {"“": "”", "„": "“", "«": "»", "‹": "›", '"': '"', "(": ")", "[": "]", "‘": "’", "*": "*"}
# (Brackets glued to a name are a call or an index, not a quotation: "para_init(nombre, valor)".)
# Every branch opens with its mark, the look-behind after it ("(?<!\w‘)" where "(?<!\w)‘"
# reads more plainly): so the regex engine skips to the next mark instead of trying eleven
# branches at every character, ten times faster on text with few quotations.
_QUOTED = re.compile(
    r"“[^“”\n]{1,400}”|„[^„“”\n]{1,400}[“”]|«[^«»\n]{1,400}»|‹[^‹›\n]{1,200}›"
    r"|\"(?<![\w\"]\")[^\"\n]{1,400}\"(?![\w\"])|\((?<![^\W\d]\()[^()\n]{1,400}\)|\[(?<![^\W\d]\[)[^\[\]\n]{1,400}\]"
    r"|\*(?<![\w*]\*)\*?[^*\n]{1,400}\*{1,2}(?![\w*])|‘(?<!\w‘)[^‘’\n]{1,200}’(?!\w)"
    r"|¡(?<!\w¡)[^¡!\n]{1,400}!|¿(?<!\w¿)[^¿?\n]{1,400}\?"  # Spanish's own marks: "The slogan ¡Ni una menos! spread"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ABBREVIATIONS = frozenset(word for language in languages.REGISTRY.values() for word in language.abbreviations)
_TERMINATORS = ".!?…؟۔"
_LEADING_JUNK = frozenset(",;:.،؛)]}” \t")
_SCRIPT_TERMINATORS = {"Grek": ";", "Armn": "։:"}
_CLOSERS = '”’»›")]*'
_QUOTATION_MARKS = frozenset('“„«‹"‘')


# segment_many's batches; below _PARALLEL_CHARS of new lines, other processes cost more than they save.
_BATCH_CHARS = 1_000_000
_PARALLEL_CHARS = 100_000
_PARALLEL_DECISIONS = 1_000
_T = TypeVar("_T")
_SEEN_LINES = 100_000
_SEEN_LENGTH = 1_000
_FORKED_FROM: Segmenter | None = None
# log10: a capitalised word 300 times more frequent in the piece's language than in the main one.
_TELLING_WORD = 2.5
# Zipf (log10 per billion words) in the main language's word list: a word it writes, names
# included ("Martínez", "Müller" in English), and a common word of it ("comment", "unique").
_WRITTEN_ZIPF = 2.0
_COMMON_ZIPF = 3.0
# A detector sure of a short piece is believed only where the word lists lean its way too: its
# words, together, written ten times more often in that language than in the main one.
_LEANING = 1.0
# A long piece's second likeliest language, this likely, is one the word lists may choose.
_RUNNER_UP = 0.2
# A piece of more words than this is taken to hold some that tell its language (a byline or
# a signature line is shorter), without reading them.
_NAMES_AT_MOST = 12


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is segmented. The batch's pieces
    hold no reference cycles (reference counting frees them), yet every few hundred of them
    made the collector walk all of them, and the detectors' models, again: a quarter of the
    time on distinct text (bench/large_file.py)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _bind_to_parent(parent: int) -> None:
    """In a worker process, first: die with the parent, whatever ends it.

    A forked worker holds the pipe to its pool open itself, so it would never notice a parent
    killed with -9 and would live on with its gigabyte of detectors. On Linux the kernel sends
    SIGKILL when the parent goes (PR_SET_PDEATHSIG); elsewhere a thread watches the parent.
    Ctrl-C is the parent's to handle: the worker ignores SIGINT, so one interrupt gives one
    message, not a traceback per worker."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # no prctl: the thread below still watches
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="workbench-parent-watch", daemon=True).start()


def _classify_forked(lines: list[str]) -> list[list[_Piece]]:
    """In a worker process: classify with the Segmenter the pool was forked from."""
    assert _FORKED_FROM is not None
    with _cycle_collection_paused():
        return _FORKED_FROM._classify_lines(lines)


def _decide_forked(undecided: list[tuple[_Piece, str]]) -> list[tuple[str, float, bool, str]]:
    """In a worker process: ``Segmenter._decision`` for each piece and main language."""
    assert _FORKED_FROM is not None
    with _cycle_collection_paused():
        return _FORKED_FROM._decisions(undecided)


def _segment_forked(texts: list[str]) -> list[list[Segment]]:
    """In a worker process: segment whole documents with the Segmenter the pool was forked
    from (its own copy, which must not start workers of its own)."""
    assert _FORKED_FROM is not None
    _FORKED_FROM.workers = 1
    return _FORKED_FROM._segment_batch(texts)


@dataclass(frozen=True)
class SegmenterConfig:
    """Settings for segmentation. ``languages``: the candidate languages, ISO 639-1."""

    languages: tuple[str, ...] = languages.DEFAULT_LANGUAGES
    detector: str = langid.DEFAULT_BACKEND
    # Pieces of at most this many words take the label of two agreeing neighbours.
    short_words: int = 3
    # Look inside sentences for unquoted foreign phrases (word-level, py3langid).
    find_phrases: bool = True
    # Cost, in nats, of a language switch inside a sentence; higher finds fewer phrases.
    switch_cost: float = 8.0
    # A phrase found inside a sentence must be at least this likely under the detector.
    phrase_confidence: float = 0.9
    # A one-word phrase needs at least this many letters (short words are too ambiguous).
    min_phrase_letters: int = 7
    # A piece in another language than the document's main one (in its script) keeps the
    # main language unless a reader would see why not: letters the main language never
    # writes, or the detector this sure on the piece's words that are not names, acronyms
    # or numbers (``sure`` for a quoted or bracketed piece, ``very_sure`` for the rest;
    # calibrated on both development sets and on English text, see the README)...
    sure: float = 0.7
    very_sure: float = 0.8
    # ...or at least this many such words, where the detector's answer stands on its own.
    long_words: int = 6
    # Off: every detector answer stands (the benchmark's baseline for the rules above).
    weigh_evidence: bool = True
    # ...or its words, names included, are this much likelier (log10) as common words of the
    # piece's language than of the main one ("Articolo 18", "Madde 22"); at or below
    # -lexicon_against they read as the main language and the piece keeps it.
    lexicon_for: float = 2.0
    lexicon_against: float = 1.0
    # Open set: a segment with at least this many letters in words (names, addresses and
    # numbers set aside) that py3langid, over all the languages it knows (140), puts at
    # least this surely in a language outside
    # ``languages`` gets that language's code ("cs", "pl" …): it is not one of ours, and a
    # run says it has no model for it. Never fired on the 2,661 in-set sentences of the
    # development sets or on 27k words of English; see docs/benchmarks.md.
    outside_letters: int = 15
    outside_confidence: float = 0.8
    # ...or at least this surely, with this many such letters, when HeLI, over every model it
    # has (53: every language detection can choose), finds the same language or a close one:
    # two detectors of different kinds agree on it.
    outside_agreed: float = 0.5
    outside_agreed_letters: int = 10
    outside_english_below: float = 0.9  # an English segment is asked only when less sure than this


_OUTSIDE_RULES = frozenset({"outside-line", "outside-segment", "outside-agreed"})
_OUTSIDE_ALL = _OUTSIDE_RULES | {"outside-rest-of-line"}


def _joined_outside(line: list[Segment]) -> list[Segment]:
    """Neighbours on a line found in one outside language are one segment: a sentence the
    candidates' detectors had cut in two is translated whole."""
    joined: list[Segment] = []
    for segment in line:
        last = joined[-1] if joined else None
        if last is not None and last.lang == segment.lang and last.rule in _OUTSIDE_ALL and segment.rule in _OUTSIDE_ALL:
            rule = max((last, segment), key=_length).rule  # the rule of most of its text, as in _merged
            joined[-1] = replace(last, end=segment.end, confidence=min(last.confidence, segment.confidence), rule=rule)
        else:
            joined.append(segment)
    return joined


def signature(config: SegmenterConfig | None = None, forced: str | None = None) -> str:
    """Which splitter made a set of segments, as sacrebleu signs its scores: the workbench's
    version, the detector, the candidate languages, a hash of every other setting and one of
    the rules themselves (``rules_hash``). Written into translations files and ``detect
    --json``, so a file says what made it."""
    import hashlib
    import json
    from dataclasses import asdict

    from workbench import __version__

    if forced is not None:
        return f"workbench-splitter:{__version__}|forced:{forced}"
    config = config or SegmenterConfig()
    settings = hashlib.sha256(json.dumps(asdict(config), sort_keys=True, default=str).encode()).hexdigest()[:10]
    return (
        f"workbench-splitter:{__version__}|detector:{config.detector}|languages:{','.join(config.languages)}"
        f"|settings:{settings}|rules:{rules_hash()}"
    )


@functools.cache
def rules_hash(files: tuple[Path, ...] | None = None) -> str:
    """A hash of what decides the labels besides the settings: the splitter's code, the
    language registry, the vendored HeLI models, and the versions of py3langid and wordfreq.
    The workbench's version alone does not move with each rule (9 ms, once per process)."""
    import hashlib
    from importlib import metadata

    root = Path(__file__).resolve().parents[1]
    if files is None:
        files = (*sorted(Path(__file__).parent.glob("*.py")), root / "core" / "languages.py", root / "data" / "languages.toml", heli.MODELS)
    digest = hashlib.sha256()
    for path in files:
        with path.open("rb") as file:
            digest.update(hashlib.file_digest(file, "sha256").digest())
    for package in ("py3langid", "wordfreq"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:10]


# Every segment carries the rule that decided its language (``Segment.rule``): ``detect
# --explain`` prints it with these words, ``--json`` gives the name. Rules of layer 6 either
# accept the detector's other language ("evidence: …") or keep the main one ("kept-main: …").
RULES: dict[str, str] = {
    "detector": "the detector's answer among the script's candidate languages (layer 4)",
    "script": "the only candidate language written in its script: Greek is el, Armenian hy (layer 2)",
    "no-letters": "no letters, or a script no candidate language is written in and the open set could not name: undetermined",
    "no-letters:document": "no letters of its own (a number, a date, an address): the document's main language; nothing to translate",
    "phrase-in-sentence": "a run of words inside a sentence whose words favour another language (layer 5)",
    "main-unsure": "the detector was unsure; no word list told another language: the document's main language (layer 6)",
    "evidence:enough-words": "six words or more that tell a language: the detector's answer stands (layer 6)",
    "evidence:word-lists": "its words are common in that language and rare in the main one (layer 6)",
    "evidence:letters": "letters the main language never writes and that language does (layer 6)",
    "evidence:title-case-words": "three or more capitalised words, most of them no words of the main language (layer 6)",
    "evidence:detector-sure": "the detector sure of its words, names and numbers left out, and the word lists lean its way (layer 6)",
    "evidence:runner-up-word-lists": "the detector's next choice, told by the word lists (layer 6)",
    "kept-main:read-as-main": "the word lists read its words as the main language (layer 6)",
    "kept-main:half-main": "as many of its words read as the main language as read as the detector's (layer 6)",
    "kept-main:loan-phrase": "a phrase of words the main language writes: a loan, read as is (layer 6)",
    "kept-main:words-detected-as-main": "its words alone, names left out, read as the main language (layer 6)",
    "kept-main:common-words": "common words of the main language (layer 6)",
    "kept-main:no-leaning": "the word lists do not lean the detector's way (layer 6)",
    "kept-main:detector-unsure": "no evidence a reader would accept against the main language (layer 6)",
    "short-between-neighbours": "three words or fewer between two neighbours that agree: their language (layer 7)",
    "outside-line": "a whole line in a language outside the candidates, by py3langid over 140 languages (layer 8)",
    "outside-segment": "a segment in a language outside the candidates, by py3langid over 140 languages (layer 8)",
    "outside-agreed": "a line or segment in a language outside the candidates, on which py3langid (less sure) and HeLI over its 53 models agree (layer 8)",
    "outside-rest-of-line": "the rest of a line partly in a language outside the candidates, found in that language too, English included (layer 8)",
    "forced": "the language given with --lang: no detection",
}


@dataclass
class _Piece:
    start: int
    end: int
    script: str
    phrase: bool = False  # quoted, bracketed or found inside a sentence
    quoted: bool = False  # quoted or bracketed
    opens_sentence: bool = True  # its first word is a sentence's (capitalised anyway)
    mixed: bool = True  # may hold a phrase in another language (``_score_words``)
    evidenced: bool = False  # a reader would accept its language against the main one
    worded: bool = True  # holds a word that tells a language: not only names, acronyms, numbers
    lang: str = languages.UNDETERMINED
    confidence: float = 0.0
    words: int = 0
    probabilities: dict[str, float] = field(default_factory=dict)
    text: str = ""
    rule: str = "detector"  # a key of RULES


class Segmenter:
    """Segments texts; holds the loaded detector, so make one and reuse it."""

    def __init__(self, config: SegmenterConfig | None = None, backend: langid.Backend | None = None, workers: int = 1) -> None:
        """``workers`` > 1 classifies the lines of large or many texts in that many processes
        (forked, so the detectors' memory is shared); make such a Segmenter before starting
        threads, and ``close()`` it."""
        self.config = config or SegmenterConfig()
        self._backend = backend
        self._candidates = {
            script: tuple(code for code in codes if code in self.config.languages) for script, codes in languages.SCRIPT_LANGUAGES.items()
        }
        self.workers = max(1, workers)
        self._pool = None
        # Lines seen before (web boilerplate, a newsletter's masthead) are not classified again.
        self._seen: dict[str, list[_Piece]] = {}

    @property
    def backend(self) -> langid.Backend:
        if self._backend is None:
            self._backend = langid.load_backend(self.config.detector)
        return self._backend

    def segment_document(self, document: Document) -> Document:
        return document.with_segments(self.segment(document.text))

    def segment(self, text: str) -> list[Segment]:
        return next(self.segment_many([text]))

    def segment_many(self, texts: Iterable[str]) -> Iterator[list[Segment]]:
        """The segments of each text, in order. Texts are taken in batches of about 1 MB whose
        distinct lines are classified together: in ``workers`` processes when there is enough."""
        batch: list[str] = []
        size = 0
        for text in texts:
            batch.append(text)
            size += len(text)
            if size >= _BATCH_CHARS:
                yield from self._segment_batch(batch)
                batch, size = [], 0
        if batch:
            yield from self._segment_batch(batch)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _segment_batch(self, texts: list[str]) -> list[list[Segment]]:
        with _cycle_collection_paused():
            if self.workers > 1 and len(texts) >= 2 * self.workers and sum(map(len, texts)) >= _PARALLEL_CHARS:
                # Many documents: each worker segments whole documents, so that finding their main
                # language and merging is shared out too. (One large document shares out its lines.)
                self.start_workers()
                return [segmented for chunk in self._pool.map(_segment_forked, _chunks(texts, self.workers * 4)) for segmented in chunk]
            bounds = [[(m.start(), m.end()) for m in _LINE.finditer(text)] for text in texts]
            classified = iter(self._classified_lines([text[a:b] for text, spans in zip(texts, bounds) for a, b in spans]))
            shifted = [self._shifted_lines(spans, classified) for spans in bounds]
            if self.config.weigh_evidence:
                self._keep_main_language(shifted)
            documents = [self._merged_lines(text, lines) for text, lines in zip(texts, shifted)]
            if self.config.outside_confidence < 1:
                # (every document's lines at once: the open set's detectors cost mostly per call)
                asked = iter(self._outside_languages([(text, line) for text, per_line in zip(texts, documents) for line in per_line]))
                documents = [[next(asked) for _ in per_line] for per_line in documents]
            return [
                [segment for line in _letterless_in_the_document_language(text, per_line) for segment in line]
                for text, per_line in zip(texts, documents)
            ]

    @staticmethod
    def _shifted_lines(spans: list[tuple[int, int]], classified: Iterator[list[_Piece]]) -> list[tuple[int, int, list[_Piece]]]:
        """A document's lines (``spans``) with pieces, which ``classified`` yields in order,
        the pieces' offsets into the document."""
        lines: list[tuple[int, int, list[_Piece]]] = []
        for line_start, line_end in spans:
            pieces = next(classified)
            if pieces:
                lines.append((line_start, line_end, [_shifted(piece, line_start) for piece in pieces]))
        return lines

    def _merged_lines(self, text: str, lines: list[tuple[int, int, list[_Piece]]]) -> list[list[Segment]]:
        """The segments of each line of ``text`` (``lines``, decided): before the open set."""
        per_line: list[list[Segment]] = []
        for line_start, line_end, pieces in lines:
            _relabel_short(pieces, self.config.short_words, self.config.phrase_confidence)
            per_line.append(_merged(text, pieces, line_start, line_end))
        return per_line

    def _may_be_outside(self, text: str, segment: Segment) -> bool:
        # English is most of a document: of it, only what the detector was unsure of is asked
        # (95 % of the out-of-list text taken for English, 17 % of real English lines), or
        # what holds letters English never writes ("Uważam, że to bardzo dobry pomysł").
        return (
            segment.lang != "en"
            or segment.confidence < self.config.outside_english_below
            or bool(langid.foreign_letters(text[segment.start : segment.end]))
        )

    def _asked(self, text: str, segment: Segment) -> bool:
        # Undetermined text is asked when its script is one no candidate writes: a Hebrew or
        # Chinese paragraph is named ("no model for he→en"), not left without a language.
        return (
            (segment.lang != "und" or segment.rule == "no-letters")
            and self._may_be_outside(text, segment)
            and _has_letters_at_least(text[segment.start : segment.end], self._outside_floor)
        )

    @property
    def _outside_floor(self) -> int:
        return min(self.config.outside_letters, self.config.outside_agreed_letters)

    def _outside_languages(self, lines: list[tuple[str, list[Segment]]]) -> list[list[Segment]]:
        """The open-set stage, over ``lines`` (each its document's text and its segments, of
        one document or many). A line (then a segment) that py3langid, over all the languages
        it knows, puts in one outside the candidates (surely, or with HeLI agreeing) gets its
        code: a whole line first, since the candidates' detectors cut an unknown language
        into pieces of near ones."""
        texts = [text for text, _ in lines]
        per_line = [list(segments) for _, segments in lines]
        # A line cut in pieces, none of them English the detector was sure of.
        whole = [
            i
            for i, (text, line) in enumerate(lines)
            if len(line) > 1
            and all(self._may_be_outside(text, segment) for segment in line)
            and _has_letters_at_least(text[line[0].start : line[-1].end], self._outside_floor)
        ]
        ends = [per_line[i][-1].end for i in whole]
        decided = set()  # lines labelled whole: not asked again segment by segment
        line_texts = [texts[i][per_line[i][0].start : end] for i, end in zip(whole, ends)]
        for index, end, (code, probability, rule) in zip(whole, ends, self._outside_of(line_texts, [False] * len(whole), "outside-line")):
            if rule is not None:
                first = per_line[index][0]
                per_line[index] = [replace(first, end=end, lang=code, confidence=round(probability, 4), rule=rule)]
                decided.add(index)
        asked = [
            (i, j)
            for i, line in enumerate(per_line)
            if i not in decided
            for j, segment in enumerate(line)
            if self._asked(texts[i], segment)
        ]
        for (i, j), (code, probability, rule) in zip(asked, self._outside_of_segments(texts, per_line, asked)):
            if rule is not None:
                per_line[i][j] = replace(per_line[i][j], lang=code, confidence=round(probability, 4), rule=rule)
        # The rest of a line some of which is now outside: English the detector was sure of
        # too ("Rikki was daarbovenop Wiske's oudere tienerbroer" among the candidates is
        # likeliest English), when it is in that same language.
        outside = {i: {s.lang for s in per_line[i] if s.rule in _OUTSIDE_RULES} for i in dict.fromkeys(i for i, _ in asked)}
        rest = [
            (i, j)
            for i, found in outside.items()
            if found
            for j, segment in enumerate(per_line[i])
            if segment.rule not in _OUTSIDE_RULES
            and segment.lang != "und"
            and _has_letters_at_least(texts[i][segment.start : segment.end], self._outside_floor)
        ]
        for (i, j), (code, probability, rule) in zip(rest, self._outside_of_segments(texts, per_line, rest)):
            if rule is not None and any(languages.are_close(code, other) for other in outside[i]):
                per_line[i][j] = replace(per_line[i][j], lang=code, confidence=round(probability, 4), rule="outside-rest-of-line")
        return [_joined_outside(line) for line in per_line]

    def _outside_of_segments(self, texts: list[str], per_line: list[list[Segment]], positions: list[tuple[int, int]]):
        """``_outside_of`` the segments at ``positions`` (line, index) of ``per_line``, each
        line's document ``texts[line]``."""
        segments = [per_line[i][j] for i, j in positions]
        return self._outside_of(
            [texts[i][s.start : s.end] for (i, _), s in zip(positions, segments)], [s.lang == "en" for s in segments], "outside-segment"
        )

    def _outside_of(self, texts: list[str], english: list[bool], sure_rule: str) -> list[tuple[str | None, float, str | None]]:
        """For each text, py3langid's language outside the candidates (or ``None``), its
        probability, and the rule that gives the text that language, or ``None``: py3langid
        sure of it, or less sure and HeLI over all its models agreeing; each with enough
        letters in words (``_letters_in_words``)."""
        config = self.config
        found = []
        for text, is_english, (code, p) in zip(texts, english, langid.outside_languages(texts, config.languages)):
            letters = (
                self._letters_in_words(text, is_english, code)
                if code is not None and p >= min(config.outside_agreed, config.outside_confidence)
                else 0
            )
            found.append((code if letters >= self._outside_floor else None, p, letters))
        sure = [code is not None and p >= config.outside_confidence and letters >= config.outside_letters for code, p, letters in found]
        # HeLI is asked only where its agreement would decide.
        unsure = [
            index
            for index, (code, p, letters) in enumerate(found)
            if code is not None and not sure[index] and p >= config.outside_agreed and letters >= config.outside_agreed_letters
        ]
        agreed = dict(zip(unsure, langid.heli_leaders([texts[index] for index in unsure]) if unsure else []))
        results = []
        for index, (code, probability, _) in enumerate(found):
            rule = None
            if sure[index]:
                rule = sure_rule
            elif code is not None and languages.are_close(agreed.get(index), code):
                rule = "outside-agreed"
            results.append((code, probability, rule))
        return results

    def _letters_in_words(self, text: str, english: bool, outside: str) -> int:
        """How many letters of ``text`` say its language: those of its words (names, the
        particles between them, addresses, numbers and hashes carry no language:
        "Zbigniew Jędrzejewski-Szmek" or "Thijs van den Berg" in an English changelog is no
        Polish or Dutch text, as they are no evidence in layer 6). None for a segment the
        detector called English whose words are two thirds common English words
        ("additional scribus templates" is no Latin), or that the word lists read as English
        rather than as the language py3langid puts it in (``outside``), as layer 6 keeps a
        piece in the main language ("read-as-main"): "Logger for gulp and gulp plugins" is no
        Danish, though py3langid says so at 0.82. Asked only of what py3langid puts outside
        the candidates."""
        words, _, links = _words_and_names(text, True)
        if english and (_mostly_common_english(words) or self._reads_as_main(langid.lexicon_evidence(words, outside, "en"))):
            return 0
        return sum(len(word) for index, word in enumerate(words) if index not in links)

    def _classified_lines(self, lines: list[str]) -> list[list[_Piece]]:
        """Each line's pieces, classified, with offsets into the line."""
        results: list[list[_Piece] | None] = [None] * len(lines)
        todo: dict[str, list[int]] = {}
        for index, line in enumerate(lines):
            seen = self._seen.get(line)
            if seen is not None:
                results[index] = seen
            else:
                todo.setdefault(line, []).append(index)
        distinct = list(todo)
        if self.workers > 1 and sum(map(len, distinct)) >= _PARALLEL_CHARS:
            fresh = self._classify_in_workers(distinct)
        else:
            fresh = self._classify_lines(distinct)
        if len(self._seen) > _SEEN_LINES:
            self._seen.clear()
        for line, pieces in zip(distinct, fresh):
            if len(line) <= _SEEN_LENGTH:
                self._seen[line] = pieces
            for index in todo[line]:
                results[index] = pieces
        return results  # type: ignore[return-value]

    def _classify_lines(self, lines: list[str]) -> list[list[_Piece]]:
        """Each line's pieces, classified: the pieces of all lines go to the detector together,
        one batch per candidate set (the detector's cost is mostly per call)."""
        lined = [self._pieces_of_line(line, langid.script_string(line), 0, len(line)) for line in lines]
        batches: dict[tuple[str, ...], list[_Piece]] = {}
        for line, pieces in zip(lines, lined):
            for piece in pieces:
                piece.text = line[piece.start : piece.end]
                piece.words = len(piece.text.split())
                candidates = self._candidates.get(piece.script, ())
                if piece.script == "Zyyy" or not candidates:
                    piece.lang, piece.confidence, piece.rule = languages.UNDETERMINED, 0.0, "no-letters"
                else:
                    piece.rule = "script" if len(candidates) == 1 else "detector"
                    batches.setdefault(candidates, []).append(piece)
        for candidates, pieces in batches.items():
            for piece, detection in zip(pieces, langid.detect_many([piece.text for piece in pieces], candidates, self.backend)):
                piece.lang, piece.confidence = detection.lang, detection.confidence
                if detection.lang == languages.UNDETERMINED:
                    piece.rule = "no-letters"  # nothing left once addresses and numbers are set aside
                piece.probabilities = dict(detection.probabilities)
        if self.config.find_phrases:
            self._score_words(lined)
            lined = [self._split_phrases(line, pieces) if pieces else pieces for line, pieces in zip(lines, lined)]
        # Only Latin pieces can be names alone: names of people from every language of the
        # list fill Latin-script author lists and bylines; a piece of capitalised words in
        # another script is that script's language, often a heading ("Генеральная Ассамблея").
        for pieces in lined:
            for piece in pieces:
                piece.worded = (
                    piece.script != "Latn"
                    or piece.words > _NAMES_AT_MOST
                    or bool(_words_and_names(piece.text, piece.opens_sentence, enough=1)[0])
                )
        return lined

    def start_workers(self) -> None:
        """Fork the worker processes now (they start on first need otherwise): call it before
        starting threads, since a process forked while other threads hold locks may hang."""
        if self.workers <= 1 or self._pool is not None:
            return
        import concurrent.futures
        import multiprocessing

        global _FORKED_FROM
        self.backend  # noqa: B018 - load the detectors before forking, so workers share them
        langid.load_backend("py3langid")
        heli.tables()  # on a new machine, built once here rather than by every worker at once
        langid.load_word_lists(self.config.languages)
        langid.prepare_weights([codes for codes in self._candidates.values() if len(codes) > 1], self.config.languages)
        _FORKED_FROM = self
        self._pool = concurrent.futures.ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("fork"), initializer=_bind_to_parent, initargs=(os.getpid(),)
        )
        # ProcessPoolExecutor forks on first submit: do it here, on this thread.
        list(self._pool.map(_classify_forked, [[]] * self.workers))

    def _classify_in_workers(self, lines: list[str]) -> list[list[_Piece]]:
        self.start_workers()
        return [pieces for chunk in self._pool.map(_classify_forked, _chunks(lines, self.workers * 4)) for pieces in chunk]

    def _keep_main_language(self, documents: list[list[tuple[int, int, list[_Piece]]]]) -> None:
        """A piece the detector puts in another language than its document's main one (in
        its script) keeps the main language unless there is evidence a reader would accept:
        names, acronyms and numbers carry no language, and a detector's guess on two words
        of English ("Cuba:", "Article 1", "sin 45") is not evidence. ``documents``: each
        document's lines (``_shifted_lines``), decided together."""
        undecided = [job for lines in documents for job in self._undecided(lines)]
        if self.workers > 1 and len(undecided) >= _PARALLEL_DECISIONS:
            # One large document (many are shared out whole): its lines were classified in the
            # workers, and weighing the evidence for its foreign-looking pieces costs as much
            # again; share that out too.
            self.start_workers()
            decisions = [
                decision
                for chunk in self._pool.map(_decide_forked, _chunks(undecided, self.workers * 4, lambda job: len(job[0].text)))
                for decision in chunk
            ]
        else:
            decisions = self._decisions(undecided)
        for (piece, _), (lang, confidence, evidenced, rule) in zip(undecided, decisions):
            piece.lang, piece.confidence, piece.evidenced, piece.rule = lang, confidence, evidenced, rule

    def _undecided(self, lines: list[tuple[int, int, list[_Piece]]]) -> list[tuple[_Piece, str]]:
        """A document's pieces to decide (``_keep_main_language``), each with the main language
        of its script."""
        # The main language of each script: the most text among sure pieces, or among all
        # pieces where none is sure; pieces of names alone have no say where others have
        # words (a list of authors "Kay Sievers <kay.sievers@vrfy.org>" under an English
        # heading is English, whatever the detector makes of the names).
        weight: dict[tuple[str, str], tuple[int, int, int, int]] = {}
        for _, _, pieces in lines:
            for piece in pieces:
                if piece.lang != languages.UNDETERMINED:
                    key = (piece.script, piece.lang)
                    length = piece.end - piece.start
                    sure = length * (piece.confidence >= self.config.sure)
                    # (sure text with words, text with words, sure text, text)
                    before = weight.get(key, (0, 0, 0, 0))
                    weight[key] = (
                        before[0] + sure * piece.worded,
                        before[1] + length * piece.worded,
                        before[2] + sure,
                        before[3] + length,
                    )
        main: dict[str, str] = {}
        for (script, lang), _ in sorted(weight.items(), key=lambda item: item[1], reverse=True):
            main.setdefault(script, lang)
        return [
            (piece, main[piece.script])
            for _, _, pieces in lines
            for piece in pieces
            if piece.script in main
            and piece.lang != languages.UNDETERMINED
            and (piece.lang != main[piece.script] or piece.confidence < self.config.sure)
        ]

    def _decisions(self, undecided: list[tuple[_Piece, str]]) -> list[tuple[str, float, bool, str]]:
        """``_decision`` of each piece and main language; the detector reads the words of the
        short foreign-looking pieces all at once (``_evidence_for`` may ask it)."""
        reads = [_words_and_names(piece.text, piece.opens_sentence, enough=self.config.long_words) for piece, _ in undecided]
        batches: dict[tuple[str, ...], dict[str, None]] = {}
        for (piece, main), (words, _, _) in zip(undecided, reads):
            if piece.lang != main and 0 < len(words) < self.config.long_words:
                batches.setdefault(self._candidates.get(piece.script, ()), {})[" ".join(words)] = None
        detections = {
            (candidates, said): detection
            for candidates, texts in batches.items()
            for said, detection in zip(texts, langid.detect_many(list(texts), candidates, self.backend))
        }
        return [self._decision(piece, main, read, detections) for (piece, main), read in zip(undecided, reads)]

    def _decision(
        self, piece: _Piece, main: str, read: _WordsAndNames, detections: dict[tuple[tuple[str, ...], str], langid.Detection]
    ) -> tuple[str, float, bool, str]:
        """The language, confidence, ``evidenced`` and rule (a key of RULES) of a piece that
        the detector put in another language than ``main``, or in ``main`` without being sure.
        ``read``: its ``_words_and_names`` (up to ``long_words``); ``detections``: of its words
        alone, by candidates and words (``_decisions``)."""
        against = "main-unsure"
        if piece.lang != main:
            accepted, rule = self._evidence_for(piece, main, read, detections)
            if accepted:
                return piece.lang, piece.confidence, True, f"evidence:{rule}"
            against = f"kept-main:{rule}"
        # No evidence for the detector's foreign guess, or an unsure main language: the
        # words may still be common in another language and rare in the main one.
        other = self._told_by_words(piece, main, read)
        if other is not None:
            return other, piece.probabilities.get(other, 0.0), True, "evidence:runner-up-word-lists"
        return main, piece.probabilities.get(main, 0.0), False, against

    def _told_by_words(self, piece: _Piece, main: str, read: _WordsAndNames) -> str | None:
        """The first of the detector's two likeliest languages besides ``main`` whose word list
        tells it from ``main`` (``lexicon_for``): '"Imagina."' is Portuguese, not English, though
        the detector leaned to Italian. ``read``: the piece's ``_words_and_names``."""
        ranked = sorted((code for code in piece.probabilities if code != main), key=piece.probabilities.__getitem__, reverse=True)
        words, names, links = read
        if len(words) >= self.config.long_words:
            # Enough words for the detector, unless it hesitates between two languages and
            # all the words tell them apart: "Я годую свого собаку раз на день." (ru 0.68, uk
            # 0.32; "свого" is Ukrainian). A language it all but ruled out is no candidate.
            ranked = [lang for lang in ranked[:1] if piece.probabilities[lang] >= _RUNNER_UP]
            if not ranked:
                return None
            words, names, links = _words_and_names(piece.text, piece.opens_sentence)
        if not words or _written_in(words, main):
            return None  # words the main language writes: "Sbt template resolver", "vim interface"
        for lang in ranked[:2]:
            if self._lexicon_tells(self._lexicon_evidence(lang, main, words, names, links), words):
                return lang
        return None

    def _evidence_for(
        self, piece: _Piece, main: str, read: _WordsAndNames, detections: dict[tuple[tuple[str, ...], str], langid.Detection]
    ) -> tuple[bool, str]:
        """Would a reader accept that ``piece`` is in ``piece.lang`` rather than ``main``, and
        by which rule (``RULES``: "evidence:…" when accepted, "kept-main:…" when not)?
        ``read``: the piece's ``_words_and_names``, up to ``long_words`` words."""
        words, names, links = read
        lexicon = self._lexicon_evidence(piece.lang, main, words, names, links)
        read_as_main = self._reads_as_main(lexicon)
        if len(words) >= self.config.long_words:
            # Enough words for the detector's answer to stand, unless the word lists read them
            # as the main language: names or loanwords swayed it ("Buenos Aires, São Paulo and
            # Ciudad de México host the marches", "We ate paella, gazpacho and tortilla
            # española."; sure as it may be: "The Confederación General del Trabajo de la
            # República Argentina and ..." at 1.00). Foreign sentences of the development sets
            # score +3 and more against the main language (names counting only against).
            # Nor where as many of its words read plainly as the main language as read as
            # the piece's: accents swayed it ("The motto is liberté, égalité, fraternité." fr 0.99).
            if read_as_main:
                return False, "read-as-main"
            if _half_main(words, piece.lang, main):
                return False, "half-main"
            return True, "enough-words"
        # A phrase found inside a sentence of the main language, every word of which that
        # language writes, is a loan it uses as is ("a sense of déjà vu", "the coup d'état"),
        # not to be translated; words of one or two letters alone say nothing ("à la").
        if piece.phrase and not piece.quoted and _written_in(words, main) and any(len(word) >= 3 for word in words):
            return False, "loan-phrase"
        # The word lists tell, unless every word is one the main language writes too and the
        # detector is unsure: "(vim)" (pt 0.36), "gregor herrmann" (de 0.40), "del x" (es 0.21).
        if self._lexicon_tells(lexicon, words) and (piece.confidence >= self.config.sure or not _written_in(words, main)):
            return True, "word-lists"
        if read_as_main:
            return False, "read-as-main"
        said = " ".join(words)
        detection = detections[self._candidates.get(piece.script, ()), said] if words else None
        if detection is not None and dict(detection.probabilities).get(main, 0.0) >= 0.5:
            return False, "words-detected-as-main"  # its own words read as the main language: "Nadia Briante and Eliza Funes"
        if any(len(word) > 1 for word in words) and langid.letters_against(main, piece.lang, said):
            return True, "letters"  # (letters alone are characters named, not words: "'ß'")
        # Capitalised words may be names or a heading in title case. They tell only when at
        # least three, and most of them, are no English (main-language) words: letters it never
        # writes ("Lugansk’lı Komünistler Yoldaşlarını Desteğe Çağırıyor"), or common words of
        # the piece's language that English text almost never uses, 300 times rarer
        # ("Declaração dos Direitos Humanos"); a person's name is seldom three such words.
        capitalised = [word for word in _WORD.findall(piece.text) if _is_capitalised(word)]
        telling = [
            word
            for word in capitalised
            if (langid.letters_against(main, piece.lang, word) and (langid.zipf(word, main) or 0.0) < _WRITTEN_ZIPF)
            or (langid.word_evidence(word, piece.lang, main) or 0.0) >= _TELLING_WORD
        ]
        if len(telling) >= 3 and len(telling) * 2 > len(capitalised):
            return True, "title-case-words"
        if detection is None or _written_in(words, main, _COMMON_ZIPF):
            return False, "common-words"  # common words of the main language: "Comment:", "unique, persistent identifier"
        if lexicon is not None and lexicon < _LEANING:
            return False, "no-leaning"  # the word lists do not lean its way: "humanist sans serif font" (fr 0.84)
        needed = self.config.sure if piece.quoted else self.config.very_sure
        if detection.lang == piece.lang and detection.confidence >= needed:
            return True, "detector-sure"
        return False, "detector-unsure"

    def _reads_as_main(self, lexicon: float | None) -> bool:
        """Is ``lexicon`` (word-list evidence for a language over the main one) evidence for
        the main language instead (``lexicon_against``)?"""
        return lexicon is not None and lexicon <= -self.config.lexicon_against

    def _lexicon_tells(self, lexicon: float | None, words: list[str]) -> bool:
        """Is ``lexicon`` (``_lexicon_evidence``) of ``words`` evidence for the language? Not
        from words of one or two letters alone ("o", "de", "a la"): most languages of the list
        write them, and alone they are more often a bullet, an initial or a code."""
        return lexicon is not None and lexicon >= self.config.lexicon_for and any(len(word) >= 3 for word in words)

    @staticmethod
    def _lexicon_evidence(lang: str, main: str, words: list[str], names: list[str], links: list[int]) -> float | None:
        """``langid.lexicon_evidence`` of ``lang`` over ``main`` (``_words_and_names``'s three
        lists). Names, and the links between them, count only against it: "Castañeda" is a
        common word in Spanish text and still no evidence of Spanish in an English list of
        names; an English "General" is evidence of English."""
        names = names + [words[index] for index in links]
        words = [word for index, word in enumerate(words) if index not in links]
        full = langid.lexicon_evidence(words, lang, main)
        against = [langid.word_evidence(name, lang, main) for name in names]
        if full is None and (not against or None in against):
            return None
        return (full or 0.0) + sum(min(0.0, evidence or 0.0) for evidence in against)

    # -- layer 2 and 3: pieces of a line ------------------------------------------------

    def _pieces_of_line(self, text: str, scripts: str, start: int, end: int) -> list[_Piece]:
        runs = _script_runs(scripts, start, end)
        if len(runs) > 1:
            # One letter of another script is a symbol, not a language: "π r²", "x ∈ Ω".
            lettered = [run for run in runs if _letter_count(scripts, run[0], run[1]) > 1]
            runs = lettered or runs[:1]
        if not runs:
            bounds = _strip(text, start, end)
            if bounds is None or not _has_content(text, *bounds):
                return []
            return [_Piece(bounds[0], bounds[1], "Zyyy")]
        runs = _names_kept_in_their_sentence(text, runs)
        spans: list[list] = [[run_start, run_end, script] for run_start, run_end, script in runs]
        spans[0][0] = start
        spans[-1][1] = end
        for left, right in itertools.pairwise(spans):
            left[1], right[0] = _split_gap(text, left[1], right[0])
        pieces: list[_Piece] = []
        for span_start, span_end, script in spans:
            pieces.extend(self._sentences_and_quotes(text, span_start, span_end, script))
        return _absorb_letterless(text, pieces)

    def _sentences_and_quotes(self, text: str, start: int, end: int, script: str) -> list[_Piece]:
        bounds = _strip(text, start, end)
        if bounds is None:
            return []
        start, end = bounds
        if _has_code(text, start, end) and _code_share(text[start:end]) >= _CODE_SHARE:
            return self._sentences(text, start, end, script)  # code's strings are no quotations: '"arz": "Egyptian Arabic",'
        whole = _enclosing_quote(text, start, end)
        if whole is not None:
            return [_Piece(whole[0], whole[1], script, phrase=True, quoted=True)]
        pieces: list[_Piece] = []
        cursor = start
        for match in _QUOTED.finditer(text, start, end):
            # (Spanish's marks are the clause's own: translated with it, not left around it.)
            inner = match.span() if match.group()[0] in "¡¿" else _strip(text, match.start() + 1, match.end() - 1)
            if inner is None or not _has_letters(text, *inner) or (match.start() == start and match.end() == end):
                continue
            # Leading markdown emphasis markers are two characters wide.
            inner = _strip_emphasis(text, *inner)
            opens_sentence = _opens_sentence(text, start, match.start())
            if inner is None or _names_only(text, inner, opens_sentence):
                continue  # "(III)", in "Shane": no language of its own, it stays in its sentence
            pieces.extend(self._sentences(text, cursor, match.start(), script))
            if any(inside.group()[0] in _QUOTATION_MARKS for inside in _QUOTED.finditer(text, *inner)):  # a quotation inside
                nested = self._sentences_and_quotes(text, inner[0], inner[1], script)
                for piece in nested:
                    piece.phrase = piece.quoted = True
                pieces.extend(nested)
            else:
                pieces.append(_Piece(inner[0], inner[1], script, phrase=True, quoted=True, opens_sentence=opens_sentence))
            cursor = match.end()
        pieces.extend(self._sentences(text, cursor, end, script))
        return pieces

    def _sentences(self, text: str, start: int, end: int, script: str) -> list[_Piece]:
        pieces = []
        for sentence_start, sentence_end in split_sentences(text, start, end, script):
            while sentence_start < sentence_end and text[sentence_start] in _LEADING_JUNK:
                sentence_start += 1
            bounds = _strip(text, sentence_start, sentence_end)
            if bounds is not None and _has_content(text, *bounds):
                pieces.append(_Piece(bounds[0], bounds[1], script))
        return pieces

    # -- layer 4: classification ---------------------------------------------------------

    # -- layer 4b: unquoted foreign phrases inside a sentence ----------------------------

    def _phrase_candidates(self, piece: _Piece) -> tuple[str, ...] | None:
        """The candidates to look for phrases in ``piece`` among, or None not to look."""
        candidates = self._candidates.get(piece.script, ())
        if piece.phrase or piece.words < 4 or len(candidates) < 2 or piece.lang not in candidates or not piece.mixed:
            return None
        return candidates

    def _score_words(self, lined: list[list[_Piece]]) -> None:
        """Score the words of every sentence in one batch per candidate set, and mark the
        sentences where a run of words favours another language by more than two switches
        (Kadane's maximum run, all sentences at once): only those are searched for phrases."""
        sentences: dict[tuple[str, ...], list[tuple[_Piece, list[str]]]] = {}
        for pieces in lined:
            for piece in pieces:
                candidates = self._phrase_candidates(piece)
                if candidates is not None:
                    sentences.setdefault(candidates, []).append((piece, _words_in(piece.text)))
        scorer = langid.load_backend("py3langid")
        for candidates, batch in sentences.items():
            lengths = np.array([len(words) for _, words in batch])
            rows = scorer.word_log_likelihoods([word for _, words in batch for word in words], candidates).astype(np.float64)
            if not len(rows):
                continue
            main = np.repeat([candidates.index(piece.lang) for piece, _ in batch], lengths)
            everywhere = np.arange(len(rows))
            others = rows.copy()
            others[everywhere, main] = -np.inf
            runs = _max_runs(others.max(axis=1) - rows[everywhere, main], lengths)
            for (piece, _), run in zip(batch, runs):
                piece.mixed = bool(run >= 2 * self.config.switch_cost)

    def _split_phrases(self, text: str, pieces: list[_Piece]) -> list[_Piece]:
        result: list[_Piece] = []
        for piece in pieces:
            candidates = self._phrase_candidates(piece)
            if candidates is None:
                result.append(piece)
                continue
            result.extend(self._phrases_in(text, piece, candidates))
        return result

    def _phrases_in(self, text: str, piece: _Piece, candidates: tuple[str, ...]) -> list[_Piece]:
        words = _word_spans(text, piece.start, piece.end)
        if len(words) < 4:
            return [piece]
        scorer = langid.load_backend("py3langid")
        tokens = [text[a:b] for a, b in words]
        rows = scorer.word_log_likelihoods(tokens, candidates).tolist()
        path = _viterbi(rows, candidates.index(piece.lang), self.config.switch_cost)
        main = candidates.index(piece.lang)
        result: list[_Piece] = []
        cursor = piece.start
        index = 0
        while index < len(path):
            if path[index] == main:
                index += 1
                continue
            stop = index
            while stop < len(path) and path[stop] != main:
                stop += 1
            start, end = words[index][0], words[stop - 1][1]
            # Capitalised words are names ("Kurdistan", "Juan Emilio Perez"), not foreign
            # phrases; but a lone first word of a sentence is capitalised anyway ("Préambule"),
            # unless the sentence goes on in lower case: then it is its subject ("Erdoğan
            # spoke for an hour.", "Gündoğan's goal").
            subject = stop < len(words) and text[words[stop][0]].islower()
            names_only = (index > 0 or stop - index > 1 or subject) and all(
                not text[a].islower() or _is_name_particle(text, a, b) or _links_names(tokens, at)
                for at, (a, b) in enumerate(words[index:stop], index)
            )
            if not names_only and (stop - index >= 2 or end - start >= self.config.min_phrase_letters):
                detection = langid.detect(text[start:end], candidates, self.backend)
                main_probability = dict(detection.probabilities).get(piece.lang, 0.0)
                if detection.lang != piece.lang and main_probability <= 1 - self.config.phrase_confidence:
                    # A word the scorer knows nothing of (py3langid has no feature for "the")
                    # ties every language: at the phrase's edge it stays in the sentence
                    # ("at the Bibliothèque nationale de France"), unless glued to it ("drm/nouveau").
                    first, last = index, stop
                    while first < last - 1 and max(rows[first]) == min(rows[first]) and text[words[first][1]].isspace():
                        first += 1
                    while last > first + 1 and max(rows[last - 1]) == min(rows[last - 1]) and text[words[last - 1][0] - 1].isspace():
                        last -= 1
                    start, end = words[first][0], words[last - 1][1]
                    if start > cursor and _has_content(text, cursor, start):
                        before = _strip(text, cursor, start)
                        result.append(self._relabelled(text, before, piece))
                    result.append(
                        _Piece(
                            start,
                            end,
                            piece.script,
                            phrase=True,
                            opens_sentence=start == piece.start,
                            lang=detection.lang,
                            confidence=detection.confidence,
                            words=last - first,
                            probabilities=dict(detection.probabilities),
                            text=text[start:end],
                            rule="phrase-in-sentence",
                        )
                    )
                    cursor = end
            index = stop
        if not result:
            return [piece]
        after = _strip(text, cursor, piece.end)
        if after is not None and _has_content(text, *after):
            result.append(self._relabelled(text, after, piece))
        elif after is not None:
            result[-1].end = piece.end if result[-1].lang == piece.lang else result[-1].end
        return result

    def _relabelled(self, text: str, bounds: tuple[int, int], parent: _Piece) -> _Piece:
        """A remainder of a sentence keeps the sentence's label."""
        return _Piece(
            bounds[0],
            bounds[1],
            parent.script,
            lang=parent.lang,
            confidence=parent.confidence,
            words=len(text[bounds[0] : bounds[1]].split()),
            probabilities=parent.probabilities,
            text=text[bounds[0] : bounds[1]],
            opens_sentence=bounds[0] == parent.start,
            rule=parent.rule,
        )


# -- helpers ------------------------------------------------------------------------------


_ADDRESS = re.compile(r"\S*(?:@|://|www\.)\S*")


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the words of ``text[start:end]``, leaving out the words inside addresses
    ("schwern@pobox.com", "https://..."): no language's words, and a phrase found among
    them would cut the address in two."""
    words = [m.span() for m in _WORD.finditer(text, start, end)]
    if not _may_hold_address(text[start:end]):
        return words
    addresses = [(m.start(), m.end()) for m in _ADDRESS.finditer(text, start, end)]
    return [(a, b) for a, b in words if not any(left <= a < right for left, right in addresses)]


def _may_hold_address(text: str) -> bool:
    return "@" in text or "/" in text or "www." in text


def _words_in(text: str) -> list[str]:
    """The words of ``_word_spans``, as strings."""
    if not _may_hold_address(text):
        return _WORD.findall(text)
    return [text[a:b] for a, b in _word_spans(text, 0, len(text))]


def _script_runs(scripts: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The maximal runs of one script's letters (``_SCRIPT_RUN``) in ``scripts[start:end]``
    (``langid.script_string``'s codes), with their scripts."""
    stretch = scripts[start:end]
    codes = set(stretch)
    codes.discard(langid.NEUTRAL)
    codes.discard(langid.MARK)
    if len(codes) == 1:  # most lines: one run, from the first letter to the last and its marks
        (code,) = codes
        last = stretch.rindex(code) + 1
        while last < len(stretch) and stretch[last] == langid.MARK:
            last += 1
        return [(start + stretch.index(code), start + last, langid.SCRIPT_OF_CODE[code])]
    return [(start + m.start(), start + m.end(), langid.SCRIPT_OF_CODE[m.group(1)]) for m in _SCRIPT_RUN.finditer(stretch)]


def _shifted(piece: _Piece, offset: int) -> _Piece:
    moved = _Piece.__new__(_Piece)  # a copy: a cached line's pieces serve every document it is in
    moved.__dict__.update(piece.__dict__)  # (four times faster than copy.copy)
    moved.start += offset
    moved.end += offset
    return moved


def _chunks(items: list[_T], count: int, size_of: Callable[[_T], int] = len) -> list[list[_T]]:
    """``items`` in order, cut into about ``count`` runs of about equal ``size_of``."""
    chunks: list[list[_T]] = [[]]
    sizes = [size_of(item) for item in items]
    target = max(sum(sizes) // count, 1)
    size = 0
    for item, item_size in zip(items, sizes):
        if size >= target:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += item_size
    return chunks


def split_sentences(text: str, start: int, end: int, script: str = "Latn") -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, split after a terminator followed by a capital.

    Abbreviations (``Mr.``, ``e.g.``) and initials (``J. Smith``) do not end a sentence.
    """
    terminators = _TERMINATORS + _SCRIPT_TERMINATORS.get(script, "")
    next_terminator = _terminator_pattern(terminators).search
    spans = []
    cursor = start
    found = next_terminator(text, start, end)
    while found is not None:
        index = found.start()
        after = index + 1
        while after < end and (text[after] in terminators or text[after] in _CLOSERS):
            after += 1
        next_start = after
        while next_start < end and text[next_start].isspace():
            next_start += 1
        if (
            after < next_start < end
            and _may_start_sentence(text[next_start])
            and not (text[index] == "." and _is_abbreviation(text, cursor, index))
        ):
            spans.append((cursor, after))
            cursor = next_start
        found = next_terminator(text, after, end)
    if cursor < end:
        spans.append((cursor, end))
    return spans


@functools.cache
def _terminator_pattern(terminators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(terminators)}]")


def _may_start_sentence(char: str) -> bool:
    # Lower case may start a sentence too (a foreign sentence pasted after an English one);
    # same-language pieces merge again later, so splitting too often costs little.
    return char.isalnum() or char in _OPENING


def _is_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    word_start = dot
    while word_start > sentence_start and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    return len(word.replace(".", "")) == 1 or word.replace(".", "") in _ABBREVIATIONS or "." in word


# A Latin run of at most this many tokens, names and acronyms alone, inside a sentence of another script.
_NAMES_IN_SENTENCE = 4


def _names_kept_in_their_sentence(text: str, runs: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Names and acronyms written in Latin inside a sentence of another script belong to that
    sentence: "Η έρευνα της Ifop έδειξε", "Фильмы на канале KkcTebou TV Channel выделяют",
    "(No 31 по Коноллиштрассе)". A Latin run of a few tokens with no word that tells a
    language, between two runs of one other script (or after one, ending the line), joins
    them: translated with its sentence, as a reader reads it, not cut out as English."""
    kept: list[tuple[int, int, str]] = []
    index = 0
    while index < len(runs):
        start, end, script = runs[index]
        before = kept[-1] if kept else None
        after = runs[index + 1] if index + 1 < len(runs) else None
        if script == "Latn" and before is not None and before[2] != "Latn" and _names_alone(text, start, end):
            if after is not None and after[2] == before[2]:
                kept[-1] = (before[0], after[1], before[2])
                index += 2
                continue
            if after is None and not text[before[1] : start].strip(" ,–—-"):  # nothing between: the sentence goes on
                kept[-1] = (before[0], end, before[2])
                index += 1
                continue
        kept.append((start, end, script))
        index += 1
    return kept


def _names_alone(text: str, start: int, end: int) -> bool:
    tokens = text[start:end].split()
    return 0 < len(tokens) <= _NAMES_IN_SENTENCE and not _words_and_names(text[start:end], opens_sentence=False)[0]


def _split_gap(text: str, left_end: int, right_start: int) -> tuple[int, int]:
    """Share the neutral characters between two script runs: closing marks and numbers go
    left, an opening mark touching the right run goes right; whitespace belongs to neither."""
    gap = text[left_end:right_start]
    for offset, char in enumerate(gap):
        # A quotation opened in the gap and not closed there goes on in the right run, with
        # the numbers it starts with: 'Do you think "1928 году он участвовал …"'.
        if (
            char in _QUOTE_PAIRS
            and offset > 0
            and gap[offset - 1].isspace()  # after a space: opening, not closing the left run
            and not gap[offset + 1 : offset + 2].isspace()
            and _QUOTE_PAIRS[char] not in gap[offset + 1 :]
        ):
            return left_end + offset, left_end + offset
    last_space = max((i for i, ch in enumerate(gap) if ch.isspace()), default=-1)
    if last_space >= 0:
        split = left_end + last_space + 1
        return split, split
    for offset, char in enumerate(gap):
        if char in _OPENING or unicodedata.category(char) in ("Ps", "Pi"):
            return left_end + offset, left_end + offset
    return right_start, right_start


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start].isspace() or _invisible(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or _invisible(text[end - 1])):
        end -= 1
    return (start, end) if start < end else None


def _invisible(char: str) -> bool:
    return char >= "\x80" and unicodedata.category(char) == "Cf"


def _strip_emphasis(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] == "*":
        start += 1
    while end > start and text[end - 1] == "*":
        end -= 1
    return _strip(text, start, end)


def _enclosing_quote(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Inner bounds when ``text[start:end]`` is one quoted or bracketed stretch."""
    opening = text[start]
    closing = _QUOTE_PAIRS.get(opening)
    if closing is None or end - start < 3:
        return None
    if text[end - 1] != closing and not (opening == "„" and text[end - 1] == "”"):
        return None
    inner = text[start + 1 : end - 1]
    if opening in inner or (closing != opening and closing in inner):
        return None
    bounds = _strip_emphasis(text, start + 1, end - 1)
    return bounds if bounds is not None and _has_letters(text, *bounds) else None


def _opens_sentence(text: str, start: int, quote: int) -> bool:
    """A quotation at ``quote`` opens a sentence: nothing but punctuation before it since ``start``,
    or a sentence's end or a colon."""
    before = text[start:quote].rstrip().rstrip(_CLOSERS)
    return not before or before[-1] in _TERMINATORS + ":"


def _names_only(text: str, bounds: tuple[int, int], opens_sentence: bool) -> bool:
    """The quotation ``text[bounds]`` holds no word that tells a language: only one or two names,
    acronyms or numbers. A quoted sentence ("Obrigado.") tells, whatever comes before it."""
    inner = text[bounds[0] : bounds[1]]
    opens_sentence = opens_sentence or inner.rstrip(_CLOSERS)[-1:] in _TERMINATORS
    words, names, _ = _words_and_names(inner, opens_sentence, enough=1)
    return not words and len(names) < 3  # three capitalised words may be a title: "Birleşmiş Milletler Genel Kurulu"


def _letter_count(scripts: str, start: int, end: int) -> int:
    return sum(code not in _NEUTRAL_OR_MARK for code in scripts[start:end])


_NEUTRAL_OR_MARK = (langid.NEUTRAL, langid.MARK)


def _has_letters(text: str, start: int, end: int) -> bool:
    return any(char.isalpha() for char in text[start:end])


def _is_content(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] not in "PZC"


def _has_content(text: str, start: int, end: int) -> bool:
    return any(_is_content(char) for char in text[start:end])


def _absorb_letterless(text: str, pieces: list[_Piece]) -> list[_Piece]:
    """Numbers and symbols without letters ("1.", "2022") join the piece before them."""
    kept: list[_Piece] = []
    pending: list[int] | None = None  # [start, end] of letterless pieces waiting for a home
    for piece in pieces:
        if not piece.phrase and not _has_letters(text, piece.start, piece.end):
            if kept and not kept[-1].phrase:
                kept[-1].end = piece.end
            elif pending is None:
                pending = [piece.start, piece.end]
            else:
                pending[1] = piece.end
            continue
        if pending is not None:
            if piece.phrase:  # a quoted piece keeps its bounds: the numbers before it stand alone
                kept.append(_Piece(pending[0], pending[1], "Zyyy"))
            else:
                piece.start = pending[0]
            pending = None
        kept.append(piece)
    if pending is not None:  # only quoted pieces, or none, before these numbers
        kept.append(_Piece(pending[0], pending[1], "Zyyy"))
    return kept


_EDGE_PUNCTUATION = "".join(chr(c) for c in range(0x2E80) if unicodedata.category(chr(c))[0] in "PS")
_NOT_A_WORD = frozenset("0123456789_=/\\<>{}@#$%^&|~+.")


def language_words(text: str, opens_sentence: bool = True) -> list[str]:
    """The words of ``text`` that say something about its language: not names (capitalised
    words, unless a sentence's lone first word), not acronyms, numbers, code, addresses or
    formulae. A line in capitals ("CUBA - URGENT") is read in lower case. ``opens_sentence``:
    whether ``text`` starts a sentence (a lone capitalised first word is then no name)."""
    return _words_and_names(text, opens_sentence)[0]


_WordsAndNames = tuple[list[str], list[str], list[int]]

# Code and formulae: an identifier with an underscore between letters or after two ("para_init",
# "__del__"), a call or an index glued to a name ("dir()", "d[key]"), braces ("{y}"), operators
# and a shell's prompt standing alone ("x < y and y <= z", ">>> a == b", "n += val", "$ sacrebleu
# -t wmt17 -l en-de"), command-line options, strings in a list or a dict. A lone ">", "-" or "/"
# is left: prose writes "Edit > Preferences", "CUBA - URGENT", "and / or".
_CODE = re.compile(
    r"[^\W_]_+[^\W_]|__[^\W_]|[^\W\d][(\[]|[{}]"
    r"|(?<!\S)(?:[=<$]|[-=!<>+*/%:&|^]=|->|=>|>>>?|<<|&&|\|\|)(?!\S)"
    r"|(?<!\S)[^\W_] ?[<>] ?[^\W_](?!\S)"  # "x > y"
    r"|(?<![^\s\[])(?:-[a-z]{1,2}|--[a-z][\w-]*)(?![^\s\]])"  # options: "-l", "[--echo]" (not "-dijo")
    r"|[\"']\s*[:,]\s*[\"']"  # a dict's or a list's strings: '"arz": "Egyptian Arabic"'
)
# A character every match of _CODE holds, found four times faster: most text has none.
_CODE_HINT = re.compile(r"[_{}\[=<>$&|]|\((?<=[^\W\d]\()|-(?<![^\s\[]-)[a-z-]|[\"']\s*[:,]")
# A piece a quarter of whose tokens are code is code, its words keywords and names ('"del
# d[key]"', "x < y and y <= z"); in a sentence, only the code is left out ("Run ls_files ...").
_CODE_SHARE = 0.25
_TOKEN = re.compile(r"\S+")


def _words_and_names(text: str, opens_sentence: bool, enough: int | None = None) -> _WordsAndNames:
    """``language_words``, the names set aside, and the positions among the words of short
    links between capitalised words ("da", "and"); stops at ``enough`` words."""
    raw = text.split()
    code = _has_code(text)
    if code and _code_share(text) >= _CODE_SHARE:
        return [], [], []
    tokens = [_strip_edge_punctuation(token) for token in raw]
    first_word = next((index for index, token in enumerate(raw) if any(map(str.isalnum, token))), 0)
    letters = sum(map(str.isalpha, text))
    # (one word in capitals is an acronym: "(PMDA)", "CUBA:")
    shouting = letters > 3 and sum(map(str.isupper, text)) >= 0.8 * letters and len(raw) > 1
    words: list[str] = []
    names: list[str] = []
    links: list[int] = []
    for index, token in enumerate(tokens):
        if enough is not None and len(words) >= enough:
            break
        if not token.isalpha() and (  # (letters alone: most words, no need to look further)
            not any(char.isalpha() for char in token) or any(char in _NOT_A_WORD or char.isdigit() for char in token)
        ):
            continue
        inside = raw[index].rstrip(_CLOSERS + _TERMINATORS + ",;:")
        if "@" in raw[index] or "." in inside or ":" in inside:
            continue  # an address, a handle, a file or code: "<schwern@", "*.suo", "vim:set"
        if code and _CODE.search(raw[index]):
            continue  # "__del__()" is no Spanish "del"
        if raw[index].startswith("-") and raw[index][1:2] in "-" + token[:1]:
            continue  # a command-line option: --all, -v
        if shouting:
            if len(token) > 3:  # shorter ones are acronyms still: "MA 02110-1301, USA."
                words.append(token.lower())
            continue
        if token.isupper():
            continue  # an acronym: NATO, LPG, PKK
        if token[0].isupper():
            before = raw[index - 1].rstrip(_CLOSERS) if index else ""
            # (initials end no sentence: "Michael G. Schwern"; a dialogue dash or a bullet
            # before the first word opens none: "- Nie wiem", "— Ezt ma")
            if index <= first_word:
                first = opens_sentence
            else:
                first = before[-1:] in _TERMINATORS + ":;" and not _is_initials(before)
            ends_sentence = raw[index].rstrip(_CLOSERS)[-1:] in _TERMINATORS + ":;"
            # followed by a capitalised word (not an acronym or numeral: "Artigo IV"), or by
            # initials or name particles and one ("Eder L. Marques", "Lula da Silva"). Not
            # by other short words and one: a sentence's first word is capitalised by the
            # sentence ("Leden in het Europees Parlement", "Mikä on Euroopan tulevaisuus?");
            # inside a sentence it is a name anyway.
            next_capitalised = (
                not ends_sentence
                and index + 1 < len(tokens)
                and (
                    _is_capitalised(tokens[index + 1])
                    or _initials_link(raw, tokens, index + 1)
                    or (_links_names(tokens, index + 1) and tokens[index + 1].lower() in _NAME_PARTICLES)
                )
            )
            if not first or next_capitalised:
                # a name: "Nadia Briante", "Maastricht", "Rowland Jesús Castillo Castro"
                names.append(token)
                continue
        head, hyphen, tail = token.partition("-")
        if head.lower() in _NAME_PARTICLES and (
            tail[:1].isupper() or (not hyphen and index + 1 < len(tokens) and tokens[index + 1][:1].isupper())
        ):
            continue  # al-Assad, bin Laden
        if _links_names(tokens, index):
            links.append(len(words))  # short links between capitalised words: "Lula da Silva", "Plaza de Mayo"
        words.append(token)
    return words, names, links


def _written_in(words: list[str], lang: str, at_least: float = _WRITTEN_ZIPF) -> bool:
    """Every one of ``words`` is one that text in ``lang`` writes, ``at_least`` this often (Zipf)."""
    return bool(words) and all((langid.zipf(word, lang) or 0.0) >= at_least for word in words)


def _mostly_common_english(words: list[str]) -> bool:
    """Whether two thirds of ``words`` are common English words (once per million or more):
    technical English the detector was unsure of ("limit maximum queue appropriately")."""
    common = sum(1 for word in words if (langid.zipf(word, "en") or 0.0) >= _COMMON_ZIPF)
    return bool(words) and 3 * common >= 2 * len(words)


def _half_main(words: list[str], lang: str, main: str) -> bool:
    """Do as many of ``words`` read plainly (ten times likelier) as ``main`` as read as ``lang``?"""
    evidence = [langid.word_evidence(word, lang, main) for word in words]
    if None in evidence:
        return False
    return sum(value <= -1.0 for value in evidence) >= sum(value >= 1.0 for value in evidence)  # type: ignore[operator]


def _has_code(text: str, start: int = 0, end: int | None = None) -> bool:
    end = len(text) if end is None else end
    return _CODE_HINT.search(text, start, end) is not None and _CODE.search(text, start, end) is not None


def _code_share(text: str) -> float:
    """The share of ``text``'s tokens that are code or part of a formula (``_CODE``)."""
    matches = [match.span() for match in _CODE.finditer(text)]
    tokens = [token.span() for token in _TOKEN.finditer(text)]
    in_code = sum(any(start < right and left < end for left, right in matches) for start, end in tokens)
    return in_code / max(1, len(tokens))


def _strip_edge_punctuation(token: str) -> str:
    if token[0].isalnum() and token[-1].isalnum():
        return token  # most words: no need to look through three thousand punctuation marks
    return token.strip(_EDGE_PUNCTUATION)


def _links_names(tokens: list[str], index: int) -> bool:
    """``tokens[index]`` is one of at most two short lowercase words between capitalised ones:
    "da" in "Lula da Silva", "von der" in "Ursula von der Leyen", "de la" in "Juan de la Cruz"."""
    if not _is_link(tokens[index]):
        return False
    first = last = index
    while first > 0 and _is_link(tokens[first - 1]):
        first -= 1
    while last + 1 < len(tokens) and _is_link(tokens[last + 1]):
        last += 1
    return (
        last - first < 2 and first > 0 and tokens[first - 1][:1].isupper() and last + 1 < len(tokens) and _is_capitalised(tokens[last + 1])
    )


# One to three initials: "G.", "A.M.", "M" (a capital alone).
_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,3}|[^\W\d_]")


def _is_initials(token: str) -> bool:
    return token.isupper() and _INITIALS.fullmatch(token) is not None


def _initials_link(raw: list[str], tokens: list[str], index: int) -> bool:
    """``raw[index]`` (and the next, if initials too) are initials before a capitalised word:
    "G." in "Michael G. Schwern", "M" in "Joaquín M López"."""
    stop = index
    while stop < min(len(raw), index + 2) and _is_initials(raw[stop]):
        stop += 1
    return index < stop < len(tokens) and _is_capitalised(tokens[stop])


def _is_link(token: str) -> bool:
    return len(token) <= 3 and token.islower()


def _is_capitalised(token: str) -> bool:
    """A capitalised word, not an acronym or numeral ("NATO", "IV")."""
    return token[:1].isupper() and not token.isupper()


# Lowercase links inside names: "Hayat Tahrir al-Sham", "Abu Bakr al-Baghdadi", "bin Laden".
_NAME_PARTICLES = frozenset(word for language in languages.REGISTRY.values() for word in language.name_particles)


def _is_name_particle(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a name link: "al-Sham" (one word), or "al" before a capitalised word."""
    head, hyphen, tail = text[start:end].partition("-")
    if head not in _NAME_PARTICLES:
        return False
    if hyphen:
        return tail[:1].isupper()
    after = text[end : end + 2]
    return after[:1] == " " and after[1:2].isupper()


def _max_runs(margins: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The largest sum of consecutive ``margins`` (or 0) within each of the consecutive
    stretches of ``lengths``: Kadane's algorithm as prefix sums minus their running minimum,
    every stretch at once (each stretch shifted below the ones before, so that the running
    minimum starts afresh)."""
    padded = lengths + 1  # a zero before each stretch: its prefix sums start from its own base
    starts = np.cumsum(padded) - padded
    values = np.zeros(int(padded.sum()))
    inside = np.ones(len(values), dtype=bool)
    inside[starts] = False
    values[inside] = margins
    sums = np.cumsum(values)
    shifted = sums - np.repeat(np.arange(len(lengths)), padded) * (sums.max() - sums.min() + 1.0)
    return np.maximum.reduceat(shifted - np.minimum.accumulate(shifted), starts)


def _viterbi(rows: list[list[float]], main: int, switch_cost: float) -> list[int]:
    """Most likely language per word, paying ``switch_cost`` per change; starts and ends in ``main``.
    (Sentences with no run of words that could pay for two switches never get here: ``_score_words``.)"""
    states = len(rows[0])
    normalised = []
    for row in rows:
        top = max(row)
        log_total = top + math.log(sum(math.exp(value - top) for value in row))
        normalised.append([value - log_total for value in row])
    score = [normalised[0][state] - (0.0 if state == main else switch_cost) for state in range(states)]
    back: list[list[int]] = []
    for row in normalised[1:]:
        best_previous = max(range(states), key=score.__getitem__)
        switch = score[best_previous] - switch_cost
        pointers, new_score = [], []
        for state in range(states):
            if score[state] >= switch:
                pointers.append(state)
                new_score.append(score[state] + row[state])
            else:
                pointers.append(best_previous)
                new_score.append(switch + row[state])
        back.append(pointers)
        score = new_score
    score = [value - (0.0 if state == main else switch_cost) for state, value in enumerate(score)]
    state = max(range(states), key=score.__getitem__)
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    return path[::-1]


def _relabel_short(pieces: list[_Piece], short_words: int, phrase_confidence: float, floor: float = 0.02) -> None:
    """A short piece between two neighbours of one language, in their script, is most likely
    a detector error: it takes the neighbours' label, unless it is a confidently detected
    phrase of three letters or more, or the detector all but ruled that language out."""
    for index in range(1, len(pieces) - 1):
        piece, before, after = pieces[index], pieces[index - 1], pieces[index + 1]
        has_a_word = sum(c.isalpha() for c in piece.text) >= 3
        # evidence for its own language protects a piece that stands as a sentence of its own
        # ('"Preambolo"' between two sentences), not a word quoted in one ('Wie spricht man "pronounce" aus?')
        protected = (piece.evidenced and piece.opens_sentence) or (piece.phrase and piece.confidence >= phrase_confidence and has_a_word)
        ruled_out = bool(piece.probabilities) and piece.probabilities.get(before.lang, 0.0) < floor and has_a_word
        if (
            not protected
            and not ruled_out
            and piece.words <= short_words
            and before.lang == after.lang != piece.lang
            and before.script == piece.script == after.script
        ):
            piece.lang, piece.rule = before.lang, "short-between-neighbours"


def _merged(text: str, pieces: list[_Piece], line_start: int, line_end: int) -> list[Segment]:
    groups: list[list[_Piece]] = []
    for piece in pieces:
        if groups and groups[-1][-1].lang == piece.lang:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    line_bounds = _strip(text, line_start, line_end)
    segments = []
    for group in groups:
        start, end = group[0].start, group[-1].end
        weight = sum(piece.end - piece.start for piece in group)
        confidence = sum(piece.confidence * (piece.end - piece.start) for piece in group) / weight
        scripts = {piece.script for piece in group}
        script = scripts.pop() if len(scripts) == 1 else "Zyyy"
        kind = _kind(text, start, end, line_bounds, phrase=len(group) == 1 and group[0].phrase)
        rule = max(group, key=_length).rule  # the rule of most of its text
        segments.append(Segment(start, end, group[0].lang, script, round(confidence, 4), kind, rule))
    return segments


def _length(span: _Piece | Segment) -> int:
    return span.end - span.start


def _kind(text: str, start: int, end: int, line_bounds: tuple[int, int] | None, phrase: bool) -> str:
    if phrase:
        return "phrase"
    if line_bounds is not None and abs(start - line_bounds[0]) <= 1 and abs(end - line_bounds[1]) <= 1:
        segment_text = text[start:end]
        if len(segment_text.split()) <= 12 and not segment_text.rstrip('”’"»)').endswith((".", ",", ";")):
            return "heading"
        return "paragraph"
    return "sentence"


def segment_known_language(text: str, lang: str) -> list[Segment]:
    """Segments of a document known to be in ``lang`` (``translate --lang``): one per line,
    with no detector at all; a line without letters is ``und``."""
    script = languages.script_of(lang)
    segments = []
    for line in _LINE.finditer(text):
        bounds = _strip(text, line.start(), line.end())
        if bounds is None or not _has_content(text, *bounds):
            continue
        lettered = _has_letters(text, *bounds)
        kind = _kind(text, bounds[0], bounds[1], bounds, phrase=False)
        segments.append(
            Segment(bounds[0], bounds[1], lang, script, 1.0, kind, "forced")
            if lettered
            else Segment(bounds[0], bounds[1], languages.UNDETERMINED, "Zyyy", 1.0, kind, "no-letters")
        )
    return segments


def _letterless_in_the_document_language(text: str, per_line: list[list[Segment]]) -> list[list[Segment]]:
    """A stretch with no letters of its own once addresses are set aside (a number, a date,
    "[1]", a URL) has no language: it is written in the document around it, so it takes the
    document's main language (the most text) and joins a neighbour of that language on its
    line. A run translates nothing without letters whatever its label (``translate.run``)."""
    weight: dict[str, int] = {}
    for line in per_line:
        for segment in line:
            if segment.lang != languages.UNDETERMINED:
                weight[segment.lang] = weight.get(segment.lang, 0) + segment.end - segment.start
    if not weight:
        return per_line
    main = max(weight, key=weight.__getitem__)
    result = []
    for line in per_line:
        kept: list[Segment] = []
        for segment in line:
            if segment.lang == languages.UNDETERMINED and not langid.has_language_letters(text[segment.start : segment.end]):
                segment = replace(segment, lang=main, rule="no-letters:document")
            # (two of one language that a letterless stretch had kept apart meet here too:
            # "the. http://example.org/a?b=1. the")
            if kept and kept[-1].lang == segment.lang and "phrase" not in (kept[-1].kind, segment.kind):  # a quotation keeps its bounds
                first = kept[-1]
                if "no-letters:document" in (first.rule, segment.rule):
                    rule = segment.rule if first.rule == "no-letters:document" else first.rule
                else:
                    rule = max((first, segment), key=_length).rule
                kind = first.kind if first.kind == segment.kind else "sentence"
                kept[-1] = replace(first, end=segment.end, rule=rule, kind=kind, confidence=max(first.confidence, segment.confidence))
                continue
            kept.append(segment)
        result.append(kept)
    return result


def _has_letters_at_least(text: str, count: int) -> bool:
    """Whether ``text`` has ``count`` letters (counting stops there)."""
    return sum(1 for _ in itertools.islice(filter(str.isalpha, text), count)) >= count
