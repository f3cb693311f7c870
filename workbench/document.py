"""Documents and segments, and reading text files of unknown encoding into them."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Segment:
    """A single-language stretch ``text[start:end]`` of a document (Python string indices)."""

    start: int
    end: int
    lang: str
    script: str
    confidence: float
    kind: str  # heading, paragraph, sentence or phrase

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Document:
    """A decoded input text. ``text`` is ``bytes.decode(encoding)``: no newline translation."""

    id: str
    path: str
    text: str
    sha256: str
    encoding: str
    segments: tuple[Segment, ...] = field(default=(), compare=False)

    def with_segments(self, segments: list[Segment] | tuple[Segment, ...]) -> Document:
        return replace(self, segments=tuple(segments))


# Control characters that never occur in text; more than a few means a binary file.
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_REGIONAL = frozenset(
    codecs.lookup(name).name
    for name in (
        "cp1256",
        "iso-8859-6",
        "cp1254",
        "iso-8859-9",
        "cp1253",
        "iso-8859-7",
        "cp1251",
        "koi8-r",
        "koi8-u",
        "cp1252",
        "iso-8859-1",
    )
)


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; ``text == data.decode(encoding)``.

    A BOM selects its encoding; otherwise strict UTF-8, then charset-normalizer.
    Raises InputError (naming ``name``) for NUL bytes, binary data or undecodable bytes.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), name), encoding
            except UnicodeDecodeError as error:
                raise InputError(
                    name, f"starts with a {encoding} byte-order mark but is not {encoding}: {error.reason} at byte {error.start}"
                ) from None
    if b"\x00" in data:
        raise InputError(name, f"contains NUL bytes at byte {data.index(0)}: a binary file, not text")
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise InputError(name, "is not text in any encoding charset-normalizer knows")
    # charset-normalizer ranks by "chaos" first; on short texts that picks Baltic code pages
    # for Turkish. Coherence (does it read as a language?) and the code pages of the
    # languages this workbench serves break such near-ties.
    best = max(matches, key=lambda m: m.coherence - m.chaos + (0.05 if codecs.lookup(m.encoding).name in _REGIONAL else 0.0))
    encoding = codecs.lookup(best.encoding).name
    return _checked(data.decode(encoding), name), encoding


def _checked(text: str, name: str) -> str:
    controls = sum(1 for ch in text[:65536] if ch not in _TEXT_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls > 8:
        raise InputError(name, f"holds {controls} control characters in its first 64 KiB: a binary file, not text")
    if "\x00" in text:
        raise InputError(name, f"contains a NUL character at index {text.index(chr(0))}: a binary file, not text")
    return text


def document_from_bytes(data: bytes, *, path: str, doc_id: str) -> Document:
    text, encoding = decode_bytes(data, path)
    return Document(
        id=doc_id,
        path=path,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )


def read_document(path: Path, *, root: Path | None = None) -> Document:
    """Read and decode one file. Its id is its path under ``root`` without the suffix.

    Raises InputError when the file cannot be read or is not text.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None
    return document_from_bytes(data, path=str(path), doc_id=document_id(path, root))


def document_id(path: Path, root: Path | None = None) -> str:
    """``corpus/a/b.txt`` under ``corpus`` → ``a/b``: stable, readable, unique within a root."""
    relative = path
    if root is not None:
        try:
            relative = path.resolve().relative_to(root.resolve())
        except ValueError:
            relative = Path(path.name)
    else:
        relative = Path(path.name)
    return relative.with_suffix("").as_posix() if relative.suffix else relative.as_posix()


def iter_input_files(paths: list[Path]) -> list[tuple[Path, Path | None]]:
    """Expand files and folders into ``(file, root)`` pairs, folders recursively and sorted.

    Hidden files and the corpus's own notes (``*.md``) are skipped inside folders.
    Raises InputError for a path that does not exist.
    """
    found: list[tuple[Path, Path | None]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative_parts = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative_parts) and child.suffix.lower() != ".md":
                    found.append((child, path))
        elif path.is_file():
            found.append((path, None))
        else:
            raise InputError(path, "does not exist")
    return found
