"""Documents and segments, and reading text files of unknown encoding into them."""

from __future__ import annotations

import codecs
import hashlib
import itertools
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits, megabytes


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
    """A decoded input text. ``text`` is ``decode_as(bytes, encoding)``: no newline translation."""

    id: str
    path: str
    text: str
    sha256: str
    encoding: str
    segments: tuple[Segment, ...] = field(default=(), compare=False)
    # How sure decoding was (1.0: valid UTF-8 or a byte-order mark), and what it had to say.
    encoding_confidence: float = field(default=1.0, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # "text", "markdown", or a format whose text was extracted (html, docx, odt, pdf, srt, vtt):
    # then ``text`` is the extracted text (workbench.formats.readers), not the file's bytes decoded.
    format: str = "text"

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

# Below this, the command line warns that the encoding was a guess.
LOW_ENCODING_CONFIDENCE = 0.75
# At most this many invalid bytes in otherwise valid UTF-8 are replaced (U+FFFD), not re-decoded.
_MAX_STRAY_BYTES = 64

# The legacy code pages of the workbench's languages, in order of preference when two decode
# the bytes identically, with the languages each is written for.
LEGACY_ENCODINGS: dict[str, tuple[str, ...]] = {
    "cp1252": ("en", "es", "fr", "it", "pt", "de"),
    "cp1254": ("tr", "ku"),
    "iso8859-9": ("tr", "ku"),
    "cp1256": ("ar", "fa", "ckb", "ur"),
    "cp1253": ("el",),
    "iso8859-7": ("el",),
    "cp1251": ("ru", "uk", "bg"),
    "koi8-r": ("ru",),
    "koi8-u": ("uk",),
}
# Letters beyond ASCII that each language writes (whole blocks for non-Latin scripts).
_ALPHABETS: dict[str, str] = {
    "en": "",
    "es": "áéíóúñüÁÉÍÓÚÑÜ¿¡",
    "pt": "áâãàçéêíóôõúüÁÂÃÀÇÉÊÍÓÔÕÚ",
    "it": "àèéìíòóùÀÈÉÌÍÒÓÙ",
    "fr": "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ",
    "de": "äöüßÄÖÜ",
    "tr": "çğıöşüâîûÇĞİÖŞÜÂÎÛ",
    "ku": "çêîşûÇÊÎŞÛ",
}
_BLOCKS: dict[str, tuple[int, int]] = {
    "el": (0x0370, 0x03FF),
    "ru": (0x0400, 0x04FF),
    "uk": (0x0400, 0x04FF),
    "bg": (0x0400, 0x04FF),
    "ar": (0x0600, 0x06FF),
    "fa": (0x0600, 0x06FF),
    "ckb": (0x0600, 0x06FF),
    "ur": (0x0600, 0x06FF),
}
# Typography any of them may use.
_TYPOGRAPHY = frozenset("’‘“”„«»‹›–—…•°€£§©®·\u00a0\u200c\u200d")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    confidence: float = 1.0
    warnings: tuple[str, ...] = ()


def decode_as(data: bytes, encoding: str) -> str:
    """Decode exactly as when the document was read: stray bytes become U+FFFD."""
    return data.decode(encoding, errors="replace")


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; see ``decode``."""
    decoded = decode(data, name)
    return decoded.text, decoded.encoding


def decode(data: bytes, name: str) -> Decoded:
    """Decode a file's bytes without ever corrupting them silently.

    - a byte-order mark selects its encoding;
    - valid UTF-8 is UTF-8; UTF-8 with a few stray bytes stays UTF-8, each stray byte
      becomes U+FFFD, and a warning names ``name`` and the byte offsets;
    - otherwise the legacy code pages of the workbench's languages are tried, and the one
      whose text reads best as one of its languages wins (``confidence`` says by how much);
      charset-normalizer decides only when none of them fits at all.

    Raises InputError (naming ``name``) for NUL bytes, binary data or undecodable bytes.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_checked(data.decode(encoding), name), encoding)
            except UnicodeDecodeError as error:
                raise InputError(
                    name, f"starts with a {encoding} byte-order mark but is not {encoding}: {error.reason} at byte {error.start}"
                ) from None
    if b"\x00" in data:
        raise InputError(name, f"contains NUL bytes at byte {data.index(0)}: a binary file, not text")
    stray = _invalid_utf8_offsets(data)
    if not stray:
        return Decoded(_checked(data.decode("utf-8"), name), "utf-8")
    text = decode_as(data, "utf-8")
    valid = sum(1 for char in text if char > "\x7f") - text.count("\ufffd")
    if len(stray) <= _MAX_STRAY_BYTES and valid > 0:
        # Each valid multi-byte sequence is evidence for UTF-8 (a legacy code page reads it as
        # mojibake, "Ã©"), each stray byte evidence against: where the bytes of the first
        # outnumber the second, UTF-8 wins; otherwise the decodings are compared as text.
        utf8 = Decoded(text, "utf-8", round(valid / (valid + len(stray)), 3))
        multibyte = sum(len(char.encode()) for char in text if "\x7f" < char != "\ufffd")
        if multibyte > len(stray) or _reads_better_than_legacy(data, text):
            shown = ", ".join(map(str, stray[:10])) + (" …" if len(stray) > 10 else "")
            warning = f"{name}: not valid UTF-8 at byte{'s' if len(stray) > 1 else ''} {shown}; replaced with U+FFFD"
            return replace(utf8, text=_checked(text, name), warnings=(warning,))
    return _decode_legacy(data, name)


