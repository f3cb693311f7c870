"""Markdown (.md): the text of paragraphs, headings, list items, quotes and table cells,
found by a CommonMark parser (markdown-it-py, GFM tables and strikethrough on).

Code blocks and fences, HTML blocks, front matter, link reference definitions, link
destinations and titles, images, inline HTML and autolinks are never text: they stay byte
for byte. A piece is a stretch of text between markup, styled by the links and emphasis
around it; inline code is a piece of its own that is never rewritten (the sentence around it
is translated with it, so its place among the words is kept). A rendering writes each
changed piece back where it was in the file, escaping what Markdown would read as markup.
"""

from __future__ import annotations

import re

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits
from workbench.formats.blocks import EnglishOf, Piece, Standalone, collapse, protected

CODE = "code"  # the style of inline code: never rewritten (formats.blocks.place keeps it)
_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# After a link's text: its destination and title, or its reference label.
_LINK_TAIL = re.compile(r"\]\s*(?:\((?:[^()\\]|\\.|\([^()]*\))*\)|\[(?:[^\]\\]|\\.)*\])?")
_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\s*(?:\((?:[^()\\]|\\.|\([^()]*\))*\)|\[(?:[^\]\\]|\\.)*\])?")
_ESCAPE = re.compile(r"([\\`*_\[\]<>|~])")


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _pattern(text: str) -> re.Pattern:
    """``text`` as it may be written in the source: any punctuation possibly backslash-escaped."""
    return re.compile("".join(("\\\\?" + re.escape(char)) if char in _PUNCTUATION else re.escape(char) for char in text))


def _blocks(source: str) -> list[list[tuple[tuple[int, int] | None, Piece]]]:
    """Blocks of ``((start, end) in the source or None for a line break's space, piece)``."""
    front = _FRONT_MATTER.match(source)
    # Front matter is no Markdown: blanked for the parser, line numbers kept.
    parsed = ("\n" * front.group(0).count("\n") + source[front.end() :]) if front else source
    line_starts = [0] + [match.end() for match in re.finditer("\n", source)]
    line_starts.append(len(source))
    blocks = []
    cursor = 0
    spans = 0
    for token in _parser().parse(parsed):
        if token.type != "inline" or not token.map or not token.children:
            continue
        region_end = line_starts[min(token.map[1], len(line_starts) - 1)]
        cursor = max(cursor, line_starts[token.map[0]])
        styles: list[tuple[str, int]] = []
        block: list = []
        autolink = False
        for child in token.children:
            kind = child.type
            if autolink:  # <https://…>, <name@host>: an address, not text
                if kind == "link_close":
                    autolink = False
                    found = re.compile(">").search(source, cursor, region_end)
                    cursor = found.end() if found else cursor
                continue
            if kind == "link_open" and child.markup in ("autolink", "linkify"):
                autolink = True
            elif kind.endswith("_open"):
                spans += 1
                styles.append((kind[: -len("_open")], spans))
            elif kind.endswith("_close"):
                if styles:
                    styles.pop()
                if kind == "link_close":
                    tail = _LINK_TAIL.match(source, cursor, region_end)
                    cursor = tail.end() if tail else cursor
            elif kind in ("softbreak", "hardbreak"):
                block.append((None, (" ", None)))
            elif kind == "image":
                found = _IMAGE.search(source, cursor, region_end)
                cursor = found.end() if found else cursor
                block.append((None, ("", Standalone("image"))))
            elif kind in ("html_inline", "code_inline", "text") and child.content:
                found = (re.compile(re.escape(child.content)) if kind != "text" else _pattern(child.content)).search(
                    source, cursor, region_end
                )
                if found is None:
                    continue  # written some way not searched for (an entity): left as it is
                cursor = found.end()
                if kind == "code_inline":
                    block.append(((found.start(), found.end()), (child.content, (CODE, found.start()))))
                elif kind == "text":
                    block.append(((found.start(), found.end()), (child.content, tuple(styles))))
        if collapse([text for _, (text, _) in block]):
            blocks.append(block)
    return blocks


def _whole_line_if_emptied(source: str, where: tuple[int, int], new: str) -> tuple[int, int]:
    """A piece that was a line of its own and now is empty takes its line break with it: a
    blank line would end the paragraph (and break a link whose text it was in)."""
    start, end = where
    if new.strip():
        return where
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", end)
    line_end = len(source) if line_end < 0 else line_end
    if line_start > 0 and not source[line_start:start].strip() and not source[end:line_end].strip():
        return line_start - 1, end
    return where


def _escaped(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def read(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    from workbench.formats.decoding import decode

    decoded = decode(data, path)
    try:
        blocks = _blocks(decoded.text)
    except RecursionError:
        raise InputError(path, f"is nested too deeply to read (more than {limits.max_depth} levels)") from None
    return [[piece for _, piece in block] for block in blocks], decoded.encoding, decoded.confidence, decoded.warnings


def render(data: bytes, path: str, english_of: EnglishOf) -> bytes:
    """The file with each changed piece's English written where the piece was; everything
    else (markup, code, links' destinations) byte for byte. Nothing changed: the file as is."""
    from workbench.formats.decoding import decode, encoded_as_utf8

    decoded = decode(data, path)
    source = decoded.text
    blocks = _blocks(source)
    edits = []
    for block, texts in zip(blocks, english_of([[piece for _, piece in block] for block in blocks])):
        for (where, (text, style)), new in zip(block, texts or ()):
            if where is not None and new != text and not protected(style):
                edits.append((_whole_line_if_emptied(source, where, new), _escaped(new)))
    if not edits:
        return data
    for (start, end), new in sorted(edits, reverse=True):
        source = source[:start] + new + source[end:]
    return encoded_as_utf8(source, data)
