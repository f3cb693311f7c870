from __future__ import annotations

from builders.toy import to_toyish
from workbench.core.settings import Settings
from workbench.review.workspace import Workspace
from workbench.store.files import load
from workbench.store.memory import MemoryEntry, TranslationMemory
from workbench.translate.run import translate_corpus


def test_reviewed_corrections_are_reused_in_later_runs(tmp_path, toy_model):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shared = to_toyish("solidarity with all comrades")
    (corpus / "first.txt").write_text(shared + "\n", encoding="utf-8")
    out = tmp_path / "translations"
    translate_corpus([corpus / "first.txt"], Settings(translations=out), force_lang="xx")
    ws = Workspace(corpus, out)
    record = ws.open("first").translation.segments[0]
    ws.save_correction("first", record.id, "Solidarity with all our comrades!", 0)
    ws.set_status("first", record.id, "approved", 1)

    (corpus / "second.txt").write_text(
        to_toyish("the workers want bread") + "\n\n" + "  " + shared.replace(" ", "  ") + "\n", encoding="utf-8"
    )
    summary = translate_corpus([corpus / "second.txt"], Settings(translations=out), force_lang="xx")
    assert summary.from_memory == 1
    reused = load(out / "second.json").segments[1]
    assert reused.machine.text == "Solidarity with all our comrades!"
    assert (reused.machine.origin, reused.machine.model) == ("memory", f"memory:first#{record.id}")
    assert reused.status == "machine"  # a reviewer still confirms it here
    assert load(out / "second.json").segments[0].machine.origin == "engine"
    # The first document's own correction is not fed back to itself.
    again = translate_corpus([corpus / "first.txt"], Settings(translations=out), force_lang="xx")
    assert again.from_memory == 0


def test_memory_prefers_approved_and_finds_fuzzy_matches():
    entries = [
        MemoryEntry("tr", "Dünya devriminin yeni havzası", "New basin of world revolution", "edited", "a", "s1"),
        MemoryEntry("tr", "Dünya devriminin yeni havzası", "The new basin of the world revolution", "approved", "b", "s2"),
        MemoryEntry("ar", "لا بديل عن إسقاط الأسد", "No alternative to overthrowing Assad", "reviewed", "c", "s3"),
    ]
    memory = TranslationMemory(entries)
    assert memory.exact("tr", " Dünya  devriminin yeni havzası").target == "The new basin of the world revolution"
    fuzzy = memory.fuzzy("tr", "Dünya devriminin yeni havzası!")
    assert [m.entry.document_id for m in fuzzy] == ["b"] and fuzzy[0].similarity >= 0.85
    assert memory.fuzzy("tr", "Akdeniz") == []
    assert memory.fuzzy("ar", "لا بديل عن إسقاط الاسد")[0].entry.target == "No alternative to overthrowing Assad"
    assert memory.exact("hy", "Dünya devriminin yeni havzası") is None
