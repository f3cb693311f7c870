"""Single segments from outside the development sets: the translated messages of this
machine's programs (gettext catalogues under /usr/share/locale), in the 13 foreign languages.

    python bench/ui_messages.py [--per-language 150] [--systems ensemble,py3langid,heliport,fasttext] [--errors]

Each catalogue's translations (not its English originals) are cut into lines; a line of 2 to
25 words without format codes, markup or paths is one segment, labelled with its
catalogue's language (``ku`` and ``kmr`` catalogues are Kurmanji). A fixed sample per
language (seeded) is split as a document of its own by each system, and a line counts as
right when its language covers most of its letters.

The labels are noisy, so the accuracies are a floor: translators leave product names and
English terms ("Standard Ligatures", "--strip-unneeded … Remove all symbols"), and the
iso-codes catalogues name the world's languages in the catalogue's language ("Dusun,
kadazan"). Compare systems side by side, not with the development sets.
"""

from __future__ import annotations

import argparse
import collections
import gettext
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from langid import config_of  # noqa: E402  (bench/langid.py's, as --systems reads them)

from workbench.split.segment import Segmenter, SegmenterConfig  # noqa: E402

LOCALE = Path("/usr/share/locale")
CATALOGUES = {
    "ar": ["ar"], "de": ["de"], "el": ["el"], "es": ["es"], "fa": ["fa"], "fr": ["fr"], "hy": ["hy"],
    "it": ["it"], "ku": ["ku", "kmr"], "pt": ["pt"], "ru": ["ru"], "tr": ["tr"], "uk": ["uk"],
}  # fmt: skip
# printf and brace formats, markup, escapes, accelerators, addresses, tabbed option tables
_NOT_PROSE = re.compile(r"%|\{|\}|<|>|\\|_|&|https?:|\t")


def messages(lang: str) -> list[str]:
    """The distinct translated lines of ``lang``'s catalogues, sorted."""
    found: set[str] = set()
    for directory in CATALOGUES[lang]:
        for path in sorted((LOCALE / directory / "LC_MESSAGES").glob("*.mo")):
            try:
                with path.open("rb") as handle:
                    catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
            except (OSError, ValueError) as error:  # not a catalogue, or not in its declared charset
                print(f"skipped {path}: {error}", file=sys.stderr)
                continue
            for key, value in catalogue.items():
                original = key[0] if isinstance(key, tuple) else key
                if not original or not isinstance(value, str) or value == original:
                    continue  # the header, or a message left untranslated
                for line in value.split("\n"):
                    line = line.strip()
                    if 2 <= len(line.split()) <= 25 and not _NOT_PROSE.search(line):
                        found.add(line)
    return sorted(found)


def sample(per_language: int, seed: int = 1) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows = []
    for lang in CATALOGUES:
        lines = messages(lang)
        rng.shuffle(lines)
        rows += [(lang, line) for line in lines[:per_language]]
    return rows


def label_of(text: str, segments) -> str:
    """The language covering most of ``text``'s letters."""
    letters: collections.Counter[str] = collections.Counter()
    for segment in segments:
        letters[segment.lang] += sum(char.isalpha() for char in segment.text_of(text))
    return letters.most_common(1)[0][0] if letters else "und"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-language", type=int, default=150)
    parser.add_argument("--systems", default="ensemble,py3langid,heliport,fasttext")
    parser.add_argument("--errors", action="store_true", help="print what the default gets wrong")
    parser.add_argument("--quick", action="store_true", help="a smoke run on a small sample (CI runs it; its figures mean nothing)")
    args = parser.parse_args()
    if args.quick:
        args.per_language, args.systems = 10, "ensemble"
    rows = sample(args.per_language)
    if not rows:
        print(f"no gettext catalogues under {LOCALE}")
        return
    counts = collections.Counter(lang for lang, _ in rows)
    print(f"{len(rows)} lines: " + ", ".join(f"{lang} {count}" for lang, count in sorted(counts.items())))
    print(f"{'system':<28}{'macro':>7}  " + " ".join(f"{lang:>5}" for lang in sorted(counts)))
    for system in args.systems.split(","):
        detector, _, changes = system.partition("/")
        segmenter = Segmenter(config_of(changes, SegmenterConfig(detector=detector)))
        right: collections.Counter[str] = collections.Counter()
        wrong = []
        texts = [text for _, text in rows]
        for (lang, text), segments in zip(rows, segmenter.segment_many(texts)):
            got = label_of(text, segments)
            right[lang] += got == lang
            if got != lang:
                wrong.append((lang, got, text))
        accuracy = {lang: 100 * right[lang] / counts[lang] for lang in counts}
        macro = sum(accuracy.values()) / len(accuracy)
        print(f"{system:<28}{macro:>6.2f}%  " + " ".join(f"{accuracy[lang]:>5.1f}" for lang in sorted(counts)))
        if args.errors and system == args.systems.split(",")[0]:
            for lang, got, text in wrong:
                print(f"    {lang}→{got}  {text!r}")


if __name__ == "__main__":
    main()
