"""OmegaT projects out and back, with Debian's real `omegat` (3.6) in console mode where it is
installed (`scripts/setup.sh --test` installs it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ROOT
from workbench.core.settings import Settings
from workbench.exchange.omegat import CONFIRMED_TMX, MACHINE_TMX, MANIFEST, export_projects, import_project, join_sentences
from workbench.review.workspace import Workspace
from workbench.store.files import load
from workbench.translate.run import translate_corpus

TURKISH = [
    "Dünya devriminin yeni havzası!",
    "1. Pingback: Akdeniz yazısı ve işçilerin mücadelesi. İkinci cümle burada.",
    "Emekçiler ekmek istiyor.",
    "Savaşa karşı barış ve toprak.",
]
OMEGAT = shutil.which("omegat")


@pytest.fixture
def workspace(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bildiri.txt").write_text("Solidarity statement\n\n" + "\n\n".join(TURKISH) + "\n", encoding="utf-8")
    translations = tmp_path / "translations"
    # Its own empty models folder: no tr model whatever other tests installed, so segments stay untranslated.
    translate_corpus([corpus], Settings(translations=translations, models_dir=tmp_path / "no-models"), force_lang="tr")
    ws = Workspace(corpus, translations)
    records = ws.open("bildiri").translation.segments
    assert [r.source for r in records] == ["Solidarity statement", *TURKISH]  # forced: the heading is tr too
    ws.relabel("bildiri", records[0].id, "en", 0)
    approved = ws.save_correction("bildiri", records[1].id, "The new basin of world revolution!", 0)
    ws.set_status("bildiri", records[1].id, "approved", approved.revision)
    rejected = ws.save_correction("bildiri", records[3].id, "Bad translation.", 0)
    ws.set_status("bildiri", records[3].id, "rejected", rejected.revision)
    return ws


def segments(ws):
    return {r.source: r for r in load(ws.translations / "bildiri.json").segments}


def test_project_layout(workspace, tmp_path):
    (project,) = export_projects(workspace, tmp_path / "omegat")
    folder = tmp_path / "omegat" / "tr"
    assert project.path == folder and (project.segments, project.confirmed) == (4, 1)
    settings = etree.parse(str(folder / "omegat.project")).getroot().find("project")
    assert (settings.findtext("source_lang"), settings.findtext("target_lang"), settings.findtext("sentence_seg")) == ("tr", "en", "false")
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        assert (folder / sub).is_dir()
    # Every segment to translate shows its source text, one paragraph each; English stays out.
    assert (folder / "source" / "bildiri.txt").read_text(encoding="utf-8") == "\n\n".join(TURKISH) + "\n"
    confirmed = (folder / CONFIRMED_TMX).read_text(encoding="utf-8")
    assert "The new basin of world revolution!" in confirmed and "Bad translation." not in confirmed  # never rejected
    assert 'srclang="tr"' in confirmed
    assert "<tu" not in (folder / MACHINE_TMX).read_text(encoding="utf-8")  # no machine output here
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert [entry["source"] for entry in manifest["documents"]["bildiri"]] == TURKISH
    assert "workbench import" in (tmp_path / "omegat" / "README.md").read_text(encoding="utf-8")


def save_in_omegat(folder: Path, units: list[tuple[str, str]], version: str = "1.4") -> None:
    """Write omegat/project_save.tmx as OmegaT 3.6 does (upper-case codes), or a TMX 1.1 export."""
    lang = "xml:lang" if version == "1.4" else "lang"
    body = "".join(
        f'<tu><tuv {lang}="TR"><seg>{source}</seg></tuv><tuv {lang}="EN"><seg>{target}</seg></tuv></tu>' for source, target in units
    )
    path = folder / "omegat" / "project_save.tmx" if version == "1.4" else folder / "tr-omegat.tmx"
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx{version.replace(".", "")}.dtd">\n'
        f'<tmx version="{version}"><header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" '
        f'creationtoolversion="3.6.0" segtype="paragraph" srclang="TR"/><body>{body}</body></tmx>\n',
        encoding="utf-8",
    )


@pytest.mark.skipif(OMEGAT is None, reason="Debian's omegat is not installed (scripts/setup.sh --test installs it)")
def test_round_trip_through_real_omegat(workspace, tmp_path):
    export_projects(workspace, tmp_path / "omegat")
    folder = tmp_path / "omegat" / "tr"
    result = subprocess.run(
        [OMEGAT, "--mode=console-translate", "--disable-project-locking", f"--config-dir={tmp_path / 'omegat-config'}", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    # OmegaT inserted the approved translation from tm/auto; the rest shows its source.
    target = (folder / "target" / "bildiri.txt").read_text(encoding="utf-8")
    assert target == "\n\n".join(["The new basin of world revolution!", *TURKISH[1:]]) + "\n"
    # OmegaT's own TMX 1.1 export (lang=, upper or lower case) imports with nothing to change.
    before = (workspace.translations / "bildiri.json").read_bytes()
    report = import_project(workspace, next(folder.glob("*-omegat.tmx")))
    assert (report.updated, report.conflicts) == ([], [])
    assert (workspace.translations / "bildiri.json").read_bytes() == before

    # The translator translates a segment and saves: it comes back as edited, with history.
    save_in_omegat(folder, [(TURKISH[0], "The new basin of world revolution!"), (TURKISH[3], "Peace and land against war.")])
    cli = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "import", str(folder), "--translations", str(workspace.translations)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.startswith("1 segment updated, 1 unchanged, 0 conflicts")
    record = segments(workspace)[TURKISH[3]]
    assert (record.correction, record.status) == ("Peace and land against war.", "edited")
    assert [(h.action, h.previous_status) for h in record.history] == [("import", "untranslated")]
    assert segments(workspace)[TURKISH[0]].status == "approved"  # pre-filled, unchanged
    # A second import changes nothing.
    before = (workspace.translations / "bildiri.json").read_bytes()
    again = import_project(workspace, folder)
    assert again.updated == [] and again.conflicts == []
    assert (workspace.translations / "bildiri.json").read_bytes() == before


def test_a_changed_rejected_segment_becomes_edited_and_tmx11_is_read(workspace, tmp_path):
    export_projects(workspace, tmp_path / "omegat")
    folder = tmp_path / "omegat" / "tr"
    save_in_omegat(folder, [(TURKISH[2].lower(), "ignored: another text"), (TURKISH[2], "Good translation now.")], version="1.1")
    report = import_project(workspace, folder)
    assert len(report.updated) == 1
    record = segments(workspace)[TURKISH[2]]
    assert (record.correction, record.status, record.history[-1].previous_status) == ("Good translation now.", "edited", "rejected")


def test_work_changed_in_the_workspace_since_the_export_is_a_conflict(workspace, tmp_path):
    export_projects(workspace, tmp_path / "omegat")
    folder = tmp_path / "omegat" / "tr"
    record = segments(workspace)[TURKISH[3]]
    workspace.save_correction("bildiri", record.id, "Changed in the workbench meanwhile.", record.revision)
    save_in_omegat(folder, [(TURKISH[3], "Changed in OmegaT.")])
    report = import_project(workspace, folder)
    assert report.updated == [] and len(report.conflicts) == 1 and "kept" in report.conflicts[0]
    assert segments(workspace)[TURKISH[3]].correction == "Changed in the workbench meanwhile."


def test_sentence_level_units_are_joined_back(workspace, tmp_path):
    export_projects(workspace, tmp_path / "omegat")
    folder = tmp_path / "omegat" / "tr"
    # OmegaT with sentence segmentation cuts "1. Pingback: …" into pieces.
    save_in_omegat(
        folder,
        [("1.", "1."), ("Pingback: Akdeniz yazısı ve işçilerin mücadelesi.", "Pingback: the Mediterranean article."),
         ("İkinci cümle burada.", "The second sentence is here.")],
    )  # fmt: skip
    import_project(workspace, folder)
    record = segments(workspace)[TURKISH[1]]
    assert record.correction == "1. Pingback: the Mediterranean article. The second sentence is here."
    assert join_sentences("a b", {"a": "x"}) is None  # a piece without a translation: nothing joined
