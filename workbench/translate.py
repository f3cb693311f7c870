"""The translation stage: documents in, translation files and English renderings out.

One run: segment every document, gather every sentence that needs a machine translation
across the whole run, look each up in the cache, translate the rest in one sorted, batched
pass per model (committing each chunk to the cache), then write each document's files
atomically. A run killed at any moment re-runs to the same result: the cache keeps what was
done, and no file is ever half-written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from . import languages
from . import models as model_store
from .cache import TranslationCache
from .document import Document, iter_input_files, read_document
from .engine import DecodingOptions, Engine, SentenceTranslation
from .errors import InputError, WorkbenchError
from .langid import detection_text
from .memory import TranslationMemory, from_memory
from .segment import Segmenter, split_sentences, with_language
from .store import (
    SOURCE,
    HistoryEntry,
    MachineTranslation,
    SegmentRecord,
    StoreError,
    TranslationFile,
    load,
    now,
    remove_stale_temporaries,
    save,
    segment_id,
    translation_path,
)

TARGET = "en"
HUMAN_STATUSES = frozenset({"edited", "reviewed", "approved", "rejected"})


class Progress(Protocol):
    def start(self, total: int, description: str) -> None: ...

    def advance(self, count: int) -> None: ...


@dataclass(frozen=True)
class TranslateSettings:
    out_dir: Path = Path("translations")
    options: DecodingOptions = field(default_factory=DecodingOptions)
    threads: int | None = None
    force_lang: str | None = None  # every segment with letters is in this language
    cache_path: Path | None = None  # default: <out_dir>/.cache/mt.sqlite3

    @property
    def cache_file(self) -> Path:
        return self.cache_path or self.out_dir / ".cache" / "mt.sqlite3"


@dataclass
class RunSummary:
    documents: int = 0
    written: int = 0
    segments: int = 0
    to_translate: int = 0
    translated: int = 0
    sentences: int = 0
    from_cache: int = 0
    from_engine: int = 0
    from_memory: int = 0  # segments filled from reviewed translations
    flagged: int = 0
    missing: dict[str, int] = field(default_factory=dict)  # "hy→en" → segments left untranslated
    invalidated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    engine_seconds: float = 0.0


@dataclass
class _Job:
    document: Document
    records: list[SegmentRecord]
    orphans: list[SegmentRecord]


# -- building records -------------------------------------------------------------------


def _new_records(document: Document) -> list[SegmentRecord]:
    taken: set[str] = set()
    records = []
    for segment in document.segments:
        source = segment.text_of(document.text)
        # URLs, e-mail addresses and numbers have nothing to translate.
        has_letters = any(char.isalpha() for char in detection_text(source))
        if segment.lang == TARGET or not has_letters:
            status, note = SOURCE, ""
        elif segment.lang == "und":
            status, note = "untranslated", "language undetermined; set the segment's language to translate it"
        else:
            status, note = "untranslated", ""
        records.append(
            SegmentRecord(
                id=segment_id(source, segment.lang, taken),
                start=segment.start,
                end=segment.end,
                lang=segment.lang,
                kind=segment.kind,
                source=source,
                status=status,
                note=note,
            )
        )
    return records


def _has_human_work(record: SegmentRecord) -> bool:
    return bool(record.correction) or record.status in HUMAN_STATUSES


def carry_over(old: TranslationFile, new_records: list[SegmentRecord]) -> tuple[list[SegmentRecord], list[SegmentRecord], list[str]]:
    """Keep human work across a change of the source file.

    A corrected or reviewed segment whose (language, source text) still exists keeps its
    correction, status and history at its new offsets. One that no longer exists moves to
    the orphans, with a note: nothing is dropped. Returns (records, orphans, report lines).
    """
    available: dict[tuple[str, str], list[SegmentRecord]] = {}
    for record in old.segments:
        available.setdefault((record.lang, record.source), []).append(record)
    records = []
    for record in new_records:
        previous = available.get((record.lang, record.source))
        if previous:
            old_record = previous.pop(0)
            records.append(
                replace(
                    record,
                    id=old_record.id,
                    machine=old_record.machine,
                    correction=old_record.correction,
                    status=old_record.status,
                    note=old_record.note,
                    revision=old_record.revision,
                    history=old_record.history,
                )
            )
        else:
            records.append(record)
    orphans = list(old.orphans)
    report = []
    for leftovers in available.values():
        for record in leftovers:
            if _has_human_work(record):
                note = f"source changed: this {record.status} segment no longer appears in {old.path}"
                orphans.append(replace(record, note=note))
                report.append(
                    f"{old.document_id}: segment {record.id} ({record.lang}, {record.status}) invalidated: its source text changed"
                )
    return records, orphans, report


# -- the run -------------------------------------------------------------------------------


def _documents(paths: Iterable[Path], summary: RunSummary):
    try:
        files = iter_input_files(list(paths))
    except InputError as error:
        summary.errors.append(str(error))
        return
    for file, root in files:
        try:
            yield read_document(file, root=root)
        except InputError as error:
            summary.errors.append(str(error))


def _sentences_of(record: SegmentRecord) -> list[tuple[int, int]]:
    return split_sentences(record.source, 0, len(record.source), languages.script_of(record.lang))


def _joined(
    record: SegmentRecord, spans: list[tuple[int, int]], results: dict[str, SentenceTranslation], model_id: str, options: dict
) -> MachineTranslation:
    parts, weights, confidences, scores, flags = [], [], [], [], []
    cursor = 0
    for start, end in spans:
        sentence = record.source[start:end]
        result = results[sentence]
        parts.append(record.source[cursor:start] if cursor else "")
        parts.append(result.text)
        cursor = end
        weights.append(max(1, end - start))
        confidences.append(result.confidence)
        scores.append(result.score)
        flags.extend(flag for flag in result.flags if flag not in flags)
    total = sum(weights)
    return MachineTranslation(
        text="".join(parts),
        model=model_id,
        options=options,
        score=round(sum(s * w for s, w in zip(scores, weights)) / total, 6),
        confidence=round(sum(c * w for c, w in zip(confidences, weights)) / total, 6),
        flags=tuple(flags),
    )


def translate_corpus(
    paths: Iterable[Path],
    settings: TranslateSettings,
    segmenter: Segmenter | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Translate documents into ``settings.out_dir``; see the module docstring."""
    started = time.perf_counter()
    summary = RunSummary()
    out_dir = settings.out_dir
    remove_stale_temporaries(out_dir)
    segmenter = segmenter or Segmenter()
    options = settings.options.as_dict()

    jobs: list[_Job] = []
    for document in _documents(paths, summary):
        summary.documents += 1
        existing = None
        json_path = translation_path(out_dir, document.id)
        if json_path.exists():
            try:
                existing = load(json_path)
            except StoreError as error:
                summary.errors.append(f"{error} (left untouched; fix or move it, then re-run)")
                continue
        if existing is not None and existing.sha256 == document.sha256:
            jobs.append(_Job(document, list(existing.segments), list(existing.orphans)))
            continue
        segmented = segmenter.segment(document.text)
        if settings.force_lang:
            segmented = with_language(document.text, segmented, settings.force_lang)
        document = document.with_segments(segmented)
        records = _new_records(document)
        orphans: list[SegmentRecord] = []
        if existing is not None:
            records, orphans, report = carry_over(existing, records)
            summary.invalidated.extend(report)
        jobs.append(_Job(document, records, orphans))

    # Reviewed translations first (memory), then which model each record needs.
    memory = TranslationMemory.from_folder(out_dir)
    model_for: dict[str, model_store.InstalledModel | None] = {}
    wanted: dict[str, list[tuple[_Job, int, list[tuple[int, int]]]]] = {}
    for job in jobs:
        for index, record in enumerate(job.records):
            summary.segments += 1
            if record.status == SOURCE or record.lang == "und":
                continue
            summary.to_translate += 1
            if not record.correction and len(memory):
                entry = memory.exact(record.lang, record.source)
                if entry is not None and not (entry.document_id == job.document.id and entry.segment_id == record.id):
                    if record.machine is None or record.machine.model != entry.provenance:
                        job.records[index] = from_memory(record, entry)
                        summary.from_memory += 1
                    continue
            if record.lang not in model_for:
                model_for[record.lang] = model_store.find_model(record.lang, TARGET)
            model = model_for[record.lang]
            if model is None:
                pair = f"{record.lang}→{TARGET}"
                summary.missing[pair] = summary.missing.get(pair, 0) + 1
                if not record.machine:
                    job.records[index] = replace(record, note=model_store.install_hint(record.lang, TARGET))
                continue
            if record.machine is not None and record.machine.model == model.model_id and record.machine.options == options:
                continue
            wanted.setdefault(model.model_id, []).append((job, index, _sentences_of(record)))

    if wanted:
        _translate_wanted(wanted, model_for, settings, options, engine, progress, summary)

    for job in jobs:
        for record in job.records:
            if record.machine is not None and record.machine.flags:
                summary.flagged += 1
        translation = TranslationFile(
            document_id=job.document.id,
            path=job.document.path,
            sha256=job.document.sha256,
            encoding=job.document.encoding,
            segments=tuple(job.records),
            orphans=tuple(job.orphans),
        )
        try:
            save(out_dir, translation, job.document.text)
            summary.written += 1
        except (OSError, WorkbenchError) as error:
            summary.errors.append(f"{translation_path(out_dir, job.document.id)}: cannot be written: {error}")
    summary.seconds = time.perf_counter() - started
    return summary


