"""The translation stage: documents in, translation files and English renderings out.

A run streams. A reader thread reads and segments documents ahead (a bounded queue), while
the main thread gathers them into windows of about ``window`` sentences, translates each
window through the translator chain (memory → sentences → cache → engine, batched and sorted
per model), and writes every document of the window as soon as the window is done. Results
appear during the run, memory stays flat whatever the corpus size, and a kill keeps every
finished document (and every cached chunk).

Writing is a ``store.edit`` transaction per document: under the document's lock the run
reads the *current* file and merges its machine results into it. It fills or replaces
machine output and never touches corrections, statuses set by people, notes people wrote or
history, so a correction saved in the review app or imported during the run survives.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from workbench.core.document import Document
from workbench.core.errors import InputError, Interrupted, RunStopped, WorkbenchError
from workbench.core.limits import Limits
from workbench.core.settings import Settings
from workbench.formats.blocks import locate, segment_inline
from workbench.formats.inputs import document_id, full_document_id, iter_input_files, read_document, reading_failure
from workbench.formats.rendering import edit_rendered
from workbench.split.langid import has_language_letters
from workbench.split.segment import Segmenter, segment_known_language, signature
from workbench.store.files import (
    SOURCE,
    HistoryEntry,
    MachineTranslation,
    SegmentRecord,
    StoreError,
    TranslationFile,
    load,
    now,
    remove_stale_temporaries,
    segment_id,
    translation_path,
)
from workbench.store.memory import TranslationMemory
from workbench.store.workflow import SET_BY_PEOPLE, Status, after_machine
from workbench.translate.engine import DecodingOptions, Engine
from workbench.translate.translators import CachedTranslator, Translator, build_translator

TARGET = "en"
# Notes the workbench writes itself; a run may replace or clear them, never a person's note.
SYSTEM_NOTES = ("no model for ", "language undetermined", "model problem: ")


class Progress(Protocol):
    def start(self, total: int, description: str) -> None: ...  # total: documents

    def advance(self, count: int) -> None: ...  # documents written

    def sentences(self, count: int) -> None: ...  # sentences translated


# A window goes as soon as it holds this many sentences and the reader has nothing more
# ready, so the engine never waits for segmentation (the reader goes on while it translates).
MIN_WINDOW = 256
# Documents read and segmented ahead of the translation (and windows written behind it).
READ_AHEAD = 256


def decoding_options(settings: Settings) -> DecodingOptions:
    return DecodingOptions(beam=settings.beam, max_decoding_length=settings.max_length, length_factor=settings.length_factor)


@dataclass(frozen=True)
class _Run:
    """What one run needs, read once from the settings (``core.settings.Settings``, the one
    settings object) and the run's own arguments. Private plumbing, not a second settings
    object: nothing outside this module makes one."""

    out_dir: Path
    options: DecodingOptions
    threads: int | None
    force_lang: str | None  # every segment with letters is in this language
    cache_file: Path
    window: int  # sentences per window: documents are translated and written a window at a time
    min_window: int
    read_ahead: int
    models_dir: Path | None
    model_overrides: dict[str, str]
    device: str
    install_missing: bool  # install from the Argos index the pairs the documents need and lack
    index: str | None
    executor: str  # "local" (this process) or "ray" (actors on a Ray cluster)
    ray_address: str | None
    workers: int | None
    limits: Limits
    follow_links: bool
    keep_active_content: bool

    @classmethod
    def of(cls, settings: Settings, *, force_lang: str | None = None, install_missing: bool = False) -> _Run:
        return cls(
            out_dir=settings.translations,
            options=decoding_options(settings),
            threads=settings.threads,
            force_lang=force_lang,
            cache_file=settings.cache_file,
            window=settings.window,
            min_window=min(MIN_WINDOW, settings.window),
            read_ahead=READ_AHEAD,
            models_dir=settings.models_dir,
            model_overrides=dict(settings.models),
            device=settings.device,
            install_missing=install_missing,
            index=settings.index,
            executor=settings.executor,
            ray_address=settings.ray_address,
            workers=settings.workers,
            limits=settings.limits,
            follow_links=settings.follow_links,
            keep_active_content=settings.keep_active_content,
        )


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
    installed: list[str] = field(default_factory=list)  # models installed by --install-missing
    install_tried: set[str] = field(default_factory=set)
    index_unreachable: bool = False  # --install-missing stops trying after the first failure to reach it
    retried: int = 0  # chunks sent again because their Ray worker died
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    interrupted: bool = False  # Ctrl-C: the documents written so far stay, the next run resumes
    seconds: float = 0.0
    engine_seconds: float = 0.0


@dataclass
class _Job:
    """One document on its way: what the reader found, what the translator must do."""

    document: Document
    fresh: list[SegmentRecord] | None  # new segmentation (None: the file on disk is current)
    records: list[SegmentRecord]  # the records as planned (for deciding what to translate)
    wanted: dict[tuple[str, bool], set[str]] = field(default_factory=dict)  # (lang, use memory) → sources
    results: dict[tuple[str, str], MachineTranslation] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # lang → hint
    segments: set[tuple[str, str]] = field(default_factory=set)  # (lang, source) of segments, not inline spans
    splitter: str | None = None  # the signature of the splitter that segmented it now (None: not re-segmented)

    def inline_of(self, record: SegmentRecord) -> list[str]:
        """The texts of the segment's inline spans (links, bold phrases), translated apart."""
        return segment_inline(self.document.text, self.document.styles, record.start, record.end)

    @property
    def sentence_count(self) -> int:
        return sum(max(1, source.count(". ") + 1) for sources in self.wanted.values() for source in sources)


