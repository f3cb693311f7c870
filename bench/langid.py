"""Language-splitting benchmark on three development sets and on English text (bench/data/, see LANGID-README.md).

Prints, in one run, the workbench segmenter (default detector, and each other backend
through the same layers) beside the baseline: langdetect applied line by line.

    python bench/langid.py [--systems baseline,fasttext,py3langid,heliport,cld3,langdetect,ensemble] [--errors]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import resource
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core import languages
from workbench.split import langid
from workbench.split.segment import Segmenter, SegmenterConfig

DATA = Path(__file__).parent / "data"
TOLERANCE = 10


def content(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd"


# -- systems: text -> [(start, end, lang)] ------------------------------------------------


def config_of(changes: str, config: SegmenterConfig | None = None) -> SegmenterConfig:
    """``config`` (the default one) with ``very_sure=0.6+sure=0.5``'s SegmenterConfig changes."""
    config = config or SegmenterConfig()
    for change in filter(None, changes.split("+")):
        field, _, value = change.partition("=")
        kind = type(getattr(config, field))
        config = dataclasses.replace(config, **{field: value not in ("0", "false", "no") if kind is bool else kind(value)})
    return config


class WorkbenchSystem:
    """The segmenter with one detector; ``ensemble/very_sure=0.5+long_words=8`` also changes
    SegmenterConfig fields (the trade-off table in the README)."""

    def __init__(self, spec: str) -> None:
        detector, _, changes = spec.partition("/")
        self.name = f"workbench[{spec}]"
        self.config = config_of(changes, SegmenterConfig(detector=detector))
        self.segmenter = Segmenter(self.config)

    def reset(self) -> None:
        """Forget the lines seen (the segmenter's cache), so that timed repeats pay in full."""
        self.segmenter = Segmenter(self.config)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        return [(s.start, s.end, s.lang) for s in self.segmenter.segment(text)]


class LangdetectLines:
    """The baseline: langdetect on each line, every language it knows."""

    name = "baseline: langdetect per line"

    def __init__(self) -> None:
        self.backend = langid.LangdetectBackend()
        self.all = tuple(sorted(set(languages.NAMES) - {languages.UNDETERMINED}))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        spans = []
        offset = 0
        for line in text.split("\n"):
            stripped = line.strip()
            if stripped:
                start = offset + line.index(stripped)
                probs = self.backend.probabilities(stripped, self.all)
                lang = self.all[max(range(len(probs)), key=probs.__getitem__)] if any(probs) else "und"
                spans.append((start, start + len(stripped), lang))
            offset += len(line) + 1
        return spans


def make_system(name: str):
    return LangdetectLines() if name == "baseline" else WorkbenchSystem(name)


# -- scoring (LANGID-README.md) -----------------------------------------------------------


def char_labels(text: str, spans: list[tuple[int, int, str]]) -> list[str | None]:
    labels: list[str | None] = [None] * len(text)
    for start, end, lang in spans:
        for index in range(start, end):
            labels[index] = lang
    return labels


