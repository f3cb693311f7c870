"""Detector tables computed once from a model file, then memory-mapped from the user's cache.

A model shipped compressed (py3langid's LZMA archive, the vendored HeLI-OTS models) costs
seconds and hundreds of MB to unpack at every start. Unpacked once into ``.npy`` files, a
start takes milliseconds and only the pages a text needs are read; processes share them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

Arrays = dict[str, object]  # name → numpy array


def cache_folder() -> Path:
    """The user's cache folder for the workbench's unpacked detector tables."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "translation-workbench"


def cached_arrays(name: str, source: Path, version: int, build: Callable[[], tuple[Arrays, dict]]) -> tuple[Arrays, dict]:
    """The arrays and metadata ``build`` makes from ``source``, mapped from the cache folder
    ``<name>-<key>``. The key covers ``version`` (bump it when ``build``'s output changes)
    and the source file, so an upgraded model is unpacked afresh. Where the cache cannot be
    written, the arrays stay in memory."""
    stat = source.stat()
    key = hashlib.sha256(f"{version}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    folder = cache_folder() / f"{name}-{key}"
    try:
        return _mapped(folder)
    except (OSError, ValueError, KeyError):
        pass
    arrays, meta = build()
    try:
        _write(folder, arrays, meta)
        return _mapped(folder)
    except OSError:
        return arrays, meta


def _write(folder: Path, arrays: Arrays, meta: dict) -> None:
    """Written into a fresh folder beside ``folder`` and renamed: a reader sees all or nothing,
    and of two processes writing at once, the first rename wins."""
    import numpy as np

    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for array_name, array in arrays.items():
            np.save(fresh / f"{array_name}.npy", np.ascontiguousarray(array))
        (fresh / "meta.json").write_text(json.dumps({"arrays": sorted(arrays), "meta": meta}), encoding="utf-8")
        try:
            fresh.rename(folder)
        except OSError:
            if not (folder / "meta.json").is_file():
                raise
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _mapped(folder: Path) -> tuple[Arrays, dict]:
    import numpy as np

    stored = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    # Plain arrays over the mapped files (np.memmap's indexing costs a Python call per result).
    arrays = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)) for name in stored["arrays"]}
    return arrays, stored["meta"]