# -- building records -------------------------------------------------------------------


def _new_records(document: Document) -> list[SegmentRecord]:
    taken: set[str] = set()
    records = []
    for segment in document.segments:
        source = segment.text_of(document.text)
        # URLs, e-mail addresses and numbers have nothing to translate.
        if segment.lang == TARGET or not has_language_letters(source):
            status, note = SOURCE, ""
        elif segment.lang == "und":
            status, note = Status.UNTRANSLATED, "language undetermined; set the segment's language to translate it"
        else:
            status, note = Status.UNTRANSLATED, ""
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
    return bool(record.correction) or bool(record.draft) or record.status in SET_BY_PEOPLE


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
                    draft=old_record.draft,
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


def with_machine(record: SegmentRecord, machine: MachineTranslation, stamp: str) -> SegmentRecord:
    """Fill or replace a segment's machine output (the only thing a run changes).

    Corrections, statuses set by people and their notes stay; ``untranslated`` becomes
    ``machine``; replacing earlier machine output is recorded in the history.
    """
    if record.status == SOURCE or record.machine == machine:
        return record
    status = after_machine(record.status)
    history = record.history
    if record.machine is not None and record.machine.text != machine.text:
        history += (HistoryEntry(stamp, "machine", status, machine.text, record.status, record.machine.text),)
    note = "" if record.note.startswith(SYSTEM_NOTES) else record.note
    return replace(record, machine=machine, status=status, note=note, history=history)


def with_inline(machine: MachineTranslation, spans: list[str], results, lang: str) -> MachineTranslation:
    """``machine`` with the English of the segment's inline spans; flagged ``markup`` when
    one of them is not found in the segment's English (the rendering then keeps it beside)."""
    english = [results.get((lang, span)) for span in spans]
    if not spans or any(result is None for result in english):
        return machine
    inline = tuple(result.text for result in english)
    flags = machine.flags
    if locate(machine.text, list(inline)) is None and "markup" not in flags:
        flags = (*flags, "markup")
    return replace(machine, inline=inline, flags=flags)


def with_missing_note(record: SegmentRecord, hint: str) -> SegmentRecord:
    if record.machine is not None or record.status == SOURCE or (record.note and not record.note.startswith(SYSTEM_NOTES)):
        return record
    return replace(record, note=hint)


