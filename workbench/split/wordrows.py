"""Rows of scores of words already scored, for detectors that score a text word by word.

A word's scores are its own, whatever text it is in, and the same words recur in every text
("the", "ve", "και"): each is scored once per process, and a batch of texts gets its words'
rows in one gather (a list of rows cost more to turn into an array than to score).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class WordRows:
    """Words' rows of scores, kept as the words are first seen: a table whose room doubles
    when full, emptied past ``at_most`` words. Safe to share between threads."""

    def __init__(self, width: int, dtype: str, at_most: int) -> None:
        import numpy as np

        self._index: dict[str, int] = {}
        self._table = np.zeros((1024, width), dtype=dtype)
        self._at_most = at_most
        self._lock = threading.Lock()

    def rows_of(self, words: list[str], score: Callable[[list[str]], object]):
        """The rows of ``words``, in order (an array); ``score`` gives the rows of the distinct
        words not kept yet."""
        import numpy as np

        with self._lock:
            if len(self._index) > self._at_most:
                self._index.clear()
            missing = [word for word in dict.fromkeys(words) if word not in self._index]
            if missing:
                self._add(missing, score(missing))
            return self._table[np.fromiter(map(self._index.__getitem__, words), dtype=np.int64, count=len(words))]

    def _add(self, words: list[str], rows) -> None:
        import numpy as np

        used, needed = len(self._index), len(self._index) + len(words)
        if needed > len(self._table):
            grown = np.zeros((max(needed, 2 * len(self._table)), self._table.shape[1]), dtype=self._table.dtype)
            grown[:used] = self._table[:used]
            self._table = grown
        self._table[used:needed] = rows
        self._index.update(zip(words, range(used, needed)))
