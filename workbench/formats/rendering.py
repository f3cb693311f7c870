"""English renderings of a document: its text with every segment replaced by its best English
(``<doc>.en.txt``), and the same in the source's own format (``.en.html``, ``.en.docx`` …).

Rendering is the caller's step of a ``store.edit`` transaction (``edit_rendered``): the store
keeps translations files and knows nothing of formats.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from workbench.core.errors import InputError
from workbench.formats import readers as formats
from workbench.formats.blocks import Piece, collapse, joined_blocks, place
from workbench.formats.decoding import decode_as
from workbench.store.files import (
    SegmentRecord,
    TranslationFile,
    edit,
    read_if_exists,
    rendering_path,
    safe_relative,
    write_atomically,
)


def _write_format_renderings(
    out_dir: Path, doc_id: str, translation: TranslationFile, text: str, source: Path, data: bytes, keep_active_content: bool = False
) -> None:
    """The renderings in the source's own format (``.en.html``, ``.en.docx`` …) from the
    original file's bytes; a file that no longer parses leaves them for the next run."""
    try:
        renderings = rendering(translation.format, data, str(source), text, translation.segments, keep_active_content=keep_active_content)
    except InputError:
        return
    names = formats.rendering_names(str(safe_relative(doc_id).as_posix()), translation.format)
    for suffix, content in renderings.items():
        target = out_dir / names[suffix]
        try:
            if target.read_bytes() == content:
                continue
        except OSError:
            pass
        write_atomically(target, content)


def source_text(translation: TranslationFile, corpus: Path | None = None) -> tuple[str | None, str]:
    """The document's source text, decoded (or extracted) as when it was translated, or
    ``(None, why not)``; where it is looked for: ``_source_file``."""
    extracted, problem = source_extracted(translation, corpus)
    return (None, problem) if extracted is None else (extracted.text, "")


def source_extracted(translation: TranslationFile, corpus: Path | None = None) -> tuple[formats.Extracted | None, str]:
    """The document as read again from its source file: its text and, beyond plain text,
    the styles of its pieces and its standalone elements (``blocks.styled_text``: where its
    links, bold phrases and images are); or ``(None, why not)``."""
    found, data, problem = _source_file(translation, corpus)
    return (None, problem) if data is None else _extracted(translation, found, data)


def source_styles(translation: TranslationFile, corpus: Path | None = None) -> formats.Extracted | None:
    """``source_extracted`` for a document with formatting; None for plain text or a source
    that is missing, changed or unreadable."""
    if translation.format == "text":
        return None
    return source_extracted(translation, corpus)[0]


def _source_file(translation: TranslationFile, corpus: Path | None = None) -> tuple[Path | None, bytes | None, str]:
    """``(path, bytes, "")`` of the document's source file, or ``(None, None, why not)``.

    Looks at the recorded path, then ``corpus/<name>``, ``corpus/<id>`` and
    ``corpus/<id><suffix>``; a file whose checksum changed is not the source any more.
    """
    recorded = Path(translation.path)
    candidates = [recorded]
    if corpus is not None:
        candidates += [corpus / recorded.name, corpus / translation.document_id, corpus / (translation.document_id + recorded.suffix)]
    for candidate in candidates:
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() != translation.sha256:
            return None, None, f"the source file {candidate} changed since it was translated; run `workbench translate` again"
        return candidate, data, ""
    return None, None, f"the source file {translation.path} is missing"


def _extracted(translation: TranslationFile, source: Path, data: bytes) -> tuple[formats.Extracted | None, str]:
    if translation.format != "text":
        try:
            return formats.extract(data, str(source), translation.format), ""
        except InputError as error:
            return None, str(error)
    try:
        return formats.Extracted(decode_as(data, translation.encoding), "text", translation.encoding), ""
    except LookupError as error:
        return None, f"the source file {source} cannot be decoded as {translation.encoding}: {error}"


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


