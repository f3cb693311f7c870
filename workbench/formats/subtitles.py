"""Subtitles: SubRip (.srt) and WebVTT (.vtt) cues; renderings keep numbers and timings."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.core.errors import InputError
from workbench.core.limits import DEFAULT_LIMITS, Limits
from workbench.formats.blocks import EnglishOf

_TIMING = re.compile(r"^\s*\d[\d:.,]*\s*-->\s*\d[\d:.,]*")


def _cues(text: str, fmt: str) -> list[tuple[int, int, list[str]]]:
    """``(first text line, last text line + 1, lines)`` per cue of an SRT or WebVTT file."""
    lines = text.splitlines()
    cues = []
    index = 0
    while index < len(lines):
        if _TIMING.match(lines[index]):
            first = index + 1
            end = first
            while end < len(lines) and lines[end].strip():
                end += 1
            cues.append((first, end, lines[first:end]))
            index = end
        else:
            index += 1
    return cues


def _kind(path: str) -> str:
    return "vtt" if Path(path).suffix.lower() == ".vtt" else "srt"


def read(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS):
    from workbench.formats.decoding import decode

    decoded = decode(data, path)
    fmt = _kind(path)
    if fmt == "vtt" and not decoded.text.lstrip("\ufeff").startswith("WEBVTT"):
        raise InputError(path, "is not a WebVTT file (it must start with WEBVTT)")
    cues = _cues(decoded.text, fmt)
    if not cues:
        raise InputError(path, f"has no subtitle cues (no '00:00:01,000 --> 00:00:02,000' timing lines): not an {fmt.upper()} file")
    blocks = [[(" ".join(line.strip() for line in lines), None)] for _, _, lines in cues]
    return blocks, decoded.encoding, decoded.confidence, decoded.warnings


def render(data: bytes, path: str, english_of: EnglishOf) -> bytes:
    """The file with each translated cue's text replaced; numbers, timings, settings, notes and
    the byte-order mark stay as they were."""
    from workbench.formats.decoding import decode, encoded_as_utf8

    text = decode(data, path).text
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    cues = _cues(text, _kind(path))
    english = english_of([[(" ".join(line.strip() for line in cue_lines), None)] for _, _, cue_lines in cues])
    if all(translated is None for translated in english):
        return data  # nothing translated: the file as it is, byte for byte
    # Work backwards so earlier line numbers stay valid.
    for (first, end, _), translated in reversed(list(zip(cues, english))):
        if translated is not None:
            lines[first:end] = [translated[0] + newline]
    return encoded_as_utf8("".join(lines), data)
