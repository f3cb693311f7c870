"""PDF: paragraphs rebuilt from the text layer's lines (pypdf), running heads and footers left
out; the rendering is an HTML page, since a PDF's page layout cannot be rewritten with text
of another length."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits

_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"[^\W\d_]-$")


def read(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "is an encrypted PDF: decrypt it first (e.g. `qpdf --decrypt`)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise InputError(path, f"is not a readable PDF: {error}") from None
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise InputError(path, f"is not a readable PDF: {type(error).__name__}: {error}") from None
    if not any(page.strip() for page in pages):
        raise InputError(path, "has no text layer (a scanned PDF?): run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`)")
    return _paragraphs([_lines(page) for page in pages]), "pdf", 1.0, ()


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines()]


def _furniture(pages: list[list[str]]) -> set[str]:
    """Running heads, footers and page numbers: lines at the top or bottom of at least half
    the pages (two at least), alike but for their numbers."""
    if len(pages) < 2:
        return set()
    seen: Counter = Counter()
    for lines in pages:
        text = [line for line in lines if line]
        seen.update({_DIGITS.sub("#", line) for line in text[:2] + text[-2:]})
    return {line for line, count in seen.items() if count >= max(2, (len(pages) + 1) // 2)}


def _paragraphs(pages: list[list[str]]) -> list[list[tuple[str, None]]]:
    """Paragraphs rebuilt from lines: a blank line, a line that ends a sentence or a short line
    (a title, an author line, a heading, a paragraph's last line: under 60 % of the page's
    usual line) ends one; a word hyphenated at a line end is joined again ("manip-" "ulation")."""
    furniture = _furniture(pages)
    blocks = []
    for lines in pages:
        lines = [line for line in lines if not line or _DIGITS.sub("#", line) not in furniture]
        lengths = sorted(len(line) for line in lines if line)
        usual = lengths[len(lengths) * 3 // 4] if lengths else 0  # a body line (titles and last lines are shorter)
        current: list[str] = []
        for line in [*lines, ""]:
            if line and current and _HYPHENATED.search(current[-1]) and line[:1].islower():
                current[-1] = current[-1][:-1] + line
            elif line:
                current.append(line)
            ends = not line or line.endswith((".", "!", "?", ":")) or (len(line) < 0.6 * usual and not _HYPHENATED.search(line))
            if ends and current:
                blocks.append([(" ".join(current), None)])
                current = []
    return blocks


def render(data: bytes, path: str, english: list[str | None], originals: list[str]) -> bytes:
    import html

    paragraphs = "\n".join(f"<p>{html.escape(text if text is not None else original)}</p>" for text, original in zip(english, originals))
    title = html.escape(Path(path).name)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{title} (English)</title></head>\n'
        f"<body>\n{paragraphs}\n</body>\n</html>\n"
    ).encode()
