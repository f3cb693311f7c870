"""The identity law and inline formatting on real files nobody here wrote (tests/data/real,
sources and licences in its SOURCES.md): Word and OpenDocument test documents, saved web
pages, Markdown READMEs and changelogs, subtitles.

1. With nothing translated, every rendering equals its source, byte for byte.
2. With every block "translated" (its words upper-cased, inline spans too), each rendering
   has the upper-cased text, every formatted piece still carries text in the same order
   and style, and every link target is the same: what a rendering does to a document is
   the placement of text, nothing else. (Inline code keeps its text.) Images, note
   references and fields stay, in the same order.
3. Through the real pipeline with the toy model, every file renders and keeps its links.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from workbench.core.settings import Settings
from workbench.formats import readers
from workbench.formats.blocks import collapse, protected, segment_inline
from workbench.formats.rendering import rendering
from workbench.store.files import MachineTranslation, SegmentRecord, load
from workbench.translate.run import translate_corpus

REAL = Path(__file__).parent / "data" / "real"
FILES = sorted(path for path in REAL.rglob("*") if path.is_file() and path.name != "SOURCES.md")


def test_the_corpus_is_large_enough_and_spans_the_formats():
    formats = Counter(readers.format_of(path) for path in FILES)
    assert len(FILES) >= 60, formats
    assert all(formats[fmt] >= 5 for fmt in ("html", "docx", "odt", "markdown", "srt", "vtt")), formats


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_with_nothing_translated_a_rendering_is_its_source(path):
    data = path.read_bytes()
    fmt = readers.format_of(path)
    text = readers.extract(data, str(path), fmt).text
    renderings = rendering(fmt, data, str(path), text, [], keep_active_content=True)
    assert list(renderings.values()) == [data]


def _upper_records(text: str, blocks, styles) -> list[SegmentRecord]:
    records = []
    for number, (start, end) in enumerate(blocks):
        source = text[start:end]
        inline = tuple(span.upper() for span in segment_inline(text, styles, start, end))
        machine = MachineTranslation(source.upper(), "upper", {}, 0.0, 1.0, inline=inline)
        records.append(SegmentRecord(f"s{number}", start, end, "xx", "paragraph", source, machine, status="machine"))
    return records


def _styled(blocks) -> list[list[int]]:
    """Per block, the styles of its pieces with text (numbered by first appearance), runs of
    one style counted once."""
    numbers: dict = {}
    result = []
    for pieces in blocks:
        sequence: list[int] = []
        for text, style in pieces:
            if text.strip() and style is not None:
                number = numbers.setdefault(style, len(numbers))
                if not sequence or sequence[-1] != number:
                    sequence.append(number)
        result.append(sequence)
    return result


def _expected_text(blocks) -> list[str]:
    return [collapse([text if protected(style) else text.upper() for text, style in pieces]) for pieces in blocks]


def link_targets(data: bytes, fmt: str) -> list[str]:
    """Where the document's links go, in order."""
    if fmt == "html":
        import lxml.html

        return [a.get("href") or "" for a in lxml.html.document_fromstring(data).iter("a")]
    if fmt in ("docx", "odt"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = b"".join(archive.read(name) for name in ("word/document.xml", "content.xml") if name in archive.namelist())
        return re.findall(rb'(?:r:id|xlink:href|w:anchor)="([^"]*)"', xml)
    if fmt == "markdown":
        from markdown_it import MarkdownIt

        tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(data.decode("utf-8-sig"))
        return [child.attrs.get("href", "") for token in tokens for child in token.children or () if child.type == "link_open"]
    return []


@pytest.mark.parametrize("path", [path for path in FILES if readers.format_of(path) != "pdf"], ids=lambda path: path.name)
def test_every_piece_keeps_its_formatting_and_every_link_its_target(path):
    data = path.read_bytes()
    fmt = readers.format_of(path)
    extracted = readers.extract(data, str(path), fmt)
    records = _upper_records(extracted.text, extracted.blocks, extracted.styles)
    (_, rendered), *_ = rendering(fmt, data, str(path), extracted.text, records, keep_active_content=True).items()
    name = f"rendering{Path(path.name).suffix}"
    before, after = readers.read_pieces(data, str(path)), readers.read_pieces(rendered, name)
    assert [collapse([t for t, _ in pieces]) for pieces in after] == _expected_text(before)
    assert _styled(after) == _styled(before)
    assert link_targets(rendered, fmt) == link_targets(data, fmt)
    assert [kind for _, kind in readers.extract(rendered, name).marks] == [kind for _, kind in extracted.marks]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("docx/mammoth-footnotes.docx", [("footnote", "Ouch"), ("footnote", "Ouch.")]),
        ("docx/docx2python-zen_of_python.docx", [("field", ""), ("field", "s better than ugly. ")]),
        ("odt/odftoolkit-HeaderFooter.odt", [("image", "G"), ("footnote", " need some Hyperlink")]),
        ("html/trafilatura-love-hina.ch.0409.html", [("image", "#1 Kommentar von "), ("image", "1 Besucher online")]),
    ],
)
def test_images_note_references_and_fields_are_marked_where_they_stand(name, expected):
    """Where XLIFF's <x/> goes: each standalone element after the words before it in its
    block (at most 20 characters of them)."""
    path = REAL / name
    extracted = readers.extract(path.read_bytes(), str(path))
    found = []
    for at, kind in extracted.marks[: len(expected)]:
        block_start = max(start for start, _ in extracted.blocks if start <= at)
        found.append((kind, extracted.text[max(block_start, at - 20) : at]))
    assert found == expected


def test_the_toy_model_renders_every_real_file_and_keeps_its_links(tmp_path, toy_model):
    out = tmp_path / "translations"
    summary = translate_corpus([REAL], Settings(translations=out), force_lang="xx")
    assert summary.errors == [] and summary.written == len(FILES)
    for path in FILES:
        fmt = readers.format_of(path)
        folder = out / path.parent.name
        translation = load(folder / f"{path.name}.json")
        # Every segment with words was translated (numbers alone are left as they are).
        assert all(r.machine is not None for r in translation.segments if r.status != "source"), path.name
        for name in readers.rendering_names(path.name, fmt).values():
            rendered = (folder / name).read_bytes()
            if fmt != "pdf":  # (a rendering is inert: javascript: links go)
                kept = [target for target in link_targets(path.read_bytes(), fmt) if not str(target).startswith("javascript:")]
                assert [t for t in link_targets(rendered, fmt) if t] == [t for t in kept if t], path.name
