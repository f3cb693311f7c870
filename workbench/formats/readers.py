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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits, megabytes

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


def _join(blocks: list[str]) -> tuple[str, list[tuple[int, int]]]:
    spans, parts, cursor = [], [], 0
    for block in blocks:
        if parts:
            parts.append("\n\n")
            cursor += 2
        parts.append(block)
        spans.append((cursor, cursor + len(block)))
        cursor += len(block)
    return "".join(parts) + ("\n" if parts else ""), spans


def _collapse(texts: list[str]) -> str:
    return _SPACES.sub(" ", "".join(texts)).strip()


def extract(data: bytes, path: str, fmt: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """The text of a file in ``fmt`` (default: from its suffix; Markdown and plain text are
    decoded as they are, not here). Raises InputError naming the file for an empty, corrupt,
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
    text, spans = _join([_collapse(pieces) for pieces in blocks])
    return Extracted(text, fmt, encoding, spans, confidence, warnings)


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


# -- HTML -------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
    "title option".split()
)
_SKIPPED_TAGS = frozenset("script style noscript template head svg math iframe object canvas select textarea".split())
# Navigation boilerplate: skipped unless asked for (a header inside an article is the article's).
_BOILERPLATE_TAGS = frozenset("nav footer aside form".split())


def _hidden(element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None or element.get("aria-hidden") == "true" or "display:none" in style or "visibility:hidden" in style
    )


def _html_tree(data: bytes, path: str):
    import lxml.html

    from workbench.formats.decoding import decode

    decoded = decode(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decoded.text)  # lxml refuses str with an encoding declaration
    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as error:  # lxml raises ParserError or ValueError on no markup at all
        raise InputError(path, f"cannot be parsed as HTML: {error}") from None
    return tree, decoded


def _html_blocks(
    tree, keep_boilerplate: bool = False, max_depth: int = DEFAULT_LIMITS.max_depth, path: str = "page"
) -> list[tuple[object, list[tuple[object, str]]]]:
    """``[(block element, [(node, "text" | "tail"), …])]`` in document order."""
    blocks: list[tuple[object, list]] = []

    def new(owner) -> list:
        pieces: list = []
        blocks.append((owner, pieces))
        return pieces

    def skipped(element) -> bool:
        if not isinstance(element.tag, str):
            return True  # comments, processing instructions
        tag = element.tag.lower()
        if tag in _SKIPPED_TAGS or _hidden(element):
            return True
        if keep_boilerplate:
            return False
        if tag in _BOILERPLATE_TAGS:
            return True
        return tag == "header" and not any(a.tag in ("article", "main") for a in element.iterancestors() if isinstance(a.tag, str))

    def walk(element, pieces: list, owner, depth: int = 0) -> None:
        if depth > max_depth:
            raise InputError(path, f"nests elements more than {max_depth} levels deep")
        tag = element.tag.lower()
        if tag in _BLOCK_TAGS:
            owner, pieces = element, new(element)
        if element.text:
            pieces.append((element, "text"))
        for child in element:
            if not skipped(child):
                walk(child, pieces, owner, depth + 1)
                if isinstance(child.tag, str) and (child.tag.lower() in _BLOCK_TAGS or child.tag.lower() == "br"):
                    pieces = new(owner)  # text after a block (or a line break) is a block of its own
            if child.tail:
                pieces.append((child, "tail"))

    body = tree.find("body")
    walk(body if body is not None else tree, new(tree), tree)
    return [(owner, pieces) for owner, pieces in blocks if _collapse([getattr(n, a) or "" for n, a in pieces])]


def _read_html(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    tree, decoded = _html_tree(data, path)
    blocks = [
        [getattr(node, attribute) or "" for node, attribute in pieces]
        for _, pieces in _html_blocks(tree, max_depth=limits.max_depth, path=path)
    ]
    return blocks, decoded.encoding, decoded.confidence, decoded.warnings


# Attributes whose value is a URL a browser may follow or run.
_URL_ATTRIBUTES = ("href", "src", "action", "cite", "data", "formaction", "poster", "background", "longdesc", "usemap", "xlink:href")
_RUNNABLE_URL = re.compile(r"^(javascript|vbscript|data:text/html)", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20]+")


def make_inert(tree) -> int:
    """Remove what would run when a rendering is opened: ``<script>`` elements, ``on…``
    event handlers, ``javascript:``/``vbscript:``/``data:text/html`` URLs, ``srcdoc``
    documents and refreshes to such URLs. The text and every other attribute stay. Returns
    how many things were removed."""
    removed = 0
    for script in list(tree.iter("script")):
        parent = script.getparent()
        if parent is None:
            continue
        if script.tail:  # the text after a script belongs to its parent
            previous = script.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + script.tail
            else:
                parent.text = (parent.text or "") + script.tail
        parent.remove(script)
        removed += 1
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in list(element.attrib.items()):
            lowered = name.lower()
            runnable = lowered.startswith("on") or lowered == "srcdoc"
            if not runnable and (lowered in _URL_ATTRIBUTES or lowered.endswith(":href")):
                runnable = bool(_RUNNABLE_URL.match(_INVISIBLE.sub("", value)))
            if not runnable and lowered == "content" and (element.get("http-equiv") or "").lower() == "refresh":
                runnable = "javascript" in _INVISIBLE.sub("", value).lower()
            if runnable:
                del element.attrib[name]
                removed += 1
    return removed


def _render_html(
    data: bytes, path: str, english_of: Callable[[list[list[str]]], list[str | None]], keep_active_content: bool = False
) -> bytes:
    import html

    import lxml.html

    tree, _ = _html_tree(data, path)
    if not keep_active_content:
        make_inert(tree)
    blocks = _html_blocks(tree, path=path)
    english = english_of([[getattr(node, attribute) or "" for node, attribute in pieces] for _, pieces in blocks])
    for (owner, pieces), text in zip(blocks, english):
        if text is None:
            continue
        _place(
            [(lambda value, n=node, a=attribute: setattr(n, a, value), getattr(node, attribute) or "") for node, attribute in pieces], text
        )
        if isinstance(owner.tag, str):
            if owner.get("lang"):
                owner.set("lang", "en")
            if owner.get("dir") == "rtl":
                owner.set("dir", "ltr")
    tree.set("lang", "en")
    for element in (tree, tree.find("body")):
        if element is not None and element.get("dir") == "rtl":
            element.set("dir", "ltr")
    declared = False
    for meta in tree.iter("meta"):
        if meta.get("charset"):
            meta.set("charset", "utf-8")
            declared = True
        elif (meta.get("http-equiv") or "").lower() == "content-type":
            # libxml2's serializer drops this form: the HTML5 equivalent says the same.
            for name in ("http-equiv", "content"):
                meta.attrib.pop(name, None)
            meta.set("charset", "utf-8")
            declared = True
    head = tree.find("head")
    if not declared and head is not None:
        meta = lxml.html.Element("meta", charset="utf-8")
        meta.tail = head.text
        head.insert(0, meta)
    # libxml2's HTML serializer percent-escapes spaces in URI attributes ("LA NACION" → "LA%20NACION"):
    # links must stay byte for byte, so their values wait behind placeholders while it writes.
    kept: dict[str, str] = {}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("href", "src", "action", "cite", "data", "formaction", "poster", "background", "longdesc", "usemap"):
            value = element.get(name)
            if value is not None and (" " in value or any(ord(char) > 127 for char in value)):
                placeholder = f"workbench-uri-{len(kept)}-{id(tree)}"
                kept[placeholder] = value
                element.set(name, placeholder)
    doctype = tree.getroottree().docinfo.doctype
    # To text, then UTF-8 here: libxml2 drops or rewrites charset <meta>s when it encodes itself.
    markup = lxml.html.tostring(tree, doctype=doctype or None, encoding="unicode", method="html")
    for placeholder, value in kept.items():
        markup = markup.replace(placeholder, html.escape(value, quote=True), 1)
    return markup.encode("utf-8")


def _place(pieces: list[tuple[Callable[[str], None], str]], text: str) -> None:
    """The translation into the first piece with content (its leading space kept), the other
    pieces emptied (a trailing space of the last kept, so the text around still reads)."""
    first = next((index for index, (_, value) in enumerate(pieces) if value.strip()), 0)
    for index, (setter, value) in enumerate(pieces):
        if index == first:
            lead = value[: len(value) - len(value.lstrip())]
            tail = value[len(value.rstrip()) :] if index == len(pieces) - 1 else ""
            setter(lead + text + tail)
        elif index > first or value.strip():
            setter(value[len(value.rstrip()) :] if index == len(pieces) - 1 else "")


# -- Word -------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_DOCUMENT_PART = "word/document.xml"


def _docx(data: bytes, path: str):
    """The body XML of a .docx (``word/document.xml``), parsed with lxml: reading and rewriting
    only this part, the other parts copied as they are, costs a few ms where python-docx
    loading the whole package twice cost ~60 ms a document (bench/formats.py)."""
    from lxml import etree

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(path, "is an encrypted (password-protected) or old binary Word file: save it as an unprotected .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(_DOCUMENT_PART)
        return etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except zipfile.BadZipFile as error:
        raise InputError(path, f"is not a readable .docx (a Word document is a zip of XML parts): {error}") from None
    except KeyError:
        raise InputError(path, f"is not a readable .docx: it has no {_DOCUMENT_PART}") from None
    except etree.XMLSyntaxError as error:
        raise InputError(path, f"is not a readable .docx: {_DOCUMENT_PART} is malformed XML ({error})") from None


def _docx_blocks(root) -> list[list[object]]:
    """Runs (``w:r``, links' runs included) of every paragraph of the body, tables included."""
    body = root.find(f"{_W}body")
    blocks = []
    for paragraph in (body if body is not None else root).iter(f"{_W}p"):
        runs = [run for run in paragraph.iter(f"{_W}r") if any(t.text for t in run.iter(f"{_W}t"))]
        if _collapse(["".join(t.text or "" for t in run.iter(f"{_W}t")) for run in runs]):
            blocks.append(runs)
    return blocks


def _run_text(run) -> str:
    return "".join(t.text or "" for t in run.iter(f"{_W}t"))


def _set_run_text(run, value: str) -> None:
    texts = list(run.iter(f"{_W}t"))
    texts[0].text = value
    texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for extra in texts[1:]:
        extra.getparent().remove(extra)


def _read_docx(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    return [[_run_text(run) for run in runs] for runs in _docx_blocks(_docx(data, path))], "docx", 1.0, ()


def _render_docx(data: bytes, path: str, english_of: Callable[[list[list[str]]], list[str | None]]) -> bytes:
    from lxml import etree

    root = _docx(data, path)
    blocks = _docx_blocks(root)
    english = english_of([[_run_text(run) for run in runs] for runs in blocks])
    for runs, text in zip(blocks, english):
        if text is not None:
            _place([(lambda value, r=run: _set_run_text(r, value), _run_text(run)) for run in runs], text)
    document_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():  # every other part as it was, in the same order
            target.writestr(info, document_xml if info.filename == _DOCUMENT_PART else source.read(info.filename))
    return buffer.getvalue()


# -- OpenDocument -----------------------------------------------------------------------------


def _odt(data: bytes, path: str):
    if data[:4] != b"PK\x03\x04":
        raise InputError(path, "is not a readable .odt (an OpenDocument file is a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "encryption-data" in archive.read("META-INF/manifest.xml").decode("utf-8", "replace"):
                raise InputError(path, "is an encrypted (password-protected) OpenDocument file: save it without a password")
        from odf.opendocument import load

        return load(io.BytesIO(data))
    except InputError:
        raise
    except Exception as error:  # odfpy raises zip, XML and key errors on damaged files
        raise InputError(path, f"is not a readable .odt: {type(error).__name__}: {error}") from None


def _odt_blocks(document, path: str = "document", max_depth: int = DEFAULT_LIMITS.max_depth) -> list[list[object]]:
    """Text nodes of every heading and paragraph (spans included), in document order.

    Walked with an explicit stack, not recursion: 3,000 nested spans in a 905-byte file
    must not stop a run. Deeper than ``max_depth`` is refused (odfpy's own writer recurses)."""
    from odf import teletype  # noqa: F401  (registers the element classes)
    from odf.namespaces import TEXTNS

    paragraph_tags = ((TEXTNS, "p"), (TEXTNS, "h"))
    skipped_tags = ((TEXTNS, "note"), (TEXTNS, "annotation"))

    def walk(element, depth: int, enter):
        """``(node, its depth)`` below ``element`` in document order, going into the elements
        ``enter`` accepts; an explicit stack, so depth costs no recursion."""
        stack = [(iter(element.childNodes), depth)]
        while stack:
            children, level = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                continue
            yield child, level + 1
            if child.nodeType == child.ELEMENT_NODE and enter(child):
                if level + 1 > max_depth:
                    raise InputError(path, f"nests elements more than {max_depth} levels deep; the workbench reads at most {max_depth}")
                stack.append((iter(child.childNodes), level + 1))

    def inside_paragraph(element) -> bool:  # notes are read apart; a nested paragraph is its own block
        return element.qname not in paragraph_tags and element.qname not in skipped_tags

    blocks = []
    for node, level in walk(document.text, 0, lambda element: True):
        if node.nodeType == node.ELEMENT_NODE and node.qname in paragraph_tags:
            nodes = [text for text, _ in walk(node, level, inside_paragraph) if text.nodeType == text.TEXT_NODE]
            if _collapse([text.data for text in nodes]):
                blocks.append(nodes)
    return blocks


def _read_odt(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    return [[node.data for node in nodes] for nodes in _odt_blocks(_odt(data, path), path, limits.max_depth)], "odt", 1.0, ()


def _render_odt(data: bytes, path: str, english_of: Callable[[list[list[str]]], list[str | None]]) -> bytes:
    document = _odt(data, path)
    blocks = _odt_blocks(document, path)
    english = english_of([[node.data for node in nodes] for nodes in blocks])
    for nodes, text in zip(blocks, english):
        if text is not None:
            _place([(lambda value, n=node: setattr(n, "data", value), node.data) for node in nodes], text)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


# -- PDF --------------------------------------------------------------------------------------


def _read_pdf(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
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
                blocks.append([" ".join(lines)])
                lines = []
    return blocks, "pdf", 1.0, ()


def render_pdf(data: bytes, path: str, english: list[str | None], originals: list[str]) -> bytes:
    import html

    paragraphs = "\n".join(f"<p>{html.escape(text if text is not None else original)}</p>" for text, original in zip(english, originals))
    title = html.escape(Path(path).name)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{title} (English)</title></head>\n'
        f"<body>\n{paragraphs}\n</body>\n</html>\n"
    ).encode()


# -- Markdown and subtitles -------------------------------------------------------------------


_TIMING = re.compile(r"^\s*\d[\d:.,]*\s*-->\s*\d[\d:.,]*")


def _cues(text: str, fmt: str) -> list[tuple[int, int, list[str]]]:
    """``(first text line, last text line + 1, lines)`` per cue of an SRT or WebVTT file."""
    lines = text.splitlines()
    cues = []
    index = 0
    while index < len(lines):
        if _TIMING.match(lines[index]):
            first = index + 1
            end = first
            while end < len(lines) and lines[end].strip():
                end += 1
            cues.append((first, end, lines[first:end]))
            index = end
        else:
            index += 1
    return cues


def _read_subtitles(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    from workbench.formats.decoding import decode

    decoded = decode(data, path)
    fmt = format_of(path)
    if fmt == "vtt" and not decoded.text.lstrip("\ufeff").startswith("WEBVTT"):
        raise InputError(path, "is not a WebVTT file (it must start with WEBVTT)")
    cues = _cues(decoded.text, fmt)
    if not cues:
        raise InputError(path, f"has no subtitle cues (no '00:00:01,000 --> 00:00:02,000' timing lines): not an {fmt.upper()} file")
    blocks = [[" ".join(line.strip() for line in lines)] for _, _, lines in cues]
    return blocks, decoded.encoding, decoded.confidence, decoded.warnings


def _render_subtitles(data: bytes, path: str, english_of: Callable[[list[list[str]]], list[str | None]]) -> bytes:
    from workbench.formats.decoding import decode

    text = decode(data, path).text
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    cues = _cues(text, format_of(path))
    english = english_of([[" ".join(line.strip() for line in cue_lines)] for _, _, cue_lines in cues])
    # Work backwards so earlier line numbers stay valid.
    for (first, end, _), translated in reversed(list(zip(cues, english))):
        if translated is not None:
            lines[first:end] = [translated + newline]
    return "".join(lines).encode("utf-8")


def joined_blocks(blocks: list[list[str]]) -> tuple[str, list[tuple[int, int]]]:
    """The text a reader makes of ``blocks`` (pieces collapsed, blocks joined) and their spans."""
    return _join([_collapse(pieces) for pieces in blocks])


def render(fmt: str, data: bytes, path: str, english_of: Callable[[list[list[str]]], list[str | None]], keep_active_content: bool) -> bytes:
    """The rendering of a file in ``fmt`` with each block's English from ``english_of``."""
    if fmt == "html":
        return _render_html(data, path, english_of, keep_active_content)
    return _RENDERERS[fmt](data, path, english_of)


_READERS = {"html": _read_html, "docx": _read_docx, "odt": _read_odt, "pdf": _read_pdf, "srt": _read_subtitles, "vtt": _read_subtitles}
_RENDERERS = {"html": _render_html, "docx": _render_docx, "odt": _render_odt, "srt": _render_subtitles, "vtt": _render_subtitles}


# -- renderings -------------------------------------------------------------------------------
