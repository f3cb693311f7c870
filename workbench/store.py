"""Translation files under ``translations/``: one JSON file per document, plus its English rendering.

The files are for people as much as for programs: UTF-8, indented, stable key order, one
segment after another, so a diff shows what changed. Every write is atomic (a temporary
file in the same folder, fsync, ``os.replace``); a correction is never dropped: when the
source changes under it, it moves to ``orphans`` with its history.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from .errors import WorkbenchError

FORMAT = "translation-workbench/1"
# Review states, in workflow order. ``source`` marks segments already in English.
STATUSES = ("untranslated", "machine", "edited", "reviewed", "approved", "rejected")
SOURCE = "source"


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
    revision: int = 0  # bumped by every human change; concurrent editors compare it
    history: tuple[HistoryEntry, ...] = ()

    def best_text(self) -> str:
        """What the English rendering shows: correction, else machine output, else the source."""
        if self.status == SOURCE:
            return self.source
        if self.correction:
            return self.correction
        if self.machine is not None and self.status != "rejected":
            return self.machine.text
        return self.source


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


def _safe_relative(doc_id: str) -> Path:
    relative = Path(doc_id)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise StoreError(f"document id {doc_id!r} would reach outside the translations folder")
    return relative


def translation_path(out_dir: Path, doc_id: str) -> Path:
    return out_dir / _safe_relative(doc_id).parent / (_safe_relative(doc_id).name + ".json")


def rendering_path(out_dir: Path, doc_id: str) -> Path:
    return out_dir / _safe_relative(doc_id).parent / (_safe_relative(doc_id).name + ".en.txt")


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
        "history": [asdict(entry) for entry in record.history],
    }
    if record.machine is not None:
        machine = asdict(record.machine)
        machine["flags"] = list(record.machine.flags)
        data["machine"] = machine
    return data


def dumps(translation: TranslationFile) -> str:
    data = {
        "format": FORMAT,
        "document": {
            "id": translation.document_id,
            "path": translation.path,
            "sha256": translation.sha256,
            "encoding": translation.encoding,
        },
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
        ),
        correction=str(data.get("correction", "")),
        status=str(data.get("status", "untranslated")),
        note=str(data.get("note", "")),
        revision=int(data.get("revision", 0)),
        history=tuple(HistoryEntry(**entry) for entry in data.get("history", ())),
    )


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
        segments = tuple(_record_from_json(item) for item in data["segments"])
        orphans = tuple(_record_from_json(item) for item in data.get("orphans", ()))
    except (KeyError, TypeError, ValueError) as error:
        raise StoreError(f"{name}: a segment or the document header is malformed ({type(error).__name__}: {error})") from None
    for record in segments + orphans:
        if record.status not in STATUSES and record.status != SOURCE:
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
    )


def load(path: Path) -> TranslationFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise StoreError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot be read: {error.strerror or error}") from None
    return loads(text, str(path))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that ``path`` holds either the old or the new content, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


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


def readable_files(folder: Path):
    """Yield ``(doc_id, TranslationFile)`` for every readable translations file; broken ones
    are skipped here (the review app reports them)."""
    for doc_id in document_ids(folder):
        try:
            yield doc_id, load(translation_path(folder, doc_id))
        except StoreError:
            continue


def remove_stale_temporaries(folder: Path) -> int:
    """Temporary files left by a killed writer (``.name.XXXX.tmp``); they are never the data."""
    removed = 0
    if folder.is_dir():
        for leftover in folder.rglob(".*.tmp"):
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed


def save(out_dir: Path, translation: TranslationFile, text: str) -> tuple[Path, Path]:
    """Write the JSON file and the English rendering of a document atomically.

    A file whose content would not change is left alone, ``updated`` stamp included, so
    re-runs leave nothing to diff.
    """
    json_path = translation_path(out_dir, translation.document_id)
    english_path = rendering_path(out_dir, translation.document_id)
    previous = _read_if_exists(json_path)
    if previous is None or dumps(replace(translation, updated=_updated_of(previous))) != previous:
        write_atomically(json_path, dumps(replace(translation, updated=now())))
    english = render_english(text, translation.segments)
    if _read_if_exists(english_path) != english:
        write_atomically(english_path, english)
    return json_path, english_path


def _read_if_exists(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")  # no newline translation: CRLF stays CRLF
    except (OSError, UnicodeDecodeError):
        return None


def _updated_of(text: str) -> str:
    try:
        return str(json.loads(text).get("updated", ""))
    except (ValueError, AttributeError):
        return ""


def render_english(text: str, segments: tuple[SegmentRecord, ...] | list[SegmentRecord]) -> str:
    """The document with every segment replaced by its best English; layout kept as it is."""
    parts = []
    cursor = 0
    for record in sorted(segments, key=lambda r: r.start):
        if record.start < cursor:
            continue
        parts.append(text[cursor : record.start])
        parts.append(record.best_text())
        cursor = record.end
    parts.append(text[cursor:])
    return "".join(parts)
