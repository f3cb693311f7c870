"""Find and replace across documents, with a preview of every change and one-step undo.

Finding looks in sources or translations; replacing changes translations only (a source is
the document). Every replacement is a correction made through the store's transaction, with
its history entry, so ``undo`` can put back exactly what one batch changed; a segment someone
changed since is left as it is and reported.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace

from workbench.core.errors import WorkbenchError
from workbench.formats.rendering import edit_rendered
from workbench.store.files import SOURCE, HistoryEntry, SegmentRecord, TranslationFile, load_for_reading, now
from workbench.store.folder import TranslationsFolder
from workbench.store.workflow import after_edit, shown_text

FIELDS = ("target", "source")


class ReplaceError(WorkbenchError):
    """A pattern that cannot be used; the message says why."""


@dataclass(frozen=True)
class Replacement:
    document_id: str
    segment_id: str
    revision: int
    before: str
    after: str


def _pattern(find: str, case: bool, regex: bool) -> re.Pattern:
    if not find:
        raise ReplaceError("nothing to find")
    try:
        return re.compile(find if regex else re.escape(find), 0 if case else re.IGNORECASE)
    except re.error as error:
        raise ReplaceError(f"not a regular expression: {find!r}: {error}") from None


def _documents(folder: TranslationsFolder, doc_ids: list[str] | None):
    for doc_id in doc_ids if doc_ids is not None else folder.document_ids():
        try:
            yield doc_id, load_for_reading(folder.path_of(doc_id))
        except WorkbenchError:
            continue  # a broken file is reported by the app and `workbench qa`, never edited here


def find(
    folder: TranslationsFolder, text: str, *, field: str = "target", case: bool = False, regex: bool = False, doc_ids=None
) -> list[tuple[str, SegmentRecord]]:
    """``(document id, segment)`` of every segment whose source or translation matches."""
    if field not in FIELDS:
        raise ReplaceError(f"look in {' or '.join(FIELDS)}, not {field!r}")
    pattern = _pattern(text, case, regex)
    return [
        (doc_id, record)
        for doc_id, translation in _documents(folder, doc_ids)
        for record in translation.segments
        if record.status != SOURCE and pattern.search(record.source if field == "source" else shown_text(record))
    ]


def preview(
    folder: TranslationsFolder, text: str, replacement: str, *, case: bool = False, regex: bool = False, doc_ids=None
) -> list[Replacement]:
    """Every translation the replacement would change, before and after; nothing is written."""
    pattern = _pattern(text, case, regex)
    changes = []
    for doc_id, record in find(folder, text, case=case, regex=regex, doc_ids=doc_ids):
        before = shown_text(record)
        try:
            after = pattern.sub(replacement if regex else replacement.replace("\\", "\\\\"), before)
        except (re.error, IndexError) as error:
            raise ReplaceError(f"the replacement {replacement!r} does not fit the pattern: {error}") from None
        if after != before:
            changes.append(Replacement(doc_id, record.id, record.revision, before, after))
    return changes


def apply(folder: TranslationsFolder, changes: list[Replacement]) -> tuple[str, list[str]]:
    """Write ``changes`` (from ``preview``) as corrections, one transaction per document.
    Returns the batch's id (for ``undo``) and the segments left alone because they changed
    since the preview."""
    batch = f"replace {now()} {secrets.token_hex(3)}"
    skipped: list[str] = []
    by_document: dict[str, list[Replacement]] = {}
    for change in changes:
        by_document.setdefault(change.document_id, []).append(change)
    for doc_id, items in by_document.items():
        wanted = {item.segment_id: item for item in items}

        def apply_to(current: TranslationFile | None, wanted=wanted, doc_id=doc_id) -> TranslationFile | None:
            if current is None:
                return current
            stamp = now()
            segments = []
            for record in current.segments:
                item = wanted.get(record.id)
                if item is None:
                    segments.append(record)
                elif record.revision != item.revision or shown_text(record) != item.before:
                    skipped.append(f"{doc_id}#{record.id}: changed since the preview; left as it is")
                    segments.append(record)
                else:
                    status = after_edit(record, item.after)
                    entry = HistoryEntry(stamp, batch, status, item.after, record.status, record.correction)
                    segments.append(
                        replace(
                            record, correction=item.after, status=status, revision=record.revision + 1, history=(*record.history, entry)
                        )
                    )
            return replace(current, segments=tuple(segments))

        edit_rendered(folder.translations, doc_id, apply_to, corpus=folder.corpus)
    return batch, skipped


def undo(folder: TranslationsFolder, batch: str) -> tuple[int, list[str]]:
    """Put back what ``batch`` changed, where the segment's last change is still that batch's.
    Returns how many segments were restored, and those left alone (changed since)."""
    restored = 0
    skipped: list[str] = []
    for doc_id, translation in _documents(folder, None):
        if not any(entry.action == batch for record in translation.segments for entry in record.history):
            continue

        def undo_in(current: TranslationFile | None, doc_id=doc_id) -> TranslationFile | None:
            nonlocal restored
            if current is None:
                return current
            stamp = now()
            segments = []
            for record in current.segments:
                last = record.history[-1] if record.history else None
                if last is not None and last.action == batch:
                    entry = HistoryEntry(stamp, f"undo {batch}", last.previous_status, last.previous_text, record.status, record.correction)
                    record = replace(
                        record,
                        correction=last.previous_text,
                        status=last.previous_status,
                        revision=record.revision + 1,
                        history=(*record.history, entry),
                    )
                    restored += 1
                elif any(entry.action == batch for entry in record.history):
                    skipped.append(f"{doc_id}#{record.id}: changed after the replacement; left as it is")
                segments.append(record)
            return replace(current, segments=tuple(segments))

        edit_rendered(folder.translations, doc_id, undo_in, corpus=folder.corpus)
    return restored, skipped


def last_batch(folder: TranslationsFolder) -> str | None:
    """The most recent replacement batch that has not been undone, if any."""
    batches: dict[str, str] = {}
    undone: set[str] = set()
    for _, translation in _documents(folder, None):
        for record in translation.segments:
            for entry in record.history:
                if entry.action.startswith("replace "):
                    batches[entry.action] = max(batches.get(entry.action, ""), entry.time)
                elif entry.action.startswith("undo replace "):
                    undone.add(entry.action.removeprefix("undo "))
    open_batches = sorted((time, batch) for batch, time in batches.items() if batch not in undone)
    return open_batches[-1][1] if open_batches else None
