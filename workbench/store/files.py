"""Translation files under ``translations/``: one JSON file per document, plus its English rendering.

The files are for people as much as for programs: UTF-8, indented, stable key order, one
segment after another, so a diff shows what changed. Every write is atomic (a temporary
file in the same folder, fsync, ``os.replace``); a correction is never dropped: when the
source changes under it, it moves to ``orphans`` with its history.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.store.workflow import Status, shown_text

FORMAT = "translation-workbench/1"
SOURCE = Status.SOURCE


class StoreError(WorkbenchError):
    """A translations file that cannot be read; it is left untouched."""


@dataclass(frozen=True)
class MachineTranslation:
    text: str
    model: str  # "argos:ar-en@1.0"
    options: dict
    score: float
    confidence: float
    flags: tuple[str, ...] = ()
    origin: str = "engine"  # "engine" or "memory"
    # The English of the segment's inline spans (a link's text, a bold phrase: formats.blocks),
    # each translated apart, so a rendering can put the formatting back on the right words.
    inline: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryEntry:
    time: str
    action: str
    status: str
    text: str
    previous_status: str
    previous_text: str


@dataclass(frozen=True)
class SegmentRecord:
    """One segment: its source, machine output with provenance, correction and review state."""

    id: str
    start: int
    end: int
    lang: str
    kind: str
    source: str
    machine: MachineTranslation | None = None
    correction: str = ""
    status: str = "untranslated"
    note: str = ""
    # Bumped by every change a person makes (app, import, align); machine output filled by a
    # run does not bump it. Concurrent editors compare it.
    revision: int = 0
    history: tuple[HistoryEntry, ...] = ()
    # Text a reviewer typed and has not saved yet: kept across documents, pages and browser
    # reloads. It changes no status, no revision and no rendering.
    draft: str = ""

    def best_text(self) -> str:
        """What the English rendering shows: correction, else machine output, else the source."""
        if self.status == SOURCE:
            return self.source
        return shown_text(self) or self.source


@dataclass(frozen=True)
class TranslationFile:
    document_id: str
    path: str
    sha256: str
    encoding: str
    segments: tuple[SegmentRecord, ...]
    orphans: tuple[SegmentRecord, ...] = ()
    updated: str = ""
    extra: dict = field(default_factory=dict, compare=False)
    # How sure the decoder was of ``encoding`` (1.0 for UTF-8), and what it had to say.
    encoding_confidence: float = 1.0
    decoding_warnings: tuple[str, ...] = ()
    format: str = "text"  # the source's format: html, docx, odt, pdf, markdown, srt, vtt (workbench.formats.readers)


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def segment_id(source: str, lang: str, taken: set[str]) -> str:
    """Content-derived, so a segment keeps its id when the text around it changes."""
    base = "s" + hashlib.sha1(f"{lang}\x00{source}".encode()).hexdigest()[:10]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


# -- paths --------------------------------------------------------------------------------


def safe_relative(doc_id: str) -> Path:
    relative = Path(doc_id)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise StoreError(f"document id {doc_id!r} would reach outside the translations folder")
    return relative


def inside(folder: Path, relative: str) -> Path:
    """``folder / relative``, refused (StoreError) when it would lead outside ``folder``: a
    name read from a file (a document id, a language code) never chooses where to write."""
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder.resolve()) or target == folder.resolve():
        raise StoreError(f"{relative!r} would be written outside {folder}; refused")
    return folder / relative


def translation_path(out_dir: Path, doc_id: str) -> Path:
    return out_dir / safe_relative(doc_id).parent / (safe_relative(doc_id).name + ".json")


def rendering_path(out_dir: Path, doc_id: str) -> Path:
    return out_dir / safe_relative(doc_id).parent / (safe_relative(doc_id).name + ".en.txt")


# -- (de)serialisation ---------------------------------------------------------------------


def _record_to_json(record: SegmentRecord) -> dict:
    data = {
        "id": record.id,
        "start": record.start,
        "end": record.end,
        "lang": record.lang,
        "kind": record.kind,
        "status": record.status,
        "source": record.source,
        "machine": None,
        "correction": record.correction,
        "note": record.note,
        "revision": record.revision,
        "history": [_history_to_json(entry) for entry in record.history],
    }
    if record.draft:
        data["draft"] = record.draft
    if record.machine is not None:
        machine = record.machine
        data["machine"] = {
            "text": machine.text,
            "model": machine.model,
            "options": machine.options,
            "score": machine.score,
            "confidence": machine.confidence,
            "flags": list(machine.flags),
            "origin": machine.origin,
        }
        if machine.inline:
            data["machine"]["inline"] = list(machine.inline)
    return data


def _history_to_json(entry: HistoryEntry) -> dict:
    # Spelled out rather than dataclasses.asdict, whose deep copy was a third of a save.
    return {
        "time": entry.time,
        "action": entry.action,
        "status": entry.status,
        "text": entry.text,
        "previous_status": entry.previous_status,
        "previous_text": entry.previous_text,
    }


def dumps(translation: TranslationFile) -> str:
    document = {
        "id": translation.document_id,
        "path": translation.path,
        "sha256": translation.sha256,
        "encoding": translation.encoding,
    }
    if translation.format != "text":
        document["format"] = translation.format
    if translation.encoding_confidence < 1.0 or translation.decoding_warnings:
        document["encoding_confidence"] = translation.encoding_confidence
        document["decoding_warnings"] = list(translation.decoding_warnings)
    data = {
        "format": FORMAT,
        "document": document,
        "updated": translation.updated,
        "segments": [_record_to_json(record) for record in translation.segments],
        "orphans": [_record_to_json(record) for record in translation.orphans],
    }
    data.update(translation.extra)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _record_from_json(data: dict) -> SegmentRecord:
    machine = data.get("machine")
    return SegmentRecord(
        id=str(data["id"]),
        start=int(data["start"]),
        end=int(data["end"]),
        lang=str(data["lang"]),
        kind=str(data["kind"]),
        source=str(data["source"]),
        machine=None
        if machine is None
        else MachineTranslation(
            text=str(machine["text"]),
            model=str(machine["model"]),
            options=dict(machine.get("options", {})),
            score=float(machine.get("score", 0.0)),
            confidence=float(machine.get("confidence", 0.0)),
            flags=tuple(machine.get("flags", ())),
            origin=str(machine.get("origin", "engine")),
            inline=tuple(str(text) for text in machine.get("inline", ())),
        ),
        correction=str(data.get("correction", "")),
        status=_status(data.get("status", "untranslated")),
        note=str(data.get("note", "")),
        revision=int(data.get("revision", 0)),
        history=tuple(HistoryEntry(**entry) for entry in data.get("history", ())),
        draft=str(data.get("draft", "")),
    )


def _status(value) -> str:
    try:
        return Status(value)
    except ValueError:
        return str(value)  # reported by loads, naming the segment


def loads(text: str, name: str = "<translations>") -> TranslationFile:
    """Parse a translations file. Raises StoreError with the file, line and problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise StoreError(f"{name}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f'{name}: not a translation-workbench file (expected "format": "{FORMAT}")')
    try:
        document = data["document"]
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise TypeError('"document" must be an object with an "id" text')
        segments = tuple(_record_from_json(item) for item in data["segments"])
        orphans = tuple(_record_from_json(item) for item in data.get("orphans", ()))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise StoreError(f"{name}: a segment or the document header is malformed ({type(error).__name__}: {error})") from None
    for record in segments + orphans:
        if record.status not in Status.__members__.values():
            raise StoreError(f"{name}: segment {record.id} has an unknown status {record.status!r}")
    known = {"format", "document", "updated", "segments", "orphans"}
    return TranslationFile(
        document_id=str(document["id"]),
        path=str(document.get("path", "")),
        sha256=str(document.get("sha256", "")),
        encoding=str(document.get("encoding", "utf-8")),
        segments=segments,
        orphans=orphans,
        updated=str(data.get("updated", "")),
        extra={key: value for key, value in data.items() if key not in known},
        encoding_confidence=float(document.get("encoding_confidence", 1.0)),
        decoding_warnings=tuple(str(w) for w in document.get("decoding_warnings", ())),
        format=str(document.get("format", "text")),
    )


def load(path: Path) -> TranslationFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise StoreError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot be read: {error.strerror or error}") from None
    return loads(text, str(path))


# Temporary files carry their writer's host and process id, so a cleanup removes only those
# whose writer is gone; never another writer's file in flight.
_HOST = socket.gethostname().split(".")[0][:20] or "host"
STALE_AFTER = 24 * 3600  # seconds; a temporary file this old is stale whoever wrote it


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write ``text`` so that ``path`` holds either the old or the new content, never half.

    Raises OSError (a full disk, a read-only folder); the old file is then untouched and no
    temporary file is left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{_HOST}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _writer_alive(name: str) -> bool | None:
    """Whether the writer named in a temporary file's name still runs (None: unknown)."""
    try:
        writer = name.rsplit(".", 2)[-2]
        host, pid, _ = writer.rsplit("-", 2)
        pid_number = int(pid)
    except (IndexError, ValueError):
        return None
    if host != _HOST:
        return None
    try:
        os.kill(pid_number, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder: Path) -> int:
    """Remove temporary files left by killed writers; they are never the data.

    Only files whose writer process is gone (on this host), or older than a day, are removed:
    a file another writer is about to ``os.replace`` stays.
    """
    removed = 0
    if not folder.is_dir():
        return 0
    now_seconds = time.time()
    for leftover in folder.rglob(".*.tmp"):
        try:
            age = now_seconds - leftover.stat().st_mtime
        except OSError:
            continue
        alive = _writer_alive(leftover.name)
        if alive is False or age > STALE_AFTER:
            try:
                leftover.unlink(missing_ok=True)
            except OSError:  # a read-only folder: the leftover is harmless, only untidy
                continue
            removed += 1
    return removed


def document_ids(folder: Path) -> list[str]:
    """Ids of the translations files in ``folder`` (hidden folders such as .cache skipped)."""
    if not folder.is_dir():
        return []
    ids = []
    for path in sorted(folder.rglob("*.json")):
        relative = path.relative_to(folder)
        if not any(part.startswith(".") for part in relative.parts):
            ids.append(relative.with_suffix("").as_posix())
    return ids


def load_for_reading(path: Path) -> TranslationFile:
    """``load`` for views (document lists, progress, the memory, search): a file not written
    since it was last read is not parsed again. Never for a change: ``edit`` reads afresh
    under the lock, so a view that is a moment behind can never be written back."""
    try:
        status = path.stat()
    except OSError:
        return load(path)  # raises the StoreError that names the problem
    # Every write replaces the file (a new inode), so the stamp changes with each one.
    return _load_stamped(path, (status.st_ino, status.st_mtime_ns, status.st_size))


@functools.lru_cache(maxsize=64)
def _load_stamped(path: Path, stamp: tuple[int, int, int]) -> TranslationFile:
    return load(path)


def readable_files(folder: Path):
    """Yield ``(doc_id, TranslationFile)`` for every readable translations file; broken ones
    are skipped here (the review app reports them)."""
    for doc_id in document_ids(folder):
        try:
            yield doc_id, load_for_reading(translation_path(folder, doc_id))
        except StoreError:
            continue


def workbench_folder(out_dir: Path) -> Path:
    """``<translations>/.cache``: the workbench's own files (locks, the MT cache), kept out of
    sight. Its ``.gitignore`` keeps them out of a translations folder kept under git."""
    folder = out_dir / ".cache"
    ignore = folder / ".gitignore"
    if not ignore.exists():
        folder.mkdir(parents=True, exist_ok=True)
        ignore.write_text("# The workbench's locks and caches: nothing to keep.\n*\n", encoding="utf-8")
    return folder


@contextmanager
def locked(out_dir: Path, doc_id: str) -> Iterator[None]:
    """Hold a document's lock across processes and threads. Lock files live in
    ``.cache/locks/`` (one per document, never in the way: removing a lock file another
    process may hold would break the lock, so they stay there)."""
    lock_path = workbench_folder(out_dir) / "locks" / f"{safe_relative(doc_id).as_posix()}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


Change = Callable[[TranslationFile | None], TranslationFile | None]


def edit(out_dir: Path, doc_id: str, change: Change, *, after: Callable[[TranslationFile], None] | None = None) -> TranslationFile | None:
    """The one way to change a translations file: a transaction per document.

    Takes the document's lock, reads the *current* file (None when there is none), applies
    ``change`` to it, and writes the result atomically. ``change`` returns the new file, or
    the file it was given (or None) to change nothing. Every writer (a translation run, the
    review app, import, align) goes through here, so none writes back a stale copy.
    ``after`` is the caller's next step on the file as written, still under the lock (the
    English renderings: ``formats.rendering.edit_rendered``); the store itself knows nothing
    of formats.

    Returns the file as it is on disk afterwards. Raises StoreError when the current file
    cannot be read (it is left untouched) and OSError when it cannot be written.
    """
    json_path = translation_path(out_dir, doc_id)
    with locked(out_dir, doc_id):
        current = load(json_path) if json_path.exists() else None
        updated = change(current)
        if updated is None or updated is current:
            return current
        # Serialised once: a change that leaves the file as it was (bar the time) writes
        # nothing; otherwise only the time of the update differs from what was compared.
        unchanged_time = current.updated if current is not None else ""
        text = dumps(replace(updated, updated=unchanged_time))
        if current is None or text != read_if_exists(json_path):
            updated = replace(updated, updated=now())
            write_atomically(json_path, _with_time(text, unchanged_time, updated.updated))
        if after is not None:
            after(updated)
        return updated


def read_if_exists(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")  # no newline translation: CRLF stays CRLF
    except (OSError, UnicodeDecodeError):
        return None


def _with_time(text: str, old: str, new: str) -> str:
    """``text`` (from ``dumps``) with the top-level "updated" time ``new`` instead of ``old``.
    A newline and two spaces begin only top-level keys: inside strings a newline is escaped."""
    line = '\n  "updated": '
    return text.replace(line + json.dumps(old, ensure_ascii=False), line + json.dumps(new, ensure_ascii=False), 1)
