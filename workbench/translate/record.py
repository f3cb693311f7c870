"""One segment at a time: what the review app and ``align`` translate, through the same
cache and engine as a corpus run (``translate.run``), without the translation memory."""

from __future__ import annotations

from dataclasses import replace

from workbench.core.settings import Settings
from workbench.store.files import SOURCE, SegmentRecord, now
from workbench.translate.engine import Engine
from workbench.translate.run import SYSTEM_NOTES, decoding_options, with_machine
from workbench.translate.translators import Translator, build_translator


def retranslate_record(translator: Translator, record: SegmentRecord) -> SegmentRecord:
    """A fresh machine translation of one segment (the review app's re-translate, relabel,
    split and merge); corrections and review status stay. A missing model leaves a note."""
    if record.status == SOURCE or record.lang == "und":
        return record
    if translator.expected(record.lang, record.source, use_memory=False) is None:
        return replace(record, machine=None, note=translator.missing_hint(record.lang))
    result = translator.translate(record.lang, [record.source], use_memory=False).get(record.source)
    if result is None:
        return record
    return with_machine(replace(record, note="" if record.note.startswith(SYSTEM_NOTES) else record.note), result, now())


class RecordTranslator:
    """``retranslate_record`` over the standard chain without memory: what the review app and
    ``align`` use, through the same cache and engine as a run."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.translator = build_translator(
            settings.cache_file,
            options=decoding_options(settings),
            threads=settings.threads,
            engine=engine,
            models_dir=settings.models_dir,
            overrides=dict(settings.models),
            device=settings.device,
        )

    def __call__(self, record: SegmentRecord) -> SegmentRecord:
        return retranslate_record(self.translator, record)

    def sentences(self, lang: str, sentences: list[str]) -> list[str]:
        """Translate sentences of ``lang`` (align's MT mode); "" where there is no model."""
        results = self.translator.translate(lang, sentences, use_memory=False)
        return [results[s].text if s in results else "" for s in sentences]
