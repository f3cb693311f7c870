from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from builders.toy import to_toyish
from workbench.core.settings import Settings
from workbench.exchange.bilingual import ExchangeError, export, import_file
from workbench.review.workspace import Workspace
from workbench.store.files import load
from workbench.translate.run import translate_corpus

XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"
DATA = Path(__file__).parent / "data"
LINES = [
    "the workers want bread",
    "solidarity with all comrades",
    "our children need a new school",
    "peace and land and bread",
    "free the village",
]


@pytest.fixture
def workspace(tmp_path, toy_model):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text("\n\n".join(to_toyish(line) for line in LINES) + "\n", encoding="utf-8")
    translations = tmp_path / "translations"
    translate_corpus([corpus], Settings(translations=translations), force_lang="xx")
    ws = Workspace(corpus, translations)
    records = ws.open("news").translation.segments
    ws.save_correction("news", records[1].id, "Solidarity with all comrades!", 0)  # edited
    ws.save_correction("news", records[2].id, "Our children need a new school.", 0)
    ws.set_status("news", records[2].id, "reviewed", 1)
    ws.set_status("news", records[3].id, "approved", 0)
    ws.set_status("news", records[4].id, "rejected", 0)
    return ws


def snapshot(ws):
    return {path.name: path.read_bytes() for path in sorted(ws.translations.glob("*")) if path.is_file()}


def test_xliff_states_notes_and_alternatives(workspace):
    root = etree.fromstring(export(workspace, "xliff"))
    file_node = root.find(f"{XLIFF}file")
    assert (file_node.get("original"), file_node.get("source-language"), file_node.get("target-language")) == ("news", "xx", "en")
    units = root.iter(f"{XLIFF}trans-unit")
    states = [unit.find(f"{XLIFF}target").get("state") for unit in units]
    assert states == ["needs-review-translation", "translated", "signed-off", "final", "needs-translation"]
    first = next(root.iter(f"{XLIFF}trans-unit"))
    note = first.find(f"{XLIFF}note").text
    assert "machine: argos:xx-en@1.0 (engine); beam=4, length_factor=3, length_penalty=0.2, max_decoding_length=256" in note
    assert "workbench-revision: 0" in note
    second = list(root.iter(f"{XLIFF}trans-unit"))[1]
    assert second.find(f"{XLIFF}target").text == "Solidarity with all comrades!"
    assert second.find(f"{XLIFF}alt-trans/{XLIFF}target").text == "solidarity with all comrades"


def test_tmx_carries_confirmed_units_with_codes_ids_and_status(workspace):
    root = etree.fromstring(export(workspace, "tmx"))
    assert root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "xx"  # one source language: a real srclang, not *all*
    units = root.findall("body/tu")
    statuses = [unit.find("prop[@type='x-workbench-status']").text for unit in units]
    assert statuses == ["edited", "reviewed", "approved"]  # never machine (by default) nor rejected
    assert units[0].get("tuid").startswith("news#")
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in units[0].findall("tuv")]
    assert langs == ["xx", "en"]


def test_tmx_with_machine_units_marks_them(workspace):
    root = etree.fromstring(export(workspace, "tmx", include_machine=True))
    units = root.findall("body/tu")
    statuses = [unit.find("prop[@type='x-workbench-status']").text for unit in units]
    assert statuses == ["machine", "edited", "reviewed", "approved"]
    assert "machine translation (argos:xx-en@1.0), not reviewed" in units[0].find("note").text


@pytest.mark.parametrize("include_machine", [False, True], ids=["confirmed", "with-machine"])
def test_tmx_is_valid_against_the_tmx14_dtd(workspace, include_machine):
    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    root = etree.fromstring(export(workspace, "tmx", include_machine=include_machine))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()


def test_xliff_is_valid_against_the_xliff12_strict_schema(workspace):
    schema = etree.XMLSchema(etree.parse(str(DATA / "xliff-core-1.2-strict.xsd")))
    root = etree.fromstring(export(workspace, "xliff"))
    assert schema.validate(root), schema.error_log.filter_from_errors()


def test_tsv_and_jsonl(workspace):
    tsv = export(workspace, "tsv").decode().splitlines()
    assert tsv[0] == "document\tsegment\tsource_lang\ttarget_lang\tstatus\tsource\ttarget"
    assert tsv[2].endswith(f"\txx\ten\tedited\t{to_toyish('solidarity with all comrades')}\tSolidarity with all comrades!")
    import json

    records = [json.loads(line) for line in export(workspace, "jsonl").decode().splitlines()]
    assert [r["status"] for r in records] == ["machine", "edited", "reviewed", "approved", "rejected"]
    assert records[0]["machine"]["model"] == "argos:xx-en@1.0"


@pytest.mark.parametrize("fmt", ["xliff", "tmx", "tsv", "jsonl"])
def test_round_trip_leaves_files_identical(workspace, tmp_path, fmt):
    suffix = {"xliff": ".xlf", "tmx": ".tmx", "tsv": ".tsv", "jsonl": ".jsonl"}[fmt]
    exported = tmp_path / f"export{suffix}"
    exported.write_bytes(export(workspace, fmt, include_machine=True))
    before = snapshot(workspace)
    report = import_file(workspace, exported)
    assert report.updated == [] and report.conflicts == [] and report.unknown == []
    assert snapshot(workspace) == before


