"""OpenDocument text (.odt): paragraphs and headings of text nodes, read and written with odfpy."""

from __future__ import annotations

import io
import zipfile

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits
from workbench.formats.blocks import EnglishOf, Piece, collapse


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
            if collapse([text.data for text in nodes]):
                blocks.append(nodes)
    return blocks


def _pieces(nodes) -> list[Piece]:
    """Text nodes with their style: the element holding them (a paragraph, a span, a link)."""
    return [(node.data, id(node.parentNode)) for node in nodes]


def read(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    return [_pieces(nodes) for nodes in _odt_blocks(_odt(data, path), path, limits.max_depth)], "odt", 1.0, ()


def render(data: bytes, path: str, english_of: EnglishOf) -> bytes:
    document = _odt(data, path)
    blocks = _odt_blocks(document, path)
    english = english_of([_pieces(nodes) for nodes in blocks])
    for nodes, texts in zip(blocks, english):
        for node, text in zip(nodes, texts or ()):
            node.data = text
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
