"""Ray on one machine beside the in-process engine, in one run: sentences/s for the in-process
engine (two CTranslate2 workers), Ray with 1 actor and Ray with 2 actors (one core each),
on the Transformer-base-shaped model with a pinned output length (see bench/translate.py).

    python bench/ray_scaling.py [--sentences 800] [--max-length 24]

Prints the rates, the ratios to in-process (Ray on one machine should stay >= 0.8x), and the
per-actor rate the README uses to size a cluster. The cluster's start-up is left out (it is
paid once per run; see the README); each model is shipped to the actors once, before timing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import translate as translate_bench  # noqa: E402  (sets the private Argos folders)

os.environ.setdefault("RAY_AUTH_MODE", "disabled")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=800)
    parser.add_argument("--max-length", type=int, default=24)
    parser.add_argument("--quick", action="store_true", help="a smoke run on a small sample (CI runs it; its figures mean nothing)")
    args = parser.parse_args()
    if args.quick:
        args.sentences = 64
    import ray

    from builders.random_model import build_base_package
    from workbench.translate.distributed import RayEngineTranslator
    from workbench.translate.engine import DecodingOptions
    from workbench.translate.models import install_file
    from workbench.translate.translators import EngineTranslator

    install_file(build_base_package("de"))
    sentences = [s for p in translate_bench.long_paragraphs() for s in p][: args.sentences]
    options = DecodingOptions(beam=4, max_decoding_length=args.max_length, length_factor=0)  # every sentence decodes max_length
    print(f"{len(sentences)} distinct sentences, beam 4, {args.max_length} tokens per output")

    def rate(layer) -> float:
        layer.translate("de", sentences[:8])  # load (and ship) the model, warm up
        started = time.perf_counter()
        layer.translate("de", sentences[8:])
        return (len(sentences) - 8) / (time.perf_counter() - started)

    rates = {"in-process (2 CTranslate2 workers)": rate(EngineTranslator(options=options, threads=2))}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        for workers in (1, 2):
            layer = RayEngineTranslator(options, workers=workers)
            rates[f"Ray, {workers} actor{'s' if workers > 1 else ''} (1 core each)"] = rate(layer)
            for worker in layer.workers:
                ray.kill(worker)
    finally:
        ray.shutdown()
    baseline = next(iter(rates.values()))
    for name, value in rates.items():
        print(f"  {name:40} {value:7.1f} sentences/s   {value / baseline:.2f}x in-process")
    one = rates["Ray, 1 actor (1 core each)"]
    print(f"per-actor rate: {one:.1f} sentences/s; 2 actors scale {rates['Ray, 2 actors (1 core each)'] / one:.2f}x")


if __name__ == "__main__":
    main()
