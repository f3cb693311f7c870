"""Every language translatable: OPUS-MT releases, BPE Argos packages and multilingual (NLLB-200
layout) models through the real install, load and translate paths; routes, overrides, hints,
--install-missing, --device and the settings object."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builders.kinds import build_bpe_package, build_opus_mt_release
from builders.multilingual import FIXTURE as NLLB_TOY
from builders.multilingual import to_toy
from builders.toy import to_toyish
from tests.conftest import ROOT, TOY_PACKAGE, isolated_argos_env
from workbench.core.document import Segment
from workbench.core.settings import Settings
from workbench.store.files import load
from workbench.translate.engine import DecodingOptions, decoding_limit
from workbench.translate.models import InstalledModel, ModelError, install, list_installed, route_for
from workbench.translate.run import translate_corpus


def workbench(env: dict, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture
def models_dir(tmp_path) -> Path:
    return tmp_path / "models"


class LineSegmenter:
    """Labels each line by a table: the tests here are about routing, not detection."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels

    def segment(self, text: str) -> list[Segment]:
        segments, offset = [], 0
        for line in text.split("\n"):
            if line.strip():
                segments.append(Segment(offset, offset + len(line), self.labels[line], "Latn", 1.0, "paragraph"))
            offset += len(line) + 1
        return segments


def run(corpus: Path, out: Path, models_dir: Path, labels: dict[str, str], **settings):
    return translate_corpus([corpus], Settings(translations=out, models_dir=models_dir, **settings), segmenter=LineSegmenter(labels))


def test_multilingual_model_translates_kurmanji_and_armenian_while_a_dedicated_pair_keeps_its_language(tmp_path, models_dir):
    found = install(NLLB_TOY, models_dir)
    assert found.found == "multilingual model (NLLB-200)"
    (nllb,) = found.models
    assert (nllb.kind, dict(nllb.tokens), nllb.target_token) == ("multilingual", {"hy": "hye_Armn", "ku": "kmr_Latn"}, "eng_Latn")
    install(TOY_PACKAGE, models_dir)  # the dedicated Argos pair xx→en
    english = ["the workers want bread", "solidarity with all comrades", "our children need a new school"]
    # The same toy words, two languages: only the language token tells the model which.
    lines = {to_toy(english[0], "kmr_Latn"): "ku", to_toy(english[1], "hye_Armn"): "hy", to_toyish(english[2]): "xx"}
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mixed.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run(corpus, tmp_path / "out", models_dir, lines)
    assert summary.errors == [] and summary.missing == {}
    records = load(tmp_path / "out" / "mixed.json").segments
    assert [r.machine.text for r in records] == english
    assert [r.machine.model for r in records] == [nllb.model_id, nllb.model_id, "argos:xx-en@1.0"]
    # A toy-hy sentence read as ku gives another English sentence: the token does reach the model.
    assert to_toy(english[1], "hye_Armn") != to_toyish(english[1])


def test_models_list_shows_each_languages_route(tmp_path, models_dir):
    env = isolated_argos_env(tmp_path / "argos")
    assert workbench(env, "models", "install", "--models-dir", str(models_dir), "--file", str(NLLB_TOY)).returncode == 0
    installed = workbench(env, "models", "install", "--models-dir", str(models_dir), "--file", str(TOY_PACKAGE))
    assert "installed translate-xx_en-toy (Argos package; xx→en; version 1.0)" in installed.stdout
    listing = workbench({**env, "COLUMNS": "250"}, "models", "list", "--models-dir", str(models_dir))
    assert listing.returncode == 0, listing.stderr
    rows = {line.split("│")[1].strip().split(" ")[0]: line for line in listing.stdout.splitlines() if line.count("│") > 5}
    assert "multilingual" in rows["ku"] and "nllb-toy (kmr_Latn)" in rows["ku"]
    assert "multilingual" in rows["hy"] and "nllb-toy (hye_Armn)" in rows["hy"]
    assert "argos" in rows["xx"] and "translate-xx_en-toy" in rows["xx"]
    assert "workbench models install tr" in rows["tr"]  # the Argos index has Turkish


