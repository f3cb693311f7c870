"""Kill the translation run with SIGKILL at several moments; re-running must complete it
with no segment lost or duplicated and no half-written file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from builders.toy import sample_sentences, to_toyish
from tests.conftest import ROOT


def make_corpus(folder: Path, documents: int = 30, lines: int = 60) -> None:
    folder.mkdir()
    sentences = sample_sentences(documents * lines, seed=2024)
    for number in range(documents):
        chunk = sentences[number * lines : (number + 1) * lines]
        (folder / f"doc{number:02d}.txt").write_text("\n\n".join(to_toyish(s) for s in chunk) + "\n", encoding="utf-8")


def translate_command(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "workbench.cli", "translate", str(corpus), "--out", str(out), "--lang", "xx"]


def snapshot(out: Path) -> dict[str, object]:
    result = {}
    for path in sorted(out.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        result[path.name] = data["segments"]
    for path in sorted(out.glob("*.en.txt")):
        result[path.name] = path.read_text(encoding="utf-8")
    return result


def assert_no_half_written_files(out: Path) -> None:
    for path in out.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))  # parses: never half-written
        assert data["format"] == "translation-workbench/1"
        assert len({segment["id"] for segment in data["segments"]}) == len(data["segments"])


def test_kill_at_any_moment_then_rerun_completes(tmp_path, toy_model):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    reference = tmp_path / "reference"
    subprocess.run(translate_command(corpus, reference), check=True, capture_output=True, cwd=ROOT, timeout=600)
    expected = snapshot(reference)
    assert len(expected) == 60

    out = tmp_path / "translations"
    cache = out / ".cache" / "mt.sqlite3"
    # Kill early (segmenting), once the cache has rows (translating), and once files appear (writing).
    moments = [
        lambda: time.sleep(0.4) or True,
        lambda: cache.exists() and cache.stat().st_size > 0,
        lambda: len(list(out.glob("*.json"))) >= 3,
    ]
    for ready in moments:
        process = subprocess.Popen(translate_command(corpus, out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline and not ready():
            time.sleep(0.01)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        if out.exists():
            assert_no_half_written_files(out)

    finished = subprocess.run(translate_command(corpus, out), capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert snapshot(out) == expected
    assert not list(out.rglob(".*.tmp"))
    assert_no_half_written_files(out)
