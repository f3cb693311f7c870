"""Nothing is lost: writers at the same time as a run, full and read-only disks, other writers'
temporary files."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time

import pytest

from builders.toy import to_toyish
from tests.conftest import ROOT
from tests.test_resume import make_corpus
from workbench.core.settings import Settings
from workbench.review.workspace import Workspace
from workbench.store import files as store
from workbench.store.files import load, remove_stale_temporaries, write_atomically
from workbench.translate.run import translate_corpus


def beam_of(path) -> int:
    return load(path).segments[0].machine.options["beam"]


def test_corrections_saved_and_imported_during_a_run_survive(tmp_path, toy_model):
    """The reproduction from the issue: a greedy run, then a beam-4 re-run; while it runs a
    reviewer saves a correction (the review app's Workspace API) and another is imported with
    `workbench import`. Both survive, and the run still does its work on those documents."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus, documents=30, lines=40)
    out = tmp_path / "translations"
    command = [sys.executable, "-m", "workbench.cli", "translate", str(corpus), "--out", str(out), "--lang", "xx"]
    subprocess.run([*command, "--greedy"], check=True, capture_output=True, cwd=ROOT, timeout=600)
    assert beam_of(out / "doc29.json") == 1

    run = subprocess.Popen([*command, "--window", "40"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while beam_of(out / "doc00.json") != 4 and time.monotonic() < deadline:  # the run is writing
        time.sleep(0.01)
    ws = Workspace(corpus, out)
    first = load(out / "doc29.json").segments[0]
    ws.save_correction("doc29", first.id, "Saved in the app during the run.", first.revision)
    second = load(out / "doc28.json").segments[1]
    tsv = tmp_path / "back.tsv"
    tsv.write_text(
        "document\tsegment\tsource_lang\ttarget_lang\tstatus\tsource\ttarget\n"
        f"doc28\t{second.id}\txx\ten\tedited\t{second.source}\tImported during the run.\n",
        encoding="utf-8",
    )
    imported = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "import", str(tsv), "--translations", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stderr
    # Both edits landed while the run was still going and before it reached those documents.
    assert run.poll() is None, "the run finished before the edits: make the corpus bigger"
    assert beam_of(out / "doc29.json") == 1 and beam_of(out / "doc28.json") == 1
    assert run.wait(timeout=600) == 0, run.stderr.read()

    saved = load(out / "doc29.json").segments[0]
    assert (saved.correction, saved.status) == ("Saved in the app during the run.", "edited")
    assert saved.machine.options["beam"] == 4  # the run replaced the machine output underneath
    assert [h.action for h in saved.history] == ["edit"]  # same text from beam 4: no machine entry
    brought = load(out / "doc28.json").segments[1]
    assert (brought.correction, brought.status) == ("Imported during the run.", "edited")
    assert brought.machine.options["beam"] == 4
    assert (out / "doc29.en.txt").read_text(encoding="utf-8").startswith("Saved in the app during the run.")


@pytest.fixture
def translated(tmp_path, toy_model):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text(to_toyish("the workers want bread") + "\n", encoding="utf-8")
    out = tmp_path / "translations"
    summary = translate_corpus([corpus], Settings(translations=out), force_lang="xx")
    assert summary.written == 2
    return corpus, out


@pytest.mark.parametrize(
    ("failing", "code", "message"),
    [
        pytest.param("fsync", errno.ENOSPC, "No space left on device", id="disk-full"),
        pytest.param("replace", errno.EROFS, "Read-only file system", id="read-only"),
    ],
)
def test_a_full_or_read_only_folder_is_an_error_and_leaves_every_file_intact(translated, monkeypatch, failing, code, message):
    corpus, out = translated
    before = {path.relative_to(out): path.read_bytes() for path in out.rglob("*") if path.is_file() and ".cache" not in path.parts}

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(store.os, failing, fail)
    # Greedy decoding changes nothing here but the options, so every file would be rewritten.
    summary = translate_corpus([corpus], Settings(translations=out, beam=1), force_lang="xx")
    monkeypatch.undo()
    assert summary.written == 0
    assert sorted(summary.errors) == [
        f"{out / 'a.json'}: cannot be written ({message}); the file on disk is unchanged",
        f"{out / 'b.json'}: cannot be written ({message}); the file on disk is unchanged",
    ]
    after = {path.relative_to(out): path.read_bytes() for path in out.rglob("*") if path.is_file() and ".cache" not in path.parts}
    assert after == before  # no half-written file, no temporary file left


def test_a_full_disk_on_the_command_line_is_one_line_and_status_1(translated, tmp_path):
    corpus, _ = translated
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "translate", str(corpus), "--out", str(blocker), "--lang", "xx"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "not-a-folder" in result.stderr and "error" in result.stderr


def test_only_stale_temporary_files_are_removed(tmp_path):
    folder = tmp_path / "translations"
    write_atomically(folder / "a.json", "{}")
    host = store._HOST
    live = folder / f".a.json.{host}-{os.getpid()}-0000.tmp"  # a writer of this process, in flight
    dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    dead = folder / f".a.json.{host}-{dead_pid}-0000.tmp"
    other_host = folder / f".a.json.elsewhere-{os.getpid()}-0000.tmp"
    for path in (live, dead, other_host):
        path.write_text("partial", encoding="utf-8")
    old = folder / ".b.json.unknown.tmp"
    old.write_text("partial", encoding="utf-8")
    os.utime(old, (time.time() - 2 * store.STALE_AFTER, time.time() - 2 * store.STALE_AFTER))
    assert remove_stale_temporaries(folder) == 2
    assert live.exists() and other_host.exists() and not dead.exists() and not old.exists()
    assert json.loads((folder / "a.json").read_text()) == {}


def test_a_writer_never_uses_another_writers_temporary_file(tmp_path, monkeypatch):
    """Two writers of one file at once each use their own temporary file."""
    seen = []
    real_replace = os.replace

    def spy(source, target):
        seen.append(os.path.basename(source))
        return real_replace(source, target)

    monkeypatch.setattr(store.os, "replace", spy)
    write_atomically(tmp_path / "a.json", "1")
    write_atomically(tmp_path / "a.json", "2")
    assert len(set(seen)) == 2 and all(f"-{os.getpid()}-" in name for name in seen)


def test_an_edit_that_changes_nothing_writes_nothing_and_a_change_only_moves_the_time(tmp_path, monkeypatch):
    from dataclasses import replace

    from workbench.store.files import SegmentRecord, TranslationFile, dumps, edit

    record = SegmentRecord(id="s1", start=0, end=4, lang="tr", kind="paragraph", source='Ev\n  "updated": "x"', status="untranslated")
    first = edit(tmp_path, "doc", lambda _: TranslationFile("doc", "doc.txt", "0" * 64, "utf-8", (record,)))
    path = tmp_path / "doc.json"
    written, stamp = path.read_text(encoding="utf-8"), path.stat().st_mtime_ns
    assert json.loads(written)["updated"] == first.updated != ""
    # An equal copy of the file (not the same object) is no change: nothing is written.
    assert edit(tmp_path, "doc", lambda current: replace(current, segments=tuple(current.segments))).updated == first.updated
    assert path.read_text(encoding="utf-8") == written and path.stat().st_mtime_ns == stamp
    monkeypatch.setattr(store, "now", lambda: "2030-01-01T00:00:00Z")
    changed = edit(tmp_path, "doc", lambda current: replace(current, segments=(replace(record, correction="House"),)))
    text = path.read_text(encoding="utf-8")
    assert changed.updated == "2030-01-01T00:00:00Z" and text == dumps(changed)
    assert load(path) == changed  # the source's own '"updated":' line is text, untouched
