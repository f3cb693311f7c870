"""Exchange with translators' tools: TMX 1.4b, XLIFF 1.2, bilingual TSV and JSONL.

XLIFF and TMX go through translate-toolkit. An exported unit carries the document and
segment it came from (XLIFF ``file``/``id``, TMX ``tuid``) and the segment's revision, so
an import finds its way back, and a segment changed in the workspace since the export is
reported as a conflict instead of being overwritten.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench import __version__
from workbench.core.errors import WorkbenchError
from workbench.formats.rendering import edit_rendered
from workbench.store.files import SOURCE, HistoryEntry, SegmentRecord, TranslationFile, load, now, readable_files
from workbench.store.folder import TranslationsFolder, UnknownDocument
from workbench.store.workflow import Status, imported, shown_text

FORMATS = ("tmx", "xliff", "tsv", "jsonl")
TARGET = "en"
# Review status → XLIFF 1.2 target state, and back.
XLIFF_STATE = {
    "untranslated": "needs-translation",
    "machine": "needs-review-translation",
    "edited": "translated",
    "reviewed": "signed-off",
    "approved": "final",
    "rejected": "needs-translation",
}
STATUS_OF_STATE = {
    "needs-review-translation": "machine",
    "translated": "edited",
    "signed-off": "reviewed",
    "final": "approved",
}
_REVISION = re.compile(r"^workbench-revision: (\d+)$", re.M)
ID_SEPARATOR = "\x04"  # translate-toolkit's separator of file and unit id


class ExchangeError(WorkbenchError):
    """A file that cannot be exported or imported; names the file and, for XML, the line."""


@dataclass
class ImportReport:
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def documents_for_export(
    workspace: TranslationsFolder, doc_ids: list[str] | None, problems: list[str] | None = None
) -> list[TranslationFile]:
    """The translations files to export (default: all). One that cannot be read is named in
    ``problems`` and left out, so one broken file never stops an export; without
    ``problems`` its error is raised."""
    ids = doc_ids if doc_ids is not None else workspace.document_ids()
    documents = []
    for doc_id in ids:
        try:
            documents.append(load(workspace.path_of(doc_id)))
        except (WorkbenchError, OSError) as error:
            if problems is None:
                raise
            problems.append(f"{doc_id}: not exported: {error}")
    return documents


_target = shown_text


def _units(translations: list[TranslationFile]):
    for translation in translations:
        for record in translation.segments:
            if record.status != SOURCE and record.source.strip():
                yield translation, record


def _provenance(record: SegmentRecord) -> str:
    lines = [f"workbench-revision: {record.revision}", f"status: {record.status}"]
    if record.machine is not None:
        options = ", ".join(f"{k}={v}" for k, v in sorted(record.machine.options.items()))
        lines.append(
            f"machine: {record.machine.model} ({record.machine.origin}); {options}; score {record.machine.score}; confidence {record.machine.confidence}"
        )
        if record.machine.flags:
            lines.append(f"flags: {', '.join(record.machine.flags)}")
    if record.note:
        lines.append(f"note: {record.note}")
    return "\n".join(lines)


# -- export -------------------------------------------------------------------------------------


def unit_count(translations: list[TranslationFile], fmt: str, include_machine: bool = False) -> int:
    """How many units an export in ``fmt`` of ``translations`` carries."""
    if fmt == "tmx":
        return sum(1 for _ in tmx_units(translations, include_machine))
    return sum(1 for _ in _units(translations))


def export(
    workspace: TranslationsFolder,
    fmt: str,
    doc_ids: list[str] | None = None,
    include_machine: bool = False,
    problems: list[str] | None = None,
) -> bytes:
    """Serialise documents (default: all) in ``fmt``. TMX carries human-confirmed units only
    unless ``include_machine``. Documents that cannot be read go to ``problems`` (see
    ``documents_for_export``). Raises ExchangeError for an unknown format."""
    translations = documents_for_export(workspace, doc_ids, problems)
    if fmt == "xliff":
        return _export_xliff(translations, workspace.corpus)
    if fmt == "tmx":
        return _export_tmx(translations, include_machine)
    if fmt == "tsv":
        return _export_tsv(translations)
    if fmt == "jsonl":
        return _export_jsonl(translations)
    raise ExchangeError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def _export_xliff(translations: list[TranslationFile], corpus: Path | None = None) -> bytes:
    """XLIFF 1.2, one <file> per document (written with lxml: translate-toolkit writes 1.1).
    A segment's inline spans (a link, a bold phrase) are ``<g id="n">`` elements in its
    source and, where their English is found, in its target; its images, note references
    and fields are ``<x/>`` in both, so CAT tools protect them."""
    from lxml import etree

    from workbench.formats.blocks import locate, marks_by_segment, placed_marks, segment_inline_spans
    from workbench.formats.rendering import source_styles

    ns = "urn:oasis:names:tc:xliff:document:1.2"
    xml_ns = "http://www.w3.org/XML/1998/namespace"
    root = etree.Element(f"{{{ns}}}xliff", nsmap={None: ns}, version="1.2")
    files: dict[str, etree._Element] = {}
    styled: dict[str, object | None] = {}  # per document: formats.Extracted, or None for plain text
    marks_of: dict[tuple[str, str], list[tuple[int, str]]] = {}  # per exported segment: its images, notes, fields
    for translation, record in _units(translations):
        file_node = files.get(translation.document_id)
        if file_node is None:
            langs = {r.lang for r in translation.segments if r.status != SOURCE and r.source.strip()}
            file_node = etree.SubElement(
                root,
                f"{{{ns}}}file",
                original=translation.document_id,
                datatype="plaintext",
                attrib={"source-language": langs.pop() if len(langs) == 1 else "mul", "target-language": TARGET},
            )
            etree.SubElement(file_node, f"{{{ns}}}body")
            files[translation.document_id] = file_node
            document = styled[translation.document_id] = source_styles(translation, corpus)
            if document is not None:
                exported = [r for _, r in _units([translation]) if document.text[r.start : r.end] == r.source]
                found = marks_by_segment(document.marks, [(r.start, r.end) for r in exported])
                marks_of.update(((translation.document_id, r.id), marks) for r, marks in zip(exported, found))
        unit = etree.SubElement(file_node[0], f"{{{ns}}}trans-unit", id=record.id)
        unit.set(f"{{{xml_ns}}}space", "preserve")
        if record.status == "approved":
            unit.set("approved", "yes")
        source = etree.SubElement(unit, f"{{{ns}}}source")
        source.set(f"{{{xml_ns}}}lang", record.lang)
        spans, marks = [], []
        document = styled[translation.document_id]
        if document is not None and document.text[record.start : record.end] == record.source:
            spans = segment_inline_spans(document.text, document.styles, record.start, record.end)
            marks = marks_of[translation.document_id, record.id]
        _with_inline(source, record.source, spans, marks, ns)
        target = etree.SubElement(unit, f"{{{ns}}}target", state=XLIFF_STATE[record.status])
        target.set(f"{{{xml_ns}}}lang", TARGET)
        inline = record.machine.inline if record.machine is not None else ()
        placed = locate(_target(record), list(inline)) if spans and len(inline) == len(spans) else None
        _with_inline(target, _target(record), placed or [], placed_marks(record.source, _target(record), marks), ns)
        if record.machine is not None and record.machine.text != _target(record):
            alternative = etree.SubElement(unit, f"{{{ns}}}alt-trans", origin=record.machine.model)
            alt_target = etree.SubElement(alternative, f"{{{ns}}}target")
            alt_target.set(f"{{{xml_ns}}}lang", TARGET)
            alt_target.text = record.machine.text
        note = etree.SubElement(unit, f"{{{ns}}}note", attrib={"from": "workbench"})
        note.text = _provenance(record)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _with_inline(element, text: str, spans: list[tuple[int, int]], marks: list[tuple[int, str]], ns: str) -> None:
    """``text`` into ``element``, each span of it in a ``<g id="1">``, ``<g id="2">`` … and
    each standalone element (``(offset, kind)``) an ``<x/>`` numbered after them."""
    from lxml import etree

    points = [(at, number, kind) for number, (at, kind) in enumerate(sorted(marks), start=len(spans) + 1)]

    def fill(parent, start: int, end: int, groups: list[tuple[int, int, int]], inside: list[tuple[int, int, str]]) -> None:
        last = None

        def put(value: str) -> None:
            if last is None:
                parent.text = (parent.text or "") + value
            else:
                last.tail = (last.tail or "") + value

        cursor = start
        # A point at a group's edge goes outside it: before its start, after its end.
        events = [(a, 1, number, b) for number, a, b in groups] + [(at, 0, number, kind) for at, number, kind in inside]
        for at, is_group, number, extra in sorted(events):
            put(text[cursor:at])
            if is_group:
                last = etree.SubElement(parent, f"{{{ns}}}g", id=str(number))
                fill(last, at, extra, [], [point for point in points if at < point[0] < extra])
                cursor = extra
            else:
                last = etree.SubElement(parent, f"{{{ns}}}x", id=str(number), ctype=_CTYPE.get(extra, f"x-{extra}"))
                cursor = at
        put(text[cursor:end])

    groups = [(number, a, b) for number, (a, b) in enumerate(spans, start=1)]
    outside = [point for point in points if not any(a < point[0] < b for _, a, b in groups)]
    element.text = ""
    fill(element, 0, len(text), groups, outside)


_CTYPE = {"image": "image"}  # XLIFF 1.2's own placeholder types; others are "x-<kind>"


# Statuses a person confirmed: the only ones a TMX carries unless machine output is asked for.
CONFIRMED = ("edited", "reviewed", "approved")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tmx_units(translations: list[TranslationFile], include_machine: bool = False, lang: str | None = None):
    """``(translation, record, target)`` for the units a TMX carries: human-confirmed ones
    (edited, reviewed, approved), plus machine output when asked; never rejected ones."""
    wanted = CONFIRMED + (("machine",) if include_machine else ())
    for translation, record in _units(translations):
        target = _target(record)
        if target and record.status in wanted and (lang is None or record.lang == lang):
            yield translation, record, target


def write_tmx(units, srclang: str | None = None, segtype: str = "paragraph") -> bytes:
    """TMX 1.4b (valid against the LISA DTD): one ``<tu>`` per unit with ``tuid`` =
    ``<doc>#<segment>``, the workbench status and revision as ``<prop>``s and the provenance
    as a ``<note>``. ``srclang`` is the one source language when there is one, else ``*all*``.

    Written with lxml rather than translate-toolkit: its TMX writer has no ``<prop>``s and
    puts notes where OmegaT does not read them.
    """
    from lxml import etree

    units = list(units)
    if srclang is None:
        langs = {record.lang for _, record, _ in units}
        srclang = langs.pop() if len(langs) == 1 else "*all*"
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="translation-workbench",
        creationtoolversion=__version__,
        segtype=segtype,
        attrib={"o-tmf": "translation-workbench", "adminlang": "en", "srclang": srclang, "datatype": "plaintext"},
    )
    body = etree.SubElement(root, "body")
    for translation, record, target in units:
        unit = etree.SubElement(body, "tu", tuid=f"{translation.document_id}#{record.id}")
        if srclang == "*all*":
            unit.set("srclang", record.lang)
        for kind, value in (("x-workbench-status", str(record.status)), ("x-workbench-revision", str(record.revision))):
            etree.SubElement(unit, "prop", type=kind).text = value
        if record.status == "machine":
            machine = record.machine
            etree.SubElement(unit, "note").text = (
                f"machine translation ({machine.model}), not reviewed" if machine is not None else "machine translation, not reviewed"
            )
        else:
            etree.SubElement(unit, "note").text = _provenance(record)
        for code, text in ((record.lang, record.source), (TARGET, target)):
            variant = etree.SubElement(unit, "tuv")
            variant.set(XML_LANG, code)
            etree.SubElement(variant, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _export_tmx(translations: list[TranslationFile], include_machine: bool = False) -> bytes:
    return write_tmx(tmx_units(translations, include_machine))


@dataclass(frozen=True)
class TmxUnit:
    tuid: str
    source_lang: str
    source: str
    targets: dict[str, str]
    props: dict[str, str]
    notes: str


def read_tmx(data: bytes, name: str) -> list[TmxUnit]:
    """Every ``<tu>`` of a TMX 1.1 (``lang``) or 1.4 (``xml:lang``) file, codes in any case
    (OmegaT writes ``TR``). The source variant is the header's ``srclang`` (or the ``tu``'s),
    else the first variant that is not English. Raises ExchangeError naming the file."""
    from lxml import etree

    from workbench.core import languages

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno, 0)
        raise ExchangeError(f"{name}: malformed XML at line {line}, column {column}: {error.msg}") from None
    if root.tag != "tmx":
        raise ExchangeError(f"{name}: not a TMX file (the root element is <{root.tag}>)")

    def code(value: str | None) -> str:
        try:
            return languages.normalize(value or "")
        except WorkbenchError:
            return (value or "").lower()

    header = root.find("header")
    header_lang = header.get("srclang", "") if header is not None else ""
    units = []
    for unit in root.iter("tu"):
        variants: dict[str, str] = {}
        for variant in unit.findall("tuv"):
            segment = variant.find("seg")
            text = "".join(segment.itertext()) if segment is not None else ""
            variants[code(variant.get(XML_LANG) or variant.get("lang"))] = text
        declared = unit.get("srclang") or header_lang
        source_lang = code(declared) if declared and declared != "*all*" else ""
        if source_lang not in variants:
            source_lang = next((lang for lang in variants if lang != TARGET), next(iter(variants), ""))
        props = {prop.get("type", ""): prop.text or "" for prop in unit.findall("prop")}
        notes = "\n".join(note.text or "" for note in unit.findall("note"))
        units.append(
            TmxUnit(unit.get("tuid", ""), source_lang, variants.get(source_lang, ""),
                    {k: v for k, v in variants.items() if k != source_lang}, props, notes)
        )  # fmt: skip
    return units


def _export_tsv(translations: list[TranslationFile]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["document", "segment", "source_lang", "target_lang", "status", "source", "target"])
    for translation, record in _units(translations):
        writer.writerow([translation.document_id, record.id, record.lang, TARGET, record.status, record.source, _target(record)])
    return buffer.getvalue().encode("utf-8")


def _export_jsonl(translations: list[TranslationFile]) -> bytes:
    lines = []
    for translation, record in _units(translations):
        item = {
            "document": translation.document_id,
            "segment": record.id,
            "source_lang": record.lang,
            "target_lang": TARGET,
            "status": record.status,
            "source": record.source,
            "target": _target(record),
            "machine": None
            if record.machine is None
            else {
                "text": record.machine.text,
                "model": record.machine.model,
                "origin": record.machine.origin,
                "score": record.machine.score,
            },
            "revision": record.revision,
        }
        lines.append(json.dumps(item, ensure_ascii=False))
    return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")


# -- import -------------------------------------------------------------------------------------


def _parse_xml(data: bytes, name: str):
    from lxml import etree

    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno, 0)
        raise ExchangeError(f"{name}: malformed XML at line {line}, column {column}: {error.msg}") from None


def etree_name(element) -> str:
    return element.tag.split("}")[-1] if isinstance(element.tag, str) else "?"


@dataclass(frozen=True)
class _Incoming:
    document_id: str | None
    segment_id: str | None
    source: str
    target: str
    status: str | None
    revision: int | None


def _read_xliff(data: bytes, name: str) -> list[_Incoming]:
    from translate.storage.xliff import xlifffile

    root = _parse_xml(data, name)
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if namespace != "urn:oasis:names:tc:xliff:document:1.2":
        raise ExchangeError(
            f"{name}: not XLIFF 1.2 (its root is {etree_name(root)} in namespace {namespace or 'none'!r}, "
            "not urn:oasis:names:tc:xliff:document:1.2)"
        )
    try:
        store = xlifffile.parsestring(data)
    except Exception as error:  # translate-toolkit raises various errors on non-XLIFF XML
        raise ExchangeError(f"{name}: not an XLIFF 1.2 file: {error}") from None
    items = []
    for unit in store.getunits():
        if unit.isheader():
            continue
        node = unit.xmlelement.find(unit.namespaced("target"))
        state = node.get("state") if node is not None else None
        items.append(_incoming(unit, unit.getid(), ID_SEPARATOR, STATUS_OF_STATE.get(state or ""), unit.getnotes(origin="workbench")))
    return items


def _incoming(unit, full_id: str, separator: str, status: str | None, notes: str | None) -> _Incoming:
    """A translate-toolkit unit as an import item: ids, texts, status, exported revision."""
    document_id, _, segment_id = full_id.rpartition(separator)
    match = _REVISION.search(notes or "")
    return _Incoming(
        document_id or None,
        segment_id or None,
        str(unit.source or ""),
        str(unit.target or ""),
        status,
        int(match.group(1)) if match else None,
    )


def _read_tmx(data: bytes, name: str) -> list[_Incoming]:
    items = []
    for unit in read_tmx(data, name):
        document_id, _, segment_id = unit.tuid.rpartition("#")
        revision = unit.props.get("x-workbench-revision") or (_REVISION.search(unit.notes) or [None, None])[1]
        status = unit.props.get("x-workbench-status") or None
        items.append(
            _Incoming(
                document_id or None,
                segment_id or None,
                unit.source,
                unit.targets.get(TARGET, ""),
                status,
                int(revision) if revision is not None and str(revision).isdigit() else None,
            )
        )
    return items


def _read_tsv(data: bytes, name: str) -> list[_Incoming]:
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter="\t"))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ExchangeError(f"{name}: not a UTF-8 TSV file: {error}") from None
    header = ["document", "segment", "source_lang", "target_lang", "status", "source", "target"]
    if not rows or rows[0] != header:
        raise ExchangeError(f"{name}: line 1 must be the header {' '.join(header)}")
    items = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ExchangeError(f"{name}: line {number} has {len(row)} columns, expected {len(header)}")
        document, segment, _, _, status, source, target = row
        items.append(_checked_item(f"{name}: line {number}", document, segment, source, target, status, None))
    return items


def _read_jsonl(data: bytes, name: str) -> list[_Incoming]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ExchangeError(f"{name}: line {line}: not UTF-8 (byte {error.start}: {error.reason})") from None
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as error:
            raise ExchangeError(f"{name}: line {number}: not JSON ({error})") from None
        if not isinstance(item, dict):
            raise ExchangeError(f"{name}: line {number}: a workbench JSONL record is an object, not {type(item).__name__}")
        fields = [item.get(key) for key in ("document", "segment", "source", "target", "status", "revision")]
        items.append(_checked_item(f"{name}: line {number}", *fields))
    return items


def _checked_item(where: str, document, segment, source, target, status, revision) -> _Incoming:
    """An import item whose every field has the type and value the workbench writes; an
    ExchangeError naming ``where`` and the field otherwise (never a traceback, never a
    false conflict from a revision given as text)."""

    def text_or_none(field_name: str, value) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ExchangeError(f"{where}: {field_name} must be text, not {json.dumps(value)[:40]}")
        return value

    for field_name, value in (("source", source), ("target", target)):
        if not isinstance(value, str):
            shown = "missing" if value is None else f"not text but {json.dumps(value)[:40]}"
            raise ExchangeError(f"{where}: {field_name} is {shown}")
    status = text_or_none("status", status)
    if status is not None and status not in {str(s) for s in Status}:
        raise ExchangeError(f"{where}: status {status!r} is not one of {', '.join(str(s) for s in Status)}")
    if revision is not None and (isinstance(revision, bool) or not isinstance(revision, int) or revision < 0):
        raise ExchangeError(f"{where}: revision must be a whole number, not {json.dumps(revision)[:40]}")
    return _Incoming(text_or_none("document", document), text_or_none("segment", segment), source, target, status, revision)


def import_file(workspace: TranslationsFolder, path: Path) -> ImportReport:
    """Bring corrections from an XLIFF or TMX file back into ``translations/``.

    A unit whose segment still has the revision it was exported at updates the correction
    and status (with history). A segment changed since then is reported as a conflict and
    left as it is. Units without ids (TMX from other tools) match segments by source text,
    and only fill segments that have no correction yet. Nothing is ever deleted.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExchangeError(f"{path}: cannot be read: {error.strerror or error}") from None
    suffix = path.suffix.lower()
    if suffix in (".xlf", ".xliff"):
        items = _read_xliff(data, str(path))
    elif suffix == ".tmx":
        items = _read_tmx(data, str(path))
    elif suffix == ".tsv":
        items = _read_tsv(data, str(path))
    elif suffix == ".jsonl":
        items = _read_jsonl(data, str(path))
    else:
        raise ExchangeError(f"{path}: import reads .xlf/.xliff, .tmx, .tsv or .jsonl files")
    return apply_items(workspace, items)


