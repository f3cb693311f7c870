"""Review app: time to open a document of 2,000 segments (target < 2 s).

Builds a workspace with one 2,000-segment document (half Arabic, half English, every
foreign segment with a machine translation), then runs the real app script with
Streamlit's AppTest: first load, then opening the document, then paging.

    python bench/review.py [--segments 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(folder: Path, segments: int) -> None:
    import hashlib

    from workbench.formats.rendering import edit_rendered
    from workbench.store.files import MachineTranslation, SegmentRecord, TranslationFile

    corpus, translations = folder / "corpus", folder / "translations"
    corpus.mkdir()
    lines, records, offset = [], [], 0
    for number in range(segments):
        if number % 2:
            text, lang = f"Paragraph {number} of the newsletter, in English, about the strike.", "en"
        else:
            text, lang = f"الفقرة {number} من النشرة عن الإضراب والتضامن مع العمال", "ar"
        lines.append(text)
        machine = (
            MachineTranslation(f"Paragraph {number} of the bulletin about the strike", "argos:ar-en@1.0", {"beam": 4}, -0.4, 0.7)
            if lang == "ar"
            else None
        )
        records.append(
            SegmentRecord(
                id=f"s{number:05d}",
                start=offset,
                end=offset + len(text),
                lang=lang,
                kind="paragraph",
                source=text,
                machine=machine,
                status="machine" if machine else "source",
            )
        )
        offset += len(text) + 2
    text = "\n\n".join(lines) + "\n"
    (corpus / "big.txt").write_text(text, encoding="utf-8")
    translation = TranslationFile("big", str(corpus / "big.txt"), hashlib.sha256(text.encode()).hexdigest(), "utf-8", tuple(records))
    edit_rendered(translations, "big", lambda _: translation, text=text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="A smoke run: 200 segments.")
    args = parser.parse_args()
    if args.quick:
        args.segments = 200
    import os

    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, args.segments)
        os.environ["WORKBENCH_CORPUS"] = str(folder / "corpus")
        os.environ["WORKBENCH_TRANSLATIONS"] = str(folder / "translations")
        size = (folder / "translations" / "big.json").stat().st_size / 1e6
        print(f"document: {args.segments} segments, translations file {size:.1f} MB")
        app = AppTest.from_file(str(ROOT / "workbench" / "review" / "app.py"), default_timeout=120)
        started = time.perf_counter()
        app.run()
        first = time.perf_counter() - started
        assert not app.exception, app.exception
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            app.run()
            timings.append(time.perf_counter() - started)
        app.radio(key="seg-show").set_value("all")
        app.run()
        pages = app.number_input(key="page")
        pages.set_value(min(40, int(pages.max)))
        started = time.perf_counter()
        app.run()
        paging = time.perf_counter() - started
        assert not app.exception
        # A save: the transaction, the rendering of the whole document, and the rerun.
        area = next(a for a in app.text_area if a.key and a.key.startswith("correction-"))
        segment = area.key.rsplit("-", 1)[-1]
        area.input("A reviewer's correction")
        app.button(key=f"save-{segment}").click()
        started = time.perf_counter()
        app.run()
        save = time.perf_counter() - started
        assert not app.exception
        print(f"first load (document opened, page 1 rendered): {first:.2f} s")
        print(f"re-render (a click): best {min(timings):.2f} s, worst {max(timings):.2f} s")
        print(f"to another page: {paging:.2f} s")
        print(f"a save and the page after it: {save:.2f} s")
        print("targets: opening a 2,000-segment document < 1 s; a save < 0.3 s of server time")


if __name__ == "__main__":
    main()
