"""Translation throughput, in one run: Argos Translate, the best plain CTranslate2 loop, the
workbench engine alone, and `workbench translate` end to end (a new process: start-up,
reading, writing included), on two corpora.

All systems run the same Transformer-base-shaped int8 model (6+6 layers, width 512, FFN 2048,
8 heads, ~32k shared vocabulary, random weights built by builders/random_model.py) with the
same beam and the same pinned decoding length: ``</s>`` is never chosen, so every sentence
decodes exactly ``--max-length`` tokens and every system does the same work (the workbench's
own stop at three times a source's length, ``length_factor``, is turned off here). Sentences are
de-duplicated first, so no system gains from repeats.

- short: 600 everyday sentences (Tatoeba, bench/data/dev2_single.jsonl, ~8 words);
- long: every distinct sentence of the UDHR and alignment dev sets (~2,300, ~43 tokens).

    python bench/translate.py [--beam 4] [--max-length 24] [--argos-sentences 200] [--quick]

The slow paths (Argos per paragraph, plain CTranslate2 one call per paragraph) run on every
k-th paragraph in order of length, so the whole benchmark takes under 10 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# argostranslate reads its folders when imported: use a private one.
_HOME = Path(tempfile.mkdtemp(prefix="bench-translate-"))
for variable, sub in (
    ("XDG_DATA_HOME", "data"),
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_CACHE_HOME", "cache"),
    ("ARGOS_PACKAGES_DIR", "packages"),
):
    os.environ[variable] = str(_HOME / sub)
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
DATA = ROOT / "bench" / "data"


def long_paragraphs() -> list[list[str]]:
    """Paragraphs of real sentences of mixed lengths (UDHR and alignment dev sets, all languages)."""
    paragraphs = []
    for line in (DATA / "align_dev.jsonl").read_text(encoding="utf-8").splitlines():
        sentences = json.loads(line)["src_sentences"]
        paragraphs.extend(sentences[i : i + 4] for i in range(0, len(sentences), 4))
    single = [json.loads(line)["text"] for line in (DATA / "dev_single.jsonl").read_text(encoding="utf-8").splitlines()]
    paragraphs.extend(single[i : i + 3] for i in range(0, len(single), 3))
    return _distinct(paragraphs)


def short_paragraphs(count: int = 600) -> list[list[str]]:
    rows = [json.loads(line) for line in (DATA / "dev2_single.jsonl").read_text(encoding="utf-8").splitlines()]
    sentences = [row["text"] for row in rows if row["bucket"] != "long" and "\n" not in row["text"]][:count]
    return _distinct([sentences[i : i + 4] for i in range(0, len(sentences), 4)])


def _distinct(paragraphs: list[list[str]]) -> list[list[str]]:
    seen: set[str] = set()
    result = []
    for paragraph in paragraphs:
        kept = [s for s in (" ".join(s.split()) for s in paragraph) if s and s not in seen and not seen.add(s)]
        if kept:
            result.append(kept)
    return result


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


class Bench:
    def __init__(self, args) -> None:
        from builders.random_model import build_base_package
        from workbench.translate.models import find_model, install_file

        started = time.perf_counter()
        install_file(build_base_package("de"))
        self.model = find_model("de")
        print(f"model: {self.model.model_id}, {self.model.size_bytes / 1e6:.0f} MB (built/loaded in {time.perf_counter() - started:.1f} s)")
        self.args = args
        import ctranslate2
        import sentencepiece

        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(self.model.path / "sentencepiece.model"))
        self.translator = ctranslate2.Translator(str(self.model.path / "model"), device="cpu", inter_threads=2, intra_threads=1)
        self.decode = dict(
            beam_size=args.beam, length_penalty=0.2, max_decoding_length=args.max_length, replace_unknowns=True, return_scores=True
        )
        self.translator.translate_batch([["▁a"]] * 4, **self.decode)  # warm-up

    def mean_tokens(self, texts: list[str]) -> float:
        return sum(len(self.sp.encode(t)) for t in texts) / max(1, len(texts))

    def plain(self, sentences: list[str]) -> float:
        """The best plain layout found (README): inter 2 / intra 1, sorted, 32 a batch; with
        SentencePiece in and out, as any user of CTranslate2 writes it. Model already loaded."""

        def run() -> None:
            tokens = sorted((self.sp.encode(s, out_type=str) for s in sentences), key=len)
            results = self.translator.translate_batch(tokens, max_batch_size=32, batch_type="examples", **self.decode)
            [self.sp.decode_pieces(r.hypotheses[0]) for r in results]

        return len(sentences) / timed(run)

    def plain_per_paragraph(self, paragraphs: list[list[str]]) -> float:
        def run() -> None:
            for paragraph in paragraphs:
                self.translator.translate_batch([self.sp.encode(s, out_type=str) for s in paragraph], **self.decode)

        return sum(map(len, paragraphs)) / timed(run)

    def engine(self, sentences: list[str]) -> float:
        from workbench.translate.engine import DecodingOptions, Engine

        engine = Engine(threads=2)
        options = DecodingOptions(beam=self.args.beam, max_decoding_length=self.args.max_length, length_factor=0)
        engine.translate(self.model, sentences[:4], options)  # load + warm-up
        return len(sentences) / timed(lambda: engine.translate(self.model, sentences, options))

    def end_to_end(self, paragraphs: list[list[str]], name: str) -> tuple[float, float]:
        """`workbench translate --lang de` in a new process over documents of one sentence per
        line (a paragraph a document): wall time, start-up included. Returns (rate, seconds)."""
        work = _HOME / f"e2e-{name}"
        shutil.rmtree(work, ignore_errors=True)
        corpus = work / "corpus"
        corpus.mkdir(parents=True)
        for number, paragraph in enumerate(paragraphs):
            (corpus / f"{number:05d}.txt").write_text("\n".join(paragraph) + "\n", encoding="utf-8")
        command = [
            sys.executable, "-m", "workbench.cli", "translate", str(corpus), "--out", str(work / "out"), "--lang", "de",
            "--beam", str(self.args.beam), "--max-length", str(self.args.max_length), "--length-factor", "0", "--device", "cpu",
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"workbench translate failed: {done.stderr[-2000:]}")
        return sum(map(len, paragraphs)) / seconds, seconds

    def argos(self, paragraphs: list[list[str]]) -> tuple[float, int, list[str]]:
        """Argos Translate's own translate(), one call per paragraph, its default settings."""
        import ctranslate2
        from argostranslate import sbd, translate

        from workbench.split.segment import split_sentences

        # MiniSBD would download a model: split with the workbench's rules instead (cheap).
        sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text[a:b] for a, b in split_sentences(text, 0, len(text))]
        texts = [" ".join(p) for p in paragraphs]
        count = sum(len(split_sentences(t, 0, len(t))) for t in texts)
        original = ctranslate2.Translator.translate_batch

        def pinned(translator, *a, **k):
            k["max_decoding_length"] = self.args.max_length
            return original(translator, *a, **k)

        ctranslate2.Translator.translate_batch = pinned
        try:
            translate.translate(texts[0], "de", "en")  # load + warm-up
            seconds = timed(lambda: [translate.translate(t, "de", "en") for t in texts])
        finally:
            ctranslate2.Translator.translate_batch = original
        return count / seconds, count, [s for p in paragraphs for s in p]