def apply_items(workspace: TranslationsFolder, items: list[_Incoming]) -> ImportReport:
    """Apply import items: one ``store.edit`` transaction per document, state rules from
    workbench.store.workflow (``imported``). Units without ids match segments by source text and
    only fill segments without a correction."""
    report = ImportReport()
    by_document: dict[str, list[_Incoming]] = {}
    by_source = None
    for item in items:
        if item.document_id and item.segment_id:
            by_document.setdefault(item.document_id, []).append(item)
            continue
        if by_source is None:
            by_source = _index_by_source(workspace)
        matches = by_source.get(" ".join(item.source.split()), [])
        if not matches:
            report.unknown.append(item.source[:60])
        for document_id, record in matches:
            if record.correction:
                if record.correction != item.target:
                    report.conflicts.append(f"{document_id}#{record.id}: already corrected as {record.correction[:60]!r}; kept")
                else:
                    report.unchanged += 1
                continue
            by_document.setdefault(document_id, []).append(_Incoming(document_id, record.id, item.source, item.target, None, None))
    for document_id, document_items in by_document.items():
        _apply_document(workspace, document_id, document_items, report)
    return report


def _index_by_source(workspace: TranslationsFolder) -> dict[str, list[tuple[str, SegmentRecord]]]:
    index: dict[str, list[tuple[str, SegmentRecord]]] = {}
    for doc_id, translation in readable_files(workspace.translations):
        for record in translation.segments:
            if record.status != SOURCE:
                index.setdefault(" ".join(record.source.split()), []).append((doc_id, record))
    return index


