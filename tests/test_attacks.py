"""Attacks on the edges: hostile files, same-name documents, killed and interrupted runs, full
disks, paths that lead out, active content, open review apps, bad imports.

Every command here runs in a subprocess bounded in time and address space, so a regression
fails fast instead of eating the machine.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from builders.toy import to_toyish
from tests.conftest import ROOT
from workbench.core.errors import InputError
from workbench.core.limits import Limits
from workbench.core.settings import Settings
from workbench.store.files import load

MEMORY_BOUND = 6 * 1024**3  # address space of one command: a bomb read whole would pass it
TOYISH = to_toyish("the workers want bread") + "\n\n" + to_toyish("solidarity with all comrades") + "\n"


def bounded(memory: int = MEMORY_BOUND, file_size: int | None = None):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return limit


def workbench(*args, timeout: float = 120, env: dict | None = None, **limits) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        preexec_fn=bounded(**limits),
    )


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


def odt(body: str) -> bytes:
    """A minimal OpenDocument text whose body is ``body`` (raw XML, so any nesting can be made)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def bomb(path: Path, first_part: str, first_bytes: bytes, expanded_mb: int) -> Path:
    """A zip whose one real-looking part is followed by a part of ``expanded_mb`` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(first_part, first_bytes)
        with archive.open("padding.xml", "w", force_zip64=True) as part:
            zeros = b"\0" * (1 << 20)
            for _ in range(expanded_mb):
                part.write(zeros)
    return path


# -- 1. a reader that fails is its file's error, never the run's -------------------------------


@pytest.fixture
def nested_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    depth = 3000
    (corpus / "a-deep.odt").write_bytes(odt("<text:p>" + "<text:span>" * depth + "deep" + "</text:span>" * depth + "</text:p>"))
    (corpus / "b-good.txt").write_text(TOYISH, encoding="utf-8")
    return corpus


def test_a_reader_that_would_recurse_fails_its_file_and_the_run_goes_on_with_status_1(nested_corpus, tmp_path, toy_model):
    assert (nested_corpus / "a-deep.odt").stat().st_size < 2000
    out = tmp_path / "translations"
    result = workbench("translate", nested_corpus, "--out", out, "--lang", "xx")
    no_traceback(result)
    assert result.returncode == 1
    assert "a-deep.odt: nests elements more than 400 levels deep" in result.stderr
    assert "1/2 documents" in result.stderr  # the summary counts the file that failed
    assert load(out / "b-good.json").segments[0].machine.text == "the workers want bread"


def test_detect_reports_the_deep_file_and_shows_the_others(nested_corpus):
    result = workbench("detect", nested_corpus, "--json")
    no_traceback(result)
    assert result.returncode == 1
    assert "a-deep.odt: nests elements more than 400 levels deep" in result.stderr
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == [str(nested_corpus / "b-good.txt")]


# -- 2. archives are bounded before parsing ----------------------------------------------------


def test_a_zip_bomb_is_refused_after_reading_at_most_the_bound(tmp_path):
    from workbench.formats.readers import check_archive

    path = bomb(tmp_path / "bomb.docx", "word/document.xml", b"<w:document/>", expanded_mb=600)
    assert path.stat().st_size < 2_000_000
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"bomb\.docx: decompresses to more than 500 MB \(a zip bomb\?\)"):
        check_archive(path.read_bytes(), str(path))
    assert time.perf_counter() - started < 20
    with pytest.raises(InputError, match="holds 2 parts, more than the 1 the workbench opens"):
        check_archive(path.read_bytes(), str(path), Limits(max_archive_entries=1))


@pytest.mark.parametrize("suffix", ["odt", "docx"])
def test_zip_bombs_on_the_command_line_fail_fast_in_bounded_memory(tmp_path, suffix, toy_model):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = ("content.xml", odt("<text:p>x</text:p>")) if suffix == "odt" else ("word/document.xml", b"<w:document/>")
    bomb(corpus / f"bomb.{suffix}", *first, expanded_mb=120)
    (corpus / "good.txt").write_text(TOYISH, encoding="utf-8")
    started = time.perf_counter()
    result = workbench(
        "translate", corpus, "--out", tmp_path / "out", "--lang", "xx", env={"WORKBENCH_MAX_UNPACKED_MB": "50"}, memory=3 * 1024**3
    )
    no_traceback(result)
    assert result.returncode == 1 and f"bomb.{suffix}: decompresses to more than 50 MB" in result.stderr
    assert (tmp_path / "out" / "good.json").is_file()
    assert time.perf_counter() - started < 60


def test_a_100_mb_one_line_file_is_refused_at_once(tmp_path):
    big = tmp_path / "one-line.txt"
    with big.open("w", encoding="ascii") as handle:
        for _ in range(100):
            handle.write("word " * 200_000)  # 1 MB, no newline
    started = time.perf_counter()
    result = workbench("detect", big, "--json", timeout=120)
    no_traceback(result)
    assert result.returncode == 1
    assert "one-line.txt: line 1 is 100,000,000 characters long, more than the 1,000,000" in result.stderr
    assert time.perf_counter() - started < 30
    raised = workbench("detect", big, "--json", env={"WORKBENCH_MAX_INPUT_MB": "50"})
    assert "is 100 MB, more than the 50 MB the workbench reads" in raised.stderr


# -- 3. two files with one stem ----------------------------------------------------------------


def test_two_files_with_one_stem_are_two_documents_and_a_correction_survives(tmp_path, toy_model):
    from workbench.review.workspace import Workspace
    from workbench.translate.run import translate_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    out = tmp_path / "translations"
    (corpus / "report.txt").write_text(TOYISH, encoding="utf-8")
    settings = Settings(translations=out)
    translate_corpus([corpus], settings, force_lang="xx")
    record = load(out / "report.json").segments[0]
    Workspace(corpus, out).save_correction("report", record.id, "The workers want bread!", record.revision)

    (corpus / "report.csv").write_text(to_toyish("the children want peace") + "\n", encoding="utf-8")
    for _ in range(2):  # re-runs never flip ids
        summary = translate_corpus([corpus], settings, force_lang="xx")
        assert not summary.errors
        assert sorted(p.name for p in out.glob("*.json")) == ["report.csv.json", "report.json"]
        kept = load(out / "report.json")
        assert Path(kept.path).name == "report.txt" and kept.segments[0].correction == "The workers want bread!"
        assert not kept.orphans
        assert load(out / "report.csv.json").segments[0].machine.text == "the children want peace"

    fresh = tmp_path / "fresh"  # no earlier files: both keep their suffix
    translate_corpus([corpus], Settings(translations=fresh), force_lang="xx")
    assert sorted(p.name for p in fresh.glob("*.json")) == ["report.csv.json", "report.txt.json"]


# -- 4. full disks and read-only folders -------------------------------------------------------


def test_a_full_disk_is_one_line_per_document_and_the_cache_gives_way(tmp_path, toy_model):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text((TOYISH * 20), encoding="utf-8")
    out = tmp_path / "translations"
    result = workbench("translate", corpus, "--out", out, "--lang", "xx", file_size=4096)
    no_traceback(result)
    assert result.returncode == 1
    for name in ("a", "b"):
        assert f"{out / name}.json: cannot be written (File too large); the file on disk is unchanged" in result.stderr
    assert "the translation cache cannot be used" in result.stderr
    assert not list(out.glob("*.json")) and not list(out.rglob("*.tmp"))


def test_a_cache_that_cannot_be_opened_is_no_cache(tmp_path, toy_model):
    from workbench.translate.run import translate_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TOYISH, encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    summary = translate_corpus([corpus], Settings(translations=tmp_path / "out", cache=blocker / "mt.sqlite3"), force_lang="xx")
    assert summary.written == 1 and not summary.errors
    assert any("the translation cache cannot be used" in line for line in summary.warnings)


# -- 5 and 7. workers die with their parent; Ctrl-C is one line --------------------------------


def children_of(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory):
    """Enough distinct text (about 2 MB in 40 files) for segmentation to run in worker processes."""
    from builders.toy import sample_sentences

    corpus = tmp_path_factory.mktemp("large") / "corpus"
    corpus.mkdir()
    english = sample_sentences(24_000, seed=7)
    for number in range(40):
        lines = english[number * 600 : (number + 1) * 600]
        (corpus / f"doc{number:02d}.txt").write_text("\n".join(f"{n}. {line}." for n, line in enumerate(lines)) + "\n", encoding="utf-8")
    return corpus


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_parent_killed_with_sigkill(large_corpus, tmp_path):
    """Killed at three moments of the run, the parent leaves no worker behind."""
    for attempt, delay in enumerate((0.5, 1.5, 3.0)):
        run = subprocess.Popen(
            [sys.executable, "-m", "workbench.cli", "detect", str(large_corpus), "--json"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=bounded(),
        )
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and run.poll() is None:
            workers = children_of(run.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, f"attempt {attempt}: the workers never started"
        time.sleep(delay)
        run.kill()
        run.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers), f"attempt {attempt}: workers {workers} outlived their parent"


def test_ctrl_c_during_translate_is_one_line_status_130_and_the_next_run_resumes(tmp_path, toy_model):
    from tests.test_resume import make_corpus, translate_command

    corpus = tmp_path / "corpus"
    make_corpus(corpus, documents=30, lines=40)
    out = tmp_path / "translations"
    run = subprocess.Popen(
        translate_command(corpus, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr
    assert "Traceback" not in stderr and stderr.count("interrupted") == 1
    written = list(out.glob("*.json"))
    assert 0 < len(written) < 30
    for path in written:  # nothing half-written
        load(path)
    assert not list(out.rglob("*.tmp"))
    subprocess.run(translate_command(corpus, out), check=True, capture_output=True, cwd=ROOT, timeout=300)
    assert len(list(out.glob("*.json"))) == 30


def test_ctrl_c_with_segmentation_workers_gives_no_worker_traceback(large_corpus):
    run = subprocess.Popen(
        [sys.executable, "-m", "workbench.cli", "detect", str(large_corpus), "--json"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(children_of(run.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(run.pid, signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines() == ["interrupted; what was finished is kept: run the same command again to resume"]


# -- 8. paths ----------------------------------------------------------------------------------


@pytest.fixture
def translated(tmp_path, toy_model):
    from workbench.translate.run import translate_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text(TOYISH, encoding="utf-8")
    (corpus / "more.txt").write_text(to_toyish("the children want peace") + "\n", encoding="utf-8")
    out = tmp_path / "translations"
    translate_corpus([corpus], Settings(translations=out), force_lang="xx")
    return corpus, out


def test_a_document_id_leading_out_is_not_written_outside_the_omegat_folder(translated, tmp_path):
    _, out = translated
    hostile = json.loads((out / "more.json").read_text(encoding="utf-8"))
    hostile["document"]["id"] = "../../escaped"
    (out / "more.json").write_text(json.dumps(hostile), encoding="utf-8")
    projects = tmp_path / "omegat"
    result = workbench("export", "--format", "omegat", "-o", projects, "--translations", out)
    no_traceback(result)
    assert result.returncode == 1 and "not exported" in result.stderr and "escaped" in result.stderr
    assert not list(tmp_path.parent.rglob("escaped*"))
    assert (projects / "xx" / "source" / "news.txt").is_file()


def test_a_link_out_of_the_corpus_is_not_followed_unless_asked(translated, tmp_path):
    corpus, _ = translated
    secret = tmp_path / "secret.txt"
    secret.write_text(to_toyish("the workers want bread") + "\n", encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    out = tmp_path / "fresh"
    result = workbench("translate", corpus, "--out", out, "--lang", "xx")
    assert result.returncode == 0, result.stderr
    assert "link.txt: a link to" in result.stderr and "not read" in result.stderr
    assert not (out / "link.json").exists() and (out / "news.json").exists()
    followed = workbench("translate", corpus, "--out", out, "--lang", "xx", "--follow-links")
    assert followed.returncode == 0 and (out / "link.json").exists()


def test_export_never_writes_into_translations_nor_over_a_file_and_skips_a_bad_file(translated, tmp_path):
    _, out = translated
    before = (out / "news.json").read_bytes()
    into = workbench("export", "--format", "jsonl", "-o", out / "news.json", "--translations", out)
    assert into.returncode == 2 and "inside the translations folder" in into.stderr
    assert (out / "news.json").read_bytes() == before
    target = tmp_path / "export.jsonl"
    target.write_text("keep me", encoding="utf-8")
    over = workbench("export", "--format", "jsonl", "-o", target, "--translations", out)
    assert over.returncode == 2 and "exists: add --force" in over.stderr and target.read_text() == "keep me"
    (out / "broken.json").write_text("{not json", encoding="utf-8")
    forced = workbench("export", "--format", "jsonl", "-o", target, "--force", "--translations", out)
    no_traceback(forced)
    assert forced.returncode == 1 and "broken: not exported" in forced.stderr
    assert {json.loads(line)["document"] for line in target.read_text().splitlines()} == {"news", "more"}


# -- 9. fetch ----------------------------------------------------------------------------------


class _Hostile(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/slow-headers":
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(200):  # headers that never end
                    self.wfile.write(b"X-Slow: 1\r\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return
        if self.path == "/ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/file.html")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(200):  # one byte every 0.1 s: each read is quick, the whole never ends
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


@pytest.fixture
def hostile_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_stops_a_trickling_server_at_its_deadline_and_refuses_other_schemes(hostile_server, tmp_path):
    from workbench.formats.fetch import FetchError, fetch_page

    started = time.perf_counter()
    with pytest.raises(FetchError, match=r"took more than 2 s to arrive"):
        fetch_page(hostile_server + "/slow", tmp_path, timeout=5, deadline=2)
    assert time.perf_counter() - started < 6
    started = time.perf_counter()
    with pytest.raises(FetchError, match=r"took more than 2 s to arrive"):
        fetch_page(hostile_server + "/slow-headers", tmp_path, timeout=5, deadline=2)
    assert time.perf_counter() - started < 6
    with pytest.raises(FetchError, match=r"redirected to ftp://127\.0\.0\.1/file\.html, which is not a web address"):
        fetch_page(hostile_server + "/ftp", tmp_path)
    with pytest.raises(FetchError, match="larger than 0 MB"):
        fetch_page(hostile_server + "/slow", tmp_path, max_bytes=5)
    assert not list(tmp_path.iterdir())


# -- 10. renderings are inert ------------------------------------------------------------------


ACTIVE_PAGE = """<!DOCTYPE html>
<html><head><title>t</title><script>alert(1)</script></head>
<body onload="alert(2)">
<p>{toyish}<img src="x" onerror="alert(3)"></p>
<p><a href=" javascript:alert(4)">{toyish}</a> after</p>
<iframe srcdoc="&lt;script&gt;alert(5)&lt;/script&gt;"></iframe>
<p><a href="https://example.org/">{toyish}</a></p>
</body></html>
"""


def test_html_renderings_are_inert_unless_asked(tmp_path, toy_model):
    from lxml import html

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.html").write_text(ACTIVE_PAGE.format(toyish=to_toyish("the workers want bread")), encoding="utf-8")
    out = tmp_path / "translations"
    result = workbench("translate", corpus, "--out", out, "--lang", "xx")
    assert result.returncode == 0, result.stderr
    rendering = html.document_fromstring((out / "page.en.html").read_bytes().decode("utf-8"))
    assert not list(rendering.iter("script"))
    attributes = [(name, value) for element in rendering.iter() if isinstance(element.tag, str) for name, value in element.attrib.items()]
    assert not [name for name, _ in attributes if name.startswith("on") or name == "srcdoc"]
    assert not [value for _, value in attributes if "javascript" in value.lower()]
    assert [a.get("href") for a in rendering.iter("a")] == [None, "https://example.org/"]  # the javascript: link lost its href
    assert rendering.text_content().count("the workers want bread") == 3
    kept = workbench("translate", corpus, "--out", tmp_path / "active", "--lang", "xx", "--keep-active-content")
    assert kept.returncode == 0
    assert "alert(1)" in (tmp_path / "active" / "page.en.html").read_text(encoding="utf-8")


# -- 11. the review app beyond this machine ----------------------------------------------------


def test_review_on_an_open_address_warns_and_asks_for_a_token(tmp_path):
    (tmp_path / "translations").mkdir()
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench.cli",
            "review",
            "--address",
            "0.0.0.0",
            "--port",
            "8597",
            "--translations",
            str(tmp_path / "translations"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        address = run.stdout.readline()
        warning = run.stderr.readline()
    finally:
        run.kill()
        run.wait(timeout=30)
    assert warning.startswith("warning: the review app listens on 0.0.0.0, beyond this machine")
    assert address.startswith("Review app on http://127.0.0.1:8597/?token=") and len(address.split("token=")[1].split()[0]) >= 20


def test_the_app_shows_nothing_without_its_token(tmp_path, toy_model, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from workbench.translate.run import translate_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text(TOYISH, encoding="utf-8")
    translate_corpus([corpus], Settings(translations=tmp_path / "translations"), force_lang="xx")
    monkeypatch.setenv("WORKBENCH_CORPUS", str(corpus))
    monkeypatch.setenv("WORKBENCH_TRANSLATIONS", str(tmp_path / "translations"))
    monkeypatch.setenv("WORKBENCH_REVIEW_TOKEN", "s3cret-token-for-the-test")
    st.cache_resource.clear()
    app = str(ROOT / "workbench" / "review" / "app.py")
    locked_out = AppTest.from_file(app, default_timeout=60)
    locked_out.run()
    assert not locked_out.exception
    assert not locked_out.sidebar.radio and [i.label for i in locked_out.text_input] == ["Access token"]
    locked_out.text_input[0].input("wrong").run()
    assert not locked_out.sidebar.radio
    let_in = AppTest.from_file(app, default_timeout=60)
    let_in.query_params["token"] = "s3cret-token-for-the-test"
    let_in.run()
    assert not let_in.exception and let_in.sidebar.radio(key="doc-radio").options
    st.cache_resource.clear()


# -- 12. imports are validated field by field --------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b'{"document": "news", "segment": "s1", "source": "x", "target": "\xff"}\n', "line 1: not UTF-8", id="bad-utf8"),
        pytest.param(
            b'{"document": "news", "segment": "s1", "source": "x", "target": null}\n', "line 1: target is missing", id="null-target"
        ),
        pytest.param(
            b'{"document": "news", "segment": "s1", "source": "x", "target": 7}\n', "line 1: target is not text but 7", id="number"
        ),
        pytest.param(b'["news", "s1", "x", "y"]\n', "line 1: a workbench JSONL record is an object, not list", id="list"),
        pytest.param(
            b'{"document": "news", "segment": "s1", "source": "x", "target": "y", "revision": "0"}\n',
            'line 1: revision must be a whole number, not "0"',
            id="revision-as-text",
        ),
        pytest.param(
            b'{"document": "news", "segment": "s1", "source": "x", "target": "y", "status": "done"}\n',
            "line 1: status 'done' is not one of",
            id="unknown-status",
        ),
    ],
)
def test_bad_jsonl_imports_are_one_line_naming_file_and_entry(translated, tmp_path, content, message):
    _, out = translated
    before = {path.name: path.read_bytes() for path in out.glob("*.json")}
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    result = workbench("import", bad, "--translations", out)
    no_traceback(result)
    assert result.returncode == 1
    assert f"error: {bad}: {message}" in result.stderr
    assert {path.name: path.read_bytes() for path in out.glob("*.json")} == before


def test_xliff_of_another_namespace_is_refused(translated, tmp_path):
    _, out = translated
    other = tmp_path / "other.xlf"
    other.write_text(
        '<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="xx"><file id="f"/></xliff>',
        encoding="utf-8",
    )
    result = workbench("import", other, "--translations", out)
    no_traceback(result)
    assert result.returncode == 1 and "not XLIFF 1.2" in result.stderr and "document:2.0" in result.stderr


# -- 13. decoding ------------------------------------------------------------------------------


def test_utf8_with_three_stray_bytes_beside_three_letters_stays_utf8():
    from workbench.formats.decoding import decode

    data = (
        "Grüße aus München".encode() + " schön".encode("latin-1") + " Straße".encode() + " für".encode("latin-1") + " Bär".encode("latin-1")
    )
    decoded = decode(data, "letter.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text == "Grüße aus München sch\ufffdn Straße f\ufffdr B\ufffdr"
    assert decoded.warnings == ("letter.txt: not valid UTF-8 at bytes 24, 36, 40; replaced with U+FFFD",)


# -- 14. lock files out of sight ---------------------------------------------------------------


def test_a_run_leaves_nothing_for_git_to_show_but_translations(translated):
    _, out = translated
    subprocess.run(["git", "init", "-q", str(out)], check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=out, capture_output=True, text=True).stdout
    shown = sorted(line[3:] for line in status.splitlines())
    assert shown == ["more.en.txt", "more.json", "news.en.txt", "news.json"]
    assert list((out / ".cache" / "locks").glob("*.lock"))
