"""The review app through Streamlit's AppTest: real script, real files, no browser."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from builders.toy import to_toyish
from tests.conftest import ROOT
from workbench.store.files import load
from workbench.translate.run import TranslateSettings, translate_corpus

APP = str(ROOT / "workbench" / "review" / "app.py")


@pytest.fixture
def workspace(tmp_path, toy_model, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text(
        to_toyish("the workers want bread") + "\n\n" + to_toyish("solidarity with all comrades") + "\n", encoding="utf-8"
    )
    (corpus / "other.txt").write_text("لا بديل عن إسقاط الأسد\n\nScript: <script>alert('x')</script> **bold**\n", encoding="utf-8")
    translations = tmp_path / "translations"
    translate_corpus([corpus / "news.txt"], TranslateSettings(out_dir=translations, force_lang="xx"))
    # Its own empty models folder: no ar model, whatever other tests of the session installed.
    translate_corpus([corpus / "other.txt"], TranslateSettings(out_dir=translations, models_dir=tmp_path / "no-models"))
    monkeypatch.setenv("WORKBENCH_CORPUS", str(corpus))
    monkeypatch.setenv("WORKBENCH_TRANSLATIONS", str(translations))
    st.cache_resource.clear()
    yield translations
    st.cache_resource.clear()


def open_app(doc: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    if doc is not None:
        at.sidebar.radio(key="doc-radio").set_value(doc)
        at.run()
        assert not at.exception
    return at


def test_edit_a_correction_and_save(workspace):
    at = open_app("news")
    record = load(workspace / "news.json").segments[0]
    area = at.text_area(key=f"correction-news-{record.id}")
    assert area.value == "the workers want bread"
    area.input("The workers want bread!")
    at.button(key=f"save-{record.id}").click()
    at.run()
    assert not at.exception
    saved = load(workspace / "news.json").segments[0]
    assert (saved.correction, saved.status, saved.revision) == ("The workers want bread!", "edited", 1)
    assert (workspace / "news.en.txt").read_text(encoding="utf-8").startswith("The workers want bread!\n")
    assert any("Correction saved" in s.value for s in at.success)
    assert at.text_area(key=f"correction-news-{record.id}").value == "The workers want bread!"
    # Saved again unchanged: no conflict with itself.
    at.button(key=f"save-{record.id}").click()
    at.run()
    assert not at.error


def test_set_status(workspace):
    at = open_app("news")
    record = load(workspace / "news.json").segments[1]
    at.selectbox(key=f"status-{record.id}").set_value("approved")
    at.button(key=f"set-{record.id}").click()
    at.run()
    assert not at.exception
    assert load(workspace / "news.json").segments[1].status == "approved"


def test_a_stale_tab_gets_a_conflict_not_an_overwrite(workspace):
    first, second = open_app("news"), open_app("news")
    record = load(workspace / "news.json").segments[0]
    key = f"correction-news-{record.id}"
    first.text_area(key=key).input("From the first tab.")
    first.button(key=f"save-{record.id}").click()
    first.run()
    second.text_area(key=key).input("From the second tab.")
    second.button(key=f"save-{record.id}").click()
    second.run()
    assert not second.exception
    assert any("changed elsewhere" in e.value and "From the first tab." in e.value for e in second.error)
    assert load(workspace / "news.json").segments[0].correction == "From the first tab."
    # The second tab keeps its text (nothing lost) until the reviewer loads the latest version.
    assert second.text_area(key=key).value == "From the second tab."
    second.button(key=f"reset-{record.id}").click()
    second.run()
    assert second.text_area(key=key).value == "From the first tab."
    # A tab that has not touched a segment follows the file.
    other = load(workspace / "news.json").segments[1]
    first.run()
    assert first.text_area(key=f"correction-news-{other.id}").value == "solidarity with all comrades"


def test_missing_model_rtl_and_inert_html(workspace):
    at = open_app("other")
    warnings = [w.value for w in at.warning]
    assert any("no model for ar→en" in w and "workbench models install ar" in w for w in warnings)
    # Arabic segments sit in right-to-left containers; document text is plain text, not HTML.
    texts = [t.value for t in at.text]
    assert "لا بديل عن إسقاط الأسد" in texts
    assert any(t.startswith("Script: <script>alert('x')</script> **bold") for t in texts)
    assert all("<script>" not in m.value for m in at.markdown)


def test_unreadable_file_is_a_message_not_a_traceback(workspace):
    (workspace / "news.json").write_text("{ broken", encoding="utf-8")
    at = open_app()
    at.sidebar.radio(key="doc-radio").set_value("news")
    at.run()
    assert not at.exception
    assert any("will not be overwritten" in e.value and "not valid JSON" in e.value for e in at.error)
    assert (workspace / "news.json").read_text(encoding="utf-8") == "{ broken"


def test_english_rendering_tab(workspace):
    at = open_app("news")
    rendering = at.text_area(key="rendering-news").value
    assert rendering == "the workers want bread\n\nsolidarity with all comrades\n"


def test_memory_matches_are_offered_and_used(workspace):
    from workbench.review.workspace import Workspace

    ws = Workspace(workspace.parent / "corpus", workspace)
    first = load(workspace / "news.json").segments[0]
    ws.save_correction("news", first.id, "The workers want bread!", 0)
    ws.set_status("news", first.id, "approved", 1)
    # A near-identical sentence elsewhere is offered the approved translation.
    (workspace.parent / "corpus" / "later.txt").write_text(to_toyish("the workers want bread") + "!\n", encoding="utf-8")
    translate_corpus([workspace.parent / "corpus" / "later.txt"], TranslateSettings(out_dir=workspace, force_lang="xx"))
    at = open_app("later")
    record = load(workspace / "later.json").segments[0]
    assert "The workers want bread!" in [t.value for t in at.text]
    assert any("memory" in c.value and "approved" in c.value for c in at.caption)
    at.button(key=f"use-{record.id}-0").click()
    at.run()
    assert at.text_area(key=f"correction-later-{record.id}").value == "The workers want bread!"
