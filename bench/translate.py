"""Translation throughput: the workbench engine beside Argos Translate and plain CTranslate2.

All systems run the same Transformer-base-shaped int8 model (6+6 layers, width 512, FFN 2048,
8 heads, ~32k shared vocabulary, random weights built by builders/random_model.py) with the
same beam, and the same pinned decoding length: ``</s>`` is never chosen, so every sentence
decodes exactly ``--max-length`` tokens and every system does the same work.

    python bench/translate.py [--argos-sentences 250] [--max-length 24]

Prints sentences/s for each system, the ratios, peak RSS, and `workbench --help` start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def corpus() -> list[list[str]]:
    """Paragraphs of real sentences of mixed lengths (UDHR and alignment dev sets, all languages)."""
    paragraphs = []
    for line in (ROOT / "bench" / "data" / "align_dev.jsonl").read_text(encoding="utf-8").splitlines():
        sentences = json.loads(line)["src_sentences"]
        paragraphs.extend(sentences[i : i + 4] for i in range(0, len(sentences), 4))
    single = [json.loads(line)["text"] for line in (ROOT / "bench" / "data" / "dev_single.jsonl").read_text(encoding="utf-8").splitlines()]
    paragraphs.extend(single[i : i + 3] for i in range(0, len(single), 3))
    return paragraphs


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=24, help="pinned decoding length in tokens")
    parser.add_argument("--argos-sentences", type=int, default=250, help="about this many sentences for Argos's slow path")
    args = parser.parse_args()

    from builders.random_model import build_base_package
    from workbench.engine import DecodingOptions, Engine
    from workbench.models import find_model, install_file

    started = time.perf_counter()
    install_file(build_base_package("de"))
    model = find_model("de")
    print(f"model: {model.model_id}, {model.size_bytes / 1e6:.0f} MB on disk (built/loaded in {time.perf_counter() - started:.1f} s)")

    paragraphs = corpus()
    sentences = [s for p in paragraphs for s in p]
    print(f"corpus: {len(sentences)} sentences in {len(paragraphs)} paragraphs; beam {args.beam}; {args.max_length} tokens per output")
    options = DecodingOptions(beam=args.beam, max_decoding_length=args.max_length)
    decode = dict(beam_size=args.beam, length_penalty=0.2, max_decoding_length=args.max_length, replace_unknowns=True, return_scores=True)

    import ctranslate2
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
    tokenized = [sp.encode(s, out_type=str) for s in sentences]
    results: list[tuple[str, float, int]] = []

    def plain(name: str, inter: int, intra: int, batch: int, batch_type: str, sort: bool, per_paragraph: bool = False) -> None:
        translator = ctranslate2.Translator(str(model.path / "model"), device="cpu", inter_threads=inter, intra_threads=intra)
        translator.translate_batch(tokenized[:8], **decode)  # warm-up

        def run() -> None:
            if per_paragraph:
                offset = 0
                for paragraph in paragraphs:
                    translator.translate_batch(
                        tokenized[offset : offset + len(paragraph)], max_batch_size=batch, batch_type=batch_type, **decode
                    )
                    offset += len(paragraph)
                return
            order = sorted(range(len(tokenized)), key=lambda i: len(tokenized[i])) if sort else range(len(tokenized))
            translator.translate_batch([tokenized[i] for i in order], max_batch_size=batch, batch_type=batch_type, **decode)

        seconds = timed(run)
        results.append((f"plain CTranslate2: {name}", len(sentences) / seconds, len(sentences)))
        print(f"  {results[-1][0]:62} {results[-1][1]:7.1f} sentences/s", flush=True)

    print("plain CTranslate2 (tokenised input, no detokenisation):")
    plain("inter 2, intra 1, sorted, 32 examples/batch", 2, 1, 32, "examples", True)
    plain("inter 2, intra 1, sorted, 1024 tokens/batch", 2, 1, 1024, "tokens", True)
    plain("inter 2, intra 1, unsorted, 32 examples/batch", 2, 1, 32, "examples", False)
    plain("inter 2, intra 1, one call per paragraph", 2, 1, 32, "examples", False, per_paragraph=True)
    plain("inter 1, intra 2, sorted, 32 examples/batch", 1, 2, 32, "examples", True)
    best_plain = max(results, key=lambda r: r[1])

    engine = Engine(threads=2)
    engine.translate(model, sentences[:8], options)  # load + warm-up
    seconds = timed(lambda: engine.translate(model, sentences, options))
    engine_rate = len(sentences) / seconds
    print(f"workbench engine (tokenise, dedupe, sort, batch, detokenise, flag): {engine_rate:7.1f} sentences/s")

    # Argos Translate's own path, per paragraph, on a prefix of the corpus (it is slow).
    from argostranslate import sbd, translate

    from workbench.segment import split_sentences

    # MiniSBD would download a model: split with the workbench's rules instead (cheap).
    sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text[a:b] for a, b in split_sentences(text, 0, len(text))]
    original = ctranslate2.Translator.translate_batch

    # Argos's rate depends on sentence length, so its sample must have the corpus's mix: every
    # k-th paragraph in order of mean length (a prefix of the corpus is one language's short
    # sentences and flattered Argos by a fifth; every k-th in corpus order happened to be long).
    def mean_tokens(texts: list[str]) -> float:
        return sum(len(sp.encode(t)) for t in texts) / len(texts)

    stride = max(1, round(len(sentences) / args.argos_sentences))
    by_length = sorted(paragraphs, key=mean_tokens)
    argos_paragraphs = [" ".join(paragraph) for paragraph in by_length[stride // 2 :: stride]]
    argos_sentence_count = sum(len(split_sentences(p, 0, len(p))) for p in argos_paragraphs)

    def pinned(self, *a, **k):
        k["max_decoding_length"] = args.max_length
        return original(self, *a, **k)

    ctranslate2.Translator.translate_batch = pinned
    try:
        translate.translate(argos_paragraphs[0], "de", "en")  # load + warm-up
        seconds = timed(lambda: [translate.translate(p, "de", "en") for p in argos_paragraphs])
    finally:
        ctranslate2.Translator.translate_batch = original
    argos_rate = argos_sentence_count / seconds
    subset = [s for p in argos_paragraphs for s in (p[a:b] for a, b in split_sentences(p, 0, len(p)))]
    engine_subset_rate = len(subset) / timed(lambda: Engine(threads=2).translate(model, subset, options))

    print(
        f"argostranslate translate() per paragraph, default settings: {argos_rate:7.2f} sentences/s "
        f"({argos_sentence_count} sentences, every {stride}th paragraph by length, mean {mean_tokens(subset):.1f} source tokens "
        f"vs {mean_tokens(sentences):.1f} in the whole corpus)"
    )
    print(f"workbench engine on the same {len(subset)} sentences (cold engine):  {engine_subset_rate:7.1f} sentences/s")

    print()
    print(f"engine / argostranslate:           {engine_rate / argos_rate:6.1f}x   (target >= 15x)")
    print(f"engine / best plain CTranslate2:   {engine_rate / best_plain[1]:6.1%}   (target >= 90%; best: {best_plain[0]})")
    print(f"peak RSS: {rss_mb():.0f} MB")

    help_times = []
    for _ in range(5):
        help_times.append(
            timed(lambda: subprocess.run([sys.executable, "-m", "workbench.cli", "--help"], capture_output=True, check=True, cwd=ROOT))
        )
    print(f"`workbench --help`: best {min(help_times):.3f} s, median {sorted(help_times)[2]:.3f} s (target < 0.3 s)")


if __name__ == "__main__":
    main()
