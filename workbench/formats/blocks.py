"""The block model every format shares, and how English goes back into a block.

A block (a paragraph, a heading, a cue) is a list of *pieces*: HTML text nodes, Word runs,
ODF text nodes, each with its *style*, a value equal for pieces with the same formatting
(the element or run properties holding the text). The block's text is the pieces joined,
whitespace collapsed; a document's text is its blocks joined by blank lines.

A translated segment replaces text across pieces. Inside it, the stretches in the
segment's main style (the style of most of its characters) take the English; each stretch
in another style (a link, a bold phrase, inline code) is an *inline span*: at run time its
text is translated apart (``MachineTranslation.inline``) and, in the rendering, the span
takes that English where it is found in the segment's English (as Argos Translate and
LibreTranslate place HTML tags). A span whose English is not found keeps its English at
its own place beside the segment's, and the run flags the segment (``markup``). Text
outside translated segments is never touched, so with nothing translated a rendering
equals its source.

An inline element without text of its own (an image, a note's reference, a field) is a
*standalone* piece: empty text, style ``Standalone(kind)``. It is never written to; it marks
the element's place (``styled_text``'s marks), which XLIFF carries as ``<x/>``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"\S+")

Piece = tuple[str, Hashable]  # a piece's text and its style
# A renderer asks, for the blocks it parsed, each block's pieces' new texts (None: unchanged).
EnglishOf = Callable[[list[list[Piece]]], list[list[str] | None]]


@dataclass(frozen=True)
class Standalone:
    """The style of an inline element without text: ``kind`` is "image", "footnote" or "field"."""

    kind: str


def protected(style: Hashable) -> bool:
    """Inline code (Markdown's): a span whose text is never rewritten."""
    return isinstance(style, tuple) and style[:1] == ("code",)


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


def styled_text(
    blocks: list[list[Piece]],
) -> tuple[str, list[tuple[int, int]], tuple[tuple[int, int, int], ...], tuple[tuple[int, str], ...]]:
    """The document's text, each block's span in it, each piece's ``(start, end, style
    number)`` in it (a number per distinct style; pieces without style are left out), and each
    standalone element's ``(offset, kind)``."""
    text, spans = joined_blocks([[piece for piece, _ in pieces] for pieces in blocks])
    numbers: dict[Hashable, int] = {}
    styles, marks = [], []
    for (block_start, _), pieces in zip(spans, blocks):
        if all(style is None for _, style in pieces):
            continue
        for (start, end), (_, style) in zip(piece_spans([piece for piece, _ in pieces]), pieces):
            if isinstance(style, Standalone):
                marks.append((block_start + start, style.kind))
            elif end > start:
                styles.append((block_start + start, block_start + end, numbers.setdefault(style, len(numbers))))
    return text, spans, tuple(styles), tuple(marks)


@dataclass(frozen=True)
class Layout:
    """Where a block's collapsed text lies in its pieces joined (``raw``)."""

    raw: str
    words: list[tuple[int, int]]  # raw [start, end) of each run of non-space characters
    starts: list[int]  # each word's start in the collapsed text
    raw_starts: list[int]  # each word's start in ``raw`` (for bisecting)

    @classmethod
    def of(cls, texts: list[str]) -> Layout:
        raw = "".join(texts)
        words = [match.span() for match in _WORDS.finditer(raw)]
        starts, position = [], 0
        for index, (start, end) in enumerate(words):
            position += 1 if index else 0  # the one space between two words
            starts.append(position)
            position += end - start
        return cls(raw, words, starts, [start for start, _ in words])

    def raw_index(self, collapsed: int) -> int:
        """The raw index of a collapsed character (a collapsed space: its whitespace's start)."""
        word = bisect.bisect_right(self.starts, collapsed) - 1
        start, end = self.words[word]
        offset = collapsed - self.starts[word]
        return start + offset if offset < end - start else end

    def collapsed_index(self, raw: int) -> int:
        """How many collapsed characters come from raw characters before ``raw``."""
        word = bisect.bisect_right(self.raw_starts, raw) - 1
        if word < 0:
            return 0
        start, end = self.words[word]
        if raw <= end:
            return self.starts[word] + (raw - start)
        return self.starts[word] + (end - start) + 1  # past the space that follows the word


def piece_spans(texts: list[str]) -> list[tuple[int, int]]:
    """Each piece's ``[start, end)`` in the block's collapsed text."""
    layout = Layout.of(texts)
    spans, cursor = [], 0
    total = layout.starts[-1] + (layout.words[-1][1] - layout.words[-1][0]) if layout.words else 0
    for text in texts:
        start, end = layout.collapsed_index(cursor), layout.collapsed_index(cursor + len(text))
        spans.append((min(start, total), min(end, total)))
        cursor += len(text)
    return spans


def groups(parts: list[tuple[Hashable, str]]) -> list[tuple[Hashable, list[int]]]:
    """Consecutive parts of one style, as ``(style, part indexes)``; a blank part joins the
    group before it (or the one after, at the start), since spaces carry no formatting."""
    result: list[tuple[Hashable, list[int]]] = []
    leading: list[int] = []
    for index, (style, text) in enumerate(parts):
        if not text.strip():
            (result[-1][1] if result else leading).append(index)
        elif result and result[-1][0] == style:
            result[-1][1].append(index)
        else:
            result.append((style, [*leading, index]))
            leading = []
    if leading:
        result.append((None, leading))
    return result


def main_style(parts: list[tuple[Hashable, str]], found: list[tuple[Hashable, list[int]]]) -> Hashable:
    """The style most of the segment's characters have (the first, on a tie)."""
    weight: dict[Hashable, int] = {}
    for style, members in found:
        weight[style] = weight.get(style, 0) + sum(len(parts[i][1].strip()) for i in members)
    return max(weight, key=lambda style: weight[style]) if weight else None


def segment_inline_spans(text: str, styles: tuple[tuple[int, int, int], ...], start: int, end: int) -> list[tuple[int, int]]:
    """Where the inline spans of the segment ``text[start:end]`` lie in it (relative to
    ``start``, spaces at their ends left out), from the document's ``styles`` (``styled_text``,
    in order of start)."""
    if not styles:
        return []
    first = bisect.bisect_right(styles, (start, float("inf"), 0)) - 1
    parts, places = [], []
    for piece_start, piece_end, style in styles[max(first, 0) :]:
        if piece_start >= end:
            break
        if piece_end > start:
            a, b = max(start, piece_start), min(end, piece_end)
            parts.append((style, text[a:b]))
            places.append((a - start, b - start))
    found = groups(parts)
    main = main_style(parts, found)
    spans = []
    for style, members in found:
        if style == main:
            continue
        a, b = places[members[0]][0], places[members[-1]][1]
        stretch = text[start + a : start + b]
        a += len(stretch) - len(stretch.lstrip())
        b -= len(stretch) - len(stretch.rstrip())
        spans.append((a, b))
    return spans


def segment_inline(text: str, styles: tuple[tuple[int, int, int], ...], start: int, end: int) -> list[str]:
    """The inline spans' texts of the segment ``text[start:end]``: what the run translates apart."""
    return [text[start + a : start + b] for a, b in segment_inline_spans(text, styles, start, end)]


def locate(english: str, spans: list[str], expected: list[float] | None = None) -> list[tuple[int, int]] | None:
    """Where each span's English lies in the segment's English, in order (case folded), or
    None when one is missing. Of several places, the first; given ``expected`` (where each
    span was in the source, as a share of the way through), whole words first, then the
    one nearest there."""
    folded = english.casefold()
    if len(folded) != len(english):
        return None  # folding changed lengths (ß → ss): positions would not carry over
    found, cursor = [], 0
    for number, span in enumerate(spans):
        needle = span.strip().casefold()
        places = []
        at = folded.find(needle, cursor) if needle else -1
        while at >= 0:
            places.append(at)
            at = folded.find(needle, at + 1)
        if not places:
            return None
        if expected is None:
            at = places[0]
        else:
            whole = [at for at in places if _word_edge(folded, at - 1) and _word_edge(folded, at + len(needle))]
            at = min(whole or places, key=lambda place: abs(place - expected[number] * len(english)))
        found.append((at, at + len(needle)))
        cursor = at + len(needle)
    return found


def marks_by_segment(marks: tuple[tuple[int, str], ...], bounds: list[tuple[int, int]]) -> list[list[tuple[int, str]]]:
    """Each segment's standalone elements (``styled_text``'s marks), relative to its start,
    given the segments' ``(start, end)`` in document order: those in ``[start, end]``, and an
    element between two segments with no space between them goes with the first."""
    found: list[list[tuple[int, str]]] = []
    taken = -1  # the end of the segment before
    for start, end in bounds:
        first, last = bisect.bisect_left(marks, (max(start, taken + 1), "")), bisect.bisect_right(marks, (end, "\U0010ffff"))
        found.append([(at - start, kind) for at, kind in marks[first:last]])
        taken = end
    return found


def placed_marks(source: str, english: str, marks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each standalone element in ``english`` as far through it as it was through ``source``,
    at the nearest word edge of the same side (before a word where it was before one): the
    words of a translation do not follow the source's."""
    if not english:
        return []

    def before_a_word(text: str, at: int) -> bool:
        return at < len(text) and not text[at].isspace() and (at == 0 or text[at - 1].isspace())

    edges = [i for i in range(len(english) + 1) if i in (0, len(english)) or english[i - 1].isspace() != english[i].isspace()]
    placed = []
    for at, kind in marks:
        wanted = at / max(1, len(source)) * len(english)
        alike = [edge for edge in edges if before_a_word(english, edge) == before_a_word(source, at)] or edges
        placed.append((min(alike, key=lambda edge: abs(edge - wanted)), kind))
    return placed


def _word_edge(text: str, index: int) -> bool:
    return index < 0 or index >= len(text) or not text[index].isalnum()


def _chunks(english: str, parts, found, main, inline: tuple[str, ...] | None, expected: list[float] | None = None) -> list[str]:
    """The English of each group of a segment's parts, in order; together all of ``english``
    (when its spans are found) or ``english`` plus each span's English beside it."""
    spans = [index for index, (style, _) in enumerate(found) if style != main]
    if not spans:
        return [english] + [""] * (len(found) - 1)
    located = None
    if inline is not None and len(inline) == len(spans):
        # The nearest places first; if that leaves a later span nowhere, the first places.
        located = locate(english, list(inline), expected) or locate(english, list(inline))
    chunks = [""] * len(found)
    if located is None:
        # Not found: the main text takes the English, each span keeps its own English (or
        # nothing, when it was never translated apart) at its place.
        first_main = next((index for index, (style, _) in enumerate(found) if style == main), 0)
        chunks[first_main] = english
        for number, index in enumerate(spans):
            if inline is not None and number < len(inline) and inline[number].strip():
                chunks[index] = (" " if index > first_main else "") + inline[number].strip() + (" " if index < first_main else "")
        return chunks
    for number, index in enumerate(spans):
        start, end = located[number]
        chunks[index] = english[start:end]
        before = english[located[number - 1][1] if number else 0 : start]
        if index > 0:
            chunks[index - 1] += before  # to the group before: main text, or a span beside this one
        else:
            chunks[index] = before + chunks[index]  # the segment starts with the span
    after = english[located[-1][1] :]
    chunks[spans[-1] + 1 if spans[-1] + 1 < len(found) else spans[-1]] += after
    return chunks


def _spread(chunk: str, texts: list[str], breaks: frozenset[int] = frozenset()) -> list[str]:
    """A group's English over its parts. Parts side by side (a run split by the writer, even
    inside a word) act as one: the text goes into the first. Parts apart (a Markdown line
    break, a tab between them, an image before the part numbered in ``breaks``) each get a
    share of the words, in proportion to their length, so a paragraph keeps its lines and
    an image stays as far through the words as it was; what separates them stays."""
    values = [""] * len(texts)
    units: list[list[int]] = []
    apart = True
    for index, text in enumerate(texts):
        if not text.strip():
            apart = True
        elif apart or index in breaks:
            units.append([index])
            apart = False
        else:
            units[-1].append(index)
    if not units:
        if texts:
            values[0] = chunk
        return values
    for index in range(units[0][0] + 1, units[-1][-1]):
        if not texts[index].strip():
            values[index] = texts[index]  # a separator between parts stays
    words = chunk.split()
    if len(units) == 1 or len(words) < len(units):
        body = chunk
        last = len(texts) - 1
        if units[0][0] < last and not texts[last].strip() and body != body.rstrip():
            values[last], body = body[len(body.rstrip()) :], body.rstrip()  # a space at the end stays outside
        if units[0][0] > 0 and body != body.lstrip():
            values[0], body = body[: len(body) - len(body.lstrip())], body.lstrip()
        values[units[0][0]] = body
        return values
    weights = [sum(len(texts[i].strip()) for i in unit) for unit in units]
    total, taken, cut = sum(weights), 0, 0
    for number, unit in enumerate(units):
        taken += weights[number]
        end = (
            len(words)
            if number == len(units) - 1
            else max(cut + 1, min(len(words) - (len(units) - number - 1), round(len(words) * taken / total)))
        )
        value = " ".join(words[cut:end])
        # Spaces at a part's edge next to another part stay (an image between words keeps them apart).
        if number > 0 and texts[unit[0]][:1].isspace():
            value = " " + value
        if number < len(units) - 1 and texts[unit[-1]][-1:].isspace():
            value += " "
        values[unit[0]] = value
        cut = end
    lead, trail = chunk[: len(chunk) - len(chunk.lstrip())], chunk[len(chunk.rstrip()) :]
    if units[0][0] > 0:
        values[0] = lead  # the spaces at the ends stay outside, in the blank parts there
    else:
        values[units[0][0]] = lead + values[units[0][0]]
    if units[-1][-1] < len(texts) - 1:
        values[-1] = trail
    else:
        values[units[-1][0]] += trail
    return values


def _spaces_where_they_were(chunks: list[str], originals: list[str]) -> None:
    """A space between two groups goes to the side that had it: inside a link's or a bold
    phrase's text it would change the document (and end Markdown emphasis)."""
    for left in range(len(chunks) - 1):
        right = left + 1
        trailing = chunks[left][len(chunks[left].rstrip()) :]
        if trailing and chunks[left].strip() and not originals[left][-1:].isspace() and originals[right][:1].isspace():
            chunks[left], chunks[right] = chunks[left].rstrip(), trailing + chunks[right]
        leading = chunks[right][: len(chunks[right]) - len(chunks[right].lstrip())]
        if leading and chunks[right].strip() and not originals[right][:1].isspace() and originals[left][-1:].isspace():
            chunks[left], chunks[right] = chunks[left] + leading, chunks[right].lstrip()


def _image_between(parts, members, styles, left: int, right: int) -> bool:
    """Whether a standalone element stands between two words (not inside one) from part
    ``left`` to part ``right``."""
    if not (parts[left][1][-1:].isspace() or parts[right][1][:1].isspace()):
        return False
    return any(isinstance(styles[k], Standalone) for k in range(members[left][0] + 1, members[right][0]))


def place(texts: list[str], styles: list[Hashable], changes: list[tuple[int, int, str, tuple[str, ...] | None]]) -> list[str]:
    """The pieces' new texts, given ``changes``: ``(start, end, English, inline spans'
    English or None)`` per translated segment, in the block's collapsed coordinates, in order
    and not overlapping. Characters outside the changes stay exactly as they were."""
    layout = Layout.of(texts)
    bounds, cursor = [], 0
    for text in texts:
        bounds.append((cursor, cursor + len(text)))
        cursor += len(text)
    edits: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for start, end, english, inline in changes:
        if end <= start or not layout.words:
            continue
        raw_start, raw_end = layout.raw_index(start), layout.raw_index(end - 1) + 1
        # Pieces with text only: a standalone element stays where it is, among the words.
        members = [(k, max(raw_start, a), min(raw_end, b)) for k, (a, b) in enumerate(bounds) if a < raw_end and b > raw_start and b > a]
        parts = [(styles[k], layout.raw[a:b]) for k, a, b in members]
        found = groups(parts)
        main = main_style(parts, found)
        # Where each inline span began in the segment's source, as a share of the way through.
        length = max(1, raw_end - raw_start)
        expected = [(members[sorted(indexes)[0]][1] - raw_start) / length for style, indexes in found if style != main]
        chunks = _chunks(english, parts, found, main, inline, expected)
        _spaces_where_they_were(chunks, ["".join(parts[i][1] for i in indexes) for _, indexes in found])
        for number, (style, indexes) in enumerate(found):
            if protected(style):  # inline code: its text stays, wherever the English put it
                chunks[number] = "".join(parts[i][1] for i in indexes)
        for (_, indexes), chunk in zip(found, chunks):
            ordered = sorted(indexes)
            breaks = frozenset(
                number for number in range(1, len(ordered)) if _image_between(parts, members, styles, *ordered[number - 1 : number + 1])
            )
            for part, value in zip(ordered, _spread(chunk, [parts[i][1] for i in ordered], breaks)):
                k, a, b = members[part]
                edits[k].append((a - bounds[k][0], b - bounds[k][0], value))
    result = []
    for text, piece_edits in zip(texts, edits):
        for a, b, value in sorted(piece_edits, reverse=True):
            text = text[:a] + value + text[b:]
        result.append(text)
    return result