def _translate_wanted(wanted, model_for, settings, options, engine, progress, summary) -> None:
    engine = engine or Engine(settings.threads)
    cache = TranslationCache(settings.cache_file)
    by_id = {model.model_id: model for model in model_for.values() if model is not None}
    try:
        results_by_model: dict[str, dict[str, SentenceTranslation]] = {}
        pending: dict[str, list[str]] = {}
        for model_id, items in wanted.items():
            sentences = sorted({job.records[index].source[a:b] for job, index, spans in items for a, b in spans})
            summary.sentences += len(sentences)
            cached = cache.get_many(model_id, options, sentences)
            summary.from_cache += len(cached)
            results_by_model[model_id] = cached
            pending[model_id] = [sentence for sentence in sentences if sentence not in cached]
        total = sum(len(sentences) for sentences in pending.values())
        if progress is not None:
            progress.start(total, "translating")
        engine_started = time.perf_counter()
        for model_id, sentences in pending.items():
            if not sentences:
                continue
            for chunk in engine.translate_chunks(by_id[model_id], sentences, settings.options):
                cache.put_many(model_id, options, chunk)
                results_by_model[model_id].update(chunk)
                summary.from_engine += len(chunk)
                if progress is not None:
                    progress.advance(len(chunk))
        summary.engine_seconds = time.perf_counter() - engine_started
    finally:
        cache.close()
    stamp = now()
    for model_id, items in wanted.items():
        results = results_by_model[model_id]
        for job, index, spans in items:
            record = job.records[index]
            machine = _joined(record, spans, results, model_id, options)
            status = "machine" if record.status == "untranslated" else record.status
            history = record.history
            if record.machine is not None and record.machine.text != machine.text and _has_human_work(record):
                history += (HistoryEntry(stamp, "machine-updated", status, record.correction, record.status, record.correction),)
            job.records[index] = replace(record, machine=machine, status=status, note="", history=history)
            summary.translated += 1


class RecordTranslator:
    """Translate one segment record at a time (the review app's re-translate), through the
    same cache and engine as a run. Missing models leave a note, as in a run."""

    def __init__(self, settings: TranslateSettings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or Engine(settings.threads)

    def __call__(self, record: SegmentRecord) -> SegmentRecord:
        if record.status == SOURCE or record.lang == "und":
            return record
        model = model_store.find_model(record.lang, TARGET)
        if model is None:
            return replace(record, machine=None, note=model_store.install_hint(record.lang, TARGET))
        options = self.settings.options.as_dict()
        spans = _sentences_of(record)
        sentences = [record.source[a:b] for a, b in spans]
        cache = TranslationCache(self.settings.cache_file)
        try:
            results = cache.get_many(model.model_id, options, sentences)
            missing = [s for s in sentences if s not in results]
            if missing:
                fresh = self.engine.translate(model, missing, self.settings.options)
                cache.put_many(model.model_id, options, fresh)
                results.update(fresh)
        finally:
            cache.close()
        machine = _joined(record, spans, results, model.model_id, options)
        status = "machine" if record.status == "untranslated" else record.status
        return replace(record, machine=machine, status=status, note="")
