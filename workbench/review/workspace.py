"""The review stage: a workspace of translated documents and the edits reviewers make.

Everything the review app does goes through here, so it is tested without Streamlit.
Every change is one ``store.edit`` transaction: it reloads the file under the document's
lock, checks that the segment is still the revision the reviewer saw, applies the change,
and saves atomically. Two browser tabs editing the same document merge per segment, an edit
made on top of someone else's newer edit of the same segment is refused with a
ConflictError, never applied silently, and a translation run writing at the same time only
fills machine output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.core import languages
from workbench.core.errors import WorkbenchError
from workbench.formats.blocks import marks_by_segment, segment_inline_spans
from workbench.formats.rendering import edit_rendered, render_english, source_extracted, source_text
from workbench.review.overview import DocumentSummary, SearchHit, search, summaries
from workbench.store.files import (
    SOURCE,
    HistoryEntry,
    SegmentRecord,
    TranslationFile,
    edit,
    load,
    load_for_reading,
    now,
    segment_id,
)
from workbench.store.folder import TranslationsFolder, UnknownDocument
from workbench.store.workflow import Status, after_edit, check_move, shown_text


class ReviewError(WorkbenchError):
    """A review action that cannot be carried out; the message says why."""


class ConflictError(ReviewError):
    """Someone else changed the segment since it was loaded; nothing was written."""

    def __init__(self, record: SegmentRecord, base_revision: int) -> None:
        self.current = record
        self.base_revision = base_revision
        theirs = record.correction or (record.machine.text if record.machine else "")
        super().__init__(
            f"segment {record.id} was changed elsewhere (now revision {record.revision}, status {record.status}, "
            f"text {theirs[:80]!r}) after you loaded revision {base_revision}; reload it and apply your change again"
        )


@dataclass(frozen=True)
class OpenDocument:
    translation: TranslationFile
    text: str | None  # the source text, None when the source file is missing or changed
    text_problem: str = ""
    styles: tuple[tuple[int, int, int], ...] = ()  # its pieces' styles (formats.blocks.styled_text)
    marks: tuple[tuple[int, str], ...] = ()  # its images, note references and fields

    def inline(self, record: SegmentRecord) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
        """Where a segment's inline spans (a link, a bold phrase) and standalone elements (an
        image) lie in its source, relative to its start; none when the source is not at hand."""
        if self.text is None or self.text[record.start : record.end] != record.source:
            return [], []
        return segment_inline_spans(self.text, self.styles, record.start, record.end), self._marks.get(record.id, [])

    @functools.cached_property
    def _marks(self) -> dict[str, list[tuple[int, str]]]:
        """Each segment's standalone elements (the first of two segments with no space between
        them takes one that stands between them, as in the XLIFF export)."""
        if self.text is None or not self.marks:
            return {}
        matching = [r for r in sorted(self.translation.segments, key=lambda r: r.start) if self.text[r.start : r.end] == r.source]
        return {r.id: found for r, found in zip(matching, marks_by_segment(self.marks, [(r.start, r.end) for r in matching]))}

    def rendering(self) -> str:
        if self.text is None:
            raise ReviewError(f"cannot render {self.translation.document_id}: {self.text_problem}")
        return render_english(self.text, self.translation.segments)


class Workspace(TranslationsFolder):
    """The review actions on a workspace's documents (``corpus/`` and ``translations/``).
    Document ids come from the browser: every id is checked to name a translations file
    inside ``translations/``."""

    def path_of(self, doc_id: str) -> Path:
        """The translations file of ``doc_id``. Raises ReviewError for an unknown id or one
        reaching outside."""
        try:
            return super().path_of(doc_id)
        except UnknownDocument as error:
            raise ReviewError(str(error)) from None

    def summaries(self) -> list[DocumentSummary]:
        return summaries(self)

    def open(self, doc_id: str) -> OpenDocument:
        """Load a document. Raises ReviewError (unknown id) or StoreError (broken file)."""
        translation = load_for_reading(self.path_of(doc_id))
        extracted, problem = source_extracted(translation, self.corpus)
        if extracted is None:
            return OpenDocument(translation, None, problem)
        return OpenDocument(translation, extracted.text, "", extracted.styles, extracted.marks)

    def _source_text(self, translation: TranslationFile) -> tuple[str | None, str]:
        return source_text(translation, self.corpus)

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        return search(self, query, limit)

    def _transaction(
        self, doc_id: str, change: Callable[[TranslationFile, str | None], tuple[list[SegmentRecord], object]], render: bool = True
    ):
        """Apply ``change(current file, source text)`` → ``(segments, result)`` in one
        ``store.edit`` transaction; returns ``result``. A change that raises writes nothing."""
        self.path_of(doc_id)
        outcome: list = []

        def apply(current: TranslationFile | None) -> TranslationFile | None:
            if current is None:
                raise ReviewError(f"no document {doc_id!r} in {self.translations}")
            text, _ = self._source_text(current)
            segments, result = change(current, text)
            outcome.append(result)
            return replace(current, segments=tuple(segments)) if list(segments) != list(current.segments) else current

        if render:
            edit_rendered(self.translations, doc_id, apply, corpus=self.corpus)
        else:
            edit(self.translations, doc_id, apply)
        return outcome[0]

    @staticmethod
    def _find(translation: TranslationFile, seg_id: str) -> tuple[int, SegmentRecord]:
        for index, record in enumerate(translation.segments):
            if record.id == seg_id:
                return index, record
        raise ReviewError(f"no segment {seg_id} in {translation.document_id} (it may have been split or merged elsewhere; reload)")

    @staticmethod
    def _check(record: SegmentRecord, base_revision: int | None) -> None:
        if base_revision is not None and record.revision != base_revision:
            raise ConflictError(record, base_revision)

    @staticmethod
    def _changed(record: SegmentRecord, action: str, **changes) -> SegmentRecord:
        updated = replace(record, **changes)
        entry = HistoryEntry(now(), action, updated.status, updated.correction, record.status, record.correction)
        return replace(updated, revision=record.revision + 1, history=(*record.history, entry))

    def _one(
        self, doc_id: str, seg_id: str, change: Callable[[SegmentRecord, str | None], SegmentRecord], render: bool = True
    ) -> SegmentRecord:
        """A transaction that replaces one segment by ``change(segment, source text)``."""

        def apply(current: TranslationFile, text: str | None):
            index, record = self._find(current, seg_id)
            updated = change(record, text)
            segments = list(current.segments)
            segments[index] = updated
            return segments, updated

        return self._transaction(doc_id, apply, render)

    def save_correction(self, doc_id: str, seg_id: str, text: str, base_revision: int | None, action: str = "edit") -> SegmentRecord:
        """Store a correction: the segment becomes ``edited`` (approved or reviewed work that
        changes needs review again); an empty correction goes back to the machine output.
        Raises ConflictError when the segment changed since ``base_revision``."""

        def change(record: SegmentRecord, _text) -> SegmentRecord:
            if record.correction == text:
                return replace(record, draft="")  # the same text twice (or from two tabs) is not a conflict
            self._check(record, base_revision)
            return replace(self._changed(record, action, correction=text, status=after_edit(record, text)), draft="")

        return self._one(doc_id, seg_id, change)

    def save_draft(self, doc_id: str, seg_id: str, text: str) -> SegmentRecord:
        """Keep what a reviewer typed and has not saved: no status, revision, history or
        rendering changes. A draft equal to what the segment shows is no draft."""

        def change(record: SegmentRecord, _text) -> SegmentRecord:
            draft = "" if text == shown_text(record) else text
            return record if draft == record.draft else replace(record, draft=draft)

        return self._one(doc_id, seg_id, change, render=False)

    def discard_draft(self, doc_id: str, seg_id: str) -> SegmentRecord:
        return self.save_draft(doc_id, seg_id, self._shown(doc_id, seg_id))

    def _shown(self, doc_id: str, seg_id: str) -> str:
        return shown_text(self._find(load(self.path_of(doc_id)), seg_id)[1])

    def drafts(self) -> dict[str, int]:
        """Unsaved drafts per document (documents with none left out)."""
        counts = {}
        for summary in self.summaries():
            if summary.drafts:
                counts[summary.id] = summary.drafts
        return counts

    def set_status(self, doc_id: str, seg_id: str, status: str, base_revision: int | None, action: str = "status") -> SegmentRecord:
        """Move a segment to ``status`` (rules in workbench.store.workflow). Raises TransitionError
        or ConflictError."""

        def change(record: SegmentRecord, _text) -> SegmentRecord:
            if record.status == status:
                return record
            self._check(record, base_revision)
            return self._changed(record, action, status=check_move(record, status))

        return self._one(doc_id, seg_id, change)

    def relabel(self, doc_id: str, seg_id: str, lang: str, base_revision: int | None, translator=None) -> SegmentRecord:
        """Change a segment's language, then re-translate it (when ``translator`` is given)."""
        code = languages.normalize(lang)

        def change(record: SegmentRecord, _text) -> SegmentRecord:
            self._check(record, base_revision)
            if code == "en":
                return self._changed(record, "relabel", lang=code, status=SOURCE, machine=None, note="")
            status = Status.EDITED if record.correction else Status.UNTRANSLATED
            updated = self._changed(record, "relabel", lang=code, status=status, machine=None, note="")
            return translator(updated) if translator is not None else updated

        return self._one(doc_id, seg_id, change)

    def retranslate(self, doc_id: str, seg_id: str, translator) -> SegmentRecord:
        """Fresh machine translation; corrections and review status are kept."""

        def change(record: SegmentRecord, _text) -> SegmentRecord:
            updated = translator(record)
            if updated.machine != record.machine or updated.note != record.note:
                updated = replace(updated, revision=record.revision + 1)
            return updated

        return self._one(doc_id, seg_id, change)

    def split(self, doc_id: str, seg_id: str, at: int, base_revision: int | None, translator=None) -> tuple[SegmentRecord, SegmentRecord]:
        """Split a segment at character ``at`` of its source; both halves are re-translated."""

        def change(current: TranslationFile, _text):
            index, record = self._find(current, seg_id)
            self._check(record, base_revision)
            left_text, right_text = record.source[:at], record.source[at:]
            if not left_text.strip() or not right_text.strip():
                raise ReviewError(f"splitting segment {seg_id} at {at} would leave an empty half")
            taken = {r.id for r in current.segments}
            halves = []
            for offset, part in ((0, left_text), (at, right_text)):
                lead = len(part) - len(part.lstrip())
                body = part.strip()
                start = record.start + offset + lead
                status = SOURCE if record.status == SOURCE else Status.UNTRANSLATED
                half = SegmentRecord(
                    id=segment_id(body, record.lang, taken),
                    start=start,
                    end=start + len(body),
                    lang=record.lang,
                    kind="sentence" if record.kind != "phrase" else "phrase",
                    source=body,
                    status=status,
                    revision=record.revision + 1,
                    history=(*record.history, HistoryEntry(now(), f"split from {record.id}", status, "", record.status, record.correction)),
                )
                if translator is not None and status != SOURCE:
                    half = translator(half)
                halves.append(half)
            segments = list(current.segments)
            segments[index : index + 1] = halves
            return segments, (halves[0], halves[1])

        return self._transaction(doc_id, change)

    def merge(
        self, doc_id: str, seg_id: str, base_revision: int | None, next_revision: int | None = None, translator=None
    ) -> SegmentRecord:
        """Merge a segment with the one after it; the merged segment is re-translated."""

        def change(current: TranslationFile, text: str | None):
            index, record = self._find(current, seg_id)
            self._check(record, base_revision)
            segments = list(current.segments)
            if index + 1 >= len(segments):
                raise ReviewError(f"segment {seg_id} is the last one: nothing to merge it with")
            following = segments[index + 1]
            self._check(following, next_revision)
            if text is None:
                raise ReviewError(f"cannot merge in {doc_id}: the source text is not available")
            source = text[record.start : following.end]
            if "\n" in source or "\r" in source:
                raise ReviewError(f"segments {seg_id} and {following.id} are on different lines; merge only within a line")
            correction = " ".join(part for part in (record.correction, following.correction) if part)
            if record.status == SOURCE and following.status == SOURCE:
                status = SOURCE
            else:
                status = Status.EDITED if correction else Status.UNTRANSLATED
            lang = record.lang if record.status != SOURCE else following.lang
            taken = {r.id for r in segments} - {record.id, following.id}
            merged = SegmentRecord(
                id=segment_id(source, lang, taken),
                start=record.start,
                end=following.end,
                lang=lang,
                kind=record.kind,
                source=source,
                correction=correction,
                status=status,
                revision=max(record.revision, following.revision) + 1,
                history=(
                    *record.history,
                    *following.history,
                    HistoryEntry(now(), f"merged {record.id}+{following.id}", status, correction, record.status, record.correction),
                ),
            )
            if translator is not None and status != SOURCE:
                merged = translator(merged)
            segments[index : index + 2] = [merged]
            return segments, merged

        return self._transaction(doc_id, change)
