"""English precision on English full of foreign names and code: text on this machine that no
rule of the splitter was fitted to when it was first measured (see the README).

    python bench/english_names.py [--every 1] [--show 30] [--config very_sure=0.6+sure=0.5]

- **changelogs** and **copyright files** of Debian's installed packages (/usr/share/doc):
  authors in signature lines and brackets ("-- Héctor Orón Martínez <zumbi@debian.org>",
  "[ Michael G. Schwern ]"), copyright holders by the hundred ("2006 Michael van der
  Westhuizen");
- **package descriptions**: the one-line descriptions of every package in the apt lists
  (Debian's whole archive, where ``apt update`` has run), 40 to a document: product names,
  acronyms, identifiers ("Infiniband performance metrics domain agent (PMDA)");
- **Python's documentation**: the help topics shipped with Python (``pydoc_data``), English
  full of code ('"__del__()"', '"x < y and y <= z"', ">>> del d[key]");
- **installed packages' READMEs**: the long descriptions of the Python packages installed
  beside the workbench, shell sessions and examples (some of them rightly foreign: the
  French and German examples of language tools).

Every Latin-script segment the default splitter labels other than English is counted, per
20,000 words, and the commonest are printed. Some are right (a quoted French fortune, Italian
licence text, a Spanish package description): read the list, not only the count. What exists
depends on the packages installed: compare runs on one machine.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from langid import config_of  # noqa: E402  (bench/langid.py's, as --systems reads them)

from workbench.split.segment import Segmenter  # noqa: E402

DOC = Path("/usr/share/doc")
APT_LISTS = Path("/var/lib/apt/lists")


def documentation(pattern: str, every: int) -> list[str]:
    found = []
    for path in sorted(DOC.glob(pattern))[::every]:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        try:
            found.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            continue  # a few old changelogs are Latin-1; the splitter's input is decoded text
    return found


def package_descriptions(every: int) -> list[str]:
    """The apt lists' one-line descriptions, each once, 40 lines to a document."""
    lines: set[str] = set()
    for path in sorted(APT_LISTS.glob("*_Packages*")):
        if path.suffix == ".lz4":
            raw = subprocess.run(["lz4cat", str(path)], capture_output=True, check=True).stdout
        elif path.suffix == ".gz":
            raw = gzip.decompress(path.read_bytes())
        else:
            raw = path.read_bytes()
        prefix = "Description: "
        lines.update(line[len(prefix) :] for line in raw.decode("utf-8", "replace").split("\n") if line.startswith(prefix))
    ordered = sorted(lines)
    return ["\n".join(ordered[start : start + 40]) for start in range(0, len(ordered), 40)][::every]


def package_readmes(every: int) -> list[str]:
    """The long descriptions (READMEs) of the Python packages installed beside the workbench,
    not its own: its README quotes the foreign lines it tells from English."""
    from importlib import metadata

    found = {}
    for distribution in metadata.distributions():
        if distribution.metadata["Name"] == "translation-workbench":
            continue
        body = distribution.metadata.get_payload()  # type: ignore[attr-defined]
        if isinstance(body, str) and len(body) > 200:
            found[distribution.metadata["Name"]] = body
    return [found[name] for name in sorted(found)][::every]


def python_documentation(every: int) -> list[str]:
    from pydoc_data.topics import topics

    return list(topics.values())[::every]


KINDS: dict[str, Callable[[int], list[str]]] = {
    "changelogs": lambda every: documentation("*/changelog.Debian.gz", every),
    "copyright files": lambda every: documentation("*/copyright", every),
    "package descriptions": package_descriptions,
    "Python's documentation": python_documentation,
    "installed packages' READMEs": package_readmes,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=int, default=1, help="take every n-th file (1: all)")
    parser.add_argument("--show", type=int, default=20, help="how many of the commonest foreign segments to print")
    parser.add_argument("--config", default="", help="SegmenterConfig changes, e.g. very_sure=0.6+sure=0.5")
    parser.add_argument("--quick", action="store_true", help="a smoke run on a small sample (CI runs it; its figures mean nothing)")
    args = parser.parse_args()
    if args.quick:
        args.every, args.show = 500, 3
    segmenter = Segmenter(config_of(args.config), workers=2)
    try:
        for kind, read in KINDS.items():
            documents = read(args.every)
            if not documents:
                print(f"{kind}: none on this machine")
                continue
            words = sum(len(text.split()) for text in documents)
            foreign: collections.Counter[tuple[str, str]] = collections.Counter()
            for text, segments in zip(documents, segmenter.segment_many(documents)):
                for segment in segments:
                    if segment.script == "Latn" and segment.lang not in ("en", "und"):
                        foreign[(segment.lang, segment.text_of(text)[:90])] += 1
            count = sum(foreign.values())
            print(
                f"{kind}: {len(documents)} documents, {words} words, {count} foreign segments = {count * 20_000 / max(words, 1):.2f} per 20k words",
                flush=True,
            )
            for (lang, text), times in foreign.most_common(args.show):
                print(f"  {times:5d}  {lang}  {text!r}")
    finally:
        segmenter.close()


if __name__ == "__main__":
    main()
