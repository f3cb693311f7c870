from __future__ import annotations

import json

import pytest

from builders.toy import to_toyish
from workbench.core.settings import Settings
from workbench.review.workspace import ConflictError, ReviewError, Workspace
from workbench.store.files import StoreError, load
from workbench.store.workflow import TransitionError
from workbench.translate.record import RecordTranslator
from workbench.translate.run import translate_corpus

LINES = ["the workers want bread", "solidarity with all comrades", "our children need a new school"]


@pytest.fixture
def workspace(tmp_path, toy_model):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Toyish newsletter\n\n" + "\n\n".join(to_toyish(line) for line in LINES) + "\n"
    (corpus / "news.txt").write_text(text, encoding="utf-8")
    translations = tmp_path / "translations"
    translate_corpus([corpus], Settings(translations=translations), force_lang="xx")
    # The heading is English: relabel it, as a reviewer would.
    ws = Workspace(corpus, translations)
    heading = ws.open("news").translation.segments[0]
    ws.relabel("news", heading.id, "en", heading.revision)
    return ws


def segments(ws):
    return ws.open("news").translation.segments


def test_summary_counts_statuses(workspace):
    (summary,) = workspace.summaries()
    assert summary.id == "news"
    assert summary.counts == {"source": 1, "machine": 3}
    assert summary.languages == ("xx",)
    assert summary.to_review == 3 and summary.done == 0


def test_save_correction_writes_file_history_and_rendering(workspace):
    record = segments(workspace)[1]
    assert record.machine.text == "the workers want bread"
    updated = workspace.save_correction("news", record.id, "The workers want bread!", record.revision)
    assert (updated.status, updated.revision) == ("edited", record.revision + 1)
    on_disk = load(workspace.translations / "news.json").segments[1]
    assert on_disk.correction == "The workers want bread!"
    assert on_disk.history[-1].action == "edit"
    assert on_disk.history[-1].previous_status == "machine"
    rendering = (workspace.translations / "news.en.txt").read_text(encoding="utf-8")
    assert rendering == "Toyish newsletter\n\nThe workers want bread!\n\nsolidarity with all comrades\n\nour children need a new school\n"


def test_status_moves_through_the_workflow(workspace):
    record = segments(workspace)[2]
    record = workspace.set_status("news", record.id, "reviewed", record.revision)
    record = workspace.set_status("news", record.id, "approved", record.revision)
    assert record.status == "approved"
    with pytest.raises(TransitionError, match="no correction"):
        workspace.set_status("news", record.id, "edited", record.revision)
    english = segments(workspace)[0]
    with pytest.raises(TransitionError, match="English"):
        workspace.set_status("news", english.id, "approved", english.revision)
    assert [h.action for h in segments(workspace)[2].history] == ["status", "status"]


def test_two_tabs_editing_different_segments_both_land(workspace):
    first_tab = segments(workspace)
    second_tab = segments(workspace)
    workspace.save_correction("news", first_tab[1].id, "Tab one.", first_tab[1].revision)
    workspace.save_correction("news", second_tab[2].id, "Tab two.", second_tab[2].revision)
    records = segments(workspace)
    assert [records[1].correction, records[2].correction] == ["Tab one.", "Tab two."]


def test_two_tabs_editing_the_same_segment_conflict_instead_of_overwriting(workspace):
    first_tab = segments(workspace)[1]
    second_tab = segments(workspace)[1]
    workspace.save_correction("news", first_tab.id, "Tab one wins.", first_tab.revision)
    with pytest.raises(ConflictError, match="changed elsewhere") as conflict:
        workspace.save_correction("news", second_tab.id, "Tab two.", second_tab.revision)
    assert conflict.value.current.correction == "Tab one wins."
    assert segments(workspace)[1].correction == "Tab one wins."
    # The same text from both tabs is no conflict.
    assert workspace.save_correction("news", second_tab.id, "Tab one wins.", second_tab.revision).correction == "Tab one wins."


def test_relabel_and_retranslate(workspace):
    translator = RecordTranslator(Settings(translations=workspace.translations))
    record = segments(workspace)[1]
    relabelled = workspace.relabel("news", record.id, "hy", record.revision, translator)
    assert relabelled.lang == "hy" and relabelled.machine is None
    assert "no model for hy→en" in relabelled.note
    back = workspace.relabel("news", record.id, "xx", relabelled.revision, translator)
    assert (back.status, back.machine.text) == ("machine", "the workers want bread")
    again = workspace.retranslate("news", record.id, translator)
    assert again.machine == back.machine


def test_split_and_merge(workspace):
    translator = RecordTranslator(Settings(translations=workspace.translations))
    record = segments(workspace)[1]
    at = record.source.index(" volas")  # "zo kema | volas panu"
    left, right = workspace.split("news", record.id, at, record.revision, translator)
    assert (left.source, right.source) == (to_toyish("the workers"), to_toyish("want bread"))
    assert (left.machine.text, right.machine.text) == ("the workers", "want bread")
    text = workspace.open("news").text
    assert text[left.start : left.end] == left.source and text[right.start : right.end] == right.source
    merged = workspace.merge("news", left.id, left.revision, right.revision, translator)
    assert merged.source == record.source and merged.machine.text == "the workers want bread"
    assert len(segments(workspace)) == 4
    with pytest.raises(ReviewError, match="different lines"):
        workspace.merge("news", merged.id, merged.revision, None, translator)


def test_document_ids_cannot_escape(workspace, tmp_path):
    (tmp_path / "secret.json").write_text("{}", encoding="utf-8")
    for bad in ("../secret", "/etc/passwd", "../../etc/passwd", "news/../../secret", "nope"):
        with pytest.raises(ReviewError):
            workspace.open(bad)


def test_broken_file_is_reported_and_not_overwritten(workspace):
    path = workspace.translations / "news.json"
    broken = path.read_text(encoding="utf-8")[:-20]
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoreError, match=r"news\.json: not valid JSON at line"):
        workspace.open("news")
    (summary,) = workspace.summaries()
    assert "not valid JSON" in summary.error
    with pytest.raises(StoreError):
        workspace.save_correction("news", "s0", "x", 0)
    assert path.read_text(encoding="utf-8") == broken


def test_search_across_sources_and_translations(workspace):
    record = segments(workspace)[1]
    workspace.save_correction("news", record.id, "The WORKERS want bread!", record.revision)
    hits = workspace.search("workers")
    assert [(h.document_id, h.segment_id, h.field) for h in hits] == [("news", record.id, "machine")]
    assert [h.field for h in workspace.search(to_toyish("solidarity"))] == ["source"]
    assert workspace.search("   ") == []


def test_hand_edited_file_keeps_working(workspace):
    path = workspace.translations / "news.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["segments"][3]["correction"] = "Typed in an editor."
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # not indented
    record = segments(workspace)[3]
    assert record.correction == "Typed in an editor."
    workspace.set_status("news", record.id, "approved", record.revision)
    assert json.loads(path.read_text(encoding="utf-8"))["segments"][3]["status"] == "approved"