# -- the run -------------------------------------------------------------------------------


def translate_corpus(
    paths: Iterable[Path],
    settings: Settings,
    *,
    force_lang: str | None = None,
    install_missing: bool = False,
    segmenter: Segmenter | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
    translator: Translator | None = None,
) -> RunSummary:
    """Translate documents into ``settings.translations``; see the module docstring.

    ``force_lang``: the documents are in this language (no detection). ``install_missing``:
    install from the Argos index the pairs the documents need and lack (online).

    Problems with single documents (unreadable input, a broken translations file, a full
    disk) are collected in ``RunSummary.errors``; the other documents go on. Ctrl-C ends the
    run after the windows already translated are written (``RunSummary.interrupted``).
    """
    started = time.perf_counter()
    summary = RunSummary()
    settings = _Run.of(settings, force_lang=force_lang, install_missing=install_missing)
    out_dir = settings.out_dir
    remove_stale_temporaries(out_dir)
    segmenter = segmenter or Segmenter()  # its detectors load on first use: not at all with --lang
    try:
        files = iter_input_files(list(paths), follow_links=settings.follow_links, skipped=summary.warnings)
    except InputError as error:
        summary.errors.append(str(error))
        files = []
    files = unique_ids(files, out_dir)
    distributed = None
    if translator is None:
        if settings.executor == "ray":
            from workbench.translate.distributed import RayEngineTranslator

            distributed = RayEngineTranslator(
                settings.options,
                address=settings.ray_address,
                workers=settings.workers,
                device=settings.device,
                models_dir=settings.models_dir,
                overrides=settings.model_overrides,
            )
        translator = build_translator(
            settings.cache_file,
            options=settings.options,
            threads=settings.threads,
            engine=engine,
            memory=TranslationMemory.from_folder(out_dir),
            models_dir=settings.models_dir,
            overrides=settings.model_overrides,
            device=settings.device,
            routed=distributed,
        )
    if progress is not None:
        progress.start(len(files), "translating")

    jobs: queue.Queue = queue.Queue(maxsize=max(1, settings.read_ahead))
    stop = threading.Event()
    reader = threading.Thread(target=_read_ahead, args=(files, settings, segmenter, jobs, stop), name="workbench-reader", daemon=True)
    reader.start()
    # Finished windows are written on their own thread, so the engine goes on with the next
    # window instead of waiting for every document's fsyncs (measured: 10-20 s of 180 s).
    written: queue.Queue = queue.Queue(maxsize=4)
    writer_failure: list[BaseException] = []
    writer = threading.Thread(
        target=_write_behind, args=(written, settings, summary, progress, writer_failure), name="workbench-writer", daemon=True
    )
    writer.start()
    window: list[_Job] = []
    window_sentences = 0
    try:
        while True:
            item = jobs.get()
            if item is None:
                break
            if progress is not None and hasattr(progress, "read"):
                progress.read(1)
            if isinstance(item, str):  # a document that could not be read: counted, and named
                summary.documents += 1
                summary.errors.append(item)
                _advance(progress, 1)
                continue
            summary.documents += 1
            job = item
            _plan(job, translator, summary, settings)
            if not job.wanted:
                _put(written, [job], writer_failure)
                continue
            window.append(job)
            window_sentences += job.sentence_count
            if window_sentences >= settings.window or (window_sentences >= settings.min_window and jobs.empty()):
                _put(written, _flush(window, translator, settings, summary, progress), writer_failure)
                window, window_sentences = [], 0
        if window:
            _put(written, _flush(window, translator, settings, summary, progress), writer_failure)
    except RunStopped as error:  # e.g. the Ray cluster lost its workers: one line, and stop
        summary.errors.append(f"{error}; the documents written are kept whole: run the same command again to resume")
    except (KeyboardInterrupt, Interrupted):
        # The window in progress is dropped, not half-written: every document is written
        # whole or not at all, and the next run picks up the rest (the cache keeps its chunks).
        summary.interrupted = True
    finally:
        written.put(None)
        writer.join()
        stop.set()
        while reader.is_alive():  # unblock a reader waiting on a full queue
            try:
                jobs.get_nowait()
            except queue.Empty:
                reader.join(0.05)
        if distributed is not None:  # a cluster this run started stops with it, even on failure
            distributed.close()
    for layer in _layers(translator):  # the cache layer counts hits and misses, Ray's layer retries
        if isinstance(layer, CachedTranslator):
            summary.from_cache, summary.from_engine = layer.hits, layer.misses
            if layer.disabled:
                summary.warnings.append(layer.disabled)
        summary.retried += getattr(layer, "retried", 0)
    if writer_failure:
        raise writer_failure[0]
    summary.sentences = summary.from_cache + summary.from_engine
    summary.seconds = time.perf_counter() - started
    return summary


