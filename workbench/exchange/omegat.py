"""OmegaT projects out, translators' work back in.

OmegaT 3.6's XLIFF filter translates what is in ``<target>`` and hides ``<source>``, so an
OmegaT user is given a project instead: per source language, ``DIR/<lang>/`` with
``omegat.project`` (paragraph segmentation: one workbench segment is one OmegaT segment),
``source/<doc>.txt`` holding every segment to translate, one per paragraph, ``tm/auto/`` with
the human-confirmed translations (OmegaT inserts exact matches), ``tm/`` with the machine
translations (offered, never inserted), and ``workbench-export.json``, the map back to
documents, segments and the revisions exported.

Import reads ``omegat/project_save.tmx`` (the translator's saved work) and the project's TMX
exports (TMX 1.1 ``lang`` or 1.4 ``xml:lang``, any case), finds each unit's segments through
the map (units OmegaT cut into sentences are joined back), and applies them by the
workflow's rules; a segment changed in the workspace since the export is a conflict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from workbench.core import languages
from workbench.exchange.bilingual import (
    ExchangeError,
    ImportReport,
    TmxUnit,
    _Incoming,
    _units,
    apply_items,
    read_tmx,
    tmx_units,
    write_tmx,
)
from workbench.store.files import StoreError, TranslationFile, inside, write_atomically
from workbench.store.folder import TranslationsFolder
from workbench.store.workflow import shown_text

TARGET = "en"
MANIFEST = "workbench-export.json"
CONFIRMED_TMX = "tm/auto/workbench-confirmed.tmx"
MACHINE_TMX = "tm/workbench-machine.tmx"

_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{source}</source_lang>
    <target_lang>{target}</target_lang>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""

_README = """# OmegaT projects exported by Translation Workbench

One project per source language: {languages}.

1. In OmegaT: Project → Open… and choose one of the folders above (it holds `omegat.project`).
2. Every segment to translate shows its source text. Translations people already confirmed
   (edited, reviewed, approved) are filled in from `tm/auto/`; machine translations are offered
   as fuzzy matches from `tm/` (OmegaT does not insert them). Rejected translations are not
   exported.
3. Translate, then Project → Save (Ctrl+S). Your work is in `omegat/project_save.tmx`.
4. Bring it back: `workbench import {example}` (the project folder, or any TMX OmegaT wrote).
   New translations land as corrections with status `edited`; a segment someone changed in
   the workbench since this export is reported as a conflict and kept.