def sample(paragraphs: list[list[str]], bench: Bench, sentences: int) -> list[list[str]]:
    """Every k-th paragraph in order of mean length: the corpus's mix of lengths (a prefix is
    one language's short sentences and flatters the slow paths)."""
    total = sum(map(len, paragraphs))
    stride = max(1, round(total / sentences))
    by_length = sorted(paragraphs, key=bench.mean_tokens)
    return by_length[stride // 2 :: stride]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=24, help="pinned decoding length in tokens")
    parser.add_argument("--argos-sentences", type=int, default=200, help="about this many sentences for the slow paths")
    parser.add_argument("--quick", action="store_true", help="the short corpus only")
    args = parser.parse_args()
    bench = Bench(args)
    rows: list[tuple[str, str, float]] = []

    corpora = [("short", short_paragraphs())] + ([] if args.quick else [("long", long_paragraphs())])
    for name, paragraphs in corpora:
        sentences = [s for p in paragraphs for s in p]
        print(
            f"\n{name}: {len(sentences)} distinct sentences in {len(paragraphs)} paragraphs, mean {bench.mean_tokens(sentences):.1f} "
            f"source tokens; beam {args.beam}; {args.max_length} tokens per output",
            flush=True,
        )
        plain = bench.plain(sentences)
        print(f"  plain CTranslate2 (inter 2/intra 1, sorted, 32 a batch; model loaded): {plain:7.1f} sentences/s", flush=True)
        engine = bench.engine(sentences)
        print(f"  workbench engine alone (model loaded):                                 {engine:7.1f} sentences/s", flush=True)
        e2e, seconds = bench.end_to_end(paragraphs, name)
        print(f"  `workbench translate` end to end ({seconds:.1f} s, start-up included):         {e2e:7.1f} sentences/s", flush=True)
        rows += [(name, "plain", plain), (name, "engine", engine), (name, "end to end", e2e)]
        if name == "long" or args.quick:
            slow = sample(paragraphs, bench, args.argos_sentences)
            per_paragraph = bench.plain_per_paragraph(slow)
            print(f"  plain CTranslate2, one call per paragraph (sample):                   {per_paragraph:7.1f} sentences/s", flush=True)
            argos, count, subset = bench.argos(slow)
            print(
                f"  argostranslate translate() per paragraph (sample: {count} sentences, mean {bench.mean_tokens(subset):.1f} tokens): "
                f"{argos:7.2f} sentences/s",
                flush=True,
            )
            rows += [(name, "plain per paragraph", per_paragraph), (name, "argos", argos)]

    rate = {(corpus, system): value for corpus, system, value in rows}
    print()
    for name, _ in corpora:
        print(
            f"{name}: end to end / best plain CTranslate2: {rate[(name, 'end to end')] / rate[(name, 'plain')]:.2f}x   "
            f"engine / plain: {rate[(name, 'engine')] / rate[(name, 'plain')]:.2f}x"
        )
    argos_corpus = "long" if not args.quick else "short"
    print(f"engine / argostranslate ({argos_corpus}): {rate[(argos_corpus, 'engine')] / rate[(argos_corpus, 'argos')]:.1f}x")
    print(f"peak RSS of this process: {rss_mb():.0f} MB")
    help_times = sorted(
        timed(lambda: subprocess.run([sys.executable, "-m", "workbench.cli", "--help"], capture_output=True, check=True, cwd=ROOT))
        for _ in range(5)
    )
    print(f"`workbench --help`: best {help_times[0]:.3f} s, median {help_times[2]:.3f} s")


if __name__ == "__main__":
    main()
