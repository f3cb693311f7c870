"""Input files into documents: finding them in folders, naming them, reading them within limits."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from workbench.core.document import Document
from workbench.core.errors import InputError, WorkbenchError
from workbench.core.limits import DEFAULT_LIMITS, Limits
from workbench.formats.decoding import decode


def document_from_bytes(data: bytes, *, path: str, doc_id: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """A document from a file's bytes. Raises InputError naming ``path`` for a file that is
    not text, cannot be parsed, or is beyond ``limits``."""
    from workbench.formats import readers as formats

    fmt = formats.format_of(path)
    # Plain text is decoded as it is; other formats have their text extracted.
    if fmt == "text":
        large = limits.checked_size(path, len(data))
        read = decode(data, path)
        if large:
            read = replace(read, warnings=(*read.warnings, *large))
        styles: tuple = ()
    else:
        read = formats.extract(data, path, fmt, limits)
        styles = read.styles
    _check_lines(read.text, path, limits)
    return Document(
        id=doc_id,
        path=path,
        text=read.text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=read.encoding,
        encoding_confidence=read.confidence,
        warnings=read.warnings,
        format=fmt,
        styles=styles,
    )


def _check_lines(text: str, path: str, limits: Limits) -> None:
    """Refuse a line longer than ``limits.max_line_chars``: segmenting one 100 MB line took
    ten minutes and 14 GB. Cheap: only a text longer than the bound can hold such a line."""
    if len(text) <= limits.max_line_chars:
        return
    start = number = 0
    while start <= len(text):
        number += 1
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if end - start > limits.max_line_chars:
            raise InputError(
                path,
                f"line {number} is {end - start:,} characters long, more than the {limits.max_line_chars:,} the workbench "
                "splits (raise max_line_chars in workbench.toml, or break the text into lines)",
            )
        start = end + 1


def read_document(path: Path, *, root: Path | None = None, doc_id: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and decode one file. Its id is ``doc_id``, or its path under ``root`` without the suffix.

    Raises InputError when the file cannot be read, is not text, or is beyond ``limits``
    (a file larger than ``limits.max_input_bytes`` is refused before it is read).
    """
    try:
        limits.checked_size(path, path.stat().st_size)  # before reading: a huge file is refused unread
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None
    return document_from_bytes(data, path=str(path), doc_id=doc_id or document_id(path, root), limits=limits)


def document_id(path: Path, root: Path | None = None) -> str:
    """``corpus/a/b.txt`` under ``corpus`` → ``a/b``: stable, readable, unique within a root.
    Other formats keep their suffix (``letter.docx``), so ``letter.docx`` and ``letter.odt``
    beside each other stay two documents."""
    from workbench.formats.readers import format_of

    relative = path
    if root is not None:
        try:
            relative = path.resolve().relative_to(root.resolve())
        except ValueError:
            relative = Path(path.name)
    else:
        relative = Path(path.name)
    if format_of(relative) != "text":
        return relative.as_posix()
    return relative.with_suffix("").as_posix() if relative.suffix else relative.as_posix()


def full_document_id(path: Path, root: Path | None = None) -> str:
    """The id with the file's suffix kept (``report.txt``): what tells apart two files that
    share a stem (``report.txt`` and ``report.csv`` beside each other)."""
    short = document_id(path, root)
    return short if short.endswith(path.name) else f"{short}{path.suffix}"


def iter_input_files(paths: list[Path], *, follow_links: bool = False, skipped: list[str] | None = None) -> list[tuple[Path, Path | None]]:
    """Expand files and folders into ``(file, root)`` pairs, folders recursively and sorted.

    Hidden files and a folder's own notes (README, SOURCES, LICENSE…) are skipped inside folders.
    A link inside a folder that leads out of it is not followed unless ``follow_links``: a
    corpus must not pull in files from elsewhere on the machine. What is left out that way is
    reported in ``skipped``. Raises InputError for a path that does not exist.
    """
    found: list[tuple[Path, Path | None]] = []
    for path in paths:
        if path.is_dir():
            inside = path.resolve()
            for child in sorted(path.rglob("*")):
                relative_parts = child.relative_to(path).parts
                if not child.is_file() or any(part.startswith(".") for part in relative_parts) or _is_note(child):
                    continue
                if not follow_links and not child.resolve().is_relative_to(inside):
                    if skipped is not None:
                        skipped.append(f"{child}: a link to {child.resolve()}, outside {path}; not read (set follow_links to read it)")
                    continue
                found.append((child, path))
        elif path.is_file():
            found.append((path, None))
        else:
            raise InputError(path, "does not exist")
    return found


_NOTES = ("readme", "sources", "license", "licence", "changelog", "notice")


def _is_note(path: Path) -> bool:
    """A folder's notes about itself, not a document to translate."""
    return path.stem.lower() in _NOTES and path.suffix.lower() in ("", ".md", ".txt", ".rst")


def reading_failure(name, error: Exception) -> str:
    """One line naming ``name`` for whatever went wrong reading it: a parser's own failure on a
    hostile file (RecursionError, MemoryError, any library error) is that file's problem, and
    says so, never a traceback that stops the others."""
    if isinstance(error, InputError):
        return str(error)  # it names the file already
    if isinstance(error, WorkbenchError):
        return f"{name}: {error}"
    if isinstance(error, OSError):
        return f"{name}: cannot be read ({error.strerror or error})"
    if isinstance(error, RecursionError):
        return f"{name}: nested too deeply to read"
    if isinstance(error, MemoryError):
        return f"{name}: needs more memory to read than this machine has"
    return f"{name}: could not be read: {type(error).__name__}: {error}"