def _layers(translator: Translator):
    """The translator and every layer it wraps (``inner``), outermost first."""
    layer = translator
    while layer is not None:
        yield layer
        layer = getattr(layer, "inner", None)


def _advance(progress: Progress | None, documents: int) -> None:
    if progress is not None:
        progress.advance(documents)


def _put(written: queue.Queue, window: list, failure: list) -> None:
    if failure:  # the writer stopped on an unexpected error: stop translating too
        raise failure[0]
    written.put(window)


def _write_behind(written: queue.Queue, settings: _Run, summary: RunSummary, progress, failure: list) -> None:
    """The writer thread: write each finished window, in order."""
    while True:
        window = written.get()
        if window is None:
            return
        if failure:
            continue  # drain, so the translating thread is never blocked
        try:
            _write(window, settings, summary, progress)
        except BaseException as error:  # re-raised by translate_corpus
            failure.append(error)


def _read_ahead(files, settings: _Run, segmenter: Segmenter, jobs: queue.Queue, stop: threading.Event) -> None:
    """The reader thread: read, decode and segment each document; put jobs (or error lines).

    Whatever goes wrong with one file (a parser's RecursionError, a full disk while reading a
    translations file) is that file's error line: the thread never dies with files unread."""
    try:
        for file, root, doc_id in files:
            if stop.is_set():
                return
            try:
                job = _prepare(read_document(file, root=root, doc_id=doc_id, limits=settings.limits), settings, segmenter)
            except StoreError as error:  # its translations file: named in the message
                job = f"{error} (left untouched; fix or move it, then re-run)"
            except Exception as error:
                job = reading_failure(file, error)
            jobs.put(job)
    finally:
        jobs.put(None)


def unique_ids(files: list[tuple[Path, Path | None]], out_dir: Path) -> list[tuple[Path, Path | None, str]]:
    """``(file, root, document id)`` for each input, every id unique and stable.

    The id is the path without its suffix (``report``) unless another input shares it
    (``report.txt`` and ``report.csv``): then the suffix is part of it (``report.csv``), so two
    files never write one translations file. A translations file already made for a file
    keeps its id: the file it records is the one that keeps ``report``, and a file that once
    had a twin keeps ``report.csv``, so corrections stay where they are."""
    short = [document_id(file, root) for file, root in files]
    counts: dict[str, int] = {}
    for doc_id in short:
        counts[doc_id] = counts.get(doc_id, 0) + 1
    result = []
    for (file, root), doc_id in zip(files, short):
        full = full_document_id(file, root)
        if full != doc_id and _needs_full_id(out_dir, file, doc_id, full, shared=counts[doc_id] > 1):
            doc_id = full
        result.append((file, root, doc_id))
    return result


def _needs_full_id(out_dir: Path, file: Path, short: str, full: str, *, shared: bool) -> bool:
    if _recorded_for(out_dir, short, file):
        return False  # its translations file has the short id: keep it
    return shared or _recorded_for(out_dir, full, file)


