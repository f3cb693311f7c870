"""The block model every format shares: a block (a paragraph, a heading, a cue) is a list of
*pieces* (HTML text nodes, Word runs, ODF text nodes); its text is the pieces joined with
whitespace collapsed, and a document's text is its blocks joined by blank lines."""

from __future__ import annotations

import re
from collections.abc import Callable

_SPACES = re.compile(r"\s+")


def join(blocks: list[str]) -> tuple[str, list[tuple[int, int]]]:
    spans, parts, cursor = [], [], 0
    for block in blocks:
        if parts:
            parts.append("\n\n")
            cursor += 2
        parts.append(block)
        spans.append((cursor, cursor + len(block)))
        cursor += len(block)
    return "".join(parts) + ("\n" if parts else ""), spans


def collapse(texts: list[str]) -> str:
    return _SPACES.sub(" ", "".join(texts)).strip()


def joined_blocks(blocks: list[list[str]]) -> tuple[str, list[tuple[int, int]]]:
    """The text a reader makes of ``blocks`` (pieces collapsed, blocks joined) and their spans."""
    return join([collapse(pieces) for pieces in blocks])


def place(pieces: list[tuple[Callable[[str], None], str]], text: str) -> None:
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
