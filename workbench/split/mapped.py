"""Detector tables computed once from a model file, then memory-mapped from the user's cache.

A model shipped compressed (py3langid's LZMA archive, the vendored HeLI-OTS models) costs
seconds and hundreds of MB to unpack at every start. Unpacked once into ``.npy`` files, a
start takes milliseconds and only the pages a text needs are read; processes share them.
"""

from __future__ import annotations

import contextlib
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
        _write(folder, arrays, meta, source)
        written = _mapped(folder)
    except OSError:
        return arrays, meta
    _remove_stale(name, source, folder)
    return written


def _remove_stale(name: str, source: Path, kept: Path) -> None:
    """Remove the tables this one replaces, so that upgrades do not pile up 50-170 MB each:
    those of an earlier version of the same source file, those whose source file is gone (a
    removed environment), those of a workbench that did not record its source, and folders
    a killed process left half-written an hour ago or more. A process still mapping a removed
    table keeps reading it: the files go when it unmaps them."""
    import time

    for folder in kept.parent.glob(f"{name}-*"):
        if folder == kept:
            continue
        try:
            recorded = json.loads((folder / "meta.json").read_text(encoding="utf-8")).get("source")
        except (OSError, ValueError):
            continue  # being written now, or not ours
        if recorded is None or recorded == str(source) or not Path(recorded).exists():
            shutil.rmtree(folder, ignore_errors=True)
    for folder in kept.parent.glob(f".{name}-*"):
        with contextlib.suppress(OSError):
            if time.time() - folder.stat().st_mtime > 3600:
                shutil.rmtree(folder, ignore_errors=True)


def _write(folder: Path, arrays: Arrays, meta: dict, source: Path) -> None:
    """Written into a fresh folder beside ``folder`` and renamed: a reader sees all or nothing,
    and of two processes writing at once, the first rename wins."""
    import numpy as np

    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for array_name, array in arrays.items():
            np.save(fresh / f"{array_name}.npy", np.ascontiguousarray(array))
        stored = {"arrays": sorted(arrays), "meta": meta, "source": str(source)}
        (fresh / "meta.json").write_text(json.dumps(stored), encoding="utf-8")
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
