"""Documents beyond plain text: reading their text, and writing English renderings in their own format.

A reader turns a file into *blocks* (an HTML paragraph or heading, a Word or OpenDocument
paragraph, a subtitle cue), each made of *pieces* (HTML text nodes, Word runs, ODF text
nodes). The document's text is its blocks joined by blank lines, whitespace inside a block
collapsed, so segmentation, translation, review, memory and alignment work on it unchanged,
and every offset is an offset into that text (`workbench text FILE` prints it).

A rendering parses the original file again, finds the same blocks in the same order, and
replaces the text of each block whose English differs: the translation goes into the first
piece (it takes that piece's formatting: bold, link, style) and the other pieces are emptied.
Markup, attributes, links, scripts, styles, tables and timings are left as they are.

Each format is a module with ``read(data, path, limits)`` and ``render(data, path, english_of)``
(``html``, ``docx``, ``odt``, ``pdf``, ``subtitles``; the shared block model is ``blocks``);
this module is their registry, with the bounds every reader runs within.

Formats: HTML (``.html``, ``.htm``), Word (``.docx``), OpenDocument (``.odt``), PDF (``.pdf``,
the text layer; renderings ``.en.txt`` and ``.en.html``, since a PDF's page layout cannot be
rewritten with other text), Markdown (``.md``: text as it is, rendering ``.en.md``), SubRip
(``.srt``) and WebVTT (``.vtt``) subtitles (timings kept).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits, megabytes
from workbench.formats import docx, html, markdown, odt, pdf, subtitles
from workbench.formats.blocks import EnglishOf, Piece, styled_text

SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".odt": "odt",
    ".pdf": "pdf",
    ".md": "markdown",
    ".markdown": "markdown",
    ".srt": "srt",
    ".vtt": "vtt",
}
# The renderings each format gets beside the .en.txt.
RENDERINGS = {"html": (".en.html",), "docx": (".en.docx",), "odt": (".en.odt",), "pdf": (".en.html",), "markdown": (".en.md",),
              "srt": (".en.srt",), "vtt": (".en.vtt",)}  # fmt: skip
_SPACES = re.compile(r"\s+")


def format_of(path: Path | str) -> str:
    return SUFFIXES.get(Path(path).suffix.lower(), "text")


def rendering_names(doc_id: str, fmt: str) -> dict[str, str]:
    """Rendering suffix → file name (relative to the translations folder) for a document:
    ``letter.docx`` → ``letter.en.docx``; a PDF's HTML is ``statement.pdf.en.html``, so it
    never meets the rendering of a ``statement.html`` beside it."""
    stem = doc_id[: -len(Path(doc_id).suffix)] if Path(doc_id).suffix else doc_id
    return {suffix: (doc_id if fmt == "pdf" else stem) + suffix for suffix in RENDERINGS.get(fmt, ())}


@dataclass
class Extracted:
    """A document's text, where each of its blocks lies in it, and what reading had to say."""

    text: str
    format: str
    encoding: str
    blocks: list[tuple[int, int]] = field(default_factory=list)
    confidence: float = 1.0
    warnings: tuple[str, ...] = ()
    styles: tuple[tuple[int, int, int], ...] = ()  # (start, end, style number) per piece: blocks.styled_text
    marks: tuple[tuple[int, str], ...] = ()  # (offset, kind) per image, note reference, field: blocks.styled_text


def extract(data: bytes, path: str, fmt: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """The text of a file in ``fmt`` (default: from its suffix; plain text is decoded as it
    is, not here). Raises InputError naming the file for an empty, corrupt,
    encrypted, scanned or oversized file, and for any failure of a parser on it: a reader's
    error is the file's problem, never the run's."""
    fmt = fmt or format_of(path)
    if not data:
        raise InputError(path, f"is empty (0 bytes): not a {fmt} document")
    large = limits.checked_size(path, len(data))
    if fmt in ARCHIVES:
        check_archive(data, path, limits)
    try:
        blocks, encoding, confidence, warnings = _READERS[fmt](data, path, limits)
    except InputError:
        raise
    except RecursionError:
        raise InputError(path, f"is nested too deeply to read (more than {limits.max_depth} levels)") from None
    except MemoryError:
        raise InputError(path, "needs more memory to read than this machine has") from None
    except Exception as error:  # a parser's own failure on a hostile or broken file
        raise InputError(path, f"cannot be read as {fmt}: {type(error).__name__}: {error}") from None
    warnings = (*warnings, *large)
    text, spans, styles, marks = styled_text(blocks)
    return Extracted(text, fmt, encoding, spans, confidence, warnings, styles, marks)


def read_pieces(data: bytes, path: str, fmt: str | None = None, limits: Limits = DEFAULT_LIMITS) -> list[list[Piece]]:
    """A file's blocks of pieces (text and style), as its reader sees them: what a rendering
    writes into. Raises what ``extract`` raises."""
    fmt = fmt or format_of(path)
    if fmt in ARCHIVES:
        check_archive(data, path, limits)
    return _READERS[fmt](data, path, limits)[0]


# Formats that are zip archives: bounded before any parser sees them.
ARCHIVES = frozenset({"docx", "odt"})


def check_archive(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip whose parts are too many or decompress to more than ``limits`` allows.

    The sizes a zip declares can lie, so every part is decompressed as a stream, counted,
    and dropped; the count stops at the bound (a 3 GB bomb costs ~0.5 GB of decompression
    and no memory). Raises InputError naming the file."""
    if data[:4] != b"PK\x03\x04":
        return  # not a zip: the reader says what it is
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_archive_entries:
                raise InputError(path, f"holds {len(entries):,} parts, more than the {limits.max_archive_entries:,} the workbench opens")
            total = 0
            for entry in entries:
                with archive.open(entry) as part:
                    while chunk := part.read(1 << 20):
                        total += len(chunk)
                        if total > limits.max_unpacked_bytes:
                            raise InputError(
                                path,
                                f"decompresses to more than {megabytes(limits.max_unpacked_bytes)} (a zip bomb?); "
                                "refused (raise max_unpacked_mb in workbench.toml if it is a real document)",
                            )
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError, zlib.error):
        return  # damaged: the format's reader names what is wrong with it


def render(fmt: str, data: bytes, path: str, english_of: EnglishOf, keep_active_content: bool) -> bytes:
    """The rendering of a file in ``fmt`` with each block's pieces' English from ``english_of``."""
    if fmt == "html":
        return html.render(data, path, english_of, keep_active_content)
    return _RENDERERS[fmt](data, path, english_of)


_READERS = {"html": html.read, "docx": docx.read, "odt": odt.read, "pdf": pdf.read, "markdown": markdown.read, "srt": subtitles.read,
            "vtt": subtitles.read}  # fmt: skip
_RENDERERS = {"html": html.render, "docx": docx.render, "odt": odt.render, "markdown": markdown.render, "srt": subtitles.render,
              "vtt": subtitles.render}  # fmt: skip
make_inert = html.make_inert
render_pdf = pdf.render


# -- renderings -------------------------------------------------------------------------------