def match_boundaries(gold: list[int], predicted: list[int]) -> int:
    pairs = sorted((abs(g - p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(predicted) if abs(g - p) <= TOLERANCE)
    used_gold, used_pred, matched = set(), set(), 0
    for _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            matched += 1
    return matched


def score_mixed(docs: list[dict], predictions: list[list[tuple[int, int, str]]]) -> dict:
    right = total = 0
    by_lang_right: dict[str, int] = defaultdict(int)
    by_lang_total: dict[str, int] = defaultdict(int)
    gold_b = pred_b = matched_b = exact_b = 0
    hits: dict[str, list[bool]] = defaultdict(list)
    fully_right = 0
    for doc, spans in zip(docs, predictions):
        text = doc["text"]
        labels = char_labels(text, spans)
        scored: list[tuple[int, str]] = []
        gold_boundaries = []
        doc_all_right = True
        for number, segment in enumerate(doc["segments"]):
            positions = [i for i in range(segment["start"], segment["end"]) if content(text[i])]
            if number > 0 and positions:
                gold_boundaries.append(positions[0])
            good = sum(labels[i] == segment["lang"] for i in positions)
            right += good
            total += len(positions)
            by_lang_right[segment["lang"]] += good
            by_lang_total[segment["lang"]] += len(positions)
            doc_all_right &= good == len(positions)
            hit = bool(positions) and good / len(positions) >= 0.5
            hits["all"].append(hit)
            if segment["kind"] == "short":
                hits["short"].append(hit)
            if segment["lang"] != "en":
                hits["non-en"].append(hit)
            scored.extend((i, segment["lang"]) for i in positions)
        scored.sort()
        predicted_boundaries = [scored[k][0] for k in range(1, len(scored)) if labels[scored[k][0]] != labels[scored[k - 1][0]]]
        matched = match_boundaries(gold_boundaries, predicted_boundaries)
        gold_b += len(gold_boundaries)
        pred_b += len(predicted_boundaries)
        matched_b += matched
        exact_b += len(set(gold_boundaries) & set(predicted_boundaries))
        if doc_all_right and matched == len(predicted_boundaries) == len(gold_boundaries):
            fully_right += 1

    def mean(values: list[bool]) -> float:
        return statistics.mean(values) if values else 1.0

    def f1(m: int) -> float:
        p = m / pred_b if pred_b else 0.0
        r = m / gold_b if gold_b else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    return {
        "char_acc": right / total,
        "char_acc_macro": statistics.mean(by_lang_right[k] / by_lang_total[k] for k in by_lang_total),
        "boundary_f1": f1(matched_b),
        "boundary_f1_exact": f1(exact_b),
        "short_hit": mean(hits["short"]),
        "all_hit": mean(hits["all"]),
        "non_en_hit": mean(hits["non-en"]),
        "docs_right": fully_right / len(docs),
    }


def majority_label(text: str, spans: list[tuple[int, int, str]]) -> str:
    weight: dict[str, int] = defaultdict(int)
    for start, end, lang in spans:
        weight[lang] += sum(content(ch) for ch in text[start:end])
    return max(weight, key=weight.__getitem__) if weight else "und"


def score_single(rows: list[dict], predicted: list[str]) -> dict:
    by: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for row, label in zip(rows, predicted):
        by[(row["lang"], row["bucket"])].append(label == row["lang"])
    langs = sorted({lang for lang, _ in by})

    def pooled(lang: str) -> float:
        values = [v for (l2, _), vs in by.items() if l2 == lang for v in vs]
        return sum(values) / len(values)

    result = {"macro": statistics.mean(pooled(lang) for lang in langs)}
    for bucket in ("short", "medium", "long"):
        shares = [sum(by[(lang, bucket)]) / len(by[(lang, bucket)]) for lang in langs if by.get((lang, bucket))]
        result[bucket] = statistics.mean(shares) if shares else float("nan")  # a sample may lack a bucket
    result["ku"] = pooled("ku")
    result["per_lang"] = {lang: round(pooled(lang), 3) for lang in langs}
    return result


def english_alignment_text() -> tuple[list[str], int]:
    """The English side of the alignment development set, all of it: one document per pair,
    one sentence per line (Bible chapters, GNOME help pages, UDHR articles). Everything
    in it is English, so every foreign segment found is a false positive."""
    documents = []
    for line in (DATA / "align_dev.jsonl").open(encoding="utf-8"):
        documents.append("\n".join(json.loads(line)["tgt_sentences"]))
    return documents, sum(len(text.split()) for text in documents)


def corpus_documents() -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """The sample corpus with its foreign stretches marked by hand (corpus_foreign.json):
    (name, text, [(start, end, lang)]). Everything else in it is English."""
    from workbench.formats.inputs import read_document

    marked = json.loads((DATA / "corpus_foreign.json").read_text(encoding="utf-8"))
    documents = []
    for path in sorted((DATA.parents[1] / "corpus").glob("*.txt")):
        text = read_document(path).text
        spans = []
        for stretch, lang in marked.get(path.name, []):
            start = text.index(stretch)
            spans.append((start, start + len(stretch), lang))
        documents.append((path.name, text, spans))
    return documents


def foreign_in_english(text: str, spans: list[tuple[int, int, str]], foreign: list[tuple[int, int, str]]) -> list[str]:
    """Predicted foreign segments whose content lies mostly outside the marked foreign stretches."""
    inside = bytearray(len(text))
    for start, end, _ in foreign:
        inside[start:end] = b"\x01" * (end - start)
    hits = []
    for start, end, lang in spans:
        if lang in ("en", "und"):
            continue
        positions = [i for i in range(start, end) if content(text[i])]
        if positions and sum(not inside[i] for i in positions) * 2 > len(positions):
            hits.append(f"{lang}: {text[start:end][:70]!r}")
    return hits


def foreign_found(text: str, spans: list[tuple[int, int, str]], foreign: list[tuple[int, int, str]]) -> list[bool]:
    """For each marked foreign stretch: do at least half its content characters carry its label?"""
    labels = char_labels(text, spans)
    found = []
    for start, end, lang in foreign:
        positions = [i for i in range(start, end) if content(text[i])]
        found.append(sum(labels[i] == lang for i in positions) * 2 >= len(positions))
    return found


def timed(system, texts: list[str], repeats: int = 3) -> tuple[list, float]:
    for text in texts[:20]:  # warm-up: load models, fill caches
        system.spans(text)
    best = float("inf")
    for _ in range(repeats):
        if hasattr(system, "reset"):
            system.reset()
        started = time.perf_counter()
        outputs = [system.spans(text) for text in texts]
        best = min(best, time.perf_counter() - started)
    return outputs, best


DEV_SETS = {"dev": "UDHR", "dev2": "Tatoeba sentences + Kurmanji news"}
MIXED_COLUMNS = ["char_acc", "char_acc_macro", "boundary_f1", "boundary_f1_exact", "short_hit", "non_en_hit", "docs_right"]
SINGLE_COLUMNS = ["macro", "short", "medium", "long", "ku"]
CONFIDENCE_BUCKETS = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0001]


def score_outside(rows: list[dict], predictions: list[list[tuple[int, int, str]]]) -> dict:
    """Text in languages outside the 14: the share of its content characters labelled with one
    of the 14 (the failure), with its own code, and ``und`` or nothing; other codes apart."""
    counts = defaultdict(int)
    for row, spans in zip(rows, predictions):
        labels = char_labels(row["text"], spans)
        for segment in row["segments"]:
            if segment["lang"] in CANDIDATES:
                continue
            for index in range(segment["start"], segment["end"]):
                if not content(row["text"][index]):
                    continue
                label = labels[index]
                counts["total"] += 1
                if label in CANDIDATES:
                    counts["in_set"] += 1
                elif label == segment["lang"]:
                    counts["own"] += 1
                elif label in (None, "und"):
                    counts["und"] += 1
                else:
                    counts["other"] += 1
    total = max(1, counts["total"])
    return {key: counts[key] / total for key in ("in_set", "own", "und", "other")}


CANDIDATES = frozenset(languages.DEFAULT_LANGUAGES)


def run_dev3(system, mixed: list[dict], outside: list[dict]) -> dict:
    predictions, seconds = timed(system, [doc["text"] for doc in mixed], repeats=1)
    scores = score_mixed(mixed, predictions)
    scores["ms_per_doc"] = seconds / len(mixed) * 1000
    scores.update(score_outside(outside, [system.spans(row["text"]) for row in outside]))
    scores["errors"] = (mixed, predictions)
    return scores


def run_system(system, dev_sets: dict, english: list[str], corpus: list) -> dict:
    result: dict = {"name": system.name, "confidences": []}
    for key, (mixed, single) in dev_sets.items():
        predictions, seconds = timed(system, [doc["text"] for doc in mixed])
        scores = score_mixed(mixed, predictions)
        # Single segments are not timed: split once, for the labels and their confidence.
        texts = [row["text"] for row in single]
        segmented = [system.segmenter.segment(text) for text in texts] if hasattr(system, "segmenter") else None
        single_spans = [[(s.start, s.end, s.lang) for s in segments] for segments in segmented] if segmented else map(system.spans, texts)
        labels = [majority_label(row["text"], spans) for row, spans in zip(single, single_spans)]
        scores.update(score_single(single, labels))
        scores["ms_per_doc"] = seconds / len(mixed) * 1000
        result[key] = scores
        result[key + "_errors"] = (mixed, predictions, single, labels)
        if segmented:
            for row, label, segments in zip(single, labels, segmented):
                chosen = [s for s in segments if s.lang == label]
                weight = sum(s.end - s.start for s in chosen)
                confidence = sum(s.confidence * (s.end - s.start) for s in chosen) / weight if weight else 0.0
                result["confidences"].append((confidence, label == row["lang"]))
    result["align_fp"] = [hit for text in english for hit in foreign_in_english(text, system.spans(text), [])]
    result["corpus_fp"] = []
    result["corpus_found"] = []
    for _, text, foreign in corpus:
        spans = system.spans(text)
        result["corpus_fp"] += foreign_in_english(text, spans, foreign)
        result["corpus_found"] += foreign_found(text, spans, foreign)
    return result


def print_tables(results: list[dict], dev_sets: dict, english_words: int, default: str) -> None:
    for key, label in DEV_SETS.items():
        mixed, single = dev_sets[key]
        print(f"\n{key} ({label}): {len(mixed)} mixed documents, {len(single)} single segments")
        print(
            f"{'system':30} {'char':>7} {'macro':>7} {'bF1±10':>7} {'bF1=0':>7} {'short':>7} {'nonEN':>7} {'docs':>7}"
            f" | {'s.macro':>7} {'s.short':>7} {'s.med':>7} {'s.long':>7} {'s.ku':>7} | {'ms/doc':>6}"
        )
        for result in results:
            row = result[key]
            print(
                f"{result['name']:30} "
                + " ".join(f"{row[c]:7.2%}" for c in MIXED_COLUMNS)
                + " | "
                + " ".join(f"{row[c]:7.2%}" for c in SINGLE_COLUMNS)
                + f" | {row['ms_per_doc']:6.2f}"
            )
    if all("dev3" in result for result in results):
        print("\ndev3 (web, e-mail, spoken and academic English with insertions; text in 10 languages outside the 14)")
        print(
            f"{'system':30} {'char':>7} {'bF1±10':>7} {'short':>7} {'docs':>7} | {'outside: in-set':>15} {'own':>7} {'und':>7} {'other':>7}"
        )
        for result in results:
            row = result["dev3"]
            print(
                f"{result['name']:30} {row['char_acc']:7.2%} {row['boundary_f1']:7.2%} {row['short_hit']:7.2%} {row['docs_right']:7.2%} |"
                f" {row['in_set']:15.2%} {row['own']:7.2%} {row['und']:7.2%} {row['other']:7.2%}"
            )
    print(f"\nEnglish precision: foreign segments in English text (align: {english_words} words of English, one sentence per line)")
    print(f"{'system':30} {'align FP':>8} {'/20k words':>10} {'corpus FP':>9} {'corpus foreign found':>20}")
    for result in results:
        found = result["corpus_found"]
        print(
            f"{result['name']:30} {len(result['align_fp']):8d} {len(result['align_fp']) * 20000 / english_words:10.2f}"
            f" {len(result['corpus_fp']):9d} {sum(found):>14d} of {len(found)}"
        )
    default_result = next((r for r in results if r["name"] == f"workbench[{default}]"), None)
    if default_result is None:
        return
    print(f"\ncalibration of workbench[{default}] (single segments of both sets): accuracy per confidence bucket")
    pairs = default_result["confidences"]
    for low, high in itertools.pairwise(CONFIDENCE_BUCKETS):
        inside = [right for confidence, right in pairs if low <= confidence < high]
        if inside:
            print(
                f"  [{low:.2f}, {min(high, 1):.2f}{']' if high > 1 else ')'}: {len(inside):5d} segments, {sum(inside) / len(inside):7.2%} right"
            )
    beaten = [
        f"{key}:{column} ({other['name']} {other[key][column]:.2%} > {default_result[key][column]:.2%})"
        for key in DEV_SETS
        for column in MIXED_COLUMNS + SINGLE_COLUMNS
        for other in results
        if other["name"].startswith("workbench[")
        and other is not default_result
        and other[key][column] > default_result[key][column] + 1e-9
    ]
    print("columns where a single detector beats the default:", "; ".join(beaten) or "none")


def print_errors(result: dict) -> None:
    for key in DEV_SETS:
        mixed, predictions, single, labels = result[key + "_errors"]
        print(f"\n{result['name']} on {key}: single per language {result[key]['per_lang']}")
        for doc, spans in zip(mixed, predictions):
            if score_mixed([doc], [spans])["docs_right"] < 1:
                print(f"  {doc['id']} {doc['layout']}")
                print("    gold:", [(g["start"], g["end"], g["lang"], doc["text"][g["start"] : g["end"]][:40]) for g in doc["segments"]])
                print("    pred:", [(a, b, lang, doc["text"][a:b][:40]) for a, b, lang in spans])
        for row, label in zip(single, labels):
            if label != row["lang"]:
                print(f"  single {row['id']} {row['lang']}→{label} {row['bucket']}: {row['text'][:70]!r}")
    mixed, predictions = result["dev3"]["errors"]
    for doc, spans in zip(mixed, predictions):
        if score_mixed([doc], [spans])["docs_right"] < 1:
            print(f"  dev3 {doc['id']} {doc['layout']}")
            print("    gold:", [(g["start"], g["end"], g["lang"], doc["text"][g["start"] : g["end"]][:40]) for g in doc["segments"]])
            print("    pred:", [(a, b, lang, doc["text"][a:b][:40]) for a, b, lang in spans])
    for hit in result["align_fp"]:
        print(f"  align English labelled {hit}")
    for hit in result["corpus_fp"]:
        print(f"  corpus English labelled {hit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = langid.DEFAULT_BACKEND
    parser.add_argument("--systems", default=f"baseline,fasttext,py3langid,heliport,cld3,langdetect,{default}")
    parser.add_argument("--errors", action="store_true", help="print what the default gets wrong")
    parser.add_argument("--quick", action="store_true", help="a smoke run on a small sample (CI runs it; its figures mean nothing)")
    args = parser.parse_args()
    every = 10 if args.quick else 1  # every language stays in the sample
    dev_sets = {
        key: (
            [json.loads(line) for line in (DATA / f"{key}_mixed.jsonl").open(encoding="utf-8")][::every],
            [json.loads(line) for line in (DATA / f"{key}_single.jsonl").open(encoding="utf-8")][::every],
        )
        for key in DEV_SETS
    }
    if args.quick:
        args.systems = f"baseline,{default}"
    english, english_words = english_alignment_text()
    corpus = corpus_documents()
    dev3_mixed = [json.loads(line) for line in (DATA / "dev3_mixed.jsonl").open(encoding="utf-8")][::every]
    dev3_outside = [json.loads(line) for line in (DATA / "dev3_outside.jsonl").open(encoding="utf-8")][::every]
    results = []
    for name in args.systems.split(","):
        started = time.perf_counter()
        system = make_system(name)
        results.append(run_system(system, dev_sets, english, corpus))
        results[-1]["dev3"] = run_dev3(system, dev3_mixed, dev3_outside)
        print(f"ran {name} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print_tables(results, dev_sets, english_words, default)
    if args.errors:
        for result in results:
            if result["name"] == f"workbench[{default}]":
                print_errors(result)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process (all systems loaded): {rss:.0f} MB")
    print(
        "targets (default, each dev set): s.macro >= 99.5%, s.short >= 98.8%, s.ku >= 99.0%; char >= 99.6%, bF1±10 >= 98%,"
        " docs >= 94%; align FP <= 1 per 20k words; corpus FP = 0 with every foreign stretch found;"
        " dev3 docs >= 90%, outside in-set <= 1%"
    )


if __name__ == "__main__":
    main()