def test_import_of_a_translators_edit_keeps_history(workspace, tmp_path):
    data = export(workspace, "xliff")
    root = etree.fromstring(data)
    first = next(root.iter(f"{XLIFF}trans-unit"))
    target = first.find(f"{XLIFF}target")
    target.text = "The workers want bread, now."
    target.set("state", "final")
    path = tmp_path / "back.xlf"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    report = import_file(workspace, path)
    assert len(report.updated) == 1 and not report.conflicts
    record = load(workspace.translations / "news.json").segments[0]
    assert (record.correction, record.status) == ("The workers want bread, now.", "approved")
    assert [(h.action, h.previous_status, h.status) for h in record.history] == [("import", "machine", "approved")]
    assert (workspace.translations / "news.en.txt").read_text(encoding="utf-8").startswith("The workers want bread, now.\n")


def test_import_reports_conflicts_and_never_overwrites(workspace, tmp_path):
    data = export(workspace, "xliff")
    record = load(workspace.translations / "news.json").segments[1]
    workspace.save_correction("news", record.id, "Changed in the workspace after export.", record.revision)
    root = etree.fromstring(data)
    unit = list(root.iter(f"{XLIFF}trans-unit"))[1]
    unit.find(f"{XLIFF}target").text = "Changed by the translator."
    path = tmp_path / "late.xlf"
    path.write_bytes(etree.tostring(root))
    report = import_file(workspace, path)
    assert len(report.conflicts) == 1 and record.id in report.conflicts[0]
    assert load(workspace.translations / "news.json").segments[1].correction == "Changed in the workspace after export."


def test_tmx_from_another_tool_fills_only_empty_corrections(workspace, tmp_path):
    tmx = f"""<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4"><header srclang="xx" adminlang="en" segtype="sentence" datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body>
<tu><tuv xml:lang="xx"><seg>{to_toyish("the workers want bread")}</seg></tuv><tuv xml:lang="en"><seg>Workers want bread.</seg></tuv></tu>
<tu><tuv xml:lang="xx"><seg>{to_toyish("solidarity with all comrades")}</seg></tuv><tuv xml:lang="en"><seg>Other text.</seg></tuv></tu>
<tu><tuv xml:lang="xx"><seg>zo nekonata</seg></tuv><tuv xml:lang="en"><seg>unknown</seg></tuv></tu>
</body></tmx>"""
    path = tmp_path / "other.tmx"
    path.write_text(tmx, encoding="utf-8")
    report = import_file(workspace, path)
    records = load(workspace.translations / "news.json").segments
    assert records[0].correction == "Workers want bread."
    assert records[1].correction == "Solidarity with all comrades!"
    assert len(report.conflicts) == 1 and "already corrected" in report.conflicts[0]
    assert report.unknown == ["zo nekonata"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(
            "broken.xlf",
            b'<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>',
            r"broken\.xlf: malformed XML at line 4",
            id="xliff",
        ),
        pytest.param("broken.tmx", b"<tmx>\n<body><tu></body>", r"broken\.tmx: malformed XML at line 2", id="tmx"),
        pytest.param("broken.tsv", b"a\tb\n", r"broken\.tsv: line 1 must be the header", id="tsv"),
        pytest.param("broken.jsonl", b'{"source": "x"}\n', r"broken\.jsonl: line 1", id="jsonl"),
        pytest.param("notes.txt", b"hello", r"notes\.txt: import reads", id="suffix"),
    ],
)
def test_malformed_files_are_refused_with_the_line(workspace, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(workspace)
    with pytest.raises(ExchangeError, match=message):
        import_file(workspace, path)
    assert snapshot(workspace) == before


def test_export_and_import_from_the_command_line(workspace, tmp_path):
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    def workbench(*args):
        return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)

    out = tmp_path / "news.jsonl"
    result = workbench(
        "export",
        "--format",
        "jsonl",
        "--translations",
        str(workspace.translations),
        str(workspace.translations / "news.json"),
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    whole = workbench("export", "--format", "tsv", "--translations", str(workspace.translations))
    assert whole.stdout.count("\n") == 6
    folder = workbench("export", "--format", "xliff", "--translations", str(workspace.translations), str(workspace.translations))
    assert folder.stdout.count("<trans-unit") == 5
    outside = workbench("export", "--format", "tsv", "--translations", str(workspace.translations), "../secret")
    assert outside.returncode == 1 and "no document '../secret'" in outside.stderr

    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    rows[0]["target"], rows[0]["status"] = "The workers want bread!", "approved"
    out.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")
    imported = workbench("import", "--translations", str(workspace.translations), str(out))
    assert imported.returncode == 0, imported.stderr
    assert "1 segment updated, 4 unchanged, 0 conflicts" in imported.stdout
    assert load(workspace.translations / "news.json").segments[0].status == "approved"
