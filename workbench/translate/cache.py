"""A persistent machine-translation cache in SQLite.

Keyed by model id and version, decoding options and the normalised source sentence, so
re-runs and repeated sentences cost nothing, and a run killed mid-way keeps every chunk
it committed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from pathlib import Path

from workbench.translate.engine import SentenceTranslation

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    options TEXT NOT NULL,
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    score REAL NOT NULL,
    confidence REAL NOT NULL,
    flags TEXT NOT NULL
)
"""


def normalise_source(sentence: str) -> str:
    """NFC and single spaces: the same sentence pasted twice hits the same entry."""
    return " ".join(unicodedata.normalize("NFC", sentence).split())


class TranslationCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    @staticmethod
    def key(model_id: str, options: dict, sentence: str) -> str:
        material = json.dumps([model_id, options, normalise_source(sentence)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get_many(self, model_id: str, options: dict, sentences: list[str]) -> dict[str, SentenceTranslation]:
        found: dict[str, SentenceTranslation] = {}
        keys = {self.key(model_id, options, sentence): sentence for sentence in sentences}
        items = list(keys.items())
        for offset in range(0, len(items), 500):
            batch = dict(items[offset : offset + 500])
            marks = ",".join("?" * len(batch))
            for key, output, score, confidence, flags in self._db.execute(
                f"SELECT key, output, score, confidence, flags FROM translations WHERE key IN ({marks})", list(batch)
            ):
                sentence = batch[key]
                found[sentence] = SentenceTranslation(sentence, output, score, confidence, tuple(json.loads(flags)))
        return found

    def put_many(self, model_id: str, options: dict, translations: dict[str, SentenceTranslation]) -> None:
        """Store and commit: once this returns, a kill loses none of these."""
        options_json = json.dumps(options, sort_keys=True)
        rows = [
            (
                self.key(model_id, options, sentence),
                model_id,
                options_json,
                normalise_source(sentence),
                t.text,
                t.score,
                t.confidence,
                json.dumps(list(t.flags)),
            )
            for sentence, t in translations.items()
        ]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        self._db.close()