def _apply_document(workspace: TranslationsFolder, document_id: str, items: list[_Incoming], report: ImportReport) -> None:
    try:
        workspace.path_of(document_id)
    except UnknownDocument:
        report.unknown.extend(f"{document_id}#{item.segment_id}" for item in items)
        return
    lines: list[tuple[str, str]] = []  # (kind, text), reported once the transaction is done

    def change(current: TranslationFile | None):
        lines.clear()
        if current is None:
            lines.extend(("unknown", f"{document_id}#{item.segment_id}") for item in items)
            return current
        segments = list(current.segments)
        index = {record.id: number for number, record in enumerate(segments)}
        stamp = now()
        for item in items:
            key = f"{document_id}#{item.segment_id}"
            number = index.get(item.segment_id)
            if number is None:
                lines.append(("unknown", key))
                continue
            record = segments[number]
            text, status = imported(record, item.target, item.status, record.status if item.revision is not None else None)
            if text is None and status is None:
                lines.append(("unchanged", key))
                continue
            if item.revision is not None and record.revision != item.revision:
                theirs = shown_text(record)
                lines.append(
                    ("conflict", f"{key}: changed in the workspace since the export (now revision {record.revision}, "
                     f"{record.status}, {theirs[:60]!r}); kept")
                )  # fmt: skip
                continue
            correction = record.correction if text is None else text
            new_status = status or record.status
            entry = HistoryEntry(stamp, "import", new_status, correction, record.status, record.correction)
            segments[number] = replace(
                record, correction=correction, status=new_status, revision=record.revision + 1, history=(*record.history, entry)
            )
            lines.append(("updated", key))
        return replace(current, segments=tuple(segments)) if segments != list(current.segments) else current

    try:
        edit_rendered(workspace.translations, document_id, change, corpus=workspace.corpus)
    except (WorkbenchError, OSError) as error:
        report.conflicts.extend(f"{document_id}#{item.segment_id}: not imported: {error}" for item in items)
        return
    for kind, text in lines:
        if kind == "updated":
            report.updated.append(text)
        elif kind == "unchanged":
            report.unchanged += 1
        elif kind == "conflict":
            report.conflicts.append(text)
        else:
            report.unknown.append(text)
