"""Language-splitting benchmark on the UDHR development sets (bench/data/, see LANGID-README.md).

Prints, in one run, the workbench segmenter (default detector, and each other backend
through the same layers) beside the baseline: langdetect applied line by line.

    python bench/langid.py [--systems baseline,ensemble,fasttext,py3langid,langdetect] [--errors]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench import langid, languages
from workbench.segment import Segmenter, SegmenterConfig

DATA = Path(__file__).parent / "data"
TOLERANCE = 10


def content(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd"


# -- systems: text -> [(start, end, lang)] ------------------------------------------------


class WorkbenchSystem:
    def __init__(self, detector: str) -> None:
        self.name = f"workbench[{detector}]"
        self.segmenter = Segmenter(SegmenterConfig(detector=detector))

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
        result[bucket] = statistics.mean(sum(by[(lang, bucket)]) / len(by[(lang, bucket)]) for lang in langs)
    result["ku"] = pooled("ku")
    result["per_lang"] = {lang: round(pooled(lang), 3) for lang in langs}
    return result


def english_paragraphs() -> list[tuple[str, list[tuple[int, int]]]]:
    """Paragraphs of the sample corpus that are plainly English: (document text, [(start, end)]).

    The UDHR sets measure what is found, not what is invented. Real English prose is full of
    names, acronyms and loanwords that a splitter can mistake for foreign phrases, so the
    benchmark also counts foreign segments found inside these paragraphs: only a-z letters,
    at least 20 words, English by both fastText and langdetect on the whole paragraph (each >= 0.99).
    A hit is nearly always a false positive; --errors prints them to check by eye.
    """
    import re

    from workbench.document import read_document

    fasttext, langdetect = langid.load_backend("fasttext"), langid.load_backend("langdetect")  # shared with the systems
    candidates = tuple(sorted(set(languages.NAMES) - {languages.UNDETERMINED}))
    english = candidates.index("en")
    found = []
    for path in sorted((DATA.parents[1] / "corpus").glob("*.txt")):
        text = read_document(path).text
        ranges = []
        for match in re.finditer(r"[^\n]+", text):
            paragraph = match.group()
            if len(paragraph.split()) < 20 or not all(char.isascii() for char in paragraph if char.isalpha()):
                continue
            if all(backend.probabilities(paragraph, candidates)[english] >= 0.99 for backend in (fasttext, langdetect)):
                ranges.append((match.start(), match.end()))
        if ranges:
            found.append((text, ranges))
    return found


def english_false_positives(system, documents: list[tuple[str, list[tuple[int, int]]]]) -> list[str]:
    """Foreign-labelled stretches the system puts inside plainly English paragraphs."""
    hits = []
    for text, ranges in documents:
        foreign = [(a, b, lang) for a, b, lang in system.spans(text) if lang not in ("en", "und")]
        for start, end in ranges:
            for a, b, lang in foreign:
                if a < end and b > start:
                    hits.append(f"{lang}: {text[max(a, start) : min(b, end)][:60]!r}")
    return hits


def timed(system, texts: list[str], repeats: int = 3) -> tuple[list, float]:
    for text in texts[:20]:  # warm-up: load models, fill caches
        system.spans(text)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        outputs = [system.spans(text) for text in texts]
        best = min(best, time.perf_counter() - started)
    return outputs, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", default="baseline,ensemble,fasttext,py3langid,langdetect")
    parser.add_argument("--errors", action="store_true", help="print the mixed documents the default gets wrong")
    args = parser.parse_args()
    mixed = [json.loads(line) for line in (DATA / "dev_mixed.jsonl").open(encoding="utf-8")]
    single = [json.loads(line) for line in (DATA / "dev_single.jsonl").open(encoding="utf-8")]
    mixed_chars = sum(len(doc["text"]) for doc in mixed)
    print(f"dev_mixed: {len(mixed)} documents, {mixed_chars} characters; dev_single: {len(single)} segments")
    header = (
        f"{'system':34} {'char':>7} {'macro':>7} {'bF1±10':>7} {'bF1=0':>7} {'short':>7} {'nonEN':>7} {'docs':>7}"
        f" | {'s.macro':>7} {'s.short':>7} {'s.med':>7} {'s.long':>7} {'s.ku':>7} | {'EN-FP':>5} | {'ms/doc':>7} {'ms/kch':>7} {'ms/seg':>7}"
    )
    prose = english_paragraphs()
    print(header)
    print(f"(EN-FP: foreign segments inside {sum(len(r) for _, r in prose)} plainly English paragraphs of corpus/; see english_paragraphs)")
    for name in args.systems.split(","):
        system = make_system(name)
        predictions, seconds = timed(system, [doc["text"] for doc in mixed])
        m = score_mixed(mixed, predictions)
        single_spans, single_seconds = timed(system, [row["text"] for row in single], repeats=1)
        s = score_single(single, [majority_label(row["text"], spans) for row, spans in zip(single, single_spans)])
        false_positives = english_false_positives(system, prose)
        print(
            f"{system.name:34} {m['char_acc']:7.2%} {m['char_acc_macro']:7.2%} {m['boundary_f1']:7.2%} {m['boundary_f1_exact']:7.2%}"
            f" {m['short_hit']:7.2%} {m['non_en_hit']:7.2%} {m['docs_right']:7.2%}"
            f" | {s['macro']:7.2%} {s['short']:7.2%} {s['medium']:7.2%} {s['long']:7.2%} {s['ku']:7.2%}"
            f" | {len(false_positives):5d}"
            f" | {seconds / len(mixed) * 1000:7.3f} {seconds / mixed_chars * 1e6:7.3f} {single_seconds / len(single) * 1000:7.3f}",
            flush=True,
        )
        if args.errors and name != "baseline":
            print("  single per language:", s["per_lang"])
            for doc, spans in zip(mixed, predictions):
                if score_mixed([doc], [spans])["docs_right"] < 1:
                    print(f"  {doc['id']} {doc['layout']}")
                    print("    gold:", [(g["start"], g["end"], g["lang"]) for g in doc["segments"]])
                    print("    pred:", spans)
            for hit in false_positives:
                print(f"  English prose labelled {hit}")
            for row, spans in zip(single, single_spans):
                label = majority_label(row["text"], spans)
                if label != row["lang"]:
                    print(f"  single {row['id']} {row['lang']}→{label} {row['bucket']}: {row['text'][:70]!r}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (all systems loaded): {rss:.0f} MB")
    print("targets (default): char >= 99.5%, bF1±10 >= 98%, docs >= 95%, s.macro >= 99%, s.short >= 97%, s.ku >= 97%, <= 2 ms/doc")


if __name__ == "__main__":
    main()
