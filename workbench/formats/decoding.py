"""Decoding a file's bytes into text without ever corrupting them silently."""

from __future__ import annotations

import codecs
import itertools
import unicodedata
from dataclasses import dataclass

from workbench.core import languages
from workbench.core.errors import InputError

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


# The legacy code pages of the workbench's languages (the registry's ``code_pages``), in
# order of preference when two decode the bytes identically, with the languages each is
# written for.
LEGACY_ENCODINGS: dict[str, tuple[str, ...]] = {
    page: tuple(code for code, language in languages.REGISTRY.items() if page in language.code_pages) for page in languages.CODE_PAGE_ORDER
}


# Letters beyond ASCII that each language writes (whole blocks for non-Latin scripts).
_ALPHABETS: dict[str, str] = {
    code: language.letters + language.capitals for code, language in languages.REGISTRY.items() if language.letters is not None
}
_SCRIPT_BLOCKS = {"Grek": (0x0370, 0x03FF), "Cyrl": (0x0400, 0x04FF), "Arab": (0x0600, 0x06FF)}
_BLOCKS: dict[str, tuple[int, int]] = {
    code: _SCRIPT_BLOCKS[language.scripts[0]]
    for code, language in languages.REGISTRY.items()
    if language.code_pages and language.scripts and language.scripts[0] in _SCRIPT_BLOCKS
}


# Typography any of them may use.
_TYPOGRAPHY = frozenset("’‘“”„«»‹›–—…•°€£§©®·\u00a0\u200c\u200d")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    confidence: float = 1.0
    warnings: tuple[str, ...] = ()


def encoded_as_utf8(text: str, source: bytes) -> bytes:
    """``text`` (decoded from ``source``) written as UTF-8, with the UTF-8 byte-order mark
    when ``source`` began with one (decoding leaves it out): a rendering keeps it."""
    bom = "\ufeff" if source.startswith(b"\xef\xbb\xbf") and not text.startswith("\ufeff") else ""
    return (bom + text).encode("utf-8")


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
    legacy = None
    if len(stray) <= _MAX_STRAY_BYTES and valid > 0:
        # Each valid multi-byte sequence is evidence for UTF-8 (a legacy code page reads it as
        # mojibake, "Ã©"), each stray byte evidence against: where the bytes of the first
        # outnumber the second, UTF-8 wins; otherwise the decodings are compared as text.
        multibyte = sum(len(char.encode()) for char in text if "\x7f" < char != "\ufffd")
        if multibyte <= len(stray):
            legacy = _legacy_decodings(data)
        if multibyte > len(stray) or not legacy or _reads_as(text, _EVERY_LANGUAGE) >= legacy[0][0]:
            shown = ", ".join(map(str, stray[:10])) + (" …" if len(stray) > 10 else "")
            warning = f"{name}: not valid UTF-8 at byte{'s' if len(stray) > 1 else ''} {shown}; replaced with U+FFFD"
            return Decoded(_checked(text, name), "utf-8", round(valid / (valid + len(stray)), 3), (warning,))
    return _decode_legacy(data, name, legacy if legacy is not None else _legacy_decodings(data))


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


# Every language of the legacy code pages: what UTF-8 text is read as when compared with them
# (U+FFFD counts as a letter no language writes).
_EVERY_LANGUAGE = tuple(dict.fromkeys(lang for langs in LEGACY_ENCODINGS.values() for lang in langs))


def _legacy_decodings(data: bytes) -> list[tuple[float, str, str]]:
    """``(how well it reads as the code page's languages, encoding, text)`` of every legacy
    decoding of ``data``, best first; identical decodings once, under the first encoding."""
    candidates: dict[str, str] = {}  # decoded text → encoding
    for encoding in LEGACY_ENCODINGS:
        try:
            candidates.setdefault(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    return sorted(((_reads_as(text, LEGACY_ENCODINGS[enc]), enc, text) for text, enc in candidates.items()), reverse=True)


def _decode_legacy(data: bytes, name: str, scored: list[tuple[float, str, str]]) -> Decoded:
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
