"""Translation memory: what reviewers already wrote, reused.

Built from the files under ``translations/``: every segment with a correction whose status
is edited, reviewed or approved. Exact matches (same language, same normalised source)
fill later translation runs, marked ``origin: memory`` with the document and segment they
came from; fuzzy matches (≥ 85 % similar) are offered to reviewers beside the machine
translation.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from workbench.store.files import MachineTranslation, readable_files

STATUS_RANK = {"approved": 3, "reviewed": 2, "edited": 1}
FUZZY_THRESHOLD = 0.85


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class MemoryEntry:
    lang: str
    source: str
    target: str
    status: str
    document_id: str
    segment_id: str

    @property
    def provenance(self) -> str:
        return f"memory:{self.document_id}#{self.segment_id}"

    def as_machine(self) -> MachineTranslation:
        """This entry as a segment's machine output, marked ``origin: memory`` with the document
        and segment it came from; reviewers still confirm it."""
        return MachineTranslation(text=self.target, model=self.provenance, options={}, score=0.0, confidence=1.0, flags=(), origin="memory")


@dataclass(frozen=True)
class FuzzyMatch:
    entry: MemoryEntry
    similarity: float


class TranslationMemory:
    def __init__(self, entries: list[MemoryEntry]) -> None:
        self._exact: dict[tuple[str, str], MemoryEntry] = {}
        self._by_lang: dict[str, list[tuple[str, MemoryEntry]]] = {}
        for entry in entries:
            key = (entry.lang, normalise(entry.source))
            current = self._exact.get(key)
            if current is None or STATUS_RANK[entry.status] > STATUS_RANK[current.status]:
                self._exact[key] = entry
        for (lang, source), entry in self._exact.items():
            self._by_lang.setdefault(lang, []).append((source, entry))

    def __len__(self) -> int:
        return len(self._exact)

    @classmethod
    def from_folder(cls, translations: Path, exclude: str | None = None) -> TranslationMemory:
        """Every reviewed correction under ``translations`` (broken files are skipped)."""
        entries = []
        for doc_id, translation in readable_files(translations):
            if doc_id == exclude:
                continue
            for record in translation.segments:
                if record.correction.strip() and record.status in STATUS_RANK and record.source.strip():
                    entries.append(
                        MemoryEntry(record.lang, record.source, record.correction, record.status, translation.document_id, record.id)
                    )
        return cls(entries)

    def exact(self, lang: str, source: str) -> MemoryEntry | None:
        return self._exact.get((lang, normalise(source)))

    def fuzzy(self, lang: str, source: str, threshold: float = FUZZY_THRESHOLD, limit: int = 3) -> list[FuzzyMatch]:
        """Entries at least ``threshold`` similar (difflib ratio on normalised text), best first."""
        needle = normalise(source)
        matches = []
        for candidate, entry in self._by_lang.get(lang, ()):
            if abs(len(candidate) - len(needle)) > (1 - threshold) * max(len(candidate), len(needle)) + 1:
                continue  # too different in length to reach the threshold
            matcher = difflib.SequenceMatcher(None, needle, candidate, autojunk=False)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                matches.append(FuzzyMatch(entry, round(ratio, 4)))
        matches.sort(key=lambda match: (-match.similarity, -STATUS_RANK[match.entry.status]))
        return matches[:limit]

    def concordance(self, query: str, field: str = "source", lang: str | None = None, limit: int = 50) -> list[MemoryEntry]:
        """Entries whose source (or target) holds every word of ``query``, any case: how a
        term was translated before."""
        words = normalise(query).split()
        if not words:
            return []
        found = []
        for entry in self._exact.values():
            if lang is not None and entry.lang != lang:
                continue
            haystack = normalise(entry.source if field == "source" else entry.target)
            if all(word in haystack for word in words):
                found.append(entry)
        found.sort(key=lambda entry: (-STATUS_RANK[entry.status], len(entry.source)))
        return found[:limit]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``[(op, text)]`` from ``old`` to ``new`` word by word: op is ``=``, ``-`` or ``+``.
    What a reviewer needs to see of a fuzzy match: where its source differs from this one."""
    a, b = old.split(), new.split()
    result: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            result.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            result.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            result.append(("+", " ".join(b[j1:j2])))
    return result


def shown_diff(old: str, new: str) -> str:
    """``word_diff`` as plain text: [-removed-] {+added+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op].format(text) for op, text in word_diff(old, new))
