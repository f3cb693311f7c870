"""Segmentation time against file size: 1 MB and 10 MB built from the sample corpus.

    python bench/large_file.py

Prints seconds per MB for each size and their ratio (1.0 means linear).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.segment import Segmenter  # noqa: E402


def text_of_size(megabytes: float) -> str:
    sample = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "corpus").glob("*.txt")))
    target = int(megabytes * 1_000_000)
    repeats = target // len(sample.encode("utf-8")) + 1
    return (sample + "\n\n") * repeats


def main() -> None:
    segmenter = Segmenter()
    segmenter.segment(text_of_size(0.01))  # warm-up: load the detectors
    rates = {}
    for size in (1, 10):
        text = text_of_size(size)
        megabytes = len(text.encode("utf-8")) / 1e6
        started = time.perf_counter()
        segments = segmenter.segment(text)
        seconds = time.perf_counter() - started
        rates[size] = seconds / megabytes
        print(f"{megabytes:5.1f} MB: {seconds:6.1f} s, {len(segments)} segments, {rates[size]:.2f} s/MB", flush=True)
    print(f"s/MB at 10 MB / s/MB at 1 MB: {rates[10] / rates[1]:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()