def test_opus_mt_release_is_converted_at_install_and_translates_through_the_real_path(tmp_path, models_dir):
    import ctranslate2
    import sentencepiece

    release = build_opus_mt_release(tmp_path / "opus-mt-tr-en", "tr")
    env = isolated_argos_env(tmp_path / "argos")
    result = workbench(env, "models", "install", "--models-dir", str(models_dir), "--file", str(release))
    assert result.returncode == 0, result.stderr
    assert "installed opus-mt-tr-en (OPUS-MT release; tr→en; version 2024-01-01)" in result.stdout
    (model,) = list_installed(models_dir)[0]
    assert (model.kind, model.tokenizer, model.model_id) == ("opus-mt", "sentencepiece-pair", "opus-mt:opus-mt-tr-en@2024-01-01")
    sentence = "Dünya devriminin yeni havzası!"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tr.txt").write_text(sentence + "\n", encoding="utf-8")
    run(corpus, tmp_path / "out", models_dir, {sentence: "tr"})
    (record,) = load(tmp_path / "out" / "tr.json").segments
    # The same as CTranslate2 by hand on the converted model, with the release's own SentencePiece models.
    source = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "source.spm"))
    target = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "target.spm"))
    by_hand = ctranslate2.Translator(str(model.path / "model")).translate_batch(
        [source.encode(sentence, out_type=str)], beam_size=4, length_penalty=0.2, replace_unknowns=True, max_decoding_length=256
    )[0]
    assert record.machine.model == model.model_id
    assert record.machine.text == target.decode_pieces(by_hand.hypotheses[0])


