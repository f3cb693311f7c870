"""The review app through Streamlit's AppTest: real script, real files, no browser."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from builders.toy import to_toyish
from tests.conftest import ROOT
from workbench.core.settings import Settings
from workbench.store.files import load
from workbench.translate.run import translate_corpus

APP = str(ROOT / "workbench" / "review" / "app.py")


def shown(element) -> str:
    """What a reader sees of a Markdown element: the app escapes every markup character."""
    return re.sub(r"\\(.)", r"\1", element.value)


@pytest.fixture
def workspace(tmp_path, toy_model, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text(
        to_toyish("the workers want bread") + "\n\n" + to_toyish("solidarity with all comrades") + "\n", encoding="utf-8"
    )
    (corpus / "other.txt").write_text("لا بديل عن إسقاط الأسد\n\nScript: <script>alert('x')</script> **bold**\n", encoding="utf-8")
    translations = tmp_path / "translations"
    translate_corpus([corpus / "news.txt"], Settings(translations=translations), force_lang="xx")
    # Its own empty models folder: no ar model, whatever other tests of the session installed.
    translate_corpus([corpus / "other.txt"], Settings(translations=translations, models_dir=tmp_path / "no-models"))
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
    assert any("Correction saved" in shown(s) for s in at.success)
    assert at.text_area(key=f"correction-news-{record.id}").value == "The workers want bread!"
    # Saved again unchanged: no conflict with itself.
    at.button(key=f"save-{record.id}").click()
    at.run()
    assert not at.error


def test_set_status(workspace):
    at = open_app("news")
    record = load(workspace / "news.json").segments[1]
    at.button(key=f"more-{record.id}").click()  # the status is among the segment's other tools
    at.run()
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
    assert any("changed elsewhere" in shown(e) and "From the first tab." in shown(e) for e in second.error)
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
    warnings = [shown(w) for w in at.warning]
    # Said once for the document, not on every segment.
    assert len([w for w in warnings if "no model for ar→en" in w and "workbench models install ar" in w]) == 1
    assert [t.value for t in at.text if "Script:" in t.value] == []  # needs review first: English waits
    at.radio(key="seg-show").set_value("all").run()
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
    assert any("will not be overwritten" in shown(e) and "not valid JSON" in shown(e) for e in at.error)
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
    translate_corpus([workspace.parent / "corpus" / "later.txt"], Settings(translations=workspace), force_lang="xx")
    at = open_app("later")
    record = load(workspace / "later.json").segments[0]
    assert "The workers want bread!" in [t.value for t in at.text]
    assert any("memory" in c.value and "approved" in c.value for c in at.caption)
    at.button(key=f"use-{record.id}-0").click()
    at.run()
    assert at.text_area(key=f"correction-later-{record.id}").value == "The workers want bread!"


def test_a_draft_survives_a_document_switch_and_a_reload(workspace):
    at = open_app("news")
    record = load(workspace / "news.json").segments[0]
    key = f"correction-news-{record.id}"
    at.text_area(key=key).input("The workers want bread, unsaved")
    at.run()
    assert load(workspace / "news.json").segments[0].draft == "The workers want bread, unsaved"
    at.sidebar.radio(key="doc-radio").set_value("other").run()
    at.sidebar.radio(key="doc-radio").set_value("news").run()
    assert at.text_area(key=key).value == "The workers want bread, unsaved"
    assert any("1 unsaved draft in 1 document" in shown(w) for w in at.sidebar.warning)
    reloaded = open_app("news")  # a new browser session: only the disk remembers
    assert reloaded.text_area(key=key).value == "The workers want bread, unsaved"
    reloaded.button(key=f"save-{record.id}").click().run()
    saved = load(workspace / "news.json").segments[0]
    assert (saved.correction, saved.draft) == ("The workers want bread, unsaved", "")


def test_document_text_and_names_are_never_markup(workspace):
    corpus = workspace.parent / "corpus"
    (corpus / "**bold** ![x](http:__127.0.0.1_9_s.png).txt").write_text(
        to_toyish("the workers want bread") + " ![](http://127.0.0.1:9/s.png) **loud**\n", encoding="utf-8"
    )
    translate_corpus([corpus], Settings(translations=workspace), force_lang="xx")
    at = open_app()
    at.sidebar.text_input(key="search").input("s.png").run()
    labels = [b.label for b in at.sidebar.button if b.key and b.key.startswith("hit-")]
    assert labels and all("\\!\\[\\]\\(http" in label for label in labels)  # escaped: shown as characters
    doc = next(option for option in at.sidebar.radio(key="doc-radio").options if "bold" in option)
    assert doc.startswith("\\*\\*bold\\*\\*")


def test_needs_review_qa_badges_and_glossary_terms(workspace):
    from workbench.store import glossary

    glossary.save(workspace, glossary.Glossary([glossary.Term("xx", to_toyish("bread"), "bread")]))
    at = open_app("news")
    record = load(workspace / "news.json").segments[0]
    captions = [shown(c) for c in at.caption]
    assert any(c == f"Glossary: {to_toyish('bread')} → bread" for c in captions)
    at.text_area(key=f"correction-news-{record.id}").input("The workers want 2 loaves").run()
    captions = [shown(c) for c in at.caption]
    assert any(c.startswith("QA error · numbers: numbers differ: added 2") for c in captions)
    assert any("glossary" in c for c in captions)


def test_find_and_replace_with_preview_and_undo_in_the_app(workspace):
    at = open_app("news")
    at.sidebar.text_input(key="fr-find").input("want").run()
    at.sidebar.text_input(key="fr-replace").input("need").run()
    assert any("1 translations would change" in shown(c) for c in at.sidebar.caption)
    at.sidebar.button(key="fr-apply").click().run()
    assert not at.exception
    assert load(workspace / "news.json").segments[0].correction == "the workers need bread"
    at.sidebar.button(key="fr-undo").click().run()
    assert load(workspace / "news.json").segments[0].correction == ""
    assert (workspace / "news.en.txt").read_text(encoding="utf-8").startswith("the workers want bread")


def test_the_project_dashboard_shows_words_by_status(workspace):
    at = open_app("news")
    at.toggle(key="dashboard").set_value(True)
    at.run()
    assert not at.exception
    assert at.header[0].value == "Project"
    tables = [frame.value for frame in at.dataframe]
    by_status = tables[0].set_index("status")
    assert by_status.loc["machine", "segments"] == sum(r.status == "machine" for r in load(workspace / "news.json").segments)
    assert "news" in set(tables[1]["document"])


def test_a_document_filtered_by_text_shows_only_matching_segments(workspace):
    at = open_app("news")
    records = load(workspace / "news.json").segments
    at.text_input(key="seg-text").input(records[1].source.split()[0]).run()
    assert not at.exception
    shown = [a.key for a in at.text_area if a.key and a.key.startswith("correction-")]
    assert shown == [f"correction-news-{records[1].id}"]
    at.text_input(key="seg-text").input("no such words anywhere").run()
    assert any("No segment matches the filters" in info.value for info in at.info)


def test_links_bold_and_images_show_as_chips_and_the_text_stays_escaped(workspace):
    corpus = workspace.parent / "corpus"
    (corpus / "page.html").write_text(
        f'<html><body><p>{to_toyish("the workers")} <img src="m.png"> <b>{to_toyish("want")}</b> '
        f'<a href="https://example.org">{to_toyish("bread")}</a> &lt;i&gt;</p></body></html>',
        encoding="utf-8",
    )
    translate_corpus([corpus / "page.html"], Settings(translations=workspace), force_lang="xx")
    at = open_app("page.html")
    source, english, kept = [element.proto.body for element in at.get("html")]
    chip = '<span class="wb-chip" title="formatting {0}"><sup>{0}</sup>{1}</span>'
    image = '<span class="wb-chip wb-standalone" title="image 3"><sup>3</sup>image</span>'
    # The source: numbered as XLIFF numbers <g> and <x/>; its own "<i>" is text, escaped.
    assert source == (
        f'<div class="wb-chips" dir="ltr">{to_toyish("the workers")} {image}{chip.format(1, to_toyish("want"))} '
        f"{chip.format(2, to_toyish('bread'))} &lt;i&gt;</div>"
    )
    assert chip.format(1, "want") in english and chip.format(2, "bread") in english and image in english
    assert kept.count("wb-kept") == 2
    record = next(r for r in load(workspace / "page.html.json").segments if r.machine is not None)
    at.text_area(key=f"correction-page.html-{record.id}").input("the workers need bread").run()
    kept = at.get("html")[-1].proto.body
    assert 'title="formatting 1: missing"' in kept and 'title="formatting 2: kept"' in kept
