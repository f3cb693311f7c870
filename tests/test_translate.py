from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders.toy import to_toyish
from workbench import __version__
from workbench.core.settings import Settings
from workbench.formats.rendering import render_english
from workbench.store.files import load, loads
from workbench.translate.run import translate_corpus

TOY_DOC = ("{a}\n\n    {b}. {c}.\n\n{d}\n").format(
    a=to_toyish("solidarity with all comrades"),
    b=to_toyish("the workers want bread"),
    c=to_toyish("they will not win the war"),
    d=to_toyish("our children need a new school"),
)
TOY_ENGLISH = "solidarity with all comrades\n\n    the workers want bread. they will not win the war.\n\nour children need a new school\n"


def run(corpus: Path, out: Path, force_lang: str | None = None, **settings):
    return translate_corpus([corpus], Settings(translations=out, **settings), force_lang=force_lang)


@pytest.fixture
def toy_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "toy.txt").write_text(TOY_DOC, encoding="utf-8")
    return corpus


def test_toy_document_is_translated_with_layout_kept(tmp_path, toy_corpus, toy_model):
    out = tmp_path / "translations"
    summary = run(toy_corpus, out, force_lang="xx")
    assert summary.errors == [] and summary.written == 1
    assert (out / "toy.en.txt").read_text(encoding="utf-8") == TOY_ENGLISH
    translation = load(out / "toy.json")
    assert [r.machine.text for r in translation.segments] == [
        "solidarity with all comrades",
        "the workers want bread. they will not win the war.",
        "our children need a new school",
    ]
    first = translation.segments[0]
    assert (first.lang, first.status, first.correction, first.history) == ("xx", "machine", "", ())
    assert first.machine.model == toy_model.model_id == "argos:xx-en@1.0"
    assert first.machine.options == {"beam": 4, "length_penalty": 0.2, "max_decoding_length": 256, "length_factor": 3}
    assert first.machine.flags == ()
    text = TOY_DOC
    assert all(text[r.start : r.end] == r.source for r in translation.segments)


def test_files_are_stable_and_human_readable(tmp_path, toy_corpus, toy_model):
    out = tmp_path / "translations"
    run(toy_corpus, out, force_lang="xx")
    raw = (out / "toy.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert list(data) == ["format", "document", "updated", "segments", "orphans", "splitter"]
    assert data["splitter"] == f"workbench-splitter:{__version__}|forced:xx"  # which splitter made the segments
    assert list(data["segments"][0]) == [
        "id",
        "start",
        "end",
        "lang",
        "kind",
        "status",
        "source",
        "machine",
        "correction",
        "note",
        "revision",
        "history",
    ]
    assert raw.startswith('{\n  "format": "translation-workbench/1"')
    from workbench.store.files import dumps

    assert dumps(loads(raw)) == raw  # round trip, byte for byte


def test_rerun_uses_the_cache_and_leaves_files_alone(tmp_path, toy_corpus, toy_model):
    out = tmp_path / "translations"
    first = run(toy_corpus, out, force_lang="xx")
    assert first.from_engine == 4 and first.from_cache == 0
    before = (out / "toy.json").read_bytes()
    (out / "toy.json").unlink()  # lose the output, keep the cache
    second = run(toy_corpus, out, force_lang="xx")
    assert (second.from_engine, second.from_cache) == (0, 4)
    assert json.loads((out / "toy.json").read_bytes())["segments"] == json.loads(before)["segments"]
    before = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.glob("toy.*")}
    third = run(toy_corpus, out, force_lang="xx")
    assert third.sentences == 0  # everything already translated with this model and options
    after = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.glob("toy.*")}
    assert after == before  # not rewritten: same bytes, same modification time


def test_greedy_is_a_different_cache_entry(tmp_path, toy_corpus, toy_model):
    out = tmp_path / "translations"
    run(toy_corpus, out, force_lang="xx")
    greedy = run(toy_corpus, out, force_lang="xx", beam=1)
    assert greedy.from_engine == 4
    assert load(out / "toy.json").segments[0].machine.options["beam"] == 1


def edit(path: Path, index: int, correction: str, status: str = "edited") -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["segments"][index]["correction"] = correction
    data["segments"][index]["status"] = status
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_rerun_never_overwrites_corrections(tmp_path, toy_corpus, toy_model):
    out = tmp_path / "translations"
    run(toy_corpus, out, force_lang="xx")
    edit(out / "toy.json", 0, "Solidarity with all comrades!", "approved")
    run(toy_corpus, out, force_lang="xx", beam=1)
    record = load(out / "toy.json").segments[0]
    assert (record.correction, record.status) == ("Solidarity with all comrades!", "approved")
    assert (out / "toy.en.txt").read_text(encoding="utf-8").startswith("Solidarity with all comrades!\n")