def _reads_better_than_legacy(data: bytes, utf8_text: str) -> bool:
    """Whether ``utf8_text`` (stray bytes replaced) reads at least as well as any legacy
    decoding of ``data`` reads as its own languages."""
    every_language = tuple(dict.fromkeys(lang for langs in LEGACY_ENCODINGS.values() for lang in langs))
    utf8_score = _reads_as(utf8_text, every_language)  # U+FFFD counts as a letter no language writes
    for encoding, langs in LEGACY_ENCODINGS.items():
        try:
            legacy = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as(legacy, langs) > utf8_score:
            return False
    return True


def _invalid_utf8_offsets(data: bytes) -> list[int]:
    offsets: list[int] = []
    position = 0
    while len(offsets) <= _MAX_STRAY_BYTES:
        try:
            data[position:].decode("utf-8")
            break
        except UnicodeDecodeError as error:
            offsets.extend(range(position + error.start, position + error.end))
            position += error.end
    return offsets


def _decode_legacy(data: bytes, name: str) -> Decoded:
    candidates: dict[str, str] = {}  # decoded text → encoding (the first of identical decodings)
    for encoding in LEGACY_ENCODINGS:
        try:
            candidates.setdefault(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    scored = sorted(((_reads_as(text, LEGACY_ENCODINGS[enc]), enc, text) for text, enc in candidates.items()), reverse=True)
    if not scored or scored[0][0] <= 0.0:
        return _decode_with_charset_normalizer(data, name)
    best, encoding, text = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    confidence = round(best / (best + runner_up), 3)
    warnings = ()
    if confidence < LOW_ENCODING_CONFIDENCE:
        others = ", ".join(f"{enc} {score / (best + runner_up):.2f}" for score, enc, _ in scored[1:3])
        warnings = (f"{name}: not UTF-8; decoded as {encoding} with low confidence {confidence:.2f} (also possible: {others})",)
    return Decoded(_checked(text, name), codecs.lookup(encoding).name, confidence, warnings)


def _reads_as(text: str, languages: tuple[str, ...]) -> float:
    """How well ``text`` reads as one of ``languages``: the share of its non-ASCII characters
    those languages write, times the share of its non-ASCII words with a sane shape (one
    script, no lower-then-upper case), times how likely a language detector finds them."""
    words = [word for word in text.split() if any(char > "\x7f" for char in word)]
    if not words:
        return 1.0
    extras = set().union(*(_ALPHABETS.get(lang, "") for lang in languages))
    blocks = [_BLOCKS[lang] for lang in languages if lang in _BLOCKS]

    def plausible(char: str) -> bool:
        return (
            char in extras
            or char in _TYPOGRAPHY
            or any(low <= ord(char) <= high for low, high in blocks)
            or (unicodedata.category(char) == "Mn" and bool(blocks))
        )

    non_ascii = [char for word in words for char in word if char > "\x7f"]
    alphabet_fit = sum(map(plausible, non_ascii)) / len(non_ascii)
    shape_fit = sum(map(_sane_word, words)) / len(words)
    if alphabet_fit * shape_fit == 0.0:
        return 0.0
    from workbench.split.langid import language_probabilities

    probabilities = language_probabilities(" ".join(words))
    return alphabet_fit * shape_fit * sum(probabilities.get(lang, 0.0) for lang in languages)


# Letters that only end a word: Greek final sigma, Arabic teh marbuta and alef maksura.
_WORD_FINAL = frozenset("ςةى")


def _sane_word(word: str) -> bool:
    """A word as its language writes it: one script, no lower-then-upper case, no combining
    mark first, word-final letters only at the end (and Greek σ never there)."""
    body = word.strip(".,;:!?()[]{}\"'«»“”‘’-–—…؟،؛")
    letters = [char for char in body if char.isalpha() or unicodedata.category(char) == "Mn"]
    if not letters:
        return True
    if unicodedata.category(letters[0]) == "Mn":
        return False
    if len({_block_of(char) for char in letters if char.isalpha()}) > 1:
        return False
    if any(char in _WORD_FINAL for char in letters[:-1]) or (len(letters) > 1 and letters[-1] == "σ"):
        return False
    return not any(a.islower() and b.isupper() for a, b in itertools.pairwise(letters))


def _block_of(char: str) -> str:
    code = ord(char)
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "Latn"
    for lang, (low, high) in _BLOCKS.items():
        if low <= code <= high:
            return lang if lang in ("el", "ar") else ("ru" if low == 0x0400 else lang)
    return "other"


def _decode_with_charset_normalizer(data: bytes, name: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(name, "is not text in any encoding the workbench or charset-normalizer knows")
    encoding = codecs.lookup(best.encoding).name
    warning = f"{name}: not UTF-8 nor a code page of the workbench's languages; decoded as {encoding} (charset-normalizer), check it"
    return Decoded(_checked(data.decode(encoding), name), encoding, 0.5, (warning,))


def _checked(text: str, name: str) -> str:
    controls = sum(1 for ch in text[:65536] if ch not in _TEXT_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls > 8:
        raise InputError(name, f"holds {controls} control characters in its first 64 KiB: a binary file, not text")
    if "\x00" in text:
        raise InputError(name, f"contains a NUL character at index {text.index(chr(0))}: a binary file, not text")
    return text


def document_from_bytes(data: bytes, *, path: str, doc_id: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """A document from a file's bytes. Raises InputError naming ``path`` for a file that is
    not text, cannot be parsed, or is beyond ``limits``."""
    from workbench.formats import readers as formats

    fmt = formats.format_of(path)
    if len(data) > limits.max_input_bytes:
        raise InputError(path, _too_large(len(data), limits))
    # Markdown and plain text are decoded as they are; other formats have their text extracted.
    if fmt in ("text", "markdown"):
        read = decode(data, path)
        if len(data) > limits.large_input_bytes:
            read = replace(read, warnings=(*read.warnings, formats.large_file_warning(path, len(data))))
    else:
        read = formats.extract(data, path, fmt, limits)
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
    )


def _too_large(size: int, limits: Limits) -> str:
    return (
        f"is {megabytes(size)}, more than the {megabytes(limits.max_input_bytes)} the workbench reads "
        "(raise max_input_mb in workbench.toml to read it)"
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
        size = path.stat().st_size
        if size > limits.max_input_bytes:
            raise InputError(path, _too_large(size, limits))
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


def iter_input_files(
    paths: list[Path], *, follow_links: bool = False, skipped: list[str] | None = None
) -> list[tuple[Path, Path | None]]:
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
