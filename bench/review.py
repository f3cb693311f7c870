"""Review app: server time to open a 2,000-segment document (target < 1 s) and to save
and go on (target < 0.3 s).

Builds a workspace with one 2,000-segment document (half Arabic, half English, every
foreign segment with a machine translation), then runs the real app script with
Streamlit's AppTest: first load, a click, paging, then five saves.

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


class ServerClock:
    """Times the script runs themselves (Streamlit's script thread: the server's work for a
    click), apart from AppTest's own polling and parsing of the page."""

    def __init__(self) -> None:
        from streamlit.testing.v1 import local_script_runner

        self.runs: list[float] = []
        runner = local_script_runner.LocalScriptRunner
        original = runner._run_script_thread
        clock = self

        def timed(self) -> None:
            started = time.perf_counter()
            try:
                original(self)
            finally:
                clock.runs.append(time.perf_counter() - started)

        runner._run_script_thread = timed

    def run(self, app) -> float:
        self.runs.clear()
        app.run()
        assert not app.exception, app.exception
        return sum(self.runs)


def save_and_next(app, clock: ServerClock, index: int) -> float:
    """Type into the ``index``-th box of the page and press Save (Ctrl+Enter clicks it)."""
    areas = [a for a in app.text_area if a.key and a.key.startswith("correction-")]
    area = areas[index]
    segment = area.key.rsplit("-", 1)[-1]
    area.input(f"A reviewer's correction {index}")
    app.button(key=f"save-{segment}").click()
    return clock.run(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="A smoke run: 200 segments.")
    parser.add_argument("--check", action="store_true", help="Exit 1 when a target is missed.")
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
        clock = ServerClock()
        app = AppTest.from_file(str(ROOT / "workbench" / "review" / "app.py"), default_timeout=120)
        first = clock.run(app)
        timings = [clock.run(app) for _ in range(3)]
        app.radio(key="seg-show").set_value("all")
        app.run()
        pages = app.number_input(key="page")
        pages.set_value(min(40, int(pages.max)))
        paging = clock.run(app)
        # Saves (the transaction, the renderings of the whole document, the page after it):
        # the first one of the process also imports what a save's message needs.
        save_and_next(app, clock, 0)
        saves = sorted(save_and_next(app, clock, index) for index in range(1, 6))
        save = saves[len(saves) // 2]
        print("server time (the script runs for one step):")
        print(f"  first load (document opened, page 1 rendered): {first:.2f} s")
        print(f"  re-render (a click): best {min(timings):.2f} s, worst {max(timings):.2f} s")
        print(f"  to another page: {paging:.2f} s")
        print(f"  save and next (median of 5; transaction, renderings, page): {save:.2f} s (range {saves[0]:.2f}-{saves[-1]:.2f})")
        print("targets: opening a 2,000-segment document < 1 s; a save < 0.3 s of server time")
        if args.check and (first >= 1.0 or save >= 0.3):
            sys.exit("over target")


if __name__ == "__main__":
    main()