def pieces_english(blocks: list[list[Piece]], records) -> list[list[str] | None]:
    """Per block, its pieces' new texts (None where nothing changes): each segment whose
    English differs from its source is placed into the pieces it covers (``blocks.place``),
    its inline spans' English (``MachineTranslation.inline``) onto their own pieces."""
    _, spans = joined_blocks([[piece for piece, _ in pieces] for pieces in blocks])
    ordered = sorted(records, key=lambda r: r.start)
    result: list[list[str] | None] = []
    position = 0
    for (start, end), pieces in zip(spans, blocks):
        changes = []
        while position < len(ordered) and ordered[position].end <= end:
            record = ordered[position]
            position += 1
            english = record.best_text()
            if record.start >= start and english != record.source:
                inline = record.machine.inline if record.machine is not None and record.machine.inline else None
                changes.append((record.start - start, record.end - start, english, inline))
        if not changes:
            result.append(None)
            continue
        texts = [piece for piece, _ in pieces]
        result.append(place(texts, [style for _, style in pieces], _without_overlaps(changes)))
    return result


def _without_overlaps(changes):
    kept, cursor = [], 0
    for change in changes:
        if change[0] >= cursor:
            kept.append(change)
            cursor = change[1]
    return kept


def rendering(fmt: str, data: bytes, path: str, text: str, records, *, keep_active_content: bool = False) -> dict[str, bytes]:
    """``{suffix: bytes}`` of the renderings of a document in ``fmt`` beyond its ``.en.txt``,
    from the original file's bytes and the segments. An HTML rendering is inert (no scripts,
    handlers or ``javascript:`` links) unless ``keep_active_content``. Raises InputError for
    a file that no longer parses."""
    if fmt == "pdf":  # a paragraph is one piece: its English is the piece's new text
        blocks = formats.read_pieces(data, path, fmt)
        english = [texts[0] if texts else None for texts in pieces_english(blocks, records)]
        originals = [collapse([piece for piece, _ in pieces]) for pieces in blocks]
        return {".en.html": formats.render_pdf(data, path, english, originals)}

    def english_of(blocks: list[list[Piece]]) -> list[list[str] | None]:
        """The blocks' pieces' English, from the same parse the rendering writes into."""
        return pieces_english(blocks, records)

    if fmt in formats.ARCHIVES:
        formats.check_archive(data, path)
    try:
        return {formats.RENDERINGS[fmt][0]: formats.render(fmt, data, path, english_of, keep_active_content)}
    except InputError:
        raise
    except RecursionError:
        raise InputError(path, "is nested too deeply to write its rendering") from None
    except Exception as error:  # a parser's or writer's own failure on a hostile or broken file
        raise InputError(path, f"its {fmt} rendering cannot be written: {type(error).__name__}: {error}") from None


def edit_rendered(
    out_dir: Path, doc_id: str, change, *, text: str | None = None, corpus: Path | None = None, keep_active_content: bool = False
) -> TranslationFile | None:
    """``store.edit`` followed by the document's English renderings, written from the file as
    the transaction wrote it and under the same lock, so whichever writer changes the file
    last also renders it last. A change that changes nothing renders nothing.

    The rendering needs the source text: ``text``, else the file named in the translations
    file (or found in ``corpus``) when its checksum still matches; without it only the JSON
    is written and the rendering waits for the next run. Raises what ``store.edit`` raises,
    and OSError when a rendering cannot be written (the old rendering is then untouched).
    """

    def render(written: TranslationFile) -> None:
        _render(out_dir, doc_id, written, text, corpus, keep_active_content)

    return edit(out_dir, doc_id, change, after=render)


def _render(out_dir: Path, doc_id: str, current: TranslationFile, text: str | None, corpus: Path | None, keep_active_content: bool) -> None:
    found, data = None, None
    if text is None or current.format != "text":
        found, data, _ = _source_file(current, corpus)
    if text is None and data is not None:
        extracted, _ = _extracted(current, found, data)
        text = extracted.text if extracted is not None else None
    if text is None:
        return
    english = render_english(text, current.segments)
    english_path = rendering_path(out_dir, doc_id)
    if read_if_exists(english_path) != english:
        write_atomically(english_path, english)
    if current.format != "text" and data is not None:
        _write_format_renderings(out_dir, doc_id, current, text, found, data, keep_active_content)


__all__ = ["edit_rendered", "render_english", "rendering", "source_extracted", "source_text"]
