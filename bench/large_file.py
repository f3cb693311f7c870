"""Splitting speed in MB of text per second, against one fastText prediction per line.

    python bench/large_file.py

Two kinds of text, about 1 MB each, and the sample corpus repeated to 10 MB:

- **distinct**: every text in bench/data (both language-ID dev sets, both sides of the
  alignment dev set) and corpus/, each line once: nothing to gain from the line cache;
- **repeated**: the sample corpus repeated, as web boilerplate repeats (mastheads, menus,
  footers): the segmenter classifies each distinct line once.

Each is split as one document (``Segmenter.segment``) and as documents of about 5 kB
(``segment_many``, what ``workbench detect`` and ``translate`` do with a folder), with one
process and with one per core. The baseline is fastText's ``lid.176.ftz`` over the same
lines, one ``predict`` per line, in this run. Prints MB/s and the ratio to the baseline.

First, start-up: ``workbench detect`` on a one-line file in a new process (best of five,
and its peak memory), for a line py3langid is sure of and for a short one it is not (which
asks HeLI too). Targets: under 0.5 s and 400 MB.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.split import langid  # noqa: E402
from workbench.split.segment import Segmenter  # noqa: E402

DATA = ROOT / "bench" / "data"


def corpus_text() -> str:
    return "\n\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "corpus").glob("*.txt")))


def distinct_text() -> str:
    lines: dict[str, None] = {}
    for name in ("dev_single", "dev2_single", "dev_mixed", "dev2_mixed"):
        for row in (DATA / f"{name}.jsonl").open(encoding="utf-8"):
            lines.update(dict.fromkeys(json.loads(row)["text"].split("\n")))
    for row in (DATA / "align_dev.jsonl").open(encoding="utf-8"):
        record = json.loads(row)
        lines.update(dict.fromkeys(record["src_sentences"] + record["tgt_sentences"]))
    lines.update(dict.fromkeys(corpus_text().split("\n")))
    return "\n".join(line for line in lines if line.strip())


def repeated_text(megabytes: float) -> str:
    sample = corpus_text() + "\n\n"
    return sample * (int(megabytes * 1_000_000) // len(sample.encode("utf-8")) + 1)


def documents_of(text: str, size: int = 5_000) -> list[str]:
    documents, current, length = [], [], 0
    for line in text.split("\n"):
        current.append(line)
        length += len(line) + 1
        if length >= size:
            documents.append("\n".join(current))
            current, length = [], 0
    if current:
        documents.append("\n".join(current))
    return documents


def fasttext_per_line(text: str) -> float:
    model = langid.load_backend("fasttext")._model
    lines = [line for line in text.split("\n") if line.strip()]
    started = time.perf_counter()
    for line in lines:
        model.predict(line)
    return time.perf_counter() - started


def timed(workers: int, texts: list[str]) -> float:
    segmenter = Segmenter(workers=workers)
    segmenter.segment("Warm-up: load the detectors. Ez baş im.")
    langid.load_word_lists(segmenter.config.languages)
    # Each run scores every word afresh: no help from the run before.
    langid.forget_words()
    try:
        started = time.perf_counter()
        for _ in segmenter.segment_many(texts):
            pass
        return time.perf_counter() - started
    finally:
        segmenter.close()


def one_line_detect(line: str) -> tuple[float, float]:
    """Best wall time of five ``workbench detect`` runs on a file of ``line``, and the
    largest peak memory (MB) of them."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "line.txt"
        path.write_text(line + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "workbench.cli", "detect", str(path)]
        times, peaks = [], []
        for _ in range(5):
            started = time.perf_counter()
            # A child of its own, so that getrusage's children maximum is this run's alone.
            code = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); " \
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"  # fmt: skip
            done = subprocess.run([sys.executable, "-c", code, *command], cwd=ROOT, capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - started)
            peaks.append(int(done.stdout.strip()) / 1024)
    return min(times), max(peaks)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smoke run on a small sample (CI runs it; its figures mean nothing)")
    args = parser.parse_args()
    for label, line in [("sure line", "The workers of the port want bread and peace."), ("unsure line", "Ez baş im.")]:
        seconds, megabytes = one_line_detect(line)
        print(f"one-line `workbench detect`, {label}: {seconds:.2f} s, {megabytes:.0f} MB peak (targets: 0.5 s, 400 MB)", flush=True)
    cores = os.cpu_count() or 1
    print(f"{cores} cores; MB/s of UTF-8 text (higher is better); ratio = time / fastText's time per line on the same text")
    print(f"{'text':24} {'MB':>5} {'fastText/line':>14} {'as':>10} {'processes':>9} {'MB/s':>6} {'ratio':>6}")
    cases = [("distinct", distinct_text()), ("repeated", repeated_text(1)), ("repeated", repeated_text(10))]
    if args.quick:
        cases = [(name, text[:200_000]) for name, text in cases[:1]]
    for name, text in cases:
        megabytes = len(text.encode("utf-8")) / 1e6
        baseline = fasttext_per_line(text)
        print(f"{name:24} {megabytes:5.1f} {megabytes / baseline:10.1f} MB/s", flush=True)
        shapes = [("one document", [text]), ("5 kB documents", documents_of(text))]
        if megabytes > 5:
            shapes = shapes[1:]
        for shape, texts in shapes:
            for workers in sorted({1, cores}):
                seconds = timed(workers, texts)
                print(f"{'':24} {'':5} {'':14} {shape:>14} {workers:5d} {megabytes / seconds:6.2f} {seconds / baseline:6.1f}", flush=True)
    print("targets: >= 1.5 MB/s of distinct text in 5 kB documents with two processes, <= 4x fastText per line")


if __name__ == "__main__":
    main()