def _recorded_for(out_dir: Path, doc_id: str, file: Path) -> bool:
    """Whether ``doc_id``'s translations file was made from ``file`` (same name: files that
    share an id differ in their suffix)."""
    try:
        path = translation_path(out_dir, doc_id)
        return path.is_file() and Path(load(path).path).name == file.name
    except (StoreError, OSError):
        return False


def _prepare(document: Document, settings: _Run, segmenter: Segmenter) -> _Job:
    json_path = translation_path(settings.out_dir, document.id)
    existing = load(json_path) if json_path.exists() else None
    if existing is not None and existing.sha256 == document.sha256 and _slices_back(existing, document.text):
        return _Job(document, None, list(existing.segments))
    if settings.force_lang:
        segmented = segment_known_language(document.text, settings.force_lang)
        splitter = signature(forced=settings.force_lang)
    else:
        segmented = segmenter.segment(document.text)
        config = getattr(segmenter, "config", None)  # a segmenter of the caller's own says only its name
        splitter = signature(config) if config is not None else f"custom:{type(segmenter).__name__}"
    document = document.with_segments(segmented)
    fresh = _new_records(document)
    records = carry_over(existing, fresh)[0] if existing is not None else fresh
    return _Job(document, fresh, records, splitter=splitter)


def _slices_back(existing: TranslationFile, text: str) -> bool:
    """Whether the file's offsets still slice the document's text as it is read now (a
    reader that changed what it reads makes the file stale even for the same bytes)."""
    return all(text[record.start : record.end] == record.source for record in existing.segments)


def _plan(job: _Job, translator: Translator, summary: RunSummary, settings: _Run) -> None:
    """Which segments need a machine translation, and which languages have no model."""
    for record in job.records:
        summary.segments += 1
        if record.status == SOURCE or record.lang == "und":
            continue
        summary.to_translate += 1
        use_memory = not record.correction
        route = translator.expected(record.lang, record.source, use_memory=use_memory)
        if route is None and settings.install_missing and _install_missing(record.lang, translator, summary, settings):
            route = translator.expected(record.lang, record.source, use_memory=use_memory)
        if route is None:
            pair = f"{record.lang}→{TARGET}"
            summary.missing[pair] = summary.missing.get(pair, 0) + 1
            job.missing[record.lang] = translator.missing_hint(record.lang)
            continue
        machine = record.machine
        spans = job.inline_of(record)
        if machine is not None and machine.model == route.model and machine.options == route.options and len(machine.inline) == len(spans):
            continue
        job.wanted.setdefault((record.lang, use_memory), set()).update([record.source, *spans])
        job.segments.add((record.lang, record.source))


def _install_missing(lang: str, translator: Translator, summary: RunSummary, settings: _Run) -> bool:
    """Install the Argos package for ``lang`` from the index, once per run; True if it did."""
    from workbench.translate import models as model_store

    if lang in summary.install_tried or summary.index_unreachable:
        return False
    summary.install_tried.add(lang)
    try:
        model = model_store.install_from_index(lang, TARGET, settings.index, settings.models_dir)
    except model_store.IndexUnreachable as error:  # offline: said once, not once per language
        summary.index_unreachable = True
        summary.errors.append(f"--install-missing: {error}")
        return False
    except WorkbenchError as error:
        summary.errors.append(f"--install-missing: {error}")
        return False
    summary.installed.append(f"{model.pair} {model.version} ({model.name})")
    for layer in _layers(translator):  # the routing layer lists installed models again
        if hasattr(layer, "refresh"):
            layer.refresh()
    return True


