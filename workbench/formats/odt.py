"""OpenDocument text (.odt): paragraphs and headings of the body (notes, text boxes and
tables included) and of the page headers and footers; renderings rewrite ``content.xml``
and ``styles.xml`` only, every other part copied byte for byte.

A piece is an element's text or a child's tail (as in HTML), styled by the element holding
it (a paragraph, a span, a link). ``text:s`` (spaces) and ``text:tab`` are spaces between
pieces and ``text:line-break`` ends a block, so words either side never run together.
Image descriptions and titles (``svg:desc``, ``svg:title``), comments and tracked deletions
are not body text and are not read. Parsed with lxml, walked without recursion: 3,000
nested spans in a 905-byte file must not stop a run.
"""

from __future__ import annotations

import io
import zipfile

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits
from workbench.formats.blocks import EnglishOf, Piece, Standalone, collapse
from workbench.formats.package import with_parts

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_PARAGRAPHS = (f"{_TEXT}p", f"{_TEXT}h")
_SPACES = (f"{_TEXT}s", f"{_TEXT}tab")
# Inside a paragraph, not its text: notes (their paragraphs are blocks of their own), frames
# (a text box's paragraphs too), descriptions, comments, deletions.
_NOT_TEXT = (
    f"{_TEXT}note", f"{_DRAW}frame", f"{_SVG}desc", f"{_SVG}title", f"{_OFFICE}annotation", f"{_OFFICE}annotation-end",
    f"{_TEXT}tracked-changes", f"{_TEXT}bookmark-ref", f"{_TEXT}reference-mark",
)  # fmt: skip
_NOT_BODY = (f"{_OFFICE}annotation", f"{_TEXT}tracked-changes", f"{_SVG}desc", f"{_SVG}title")
_PARTS = ("content.xml", "styles.xml")
# Inside a paragraph, not its text, with a place among its words (blocks.Standalone).
_STANDALONE = {f"{_DRAW}frame": "image", f"{_TEXT}note": "footnote"}


def _package(data: bytes, path: str, max_depth: int) -> dict[str, object]:
    from lxml import etree

    if data[:4] != b"PK\x03\x04":
        raise InputError(path, "is not a readable .odt (an OpenDocument file is a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
                raise InputError(path, "is an encrypted (password-protected) OpenDocument file: save it without a password")
            if "content.xml" not in names:
                raise InputError(path, "is not a readable .odt: it has no content.xml")
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
            parts = {name: etree.fromstring(archive.read(name), parser=parser) for name in _PARTS if name in names}
    except InputError:
        raise
    except etree.XMLSyntaxError as error:
        if "depth" in str(error).lower():
            raise InputError(path, f"nests elements more than {max_depth} levels deep; the workbench reads at most {max_depth}") from None
        raise InputError(path, f"is not a readable .odt: malformed XML ({error})") from None
    except Exception as error:  # zip errors on damaged files
        raise InputError(path, f"is not a readable .odt: {type(error).__name__}: {error}") from None
    return parts


def _walk_blocks(paragraph, path: str, max_depth: int) -> list[list[tuple[tuple[object, str] | None, Piece]]]:
    """A paragraph's blocks (a line break ends one): ``((element, "text" | "tail") or None for
    a space, piece)``, in document order: an element's tail after its content."""
    blocks: list[list] = [[]]

    def add(element, attribute: str, owner) -> None:
        value = getattr(element, attribute)
        if value:
            blocks[-1].append(((element, attribute), (value, owner)))

    add(paragraph, "text", paragraph)
    # Each frame: the children still to visit, the element they belong to; a finished element
    # leaves its tail to its parent.
    stack: list[tuple[object, object]] = [(iter(paragraph), paragraph)]
    while stack:
        children, owner = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and owner is not paragraph:
                add(owner, "tail", stack[-1][1])
            continue
        tag = child.tag
        if isinstance(tag, str) and tag not in _NOT_TEXT and tag not in _PARAGRAPHS and tag not in _SPACES and tag != f"{_TEXT}line-break":
            if len(stack) > max_depth:
                raise InputError(path, f"nests elements more than {max_depth} levels deep; the workbench reads at most {max_depth}")
            add(child, "text", child)
            stack.append((iter(child), child))
            continue
        if tag == f"{_TEXT}line-break":
            blocks.append([])
        elif tag in _STANDALONE:
            blocks[-1].append((None, ("", Standalone(_STANDALONE[tag]))))
        elif tag in _SPACES:
            blocks[-1].append((None, (" ", None)))
        add(child, "tail", owner)
    return [block for block in blocks if collapse([text for _, (text, _) in block])]


def _blocks(parts: dict[str, object], path: str, max_depth: int) -> list[list[tuple[tuple[object, str] | None, Piece]]]:
    blocks = []
    content = parts["content.xml"]
    bodies = list(content.iter(f"{_OFFICE}body"))
    styles = parts.get("styles.xml")
    pages = list(styles.iter(f"{_STYLE}master-page")) if styles is not None else []
    for root in [*bodies, *pages]:
        for paragraph in root.iter(*_PARAGRAPHS):
            if any(ancestor.tag in _NOT_BODY for ancestor in paragraph.iterancestors()):
                continue
            blocks.extend(_walk_blocks(paragraph, path, max_depth))
    return blocks


def read(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    parts = _package(data, path, limits.max_depth)
    return [[piece for _, piece in block] for block in _blocks(parts, path, limits.max_depth)], "odt", 1.0, ()


def render(data: bytes, path: str, english_of: EnglishOf) -> bytes:
    """The .odt with each changed piece's English; a document with nothing changed is
    returned as it is, byte for byte."""
    from lxml import etree

    parts = _package(data, path, DEFAULT_LIMITS.max_depth)
    blocks = _blocks(parts, path, DEFAULT_LIMITS.max_depth)
    changed = False
    for block, texts in zip(blocks, english_of([[piece for _, piece in block] for block in blocks])):
        for (where, (text, _)), new in zip(block, texts or ()):
            if where is not None and new != text:
                setattr(where[0], where[1], new)
                changed = True
    if not changed:
        return data
    rewritten = {name: etree.tostring(root, xml_declaration=True, encoding="UTF-8") for name, root in parts.items()}
    return with_parts(data, rewritten)
