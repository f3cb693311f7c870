"""Pack the HeLI-OTS models of the workbench's candidate languages into workbench/data/.

    git clone https://github.com/ZJaume/heliport
    python scripts/vendor_heli_models.py heliport/LanguageModels

Writes ``workbench/data/heli-ots.tar.xz``: for every language with a ``heli`` model in
``workbench/data/languages.toml``, its seven plain-text models (words, and character
1- to 6-grams), cut where HeLI itself stops reading (a gram rarer than 5 in 10 million),
so the archive holds exactly what the identifier uses. Run it again after adding a
language to the registry. The models are HeLI-OTS 2.0's (Jauhiainen et al., LREC 2022),
as heliport (GPL-3.0) ships them.
"""

from __future__ import annotations

import io
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core import languages  # noqa: E402
from workbench.split.heli import MODELS, ORDERS, kept_rows  # noqa: E402


def trimmed(text: str) -> str:
    """The lines of a model HeLI reads: its total, then grams while frequent enough."""
    rows, _, total = kept_rows(text)
    return "\n".join([str(total), *("\t".join(row) for row in rows)]) + "\n"


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = Path(sys.argv[1])
    models = sorted({language.heli for language in languages.REGISTRY.values() if language.heli})
    with tarfile.open(MODELS, "w:xz", preset=9) as archive:
        for model in models:
            for order in ORDERS:
                data = trimmed((source / f"{model}.{order}.model").read_text(encoding="utf-8")).encode("utf-8")
                member = tarfile.TarInfo(f"{model}.{order}.model")
                member.size = len(data)
                archive.addfile(member, io.BytesIO(data))
    print(f"{MODELS}: {len(models)} languages, {MODELS.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
