"""A workspace's two folders, and finding documents in them safely.

Document ids come from browsers, exchange files and the command line: every id is checked to
name a translations file inside ``translations/`` before anything is read or written.
"""

from __future__ import annotations

from pathlib import Path

from workbench.store.files import StoreError, document_ids, translation_path


class UnknownDocument(StoreError):
    """An id that names no translations file of the folder (or would reach outside it)."""


class TranslationsFolder:
    """``corpus/`` (the sources) and ``translations/`` (their translations files)."""

    def __init__(self, corpus: Path, translations: Path) -> None:
        self.corpus = corpus
        self.translations = translations

    def document_ids(self) -> list[str]:
        return document_ids(self.translations)

    def path_of(self, doc_id: str) -> Path:
        """The translations file of ``doc_id``. Raises UnknownDocument for an id that names
        none, or reaches outside the folder."""
        try:
            path = translation_path(self.translations, doc_id)
        except StoreError as error:
            raise UnknownDocument(str(error)) from None
        root = self.translations.resolve()
        if not path.resolve().is_relative_to(root) or doc_id not in self.document_ids():
            raise UnknownDocument(f"no document {doc_id!r} in {self.translations}")
        return path
