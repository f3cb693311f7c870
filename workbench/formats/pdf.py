"""PDF: paragraphs from the text layer (pypdf); the rendering is an HTML page, since a PDF's
page layout cannot be rewritten with other text."""

from __future__ import annotations

import io
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits


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
    blocks = []
    for page in pages:
        # A paragraph is a run of lines; a blank line, or a line ending a sentence, ends it.
        lines: list[str] = []
        for line in [*page.splitlines(), ""]:
            if line.strip():
                lines.append(line.strip())
            if (not line.strip() or line.rstrip().endswith((".", "!", "?", ":"))) and lines:
                blocks.append([(" ".join(lines), None)])
                lines = []
    return blocks, "pdf", 1.0, ()


def render(data: bytes, path: str, english: list[str | None], originals: list[str]) -> bytes:
    import html

    paragraphs = "\n".join(f"<p>{html.escape(text if text is not None else original)}</p>" for text, original in zip(english, originals))
    title = html.escape(Path(path).name)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{title} (English)</title></head>\n'
        f"<body>\n{paragraphs}\n</body>\n</html>\n"
    ).encode()
