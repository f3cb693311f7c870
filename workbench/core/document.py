"""Documents and their segments: the records every stage passes on."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Segment:
    """A single-language stretch ``text[start:end]`` of a document (Python string indices)."""

    start: int
    end: int
    lang: str
    script: str
    confidence: float
    kind: str  # heading, paragraph, sentence or phrase
    # The rule that decided ``lang`` (a key of ``workbench.split.segment.RULES``): ``detect --explain``.
    rule: str = field(default="", compare=False)

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Document:
    """A decoded input text. ``text`` is ``decode_as(bytes, encoding)``: no newline translation."""

    id: str
    path: str
    text: str
    sha256: str
    encoding: str
    segments: tuple[Segment, ...] = field(default=(), compare=False)
    # How sure decoding was (1.0: valid UTF-8 or a byte-order mark), and what it had to say.
    encoding_confidence: float = field(default=1.0, compare=False)
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # "text", "markdown", or a format whose text was extracted (html, docx, odt, pdf, srt, vtt):
    # then ``text`` is the extracted text (workbench.formats.readers), not the file's bytes decoded.
    format: str = "text"
    # ``(start, end, style number)`` of each piece of formatted text (formats.blocks): where
    # a link, a bold phrase or inline code lies, so a segment's inline spans can be found.
    styles: tuple[tuple[int, int, int], ...] = field(default=(), compare=False)

    def with_segments(self, segments: list[Segment] | tuple[Segment, ...]) -> Document:
        return replace(self, segments=tuple(segments))