Segmentation is by paragraph (`sentence_seg` false): one workbench segment is one OmegaT
segment. If you switch sentence segmentation on, the import joins the sentences back.
Exported {when}.
"""


@dataclass(frozen=True)
class ExportedProject:
    lang: str
    path: Path
    documents: int
    segments: int
    confirmed: int
    machine: int


def export_projects(
    workspace: TranslationsFolder, out_dir: Path, doc_ids: list[str] | None = None, problems: list[str] | None = None
) -> list[ExportedProject]:
    """Write one OmegaT project per source language under ``out_dir``; every path is checked
    to stay inside it. Documents that cannot be read go to ``problems``. Raises
    ExchangeError when there is nothing to translate."""
    from workbench.exchange.bilingual import documents_for_export
    from workbench.store.files import now

    translations = []
    for translation in documents_for_export(workspace, doc_ids, problems):
        try:  # the id names a file of the project: it must stay inside it
            inside(out_dir / "source", f"{translation.document_id}.txt")
        except StoreError as error:
            if problems is None:
                raise
            problems.append(f"{translation.path}: not exported: document id {error}")
            continue
        translations.append(translation)
    by_lang: dict[str, list[TranslationFile]] = {}
    for translation, record in _units(translations):
        if record.lang != languages.UNDETERMINED:
            documents = by_lang.setdefault(record.lang, [])
            if translation not in documents:
                documents.append(translation)
    if not by_lang:
        raise ExchangeError("nothing to export: no segment outside English in the chosen documents")
    projects = []
    for lang, documents in sorted(by_lang.items()):
        projects.append(_export_project(inside(out_dir, lang), lang, documents))
    write_atomically(
        out_dir / "README.md",
        _README.format(languages=", ".join(sorted(by_lang)), example=out_dir / sorted(by_lang)[0], when=now()),
    )
    return projects


def _export_project(folder: Path, lang: str, documents: list[TranslationFile]) -> ExportedProject:
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    write_atomically(folder / "omegat.project", _PROJECT.format(source=lang, target=TARGET))
    manifest: dict[str, list[dict]] = {}
    segments = 0
    for translation in documents:
        records = [record for t, record in _units([translation]) if record.lang == lang]
        if not records:
            continue
        # One paragraph per segment; a segment never spans lines, so blank lines keep them apart.
        body = "\n\n".join(" ".join(record.source.split()) for record in records) + "\n"
        write_atomically(inside(folder / "source", f"{translation.document_id}.txt"), body)
        manifest[translation.document_id] = [
            {
                "segment": record.id,
                "revision": record.revision,
                "status": str(record.status),
                "source": record.source,
                "target": shown_text(record),
            }
            for record in records
        ]
        segments += len(records)
    confirmed = list(tmx_units(documents, include_machine=False, lang=lang))
    machine = [unit for unit in tmx_units(documents, include_machine=True, lang=lang) if unit[1].status == "machine"]
    write_atomically(folder / CONFIRMED_TMX, write_tmx(confirmed, srclang=lang))
    write_atomically(folder / MACHINE_TMX, write_tmx(machine, srclang=lang))
    write_atomically(folder / MANIFEST, json.dumps({"lang": lang, "documents": manifest}, ensure_ascii=False, indent=2) + "\n")
    return ExportedProject(lang, folder, len(manifest), segments, len(confirmed), len(machine))


def is_project(path: Path) -> bool:
    return path.is_dir() and (path / "omegat.project").is_file()


def import_project(workspace: TranslationsFolder, path: Path) -> ImportReport:
    """Bring an OmegaT project's work (or one TMX file OmegaT wrote) back into the workspace.

    Raises ExchangeError naming the file when it cannot be read.
    """
    if is_project(path):
        tmx_files = [path / "omegat" / "project_save.tmx", *sorted(path.glob("*-omegat.tmx")), *sorted(path.glob("*-level2.tmx"))]
        tmx_files = [file for file in tmx_files if file.is_file()][:1]  # project_save.tmx first: the translator's own
        manifest_path = path / MANIFEST
    else:
        tmx_files = [path]
        manifest_path = path.parent / MANIFEST if (path.parent / MANIFEST).is_file() else path.parent.parent / MANIFEST
    if not tmx_files:
        raise ExchangeError(f"{path}: no omegat/project_save.tmx yet: save the project in OmegaT (Ctrl+S) first")
    units: list[TmxUnit] = []
    for file in tmx_files:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise ExchangeError(f"{file}: cannot be read: {error.strerror or error}") from None
        units.extend(read_tmx(data, str(file)))
    manifest = _read_manifest(manifest_path)
    if manifest is None:  # a TMX alone: match segments by source text, fill only empty ones
        return apply_items(workspace, [_Incoming(None, None, u.source, u.targets.get(TARGET, ""), None, None) for u in units])
    return apply_items(workspace, _items_from_manifest(manifest, units))


def _read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise ExchangeError(f"{path}: the export's map back to the workspace cannot be read: {error}") from None


def _normal(text: str) -> str:
    return " ".join(text.split())


def _items_from_manifest(manifest: dict, units: list[TmxUnit]) -> list[_Incoming]:
    translated = {_normal(unit.source): unit.targets.get(TARGET, "") for unit in units if unit.targets.get(TARGET, "").strip()}
    items = []
    for document_id, entries in manifest.get("documents", {}).items():
        for entry in entries:
            target = translated.get(_normal(entry["source"]))
            if target is None:
                target = join_sentences(entry["source"], translated)
            if target is None:
                continue
            items.append(_Incoming(document_id, entry["segment"], entry["source"], target, None, int(entry["revision"])))
    return items


def join_sentences(source: str, translated: dict[str, str]) -> str | None:
    """The translation of ``source`` from units that each translate one piece of it (OmegaT's
    sentence segmentation), joined with single spaces; None unless the pieces cover it all."""
    text = _normal(source)
    pieces = sorted((key for key in translated if key and key in text), key=len, reverse=True)
    parts = []
    position = 0
    while position < len(text):
        if text[position] == " ":
            position += 1
            continue
        piece = next((key for key in pieces if text.startswith(key, position)), None)
        if piece is None:
            return None
        parts.append(translated[piece])
        position += len(piece)
    return " ".join(parts) if len(parts) > 1 else None