def _flush(window: list[_Job], translator: Translator, settings: _Run, summary: RunSummary, progress=None) -> list[_Job]:
    """Translate a window's segments (each distinct one once); returns the window, to write."""
    wanted: dict[tuple[str, bool], set[str]] = {}
    for job in window:
        for key, sources in job.wanted.items():
            wanted.setdefault(key, set()).update(sources)
    started = time.perf_counter()
    on_chunk = progress.sentences if progress is not None else None
    results: dict[tuple[str, bool], dict[str, MachineTranslation]] = {}
    broken: dict[str, str] = {}
    for (lang, use_memory), sources in sorted(wanted.items()):
        try:
            results[(lang, use_memory)] = translator.translate(lang, sorted(sources), use_memory=use_memory, on_chunk=on_chunk)
        except WorkbenchError as error:  # a broken model: report it, go on with the other languages
            if isinstance(error, RunStopped):  # no worker left for any language: the run ends
                raise
            results[(lang, use_memory)] = {}
            if lang not in broken:
                broken[lang] = f"model problem: the {lang}→{TARGET} model cannot be used: {error}"
                summary.errors.append(broken[lang])
    summary.engine_seconds += time.perf_counter() - started
    for job in window:
        for lang, problem in broken.items():
            if any(key[0] == lang for key in job.wanted):
                job.missing[lang] = problem
        for (lang, use_memory), sources in job.wanted.items():
            found = results[(lang, use_memory)]
            for source in sources:
                if source in found:
                    job.results[(lang, source)] = found[source]
    return window


def _write(window: list[_Job], settings: _Run, summary: RunSummary, progress) -> None:
    for job in window:
        summary.warnings.extend(job.document.warnings)
        report: list[str] = []
        try:
            written = edit_rendered(
                settings.out_dir,
                job.document.id,
                lambda current, job=job, report=report: _merged(current, job, report),
                text=job.document.text,
                keep_active_content=settings.keep_active_content,
            )
        except StoreError as error:
            summary.errors.append(f"{error} (left untouched; fix or move it, then re-run)")
            _advance(progress, 1)
            continue
        except OSError as error:
            path = translation_path(settings.out_dir, job.document.id)
            summary.errors.append(f"{path}: cannot be written ({error.strerror or error}); the file on disk is unchanged")
            _advance(progress, 1)
            continue
        summary.invalidated.extend(report)
        summary.written += 1
        for record in written.segments if written is not None else ():
            if record.machine is not None and record.machine.flags:
                summary.flagged += 1
        segments = [result for key, result in job.results.items() if key in job.segments]  # inline spans not counted
        summary.translated += sum(1 for result in segments if result.origin == "engine")
        summary.from_memory += sum(1 for result in segments if result.origin == "memory")
        _advance(progress, 1)


def _merged(current: TranslationFile | None, job: _Job, report: list[str]) -> TranslationFile:
    """The current file with this run's results merged in (inside the document's lock)."""
    document = job.document
    orphans: list[SegmentRecord] = []
    if current is not None and current.sha256 == document.sha256:
        records, orphans = list(current.segments), list(current.orphans)
    elif current is not None:
        records, orphans, lines = carry_over(current, job.fresh if job.fresh is not None else job.records)
        report.extend(lines)
    else:
        records = list(job.fresh if job.fresh is not None else job.records)
    stamp = now()
    merged = []
    for record in records:
        result = job.results.get((record.lang, record.source))
        if result is not None:
            record = with_machine(record, with_inline(result, job.inline_of(record), job.results, record.lang), stamp)
        elif record.lang in job.missing:
            record = with_missing_note(record, job.missing[record.lang])
        merged.append(record)
    base = current if current is not None else TranslationFile(document.id, document.path, document.sha256, document.encoding, ())
    return replace(
        base,
        document_id=document.id,
        path=document.path,
        sha256=document.sha256,
        encoding=document.encoding,
        encoding_confidence=document.encoding_confidence,
        decoding_warnings=document.warnings,
        format=document.format,
        segments=tuple(merged),
        orphans=tuple(orphans),
        # Which splitter made these segments (sacrebleu-style): kept until it splits them again.
        extra={**base.extra, "splitter": job.splitter} if job.splitter else base.extra,
    )
