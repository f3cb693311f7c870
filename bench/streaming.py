"""Memory of a streaming run: peak RSS of `workbench translate` on 500 and on 5,000 documents.

    python bench/streaming.py [--sizes 500,5000]

The documents are copies of the sample corpus's four short texts (the 116 KB Syrian newsletter
is left out only to keep the 5,000-document run within minutes). Random-weight packages for
the corpus's languages (hy and ku stay missing, as for a real user) are installed in a
throwaway Argos folder, so every foreign segment goes through the real engine or its cache.
Prints, per size, wall time, documents per second and peak RSS, then the ratio of the peaks
(the run streams: it should stay within 1.2x).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LANGUAGES = ("ar", "tr", "fa", "el", "ru", "uk", "es", "fr", "it", "pt", "de")


def make_corpus(folder: Path, documents: int) -> None:
    sources = [path for path in sorted((ROOT / "corpus").glob("*.txt")) if path.stat().st_size < 20_000]
    folder.mkdir(parents=True)
    for number in range(documents):
        source = sources[number % len(sources)]
        shutil.copyfile(source, folder / f"{number:05d}-{source.name}")


def run(corpus: Path, out: Path, env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `workbench translate` process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench.cli", "translate", str(corpus), "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: hy/ku segments have no model, by design
        raise SystemExit(f"workbench translate failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,5000")
    parser.add_argument("--quick", action="store_true", help="a smoke run on a small sample (CI runs it; its figures mean nothing)")
    args = parser.parse_args()
    sizes = [40] if args.quick else [int(value) for value in args.sizes.split(",")]
    from builders.random_model import build_random_package

    with tempfile.TemporaryDirectory(prefix="bench-streaming-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "ARGOS_PACKAGES_DIR": str(work / "argos"), "XDG_DATA_HOME": str(work / "data")}
        packages = [build_random_package(code, eos_bias=4.0) for code in LANGUAGES]
        subprocess.run(
            [sys.executable, "-m", "workbench.cli", "models", "install", *[arg for p in packages for arg in ("--file", str(p))]],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        peaks = {}
        for size in sizes:
            corpus = work / f"corpus-{size}"
            make_corpus(corpus, size)
            megabytes = sum(path.stat().st_size for path in corpus.iterdir()) / 1e6
            seconds, peak = run(corpus, work / f"out-{size}", env)
            written = len(list((work / f"out-{size}").glob("*.json")))
            peaks[size] = peak
            print(
                f"{size:6d} documents ({megabytes:5.1f} MB): {seconds:6.1f} s, {written / seconds:6.1f} documents/s, "
                f"{written} written, peak RSS {peak:6.0f} MB",
                flush=True,
            )
        if len(sizes) == 2:
            small, large = sizes
            print(f"peak RSS {large} / {small} documents: {peaks[large] / peaks[small]:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
