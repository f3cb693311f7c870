"""What reading and rendering formats add to a translation run: the same text as .txt, .html,
.docx, .odt, .md and .srt files (and, as "inline", Markdown with a bold word and a link on
every line: what keeping inline formatting costs, its spans being translated apart too), translated by `workbench translate --lang de` (a new process each,
start-up included) with the Transformer-base-shaped model and a pinned output length (see
bench/translate.py; as in a real run, an output stops at three times its source's length,
which is what shortens the spans' decoding), all in one run.

    python bench/formats.py [--documents 40] [--sentences 8]

Prints wall time per format and its ratio to plain text (target: at most 1.10).
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import translate as translate_bench  # noqa: E402  (sets the private Argos folders)


def write(folder: Path, fmt: str, paragraphs: list[list[str]]) -> None:
    import html

    folder.mkdir(parents=True)
    for number, paragraph in enumerate(paragraphs):
        path = folder / f"{number:04d}.{fmt}"
        if fmt == "txt":
            path.write_text("\n\n".join(paragraph) + "\n", encoding="utf-8")
        elif fmt == "html":
            body = "\n".join(f"<p>{html.escape(line)}</p>" for line in paragraph)
            path.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>\n{body}\n</body></html>\n')
        elif fmt == "docx":
            import docx

            document = docx.Document()
            for line in paragraph:
                document.add_paragraph(line)
            document.save(str(path))
        elif fmt == "odt":
            from odf.opendocument import OpenDocumentText
            from odf.text import P

            document = OpenDocumentText()
            for line in paragraph:
                document.text.addElement(P(text=line))
            buffer = io.BytesIO()
            document.write(buffer)
            path.write_bytes(buffer.getvalue())
        elif fmt == "md":
            path.write_text("# Notes\n\n" + "\n".join(f"- {line}" for line in paragraph) + "\n", encoding="utf-8")
        elif fmt == "inline":  # Markdown with a bold word and a link in every line, translated apart too
            path = path.with_suffix(".md")
            lines = []
            for line in paragraph:
                words = line.split()
                lines.append(f"- **{words[0]}** {' '.join(words[1:-1])} [{words[-1]}](https://example.org/{number})")
            path.write_text("# Notes\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
        elif fmt == "srt":
            cues = [f"{i + 1}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\n{line}\n" for i, line in enumerate(paragraph)]
            path.write_text("\n".join(cues), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--sentences", type=int, default=8)
    parser.add_argument("--max-length", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best of each format is kept (this machine is noisy)")
    parser.add_argument("--quick", action="store_true", help="a smoke run on a small sample (CI runs it; its figures mean nothing)")
    args = parser.parse_args()
    if args.quick:
        args.documents, args.rounds = 4, 1
    from builders.random_model import build_base_package
    from workbench.translate.models import install_file

    install_file(build_base_package("de"))
    sentences = [s for p in translate_bench.short_paragraphs(args.documents * args.sentences) for s in p]
    paragraphs = [sentences[i : i + args.sentences] for i in range(0, len(sentences), args.sentences)]
    print(f"{len(paragraphs)} documents, {len(sentences)} distinct sentences, one a paragraph; beam 4, {args.max_length} tokens per output")
    formats = ("txt", "html", "docx", "odt", "md", "srt", "inline")
    for fmt in formats:
        write(translate_bench._HOME / f"formats-{fmt}" / "corpus", fmt, paragraphs)
    runs: dict[str, list[float]] = {fmt: [] for fmt in formats}
    for _ in range(args.rounds):
        for fmt in formats:
            work = translate_bench._HOME / f"formats-{fmt}"
            shutil.rmtree(work / "out", ignore_errors=True)
            command = [sys.executable, "-m", "workbench.cli", "translate", str(work / "corpus"), "--out", str(work / "out"),
                       "--lang", "de", "--max-length", str(args.max_length), "--device", "cpu"]  # fmt: skip
            started = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            runs[fmt].append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"{fmt}: {done.stderr[-2000:]}")
    best = {fmt: min(values) for fmt, values in runs.items()}
    for fmt in formats:
        shown = ", ".join(f"{value:.1f}" for value in runs[fmt])
        print(f"  .{fmt:5} best {best[fmt]:6.1f} s   {best[fmt] / best['txt']:.2f}x plain text   (runs: {shown} s)", flush=True)


if __name__ == "__main__":
    main()
