"""Documents and their existing translations: sentences, alignment, and the stored bitext.

A bitext is stored under ``translations/`` as an ordinary translations file with the id
``<source id>.bitext``: one segment per link, the published English as the correction
(status ``edited``), so the review app opens it side by side like any other document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.align.aligner import AlignConfig, Link, align
from workbench.core import languages
from workbench.core.document import Document
from workbench.core.errors import WorkbenchError
from workbench.formats.inputs import read_document
from workbench.formats.rendering import edit_rendered
from workbench.split.segment import Segmenter, split_sentences
from workbench.store.files import SOURCE, HistoryEntry, SegmentRecord, TranslationFile, now, segment_id, translation_path

_LINE_ENDS = ("\r\n", "\n", "\r")


@dataclass(frozen=True)
class Bitext:
    source: Document
    target: Document
    src_lang: str
    source_spans: list[tuple[int, int]]
    target_spans: list[tuple[int, int]]
    links: list[Link]
    mt_model: str | None = None

    def source_sentences(self) -> list[str]:
        return [self.source.text[a:b] for a, b in self.source_spans]

    def target_sentences(self) -> list[str]:
        return [self.target.text[a:b] for a, b in self.target_spans]


def line_spans(text: str) -> list[tuple[int, int]]:
    """One span per line, empty lines included (the hunalign / Bleualign convention)."""
    spans = []
    start = 0
    length = len(text)
    while start < length:
        end = start
        while end < length and text[end] not in "\r\n":
            end += 1
        spans.append((start, end))
        if end < length and text.startswith("\r\n", end):
            end += 2
        elif end < length:
            end += 1
        start = end
    return spans


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentences of every non-empty line, stripped."""
    script = languages.script_of(lang)
    spans = []
    for line_start, line_end in line_spans(text):
        for start, end in split_sentences(text, line_start, line_end, script):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append((start, end))
    return spans


def main_language(document: Document, segmenter: Segmenter) -> str:
    """The language with the most letters in the document."""
    weight: dict[str, int] = {}
    for segment in segmenter.segment(document.text):
        weight[segment.lang] = weight.get(segment.lang, 0) + segment.end - segment.start
    weight.pop(languages.UNDETERMINED, None)
    if not weight:
        raise WorkbenchError(f"{document.path}: no language could be detected (is it empty?)")
    return max(weight, key=weight.__getitem__)


def align_files(
    source_path: Path,
    target_path: Path,
    *,
    src_lang: str = "auto",
    sentences_per_line: bool = False,
    translate: Callable[[list[str]], list[str]] | None = None,
    mt_model: str | None = None,
    segmenter: Segmenter | None = None,
    config: AlignConfig | None = None,
) -> Bitext:
    """Read, split and align a document with its English translation."""
    source = read_document(source_path)
    target = read_document(target_path)
    if src_lang == "auto":
        src_lang = main_language(source, segmenter or Segmenter())
    else:
        src_lang = languages.normalize(src_lang)
    if sentences_per_line:
        source_spans, target_spans = line_spans(source.text), line_spans(target.text)
    else:
        source_spans, target_spans = sentence_spans(source.text, src_lang), sentence_spans(target.text, "en")
    source_sentences = [source.text[a:b] for a, b in source_spans]
    target_sentences = [target.text[a:b] for a, b in target_spans]
    links = align(source_sentences, target_sentences, src_lang=src_lang, translate=translate, config=config)
    return Bitext(source, target, src_lang, source_spans, target_spans, links, mt_model if translate else None)


def bitext_translation(bitext: Bitext) -> TranslationFile:
    """The bitext as a translations file: one segment per link."""
    taken: set[str] = set()
    records = []
    stamp = now()
    cursor = 0
    for link in bitext.links:
        english = " ".join(bitext.target.text[a:b] for a, b in (bitext.target_spans[j] for j in link.tgt))
        if link.src:
            start, end = bitext.source_spans[link.src[0]][0], bitext.source_spans[link.src[-1]][1]
            source = bitext.source.text[start:end]
        else:
            start = end = cursor  # English with no source counterpart: a zero-width segment
            source = ""
        cursor = end
        if link.src and link.tgt:
            status, note = "edited", f"aligned with {bitext.target.path} (score {link.score:.2f})"
        elif link.src:
            status, note = "untranslated", f"no counterpart in {bitext.target.path}"
        else:
            status, note = "edited", f"English only: no counterpart in {bitext.source.path}"
        lang = bitext.src_lang if link.src else "en"
        if lang == "en" and link.src:
            status = SOURCE
        history = (HistoryEntry(stamp, "aligned", status, english, "untranslated", ""),) if english else ()
        records.append(
            SegmentRecord(
                id=segment_id(source or english, lang, taken),
                start=start,
                end=end,
                lang=lang,
                kind="sentence",
                source=source,
                correction=english,
                status=status,
                note=note,
                history=history,
            )
        )
    return TranslationFile(
        document_id=f"{bitext.source.id}.bitext",
        path=bitext.source.path,
        sha256=bitext.source.sha256,
        encoding=bitext.source.encoding,
        segments=tuple(records),
        extra={
            "bitext": {
                "target_path": bitext.target.path,
                "target_sha256": bitext.target.sha256,
                "src_lang": bitext.src_lang,
                "mt_model": bitext.mt_model,
            }
        },
    )


def save_bitext(out_dir: Path, bitext: Bitext) -> Path:
    """Store the bitext through the store's transaction. Segments a person already changed
    in an earlier bitext of the same document are kept as they are (or, when their source is
    gone, moved to the orphans); the rest follow the new alignment."""
    aligned = bitext_translation(bitext)

    def change(current: TranslationFile | None) -> TranslationFile:
        if current is None:
            return aligned
        touched: dict[tuple[str, str], list[SegmentRecord]] = {}
        for record in current.segments:
            if record.revision > 0:
                touched.setdefault((record.lang, record.source), []).append(record)
        segments = []
        for record in aligned.segments:
            kept = touched.get((record.lang, record.source))
            segments.append(replace(kept.pop(0), start=record.start, end=record.end) if kept else record)
        orphans = list(current.orphans) + [
            replace(r, note=f"no longer in the alignment with {bitext.target.path}") for rs in touched.values() for r in rs
        ]
        return replace(aligned, segments=tuple(segments), orphans=tuple(orphans))

    edit_rendered(out_dir, aligned.document_id, change, text=bitext.source.text)
    return translation_path(out_dir, aligned.document_id)
