"""What a reviewer sees before opening a document: progress per document, what needs
attention first, and search across the workspace."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from workbench.store.files import SOURCE, SegmentRecord, StoreError, load_for_reading, readable_files, translation_path
from workbench.store.folder import TranslationsFolder

LOW_CONFIDENCE = 0.5


# Statuses that wait for a reviewer: no translation yet (no model), machine output nobody
# checked, and a correction nobody reviewed. The others are done.
NEEDS_REVIEW = frozenset({"untranslated", "machine", "edited"})


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    path: str
    segments: int
    counts: dict[str, int]
    languages: tuple[str, ...]
    flagged: int
    low_confidence: int
    missing_models: int
    error: str = ""
    words: dict[str, int] = field(default_factory=dict)  # words of the source, by status
    drafts: int = 0  # segments with typed, unsaved text

    @property
    def to_review(self) -> int:
        """Segments to translate (everything not English already)."""
        return sum(count for status, count in self.counts.items() if status != SOURCE)

    @property
    def needs_review(self) -> int:
        return sum(self.counts.get(status, 0) for status in NEEDS_REVIEW)

    @property
    def done(self) -> int:
        """Segments a reviewer has finished: reviewed, approved or rejected."""
        return self.to_review - self.needs_review

    def label(self) -> str:
        """The document list's line, as plain text."""
        if self.error:
            return f"⚠ {self.id} (unreadable)"
        if not self.to_review:
            return f"{self.id} — nothing to translate"
        parts = [f"{self.id} — {self.done}/{self.to_review} done"]
        if self.needs_review:
            parts.append(f"{self.needs_review} to review")
        if self.drafts:
            parts.append(f"✎ {self.drafts} unsaved")
        if self.flagged:
            parts.append(f"⚑ {self.flagged}")
        return " · ".join(parts)


def needs_review(record: SegmentRecord) -> bool:
    return record.status in NEEDS_REVIEW or bool(record.draft)


def word_count(text: str) -> int:
    return len(text.split())


def project_progress(summaries: list[DocumentSummary]) -> dict[str, dict[str, int]]:
    """``{"segments": {status: n}, "words": {status: n}}`` over every readable document."""
    segments: dict[str, int] = {}
    words: dict[str, int] = {}
    for summary in summaries:
        for status, count in summary.counts.items():
            segments[status] = segments.get(status, 0) + count
        for status, count in summary.words.items():
            words[status] = words.get(status, 0) + count
    return {"segments": segments, "words": words}


WORKFLOW_ORDER = ("untranslated", "machine", "edited", "reviewed", "approved", "rejected")


def dashboard(summaries: list[DocumentSummary]) -> tuple[list[dict], list[dict]]:
    """The project at a glance: ``(by status, by document)`` rows for tables and a chart.
    Words are the source's words; English segments are left out (nothing to do there)."""
    readable = [s for s in summaries if not s.error]
    progress = project_progress(readable)
    by_status = [
        {"status": status, "segments": progress["segments"].get(status, 0), "words": progress["words"].get(status, 0)}
        for status in WORKFLOW_ORDER
    ]
    by_document = [
        {
            "document": s.id,
            "segments to translate": s.to_review,
            "words to translate": sum(n for status, n in s.words.items() if status != SOURCE),
            "to review": s.needs_review,
            "done": s.done,
            "unsaved drafts": s.drafts,
            "flagged": s.flagged,
            "no model": s.missing_models,
        }
        for s in readable
    ]
    return by_status, by_document


@dataclass(frozen=True)
class SearchHit:
    document_id: str
    segment_id: str
    field: str  # "source", "machine" or "correction"
    snippet: str


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def is_flagged(record: SegmentRecord) -> bool:
    return record.machine is not None and bool(record.machine.flags)


def is_low_confidence(record: SegmentRecord) -> bool:
    return record.machine is not None and record.machine.confidence < LOW_CONFIDENCE


def attention_order(record: SegmentRecord) -> tuple:
    """Sort key: flagged first, then lowest confidence, then untouched before reviewed."""
    confidence = record.machine.confidence if record.machine else 0.0
    return (not is_flagged(record), confidence, record.start)


@dataclass(frozen=True)
class SegmentFilter:
    """Which segments of a document to show. Empty choices mean "any"."""

    needs_review_only: bool = True
    english: bool = True  # English segments, when showing all
    statuses: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    flagged_only: bool = False  # flagged or low-confidence machine output
    text: str = ""  # in the source, the machine output or the correction (case and width folded)
    attention_first: bool = False

    def apply(self, records) -> list[SegmentRecord]:
        needle = _fold(self.text.strip())
        shown = [
            r
            for r in records
            if (needs_review(r) if self.needs_review_only else (self.english or r.status != SOURCE))
            and (not self.statuses or r.status in self.statuses)
            and (not self.languages or r.lang in self.languages)
            and (not self.flagged_only or is_flagged(r) or is_low_confidence(r))
            and (not needle or any(needle in _fold(t) for t in (r.source, r.correction, r.machine.text if r.machine else "")))
        ]
        if self.attention_first:
            shown = sorted((r for r in shown if r.status != SOURCE), key=attention_order)
        return shown


def summaries(folder: TranslationsFolder) -> list[DocumentSummary]:
    """Every document's progress; a broken translations file is a summary with its error."""
    summaries = []
    for doc_id in folder.document_ids():
        try:
            translation = load_for_reading(translation_path(folder.translations, doc_id))
        except StoreError as error:
            summaries.append(DocumentSummary(doc_id, "", 0, {}, (), 0, 0, 0, error=str(error)))
            continue
        counts: dict[str, int] = {}
        words: dict[str, int] = {}
        for record in translation.segments:
            counts[record.status] = counts.get(record.status, 0) + 1
            words[record.status] = words.get(record.status, 0) + word_count(record.source)
        summaries.append(
            DocumentSummary(
                id=doc_id,
                path=translation.path,
                segments=len(translation.segments),
                counts=counts,
                languages=tuple(sorted({r.lang for r in translation.segments if r.status != SOURCE})),
                flagged=sum(is_flagged(r) for r in translation.segments),
                low_confidence=sum(is_low_confidence(r) for r in translation.segments),
                missing_models=sum(1 for r in translation.segments if r.machine is None and r.note.startswith("no model")),
                words=words,
                drafts=sum(1 for r in translation.segments if r.draft),
            )
        )
    return summaries


def search(folder: TranslationsFolder, query: str, limit: int = 200) -> list[SearchHit]:
    """Case-insensitive search across sources, machine translations and corrections."""
    needle = _fold(query.strip())
    if not needle:
        return []
    hits = []
    for doc_id, translation in readable_files(folder.translations):
        for record in translation.segments:
            for field_name, value in (
                ("source", record.source),
                ("machine", record.machine.text if record.machine else ""),
                ("correction", record.correction),
            ):
                position = _fold(value).find(needle)
                if position >= 0:
                    start = max(0, position - 40)
                    hits.append(SearchHit(doc_id, record.id, field_name, value[start : position + len(needle) + 40]))
                    break
            if len(hits) >= limit:
                return hits
    return hits


# -- changing a document --------------------------------------------------------------
