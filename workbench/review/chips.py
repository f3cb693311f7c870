"""A segment's inline formatting as chips, the way CAT tools show tags: each link or bold
phrase (an inline span) a numbered chip on its words, each image, note reference or field a
chip of its own. The chips are not in the text a reviewer edits, so typing cannot break
them: the formatting follows the words (``formats.blocks``), and a correction that drops a
span's words shows that span's chip as missing.

Every piece of document text is escaped: the result is markup only where this module puts it.
"""

from __future__ import annotations

import html

from workbench.formats.blocks import locate, placed_marks
from workbench.review.qa import formatting_kept

_KIND_LABELS = {"image": "image", "footnote": "note", "field": "field"}


def marked(text: str, spans: list[tuple[int, int]], marks: list[tuple[int, str]], *, first_mark: int | None = None) -> str:
    """``text`` as HTML: span n (``(start, end)``) a chip numbered n, each mark (``(offset,
    kind)``) a chip numbered after the spans, as XLIFF numbers its ``<g>`` and ``<x/>``."""
    number_of_mark = len(spans) + 1 if first_mark is None else first_mark
    # At one offset: a span that ends, then an image, then a span that starts (as XLIFF has them).
    events = [(start, 2, f'<span class="wb-chip" title="formatting {n}"><sup>{n}</sup>') for n, (start, _) in enumerate(spans, 1)]
    events += [(end, 0, "</span>") for end in (end for _, end in spans)]
    for n, (at, kind) in enumerate(sorted(marks), number_of_mark):
        label = _KIND_LABELS.get(kind, kind)
        events.append(
            (at, 1, f'<span class="wb-chip wb-standalone" title="{html.escape(label)} {n}"><sup>{n}</sup>{html.escape(label)}</span>')
        )
    parts, cursor = [], 0
    for at, _, markup in sorted(events, key=lambda event: (event[0], event[1])):
        parts.append(html.escape(text[cursor:at]))
        parts.append(markup)
        cursor = at
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def english_chips(source: str, english: str, inline: tuple[str, ...], spans: list[tuple[int, int]], marks: list[tuple[int, str]]) -> str:
    """The English with each span's chip on the words its English was found at (none when
    not found: the segment is flagged ``markup``) and each mark as far through as in the source."""
    located = locate(english, list(inline)) if inline and len(inline) == len(spans) else None
    return marked(english, located or [], placed_marks(source, english, marks), first_mark=len(spans) + 1)


def kept_chips(typed: str, inline: tuple[str, ...]) -> str:
    """Under the correction box: each span's chip, kept (its English is in what is typed) or
    missing (the formatting would have no words to go on)."""
    chips = []
    for n, span in enumerate(inline, 1):
        kept = formatting_kept(span, typed)
        state = "kept" if kept else "missing"
        chips.append(
            f'<span class="wb-chip wb-{state}" title="formatting {n}: {state}"><sup>{n}</sup>{html.escape(span.strip())}'
            f"{'' if kept else ' · missing'}</span>"
        )
    return " ".join(chips)


__all__ = ["english_chips", "kept_chips", "marked"]
