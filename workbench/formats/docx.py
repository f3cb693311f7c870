"""Word (.docx): paragraphs of the main part (found through the package's relationships),
then its headers, footers, footnotes and endnotes; renderings rewrite those parts only.

A piece is a ``w:t`` text element, styled by its run's properties and the hyperlink holding
it; a tab is a space between pieces and a line break (``w:br``, ``w:cr``) ends a block, so
words either side never run together. A text box's paragraphs are blocks of their own, read
once: the VML copy Word keeps for old readers (``mc:Fallback``) is not read. Parsing and
rewriting only these parts with lxml, the others copied byte for byte, costs a few ms where
python-docx loading the whole package twice cost ~60 ms a document (bench/formats.py).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Hashable

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits
from workbench.formats.blocks import EnglishOf, Piece, Standalone, collapse
from workbench.formats.package import with_parts

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN_TYPE = "/officeDocument"
# The other parts with the document's text, in the order they are read.
_MORE_TYPES = ("/header", "/footer", "/footnotes", "/endnotes")
_DEFAULT_MAIN = "word/document.xml"
# Inline elements without text of their own, by what they are (blocks.Standalone).
_STANDALONE = {
    f"{_W}drawing": "image", f"{_W}pict": "image", f"{_W}object": "image",
    f"{_W}footnoteReference": "footnote", f"{_W}endnoteReference": "footnote",
    f"{_W}fldSimple": "field",
}  # fmt: skip


def _xml(data: bytes):
    from lxml import etree

    return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str]]:
    """``(type, target part)`` of a part's relationships (``""``: the package's own)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        root = _xml(archive.read(rels))
    except KeyError:
        return []
    found = []
    for relation in root.iter(_RELATIONSHIP):
        target = relation.get("Target", "")
        if relation.get("TargetMode") == "External" or not target:
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((relation.get("Type", ""), resolved))
    return found


def _text_parts(archive: zipfile.ZipFile) -> list[str]:
    """The main part (the package says which: not always ``word/document.xml``), then the
    headers, footers, footnotes and endnotes it refers to."""
    names = set(archive.namelist())
    main = next((target for kind, target in _relationships(archive, "") if kind.endswith(_MAIN_TYPE) and target in names), None)
    main = main or (_DEFAULT_MAIN if _DEFAULT_MAIN in names else None)
    if main is None:
        raise KeyError(_DEFAULT_MAIN)
    related = _relationships(archive, main)
    more = [target for suffix in _MORE_TYPES for kind, target in related if kind.endswith(suffix) and target in names]
    return [main, *dict.fromkeys(more)]


def _package(data: bytes, path: str) -> dict[str, object]:
    """The parsed text parts of a .docx, by name, the main part first."""
    from lxml import etree

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(path, "is an encrypted (password-protected) or old binary Word file: save it as an unprotected .docx")
    part = _DEFAULT_MAIN
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = {}
            for part in _text_parts(archive):
                parts[part] = _xml(archive.read(part))
            return parts
    except zipfile.BadZipFile as error:
        raise InputError(path, f"is not a readable .docx (a Word document is a zip of XML parts): {error}") from None
    except KeyError:
        raise InputError(path, f"is not a readable .docx: it has no {part}") from None
    except etree.XMLSyntaxError as error:
        raise InputError(path, f"is not a readable .docx: {part} is malformed XML ({error})") from None


def _style(run) -> Hashable:
    """A run's formatting: its properties, and the hyperlink holding it (if any)."""
    from lxml import etree

    properties = run.find(f"{_W}rPr")
    parent = run.getparent()
    link = parent if parent is not None and parent.tag == f"{_W}hyperlink" else None
    return (etree.tostring(properties) if properties is not None else b"", link)


def _paragraph_blocks(paragraph) -> list[list[tuple[object | None, Piece]]]:
    """A paragraph's blocks (a line break ends one): ``(w:t element or None for a tab, piece)``.
    Nested paragraphs (a text box's) and fallback copies are left to themselves."""
    blocks: list[list] = [[]]
    stack = [iter(paragraph)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        tag = element.tag
        if tag == f"{_W}t":
            run = element.getparent()
            blocks[-1].append((element, (element.text or "", _style(run))))
        elif tag == f"{_W}tab" and element.getparent().tag == f"{_W}r":
            blocks[-1].append((None, ("\t", None)))
        elif tag in (f"{_W}br", f"{_W}cr") and element.getparent().tag == f"{_W}r":
            blocks.append([])
        elif tag in _STANDALONE or (tag == f"{_W}fldChar" and element.get(f"{_W}fldCharType") == "begin"):
            blocks[-1].append((None, ("", Standalone(_STANDALONE.get(tag, "field")))))
            if tag == f"{_W}fldSimple":
                stack.append(iter(element))  # its result's text is read as text
        elif tag not in (f"{_W}p", _FALLBACK) and len(element):
            stack.append(iter(element))
    return [block for block in blocks if collapse([text for _, (text, _) in block])]


def _blocks(parts: dict[str, object]) -> list[list[tuple[object | None, Piece]]]:
    blocks = []
    for root in parts.values():
        for paragraph in root.iter(f"{_W}p"):
            if any(ancestor.tag == _FALLBACK for ancestor in paragraph.iterancestors()):
                continue
            blocks.extend(_paragraph_blocks(paragraph))
    return blocks


def read(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    return [[piece for _, piece in block] for block in _blocks(_package(data, path))], "docx", 1.0, ()


def render(data: bytes, path: str, english_of: EnglishOf) -> bytes:
    """The .docx with each changed piece's English; a document with nothing changed is
    returned as it is, byte for byte."""
    from lxml import etree

    parts = _package(data, path)
    blocks = _blocks(parts)
    changed = False
    for block, texts in zip(blocks, english_of([[piece for _, piece in block] for block in blocks])):
        for (element, (text, _)), new in zip(block, texts or ()):
            if element is not None and new != text:
                element.text = new
                element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                changed = True
    if not changed:
        return data
    rewritten = {name: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) for name, root in parts.items()}
    return with_parts(data, rewritten)
