"""The project's glossary: terms in a source language and the English a reviewer must use.

Kept as ``translations/glossary.tsv`` (language, term, English, note; a header line), so it
reads and diffs as text and travels with the translations. Imported from CSV or TBX (read
with translate-toolkit); written atomically.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.core import languages
from workbench.core.errors import WorkbenchError
from workbench.store.files import write_atomically

FILE_NAME = "glossary.tsv"
HEADER = ["lang", "term", "english", "note"]
TARGET = "en"


class GlossaryError(WorkbenchError):
    """A glossary file that cannot be read; names the file and the line."""


@dataclass(frozen=True)
class Term:
    lang: str
    term: str
    english: str
    note: str = ""


@dataclass(frozen=True)
class TermMatch:
    term: Term
    start: int
    end: int


class Glossary:
    def __init__(self, terms: list[Term] | None = None) -> None:
        self.terms = sorted(set(terms or ()), key=lambda t: (t.lang, t.term.casefold(), t.english))
        self._patterns: dict[str, list[tuple[re.Pattern, Term]]] = {}
        for term in self.terms:
            # Whole words, any case; longer terms first, so "general strike" wins over "strike".
            pattern = re.compile(rf"(?<!\w){re.escape(term.term)}(?!\w)", re.IGNORECASE)
            self._patterns.setdefault(term.lang, []).append((pattern, term))
        for patterns in self._patterns.values():
            patterns.sort(key=lambda item: -len(item[1].term))

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, text: str, lang: str) -> list[TermMatch]:
        """The glossary's terms of ``lang`` in ``text``, in order, none overlapping."""
        found: list[TermMatch] = []
        taken: list[tuple[int, int]] = []
        for pattern, term in self._patterns.get(lang, ()):
            for match in pattern.finditer(text):
                if not any(match.start() < end and start < match.end() for start, end in taken):
                    found.append(TermMatch(term, match.start(), match.end()))
                    taken.append((match.start(), match.end()))
        return sorted(found, key=lambda m: m.start)

    def merged(self, other: Glossary) -> Glossary:
        return Glossary([*self.terms, *other.terms])


def path_of(translations: Path) -> Path:
    return translations / FILE_NAME


def load(translations: Path) -> Glossary:
    """The project's glossary (empty when there is none). Raises GlossaryError."""
    path = path_of(translations)
    if not path.is_file():
        return Glossary()
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t"))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise GlossaryError(f"{path}: cannot be read: {error}") from None
    if not rows or rows[0] != HEADER:
        raise GlossaryError(f"{path}: line 1 must be the header {' '.join(HEADER)}")
    terms = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3 or not row[1].strip() or not row[2].strip():
            raise GlossaryError(f"{path}: line {number}: needs a language, a term and its English")
        terms.append(Term(row[0].strip(), row[1].strip(), row[2].strip(), row[3].strip() if len(row) > 3 else ""))
    return Glossary(terms)


def save(translations: Path, glossary: Glossary) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(HEADER)
    for term in glossary.terms:
        writer.writerow([term.lang, term.term, term.english, term.note])
    path = path_of(translations)
    write_atomically(path, buffer.getvalue())
    return path


def read_file(path: Path, lang: str | None = None) -> Glossary:
    """Terms from a CSV (``term,english[,lang][,note]``, with or without a header; ``lang``
    for files without that column) or a TBX file. Raises GlossaryError naming the file."""
    if path.suffix.lower() == ".tbx":
        return _read_tbx(path, lang)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise GlossaryError(f"{path}: cannot be read as UTF-8 text: {error}") from None
    dialect = csv.excel_tab if path.suffix.lower() in (".tsv", ".tab") else csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    columns = {"term": 0, "english": 1, "lang": 2, "note": 3}
    first_line = 1
    if rows and {cell.strip().lower() for cell in rows[0]} & {"term", "source", "english", "target", "lang"}:
        first_line = 2
        header = [cell.strip().lower() for cell in rows.pop(0)]
        names = {"source": "term", "target": "english", "language": "lang", "en": "english"}
        columns = {names.get(name, name): index for index, name in enumerate(header)}
        if "term" not in columns or "english" not in columns:
            raise GlossaryError(f"{path}: line 1 names no term and english (or source and target) columns")
    terms = []
    for number, row in enumerate(rows, start=first_line):

        def cell(name: str, row=row) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        code = cell("lang") or lang
        if not code:
            raise GlossaryError(f"{path}: line {number}: no language; give one with --lang")
        if not cell("term") or not cell("english"):
            raise GlossaryError(f"{path}: line {number}: needs a term and its English")
        terms.append(Term(languages.normalize(code), cell("term"), cell("english"), cell("note")))
    return Glossary(terms)


def _read_tbx(path: Path, lang: str | None) -> Glossary:
    from translate.storage.tbx import tbxfile

    try:
        store = tbxfile.parsefile(str(path))
    except Exception as error:  # translate-toolkit raises XML and parse errors of many kinds
        raise GlossaryError(f"{path}: not a TBX file: {error}") from None
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    terms = []
    for unit in store.units:
        by_lang: dict[str, str] = {}
        for lang_set in unit.xmlelement.iter("{*}langSet", "langSet"):
            code = lang_set.get(xml_lang) or lang_set.get("lang") or ""
            term = next((t.text for t in lang_set.iter("{*}term", "term") if t.text and t.text.strip()), None)
            if code and term:
                by_lang[code.lower().split("-")[0]] = term.strip()
        english = by_lang.pop(TARGET, None)
        if english is None:
            continue
        for code, term in by_lang.items():
            if lang is None or code == lang:
                terms.append(Term(languages.normalize(code), term, english))
    if not terms:
        raise GlossaryError(f"{path}: no entry with an English term{f' and a {lang} one' if lang else ''}")
    return Glossary(terms)
