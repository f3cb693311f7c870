"""A reviewer's tools without the UI: drafts, progress, QA checks, glossary, find and replace
with undo, concordance. Real translations files made by the toy model."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from builders.toy import to_toyish
from tests.conftest import ROOT
from workbench.core.settings import Settings
from workbench.review import qa, replace
from workbench.review.overview import SegmentFilter, dashboard, project_progress
from workbench.review.workspace import Workspace
from workbench.store import glossary
from workbench.store.files import SegmentRecord, load
from workbench.store.memory import MemoryEntry, TranslationMemory, shown_diff, word_diff
from workbench.translate.run import translate_corpus


@pytest.fixture
def workspace(tmp_path, toy_model) -> Workspace:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text(
        to_toyish("the workers want bread") + "\n\n" + to_toyish("solidarity with all comrades") + "\n", encoding="utf-8"
    )
    (corpus / "english.txt").write_text("Only English here.\n", encoding="utf-8")
    translate_corpus([corpus / "news.txt"], Settings(translations=tmp_path / "translations"), force_lang="xx")
    translate_corpus([corpus / "english.txt"], Settings(translations=tmp_path / "translations"), force_lang="en")
    return Workspace(corpus, tmp_path / "translations")


def segment(ws: Workspace, doc: str, index: int) -> SegmentRecord:
    return load(ws.path_of(doc)).segments[index]


# -- drafts -------------------------------------------------------------------------------------


def test_a_draft_is_kept_on_disk_without_changing_status_revision_or_rendering(workspace):
    first = segment(workspace, "news", 0)
    rendering = (workspace.translations / "news.en.txt").read_text(encoding="utf-8")
    workspace.save_draft("news", first.id, "The workers want bread")
    again = Workspace(workspace.corpus, workspace.translations)  # a browser reload: nothing in memory
    kept = segment(again, "news", 0)
    assert (kept.draft, kept.status, kept.revision, kept.correction) == ("The workers want bread", first.status, first.revision, "")
    assert (workspace.translations / "news.en.txt").read_text(encoding="utf-8") == rendering
    assert again.drafts() == {"news": 1}
    assert "✎ 1 unsaved" in next(s for s in again.summaries() if s.id == "news").label()
    saved = again.save_correction("news", first.id, "The workers want bread!", first.revision)
    assert (saved.draft, saved.correction, saved.status) == ("", "The workers want bread!", "edited")
    assert again.drafts() == {}


def test_a_draft_equal_to_the_shown_text_is_no_draft_and_a_run_keeps_drafts(workspace):
    first = segment(workspace, "news", 0)
    workspace.save_draft("news", first.id, "draft text")
    workspace.discard_draft("news", first.id)
    assert segment(workspace, "news", 0).draft == ""
    workspace.save_draft("news", first.id, "draft text")
    (workspace.corpus / "news.txt").write_text(
        (workspace.corpus / "news.txt").read_text(encoding="utf-8") + "\n" + to_toyish("the children want peace") + "\n", encoding="utf-8"
    )
    translate_corpus([workspace.corpus / "news.txt"], Settings(translations=workspace.translations), force_lang="xx")
    again = load(workspace.path_of("news"))
    assert [r.draft for r in again.segments if r.draft] == ["draft text"]
    assert len(again.segments) == 3


# -- progress -----------------------------------------------------------------------------------


def test_progress_counts_segments_and_words_by_status_and_says_when_nothing_needs_review(workspace):
    first = segment(workspace, "news", 0)
    workspace.set_status("news", first.id, "approved", first.revision)
    summaries = {s.id: s for s in workspace.summaries()}
    news = summaries["news"]
    assert news.counts == {"approved": 1, "machine": 1}
    assert news.words == {"approved": 4, "machine": 4}
    assert (news.to_review, news.needs_review, news.done) == (2, 1, 1)
    assert news.label() == "news — 1/2 done · 1 to review"
    assert summaries["english"].label() == "english — nothing to translate"
    assert project_progress(list(summaries.values()))["words"] == {"approved": 4, "machine": 4, "source": 3}
    by_status, by_document = dashboard(list(summaries.values()))
    assert [(row["status"], row["segments"], row["words"]) for row in by_status if row["words"]] == [("machine", 1, 4), ("approved", 1, 4)]
    rows = {row["document"]: row for row in by_document}
    assert (rows["news"]["words to translate"], rows["news"]["to review"], rows["news"]["done"]) == (8, 1, 1)
    assert (rows["english"]["segments to translate"], rows["english"]["to review"]) == (0, 0)


def test_a_documents_segments_filtered_by_status_language_flag_and_text():
    from workbench.store.files import MachineTranslation

    def seg(number, lang, status, source, confidence=0.9, flags=(), correction=""):
        machine = MachineTranslation(source.upper(), "m", {}, -1.0, confidence, flags) if status != "source" else None
        return SegmentRecord(f"s{number}", number, number + 1, lang, "sentence", source, machine, correction, status)

    records = [
        seg(0, "en", "source", "An English line"),
        seg(1, "tr", "machine", "Grev başladı", confidence=0.2),
        seg(2, "de", "approved", "Der Streik", correction="The strike"),
        seg(3, "tr", "edited", "İşçiler", flags=("repeated",), correction="Workers"),
        seg(4, "de", "machine", "Die Arbeiter"),
    ]

    def ids(**choices):
        return [r.id for r in SegmentFilter(**choices).apply(records)]

    assert ids() == ["s1", "s3", "s4"]  # what needs review, in document order
    assert ids(needs_review_only=False) == ["s0", "s1", "s2", "s3", "s4"]
    assert ids(needs_review_only=False, english=False) == ["s1", "s2", "s3", "s4"]
    assert ids(needs_review_only=False, statuses=("approved",)) == ["s2"]
    assert ids(languages=("tr",)) == ["s1", "s3"]
    assert ids(flagged_only=True) == ["s1", "s3"]  # low confidence, flagged
    assert ids(needs_review_only=False, text="STREIK") == ["s2"]  # case folded, in source
    assert ids(needs_review_only=False, text="workers") == ["s3"]  # in the correction
    assert ids(text="DIE ARB") == ["s4"]  # in the machine output
    assert ids(attention_first=True) == ["s3", "s1", "s4"]  # flagged, then lowest confidence


# -- QA -----------------------------------------------------------------------------------------


def record(source: str, target: str, lang: str = "tr") -> SegmentRecord:
    return SegmentRecord("s1", 0, len(source), lang, "sentence", source, correction=target, status="edited")


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        pytest.param("1.500 işçi 3 günde", "1,500 workers in 3 days", [], id="same-numbers-other-separators"),
        pytest.param("1500 işçi 3 günde", "1500 workers in 4 days", ["numbers"], id="numbers"),
        pytest.param("٢٠٢٤ عام", "The year 2024", ["end-punctuation"] * 0, id="arabic-digits"),
        pytest.param("Bkz. https://ornek.org/a", "See https://example.org/a", ["urls"], id="urls"),
        pytest.param("Yaz: info@sendika.org", "Write: info@sendika.org", [], id="emails-kept"),
        pytest.param("Grev başladı.", "Grev başladı.", ["untranslated"], id="untranslated"),
        pytest.param("Grev başladı.", "The strike began", ["end-punctuation"], id="end-punctuation"),
        pytest.param("Grev bugün sabah erken saatlerde başladı.", "Strike.", ["length"], id="length"),
        pytest.param("Grev başladı.", "The the strike began.", ["doubled-word"], id="doubled-word"),
        pytest.param("Grev başladı.", "The strike  began.", ["double-space"], id="double-space"),
    ],
)
def test_qa_checks(source, target, expected):
    assert [issue.check for issue in qa.check(record(source, target))] == expected


def test_qa_warns_when_a_correction_drops_the_words_a_link_was_on():
    from dataclasses import replace

    from workbench.store.files import MachineTranslation

    machine = MachineTranslation("Read the statement here.", "m", {}, -1.0, 0.9, inline=("statement",))
    kept = replace(record("Bildiriyi buradan okuyun.", "Read the Statement here."), machine=machine)
    assert [issue.check for issue in qa.check(kept)] == []  # case does not matter
    dropped = replace(kept, correction="Read it here.")
    assert [(issue.check, "“statement”" in issue.message) for issue in qa.check(dropped)] == [("markup", True)]


def test_qa_report_and_the_command_line(workspace):
    first = segment(workspace, "news", 0)
    workspace.save_correction("news", first.id, "The workers want bread 2024", first.revision)
    findings = qa.report(workspace)
    assert [(f.document_id, f.issue.check) for f in findings] == [("news", "numbers")]
    run = [sys.executable, "-m", "workbench.cli", "qa", "--translations", str(workspace.translations)]
    result = subprocess.run([*run, "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0
    assert [json.loads(line)["check"] for line in result.stdout.splitlines()] == ["numbers"]
    strict = subprocess.run([*run, "--strict"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert strict.returncode == 1 and "numbers differ: added 2024" in strict.stdout


# -- glossary -----------------------------------------------------------------------------------


def test_glossary_from_csv_and_tbx_finds_terms_and_qa_checks_them(workspace, tmp_path):
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text("term,english,note\ngeneral strike,general strike,\nGrev,strike,always\n", encoding="utf-8")
    tbx = tmp_path / "terms.tbx"
    tbx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><martif type="TBX" xml:lang="en"><text><body>'
        '<termEntry id="1"><langSet xml:lang="en"><tig><term>worker</term></tig></langSet>'
        '<langSet xml:lang="tr"><tig><term>işçi</term></tig></langSet></termEntry>'
        "</body></text></martif>",
        encoding="utf-8",
    )
    run = [sys.executable, "-m", "workbench.cli", "glossary"]
    imported = subprocess.run(
        [*run, "import", str(csv_file), str(tbx), "--lang", "tr", "--translations", str(workspace.translations)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.endswith("3 terms added, 3 terms in all\n")
    listed = subprocess.run([*run, "list", "--translations", str(workspace.translations)], capture_output=True, text=True, cwd=ROOT)
    assert listed.stdout.splitlines() == ["tr\tgeneral strike\tgeneral strike\t", "tr\tGrev\tstrike\talways", "tr\tişçi\tworker\t"]
    terms = glossary.load(workspace.translations)
    assert [(m.term.english, m.start) for m in terms.find("Bugün grev, yarın İşçi", "tr")] == [("strike", 6), ("worker", 18)]
    issues = qa.check(record("Grev ve işçi.", "The walkout and the workers."), terms)
    assert [i.message for i in issues if i.check == "glossary"] == ["“Grev” should be “strike” (glossary)"]


def test_a_glossary_csv_without_a_language_is_refused_naming_the_line(tmp_path):
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text("grev,strike\n", encoding="utf-8")
    with pytest.raises(glossary.GlossaryError, match=r"terms\.csv: line 1: no language; give one with --lang"):
        glossary.read_file(csv_file)


# -- find and replace ---------------------------------------------------------------------------


def test_find_and_replace_previews_applies_and_undoes_in_one_step(workspace):
    before = {r.id: (r.correction, r.status, r.revision) for r in load(workspace.path_of("news")).segments}
    changes = replace.preview(workspace, "WANT", "need")
    assert [(c.before, c.after) for c in changes] == [("the workers want bread", "the workers need bread")]
    assert load(workspace.path_of("news")).segments[0].correction == ""  # a preview writes nothing
    batch, skipped = replace.apply(workspace, changes)
    assert skipped == []
    changed = segment(workspace, "news", 0)
    assert (changed.correction, changed.status, changed.history[-1].action) == ("the workers need bread", "edited", batch)
    assert (workspace.translations / "news.en.txt").read_text(encoding="utf-8").startswith("the workers need bread")
    assert replace.last_batch(workspace) == batch
    assert replace.undo(workspace, batch) == (1, [])
    after = {r.id: (r.correction, r.status) for r in load(workspace.path_of("news")).segments}
    assert after == {key: value[:2] for key, value in before.items()}
    assert replace.last_batch(workspace) is None
    assert (workspace.translations / "news.en.txt").read_text(encoding="utf-8").startswith("the workers want bread")


def test_replace_leaves_a_segment_changed_since_the_preview(workspace):
    changes = replace.preview(workspace, r"(\w+) bread", r"\1 roses", regex=True)
    assert [c.after for c in changes] == ["the workers want roses"]
    first = segment(workspace, "news", 0)
    workspace.save_correction("news", first.id, "Bread for the workers", first.revision)
    _, skipped = replace.apply(workspace, changes)
    assert skipped == [f"news#{first.id}: changed since the preview; left as it is"]
    assert segment(workspace, "news", 0).correction == "Bread for the workers"
    with pytest.raises(replace.ReplaceError, match="not a regular expression"):
        replace.preview(workspace, "(", "x", regex=True)
    assert [r.id for _, r in replace.find(workspace, to_toyish("bread"), field="source")] == [first.id]


# -- memory -------------------------------------------------------------------------------------


def test_concordance_and_word_diff():
    memory = TranslationMemory(
        [
            MemoryEntry("tr", "Genel grev ilan edildi", "A general strike was called", "approved", "a", "s1"),
            MemoryEntry("tr", "Grev sürüyor", "The strike goes on", "edited", "b", "s2"),
            MemoryEntry("ar", "إضراب عام", "General strike", "approved", "c", "s3"),
        ]
    )
    assert [e.target for e in memory.concordance("GREV")] == ["A general strike was called", "The strike goes on"]
    # Approved first, then the shortest: the closest to a term.
    assert [e.source for e in memory.concordance("general strike", field="target")] == ["إضراب عام", "Genel grev ilan edildi"]
    assert [e.source for e in memory.concordance("strike", field="target", lang="ar")] == ["إضراب عام"]
    assert word_diff("Grev bugün sürüyor", "Grev yarın da sürüyor") == [("=", "Grev"), ("-", "bugün"), ("+", "yarın da"), ("=", "sürüyor")]
    assert shown_diff("Grev bugün sürüyor", "Grev yarın sürüyor") == "Grev [-bugün-] {+yarın+} sürüyor"


def test_chips_number_spans_then_images_and_escape_every_piece_of_text():
    from workbench.review.chips import marked

    text = "<b>x</b> link & pic"
    html = marked(text, [(9, 13)], [(9, "image"), (19, "footnote")])
    assert html == (
        "&lt;b&gt;x&lt;/b&gt; "
        '<span class="wb-chip wb-standalone" title="image 2"><sup>2</sup>image</span>'  # before the span starting there
        '<span class="wb-chip" title="formatting 1"><sup>1</sup>link</span> &amp; pic'
        '<span class="wb-chip wb-standalone" title="note 3"><sup>3</sup>note</span>'
    )
