"""Sentence-alignment benchmark on bench/data/align_dev.jsonl (see ALIGN-README.md).

Scores exactly as Vecalign's score.py: strict and lax precision, recall and F1, micro
averaged, against `gold_fine` and `gold`. Prints Gale-Church alone beside the workbench.

    python bench/align.py [--by-lang] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.align.aligner import align, gale_church

DATA = Path(__file__).parent / "data" / "align_dev.jsonl"


def _links(alignment) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    result = set()
    for src, tgt in alignment:
        if src or tgt:
            result.add((tuple(src), tuple(tgt)))
    return result


def _count(test: set, gold: set) -> tuple[int, int, int, int]:
    """Vecalign's score: (strict TP, strict FP, lax TP, lax FP) of ``test`` against ``gold``."""
    src_to_tgt: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold:
        for s in src:
            src_to_tgt[s].update(tgt)
    strict_tp = strict_fp = lax_tp = lax_fp = 0
    for src, tgt in test:
        if (src, tgt) in gold:
            strict_tp += 1
            lax_tp += 1
            continue
        strict_fp += 1
        gold_targets = set().union(*(src_to_tgt[s] for s in src)) if src else set()
        if gold_targets & set(tgt):
            lax_tp += 1
        else:
            lax_fp += 1
    return strict_tp, strict_fp, lax_tp, lax_fp


def score(pairs: list[tuple[list, list]]) -> dict[str, float]:
    """Micro-averaged strict and lax P, R, F1 over (predicted, gold) alignment pairs."""
    totals = defaultdict(int)
    for predicted, gold in pairs:
        test, reference = _links(predicted), _links(gold)
        p = _count(test, reference)
        no_deletions = lambda links: {link for link in links if link[0] and link[1]}  # noqa: E731
        r = _count(no_deletions(reference), no_deletions(test))
        for name, value in zip(("p_stp", "p_sfp", "p_ltp", "p_lfp"), p):
            totals[name] += value
        for name, value in zip(("r_stp", "r_sfp", "r_ltp", "r_lfp"), r):
            totals[name] += value

    def ratio(tp: int, fp: int) -> float:
        return tp / (tp + fp) if tp + fp else 0.0

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    sp, sr = ratio(totals["p_stp"], totals["p_sfp"]), ratio(totals["r_stp"], totals["r_sfp"])
    lp, lr = ratio(totals["p_ltp"], totals["p_lfp"]), ratio(totals["r_ltp"], totals["r_lfp"])
    return {"strict_p": sp, "strict_r": sr, "strict_f1": f1(sp, sr), "lax_p": lp, "lax_r": lr, "lax_f1": f1(lp, lr)}


def as_pairs(links) -> list[tuple[list[int], list[int]]]:
    return [(list(link.src), list(link.tgt)) for link in links]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--by-lang", action="store_true")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a smoke run on a small sample (CI runs it; its figures mean nothing)")
    args = parser.parse_args()
    docs = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    if args.quick:
        docs = docs[:3]
    pairs = sum(max(len(d["src_sentences"]), len(d["tgt_sentences"])) for d in docs)
    print(f"{len(docs)} documents, {sum(len(d['src_sentences']) for d in docs)} + {sum(len(d['tgt_sentences']) for d in docs)} sentences")
    systems = {
        "Gale-Church (lengths only)": lambda d: gale_church(d["src_sentences"], d["tgt_sentences"]),
        "workbench (lengths + anchors, no MT)": lambda d: align(d["src_sentences"], d["tgt_sentences"], src_lang=d["src_lang"]),
    }
    print(
        f"{'system':40} {'strict F1 fine':>14} {'strict F1 gold':>14} {'lax F1 gold':>11} {'lax P':>7} {'lax R':>7} {'ms/1000 pairs':>14}"
    )
    for name, system in systems.items():
        started = time.perf_counter()
        predictions = [as_pairs(system(d)) for d in docs]
        seconds = time.perf_counter() - started
        fine = score([(p, d["gold_fine"]) for p, d in zip(predictions, docs)])
        gold = score([(p, d["gold"]) for p, d in zip(predictions, docs)])
        print(
            f"{name:40} {fine['strict_f1']:14.3f} {gold['strict_f1']:14.3f} {gold['lax_f1']:11.3f} {gold['lax_p']:7.3f} {gold['lax_r']:7.3f} {seconds / pairs * 1e6:14.0f}"
        )
        if args.by_lang:
            by: dict[str, list] = defaultdict(list)
            for p, d in zip(predictions, docs):
                by[d["src_lang"]].append((p, d))
                by[d["domain"]].append((p, d))
            for key, items in sorted(by.items()):
                f = score([(p, d["gold_fine"]) for p, d in items])
                g = score([(p, d["gold"]) for p, d in items])
                print(f"   {key:37} {f['strict_f1']:14.3f} {g['strict_f1']:14.3f} {g['lax_f1']:11.3f}")
        if args.errors and name.startswith("workbench"):
            for p, d in zip(predictions, docs):
                wrong = _links(p) - _links(d["gold_fine"])
                if wrong:
                    print(f"  {d['id']}: {sorted(wrong)[:6]} gold: {[link for link in d['gold_fine'] if link not in p][:6]}")
    print("targets: strict F1 (gold_fine) >= 0.95, lax F1 (gold) >= 0.99, <= 1000 ms per 1000 pairs without MT")


if __name__ == "__main__":
    main()
