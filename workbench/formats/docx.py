"""Word (.docx): paragraphs of runs from the body part; renderings rewrite that part only."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Hashable

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits
from workbench.formats.blocks import EnglishOf, Piece, collapse

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
        if collapse(["".join(t.text or "" for t in run.iter(f"{_W}t")) for run in runs]):
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


def _style(run) -> Hashable:
    """A run's formatting: its properties, and the hyperlink holding it (if any)."""
    from lxml import etree

    properties = run.find(f"{_W}rPr")
    parent = run.getparent()
    return (etree.tostring(properties) if properties is not None else b"", parent if parent.tag == f"{_W}hyperlink" else None)


def _pieces(runs) -> list[Piece]:
    return [(_run_text(run), _style(run)) for run in runs]


def read(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    return [_pieces(runs) for runs in _docx_blocks(_docx(data, path))], "docx", 1.0, ()


def render(data: bytes, path: str, english_of: EnglishOf) -> bytes:
    from lxml import etree

    root = _docx(data, path)
    blocks = _docx_blocks(root)
    english = english_of([_pieces(runs) for runs in blocks])
    for runs, texts in zip(blocks, english):
        for run, text in zip(runs, texts or ()):
            if text != _run_text(run):
                _set_run_text(run, text)
    document_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():  # every other part as it was, in the same order
            target.writestr(info, document_xml if info.filename == _DOCUMENT_PART else source.read(info.filename))
    return buffer.getvalue()
