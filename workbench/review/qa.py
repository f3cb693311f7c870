"""Quality checks of a translation against its source, as CAT tools run them.

Each check has a name, a severity and a message a reviewer can act on. They run on the text a
segment shows (the correction, else the machine output): per segment in the review app, and
as a report over documents with ``workbench qa``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from workbench.store.files import SOURCE, SegmentRecord
from workbench.store.glossary import Glossary
from workbench.store.workflow import shown_text

ERROR, WARNING = "error", "warning"
# Below this many characters a length ratio says nothing.
LENGTH_FROM = 20
LENGTH_RATIO = (0.33, 3.0)

_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_END = re.compile(r"[.!?…:;؟。]+[\"'»”’)\]]*\s*$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Issue:
    check: str
    severity: str
    message: str


def _digits(text: str) -> str:
    """Every decimal digit as ASCII (Arabic-Indic and Persian digits are numbers too)."""
    return "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in text)


def _numbers(text: str) -> Counter:
    # 1,000 and 1.000 and 1000 are one number in different conventions.
    return Counter(re.sub(r"[.,\u066b\u066c]", "", number) for number in _NUMBER.findall(_digits(text)))


def _trimmed(urls: list[str]) -> Counter:
    return Counter(url.rstrip(".,;:!?)]") for url in urls)


def formatting_kept(span: str, target: str) -> bool:
    """Whether an inline span's English (``machine.inline``) is still in ``target``: the words
    ``formats.blocks`` puts the span's formatting on (a blank span has none to lose)."""
    return not span.strip() or span.strip().casefold() in target.casefold()


def check(record: SegmentRecord, glossary: Glossary | None = None) -> list[Issue]:
    """The issues of one segment's translation (none for English segments or empty ones)."""
    target = shown_text(record)
    source = record.source
    if record.status == SOURCE or not target.strip():
        return []
    issues = []
    missing, extra = _numbers(source) - _numbers(target), _numbers(target) - _numbers(source)
    if missing or extra:
        parts = [f"missing {', '.join(sorted(missing))}" if missing else "", f"added {', '.join(sorted(extra))}" if extra else ""]
        issues.append(Issue("numbers", ERROR, "numbers differ: " + "; ".join(p for p in parts if p)))
    for name, pattern in (("urls", _URL), ("emails", _EMAIL)):
        wanted, got = _trimmed(pattern.findall(source)), _trimmed(pattern.findall(target))
        if wanted != got:
            lost = sorted((wanted - got).elements())
            issues.append(Issue(name, ERROR, f"{name[:-1]}s differ" + (f": missing {', '.join(lost)}" if lost else "")))
    if target.strip() == source.strip() and any(char.isalpha() for char in source):
        issues.append(Issue("untranslated", WARNING, "the translation is the source text"))
    if bool(_END.search(source)) != bool(_END.search(target)):
        issues.append(Issue("end-punctuation", WARNING, "the source and the translation end differently (one with a stop, one without)"))
    if len(source) >= LENGTH_FROM:
        ratio = len(target) / len(source)
        if not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]:
            issues.append(Issue("length", WARNING, f"the translation is {ratio:.1f} times as long as the source"))
    words = [word.casefold() for word in _WORD.findall(target)]
    doubled = sorted({a for a, b in itertools.pairwise(words) if a == b and not a.isdigit()})
    if doubled:
        issues.append(Issue("doubled-word", WARNING, f"doubled word: {', '.join(doubled)}"))
    if "  " in target.strip():
        issues.append(Issue("double-space", WARNING, "two spaces in a row"))
    inline = record.machine.inline if record.machine is not None else ()
    lost = [span for span in inline if not formatting_kept(span, target)]
    if lost:
        # formats.blocks places a link's or a bold phrase's formatting on these words.
        words = ", ".join(f"“{span.strip()}”" for span in lost)
        issues.append(
            Issue(
                "markup",
                WARNING,
                f"formatted words (a link, bold, code) not in the translation: {words}; keep them so the formatting stays on them",
            )
        )
    if glossary is not None:
        for match in glossary.find(source, record.lang):
            # The English term at the start of a word: "worker" is used in "workers".
            if not re.search(rf"(?<!\w){re.escape(match.term.english)}", target, re.IGNORECASE):
                issues.append(Issue("glossary", WARNING, f"“{match.term.term}” should be “{match.term.english}” (glossary)"))
    return issues


@dataclass(frozen=True)
class Finding:
    document_id: str
    segment_id: str
    issue: Issue


def report(folder, doc_ids: list[str] | None = None, glossary: Glossary | None = None, problems: list[str] | None = None) -> list[Finding]:
    """Every issue of the chosen documents (default: all), in document order. A translations
    file that cannot be read goes to ``problems``."""
    from workbench.store.files import StoreError, load

    findings = []
    for doc_id in doc_ids if doc_ids is not None else folder.document_ids():
        try:
            translation = load(folder.path_of(doc_id))
        except StoreError as error:
            if problems is None:
                raise
            problems.append(f"{doc_id}: not checked: {error}")
            continue
        for record in translation.segments:
            findings.extend(Finding(doc_id, record.id, issue) for issue in check(record, glossary))
    return findings