def test_argos_package_with_bpe_model_translates_through_argos_tokenizer(tmp_path, models_dir, built_models):
    import ctranslate2
    from argostranslate.tokenizer import BPETokenizer

    (model,) = install(build_bpe_package("xb", cache=built_models), models_dir).models
    assert (model.kind, model.tokenizer) == ("argos", "bpe")
    sentence = to_toyish("the workers want bread.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "xb.txt").write_text(sentence + "\n", encoding="utf-8")
    run(corpus, tmp_path / "out", models_dir, {sentence: "xb"})
    (record,) = load(tmp_path / "out" / "xb.json").segments
    tokenizer = BPETokenizer(model.path / "bpe.model", "xb", "en")
    tokens = tokenizer.encode(sentence)
    by_hand = ctranslate2.Translator(str(model.path / "model")).translate_batch(
        [tokens], beam_size=4, length_penalty=0.2, replace_unknowns=True, max_decoding_length=decoding_limit([tokens], DecodingOptions())
    )[0]
    assert record.machine.model == "argos:xb-en@1.0"
    assert record.machine.text == tokenizer.decode(by_hand.hypotheses[0])
    # Random weights loop: the decoder stops at three times the source's length (plus five
    # tokens), not at max_decoding_length's 256, and says so.
    assert len(by_hand.hypotheses[0]) == 3 * len(tokens) + 5 < 256 and "truncated" in record.machine.flags


def fake(kind: str, name: str, langs: tuple[str, ...], version: str = "1.0") -> InstalledModel:
    tokens = tuple((code, f"{code}_Latn") for code in langs) if kind == "multilingual" else ()
    code = "mul" if kind == "multilingual" else langs[0]
    return InstalledModel(code, "en", code, "en", version, Path(name), 1, kind=kind, tokens=tokens, target_token="eng_Latn")


def test_routes_prefer_a_dedicated_pair_then_opus_mt_then_multilingual():
    models = [fake("multilingual", "nllb", ("tr", "ku")), fake("opus-mt", "opus-mt-tr-en", ("tr",)), fake("argos", "argos-tr", ("tr",))]
    assert route_for("tr", models).name == "argos-tr"
    assert route_for("tr", models[:2]).name == "opus-mt-tr-en"
    assert route_for("ku", models).name == "nllb"
    assert route_for("hy", models) is None
    assert route_for("tr", models, {"tr": "nllb"}).name == "nllb"  # --model tr=nllb
    with pytest.raises(ModelError, match="--model tr=nope"):
        route_for("tr", models, {"tr": "nope"})


def test_model_override_on_the_command_line(tmp_path, models_dir):
    install(NLLB_TOY, models_dir)
    install(TOY_PACKAGE, models_dir)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "k.txt").write_text(to_toyish("the workers want bread") + "\n", encoding="utf-8")
    env = isolated_argos_env(tmp_path / "argos")
    common = ["translate", str(corpus), "--models-dir", str(models_dir), "--lang", "xx"]
    bad = workbench(env, *common, "--out", str(tmp_path / "a"), "--model", "xx=nllb-toy")
    assert bad.returncode == 1 and "--model xx=nllb-toy: no installed model of that name translates xx→en" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_honest_hints_name_the_multilingual_route_for_languages_the_index_lacks(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ez baş im.\n", encoding="utf-8")
    env = isolated_argos_env(tmp_path / "argos")
    result = workbench({**env, "COLUMNS": "300"}, "translate", str(corpus), "--out", str(tmp_path / "out"), "--lang", "ku")
    assert result.returncode == 0, result.stderr
    assert "workbench models install ku" not in result.stderr
    assert "The Argos index has no ku→en model" in result.stderr and "ct2-transformers-converter" in result.stderr
    note = load(tmp_path / "out" / "a.json").segments[0].note
    assert note.startswith("no model for ku→en, and the Argos index has none")


def test_install_missing_installs_what_the_documents_need(tmp_path, package_index):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(to_toyish("the workers want bread") + "\n", encoding="utf-8")
    env = {**isolated_argos_env(tmp_path / "argos"), "ARGOS_PACKAGE_INDEX": package_index}
    result = workbench(env, "translate", str(corpus), "--out", str(tmp_path / "out"), "--lang", "xx", "--install-missing")
    assert result.returncode == 0, result.stderr
    assert "installed xx→en 1.0" in result.stderr
    assert load(tmp_path / "out" / "a.json").segments[0].machine.text == "the workers want bread"
    # The index was reached: its pairs are kept for offline hints.
    saved = json.loads((Path(env["ARGOS_PACKAGES_DIR"]) / ".workbench-argos-index.json").read_text(encoding="utf-8"))
    assert saved["pairs"] == [{"from": "xx", "to": "en", "version": "1.0"}]


def test_device_cuda_without_a_gpu_is_a_one_line_error(tmp_path):
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("this machine has a GPU")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(to_toyish("the workers want bread") + "\n", encoding="utf-8")
    env = isolated_argos_env(tmp_path / "argos")
    result = workbench(env, "translate", str(corpus), "--out", str(tmp_path / "out"), "--lang", "xx", "--device", "cuda")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "CUDA" in lines[0] and "Traceback" not in result.stderr
    from workbench.translate.engine import resolve_device

    assert resolve_device("auto") == "cpu"


def test_settings_precedence_defaults_file_environment_flags(tmp_path):
    from workbench.core.settings import SettingsError, load

    assert load({}, cwd=tmp_path, environ={}).device == "auto"
    (tmp_path / "workbench.toml").write_text('device = "cpu"\nbeam = 2\ntranslations = "out"\n[models]\nku = "nllb"\n', encoding="utf-8")
    from_file = load({}, cwd=tmp_path, environ={})
    assert (from_file.device, from_file.beam, from_file.translations, from_file.models) == ("cpu", 2, Path("out"), {"ku": "nllb"})
    from_env = load({}, cwd=tmp_path, environ={"WORKBENCH_BEAM": "3", "WORKBENCH_DEVICE": "cuda"})
    assert (from_env.beam, from_env.device, from_env.sources["beam"]) == (3, "cuda", "WORKBENCH_BEAM")
    from_flags = load({"beam": 1, "device": None}, cwd=tmp_path, environ={"WORKBENCH_BEAM": "3"})
    assert (from_flags.beam, from_flags.device, from_flags.sources["beam"]) == (1, "cpu", "--beam")
    with pytest.raises(SettingsError, match=r"WORKBENCH_DEVICE: device = 'gpu' cannot be used: choose one of: auto, cpu, cuda"):
        load({}, cwd=tmp_path, environ={"WORKBENCH_DEVICE": "gpu"})
    (tmp_path / "workbench.toml").write_text("colour = 1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown setting"):
        load({}, cwd=tmp_path, environ={})


def test_every_setting_is_documented_in_the_readme_and_the_help():
    from workbench.core.settings import DECLARED, _check_declaration, markdown_table

    _check_declaration()
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert markdown_table() in page, "docs/settings.md's table differs: paste `python -m workbench.core.settings` into it"
    help_text = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "translate", "--help"], capture_output=True, text=True, cwd=ROOT, env={"COLUMNS": "400"}
    ).stdout
    for declared in DECLARED:
        if declared.has_flag and declared.name not in ("corpus", "translations", "models"):  # translate: --corpus, --out, --model
            assert declared.flag in help_text, declared.flag
