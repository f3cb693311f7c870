"""English precision on English full of foreign names: this machine's Debian changelogs and
copyright files (/usr/share/doc), text no rule of the splitter was fitted to when it was
first measured (see the README).

    python bench/english_names.py [--every 1] [--show 30]

Changelogs name their authors in signature lines and brackets ("-- Héctor Orón Martínez
<zumbi@debian.org>", "[ Michael G. Schwern ]"); copyright files list holders by the hundred
("2006 Michael van der Westhuizen"). Every Latin-script segment the default splitter labels
other than English is counted, per 20,000 words, and the commonest are printed. Some are
right (a quoted French fortune, Italian licence text): read the list, not only the count.
Which files exist depends on the packages installed: compare runs on one machine.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.segment import Segmenter  # noqa: E402

DOC = Path("/usr/share/doc")
KINDS = {"changelogs": "*/changelog.Debian.gz", "copyright files": "*/copyright"}


def texts(pattern: str, every: int) -> list[str]:
    found = []
    for path in sorted(DOC.glob(pattern))[::every]:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        try:
            found.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            continue  # a few old changelogs are Latin-1; the splitter's input is decoded text
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=int, default=1, help="take every n-th file (1: all)")
    parser.add_argument("--show", type=int, default=20, help="how many of the commonest foreign segments to print")
    args = parser.parse_args()
    if not DOC.is_dir():
        sys.exit(f"{DOC} is not here: this benchmark reads a Debian system's package documentation")
    segmenter = Segmenter(workers=2)
    try:
        for kind, pattern in KINDS.items():
            documents = texts(pattern, args.every)
            words = sum(len(text.split()) for text in documents)
            foreign: collections.Counter[tuple[str, str]] = collections.Counter()
            for text, segments in zip(documents, segmenter.segment_many(documents)):
                for segment in segments:
                    if segment.script == "Latn" and segment.lang not in ("en", "und"):
                        foreign[(segment.lang, segment.text_of(text)[:90])] += 1
            count = sum(foreign.values())
            print(
                f"{kind}: {len(documents)} files, {words} words, {count} foreign segments = {count * 20_000 / max(words, 1):.2f} per 20k words"
            )
            for (lang, text), times in foreign.most_common(args.show):
                print(f"  {times:5d}  {lang}  {text!r}")
    finally:
        segmenter.close()


if __name__ == "__main__":
    main()
