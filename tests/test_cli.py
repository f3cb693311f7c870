from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import CORPUS, ROOT


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=300)


def test_detect_json_shape_and_offsets(tmp_path):
    path = CORPUS / "redmed-mediterranean-eleven-languages.txt"
    result = run("detect", "--json", str(path))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert list(record) == ["path", "encoding", "segments", "splitter"]
    assert record["splitter"].startswith("workbench-splitter:") and "|detector:" in record["splitter"]
    assert record["path"] == str(path)
    assert record["encoding"] == "utf-8"
    text = path.read_bytes().decode(record["encoding"])
    for segment in record["segments"]:
        assert list(segment) == ["start", "end", "lang", "confidence", "kind", "rule"]
        assert isinstance(segment["start"], int) and isinstance(segment["end"], int)
        assert isinstance(segment["confidence"], float)
        assert text[segment["start"] : segment["end"]].strip() == text[segment["start"] : segment["end"]]
    assert [s["lang"] for s in record["segments"][:11]] == ["tr", "en", "ar", "fa", "it", "el", "ku", "hy", "es", "fr", "pt"]
    assert [s["rule"] for s in record["segments"]][5] == "script"  # Greek: the only candidate in its script


def test_detect_explain_names_each_segments_rule_and_says_what_it_means(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text("The union met on Monday about the strike at the port.\nEz baş im.\nΗ απεργία συνεχίζεται.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "detect", "--explain", str(path)],
        capture_output=True, cwd=ROOT, timeout=300, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert [row.split("│")[6].strip() for row in rows] == ["detector", "evidence:letters", "script"]
    assert "letters the main language never writes and that language does (layer 6)" in out


def test_bad_file_is_named_and_the_others_still_go_through(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Hello world, this is English.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = run("detect", "--json", str(bad), str(good))
    assert result.returncode == 1
    assert "bad.txt" in result.stderr.decode() and "NUL" in result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["path"] for r in records] == [str(good)]


def test_folder_and_stdin(tmp_path):
    (tmp_path / "a.txt").write_text("Dünya devriminin yeni havzası!\n", encoding="utf-8")
    greek = "Μεσόγειος: Νέα λεκάνη της παγκόσμιας επανάστασης! Η εργατική τάξη οργανώνεται παντού."
    (tmp_path / "b.txt").write_bytes(greek.encode("iso-8859-7"))
    (tmp_path / "SOURCES.md").write_text("notes", encoding="utf-8")
    result = run("detect", "--json", str(tmp_path))
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["segments"][0]["lang"] for r in records] == ["tr", "el"]
    assert records[1]["encoding"] != "utf-8"
    piped = run("detect", "--json", "-", stdin=b"Toda persona tiene derecho a la vida.")
    assert json.loads(piped.stdout)["path"] == "-"
    assert json.loads(piped.stdout)["segments"][0]["lang"] == "es"


def test_bad_language_list_is_refused():
    result = run("detect", "--languages", "en,xx-nope", str(CORPUS))
    assert result.returncode == 2
    assert "--languages" in result.stderr.decode()


def test_table_output_mentions_languages():
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "detect", str(CORPUS / "truth-of-the-oppressed-syria-14.txt")],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0
    output = result.stdout.decode()
    assert "ar (Arabic)" in output
    assert "حقيقة المقهورين" in output