def test_changed_source_carries_corrections_and_reports_the_rest(tmp_path, toy_corpus, toy_model):
    out = tmp_path / "translations"
    run(toy_corpus, out, force_lang="xx")
    edit(out / "toy.json", 0, "Solidarity with all comrades!")
    edit(out / "toy.json", 2, "Our children need a new school.")
    changed = TOY_DOC.replace(to_toyish("our children need a new school"), to_toyish("our women need bread"))
    (toy_corpus / "toy.txt").write_text("New heading line\n" + changed, encoding="utf-8")
    summary = run(toy_corpus, out, force_lang="xx")
    translation = load(out / "toy.json")
    kept = [r for r in translation.segments if r.correction]
    assert [(r.source, r.correction) for r in kept] == [(to_toyish("solidarity with all comrades"), "Solidarity with all comrades!")]
    assert kept[0].start == len("New heading line\n")  # new offsets
    assert [o.correction for o in translation.orphans] == ["Our children need a new school."]
    assert "source changed" in translation.orphans[0].note
    assert len(summary.invalidated) == 1 and translation.orphans[0].id in summary.invalidated[0]
    assert translation.segments[-1].machine.text == "our women need bread"


def test_broken_translation_file_is_reported_and_left_untouched(tmp_path, toy_corpus, toy_model):
    out = tmp_path / "translations"
    out.mkdir()
    (out / "toy.json").write_text('{"format": "translation-workbench/1", "segments": [', encoding="utf-8")
    summary = run(toy_corpus, out, force_lang="xx")
    assert summary.written == 0
    assert len(summary.errors) == 1 and "toy.json" in summary.errors[0] and "line 1" in summary.errors[0]
    assert (out / "toy.json").read_text(encoding="utf-8") == '{"format": "translation-workbench/1", "segments": ['


def test_mixed_document_routes_segments_and_reports_missing_pairs(tmp_path, random_models):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (
        "Solidarity with the struggling peoples\n\n"
        "لا بديل عن إسقاط الأسد\n\n"
        "Μεσόγειος: Νέα λεκάνη της παγκόσμιας επανάστασης!\n\n"
        "Միջերկրական ծով: նոր ավազանում համաշխարհային հեղափոխության.\n\n"
        "Akdeniz: Dünya devriminin yeni havzası!\n"
    )
    (corpus / "mixed.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "translations"
    summary = run(corpus, out)
    records = load(out / "mixed.json").segments
    assert [r.lang for r in records] == ["en", "ar", "el", "hy", "tr"]
    assert records[0].status == "source" and records[0].machine is None
    assert [r.machine.model for r in records[1:3]] == [random_models["ar"].model_id, random_models["el"].model_id]
    assert records[4].machine.model == random_models["tr"].model_id
    armenian = records[3]
    assert (armenian.status, armenian.machine) == ("untranslated", None)
    # The Argos index has no Armenian: the hint names the multilingual route, never `models install hy`.
    assert armenian.note.startswith("no model for hy→en, and the Argos index has none")
    assert "NLLB-200" in armenian.note and "workbench models install --file nllb-200-600M" in armenian.note
    assert "workbench models install hy`" not in armenian.note
    assert summary.missing == {"hy→en": 1}
    rendering = (out / "mixed.en.txt").read_text(encoding="utf-8")
    assert rendering == render_english(text, records)
    assert rendering.startswith("Solidarity with the struggling peoples\n\n")
    assert "Միջերկրական ծով" in rendering  # kept for a reviewer to translate by hand


def test_unreadable_input_is_reported_and_others_go_on(tmp_path, toy_corpus, toy_model):
    (toy_corpus / "binary.txt").write_bytes(b"\x00\x01\x02")
    out = tmp_path / "translations"
    summary = run(toy_corpus, out, force_lang="xx")
    assert summary.written == 1
    assert any("binary.txt" in error and "NUL" in error for error in summary.errors)


def test_a_language_outside_the_list_is_reported_as_a_missing_pair_not_sent_to_a_near_one(tmp_path, random_models):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    czech = "Odbory se v pondělí sešly, aby projednaly stávku a další postup."
    (corpus / "news.txt").write_text(f"The union met on Monday to discuss the strike.\n\n{czech}\n", encoding="utf-8")
    out = tmp_path / "translations"
    summary = run(corpus, out)
    records = load(out / "news.json").segments
    assert [(r.lang, r.source, r.status, r.machine) for r in records[1:]] == [("cs", czech, "untranslated", None)]
    assert records[1].note.startswith("no model for cs→en")
    assert summary.missing == {"cs→en": 1}


def test_a_translations_file_is_signed_by_the_splitter_that_made_its_segments(tmp_path):
    from workbench.split.segment import SegmenterConfig, signature

    default = signature()
    assert default.startswith(f"workbench-splitter:{__version__}|detector:ensemble|languages:")
    assert signature(SegmenterConfig(outside_confidence=1.0)) != default  # any setting changes the signature
    assert signature(SegmenterConfig()) == default


def test_the_splitters_signature_changes_with_its_rules(tmp_path):
    """The version stays 0.1.0 while rules change: the signature hashes what decides labels."""
    from workbench.split.segment import rules_hash, signature

    assert signature().endswith(f"|rules:{rules_hash()}")
    rule, registry = tmp_path / "segment.py", tmp_path / "languages.toml"
    rule.write_text("RULE = 1\n")
    registry.write_text("[en]\n")
    before = rules_hash.__wrapped__((rule, registry))
    assert rules_hash.__wrapped__((rule, registry)) == before
    rule.write_text("RULE = 2\n")
    assert rules_hash.__wrapped__((rule, registry)) != before
