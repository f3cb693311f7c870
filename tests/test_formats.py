"""Documents beyond plain text: each format read, translated with the toy model, and rendered
in its own format; real saved pages and a Word-made file; bad files; `workbench text`/`fetch`."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from lxml import html

from builders.toy import to_toyish
from tests.conftest import ROOT
from tests.formats_data import ENGLISH, TOY, ToySegmenter, docx_bytes, pdf_bytes, write_corpus
from workbench.core.errors import InputError
from workbench.core.settings import Settings
from workbench.formats.readers import extract
from workbench.review.workspace import Workspace
from workbench.store.files import load
from workbench.translate.run import translate_corpus

DATA = Path(__file__).parent / "data"


@pytest.fixture
def translated(tmp_path, toy_model):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    out = tmp_path / "translations"
    summary = translate_corpus([corpus], Settings(translations=out), segmenter=ToySegmenter())
    assert summary.errors == [] and summary.written == 8
    return corpus, out


def test_every_format_gets_a_rendering_in_its_own_format(translated):
    _, out = translated
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == sorted(
        ["page.html.json", "page.html.en.txt", "page.en.html", "letter.docx.json", "letter.docx.en.txt", "letter.en.docx",
         "letter.odt.json", "letter.odt.en.txt", "letter.en.odt", "statement.pdf.json", "statement.pdf.en.txt",
         "statement.pdf.en.html", "speech.srt.json", "speech.srt.en.txt", "speech.en.srt", "speech.vtt.json",
         "speech.vtt.en.txt", "speech.en.vtt", "notes.md.json", "notes.md.en.txt", "notes.en.md", "plain.json", "plain.en.txt"]
    )  # fmt: skip
    assert load(out / "letter.docx.json").format == "docx" and load(out / "plain.json").format == "text"


def test_offsets_slice_back_to_the_extracted_text(translated):
    _, out = translated
    for json_path in out.glob("*.json"):
        translation = load(json_path)
        source = Path(translation.path)
        text = subprocess.run([sys.executable, "-m", "workbench.cli", "text", str(source)], capture_output=True, cwd=ROOT).stdout.decode()
        assert text, source
        for record in translation.segments:
            assert text[record.start : record.end] == record.source


def test_html_markup_kept_text_replaced_direction_fixed(translated):
    corpus, out = translated
    before = html.document_fromstring((corpus / "page.html").read_bytes().decode("cp1252"))
    after = html.document_fromstring((out / "page.en.html").read_bytes().decode("utf-8"))
    # Every element stays but scripts: a rendering is inert by default (keep_active_content keeps them).
    assert [e.tag for e in before.iter() if isinstance(e.tag, str) and e.tag != "script"] == [
        e.tag for e in after.iter() if isinstance(e.tag, str)
    ]
    assert list(before.iter("script")) and not list(after.iter("script"))
    assert [e.get("href") for e in before.iter("a")] == [e.get("href") for e in after.iter("a")]
    assert [s.text for s in before.iter("style")] == [s.text for s in after.iter("style")]
    assert (after.get("lang"), after.get("dir")) == ("en", "ltr")
    assert after.find(".//meta").get("charset") == "utf-8"  # the file is written as UTF-8
    assert after.find(".//h1").text_content() == ENGLISH  # English untouched
    assert after.find(".//p[@class='lead']").text_content() == "the workers want bread"
    # The bold word and the link keep their formatting on their own English words.
    assert after.find(".//p[@class='lead']/b").text == "want"
    link = after.find(".//p[@class='lead']/a")
    assert (link.text, link.get("href")) == ("bread", "https://example.org/x")
    assert after.find(".//td").text_content() == TOY[1]
    assert after.find(".//li").text_content() == TOY[2]
    assert after.find(".//p[@hidden]").text_content() == before.find(".//p[@hidden]").text_content()  # hidden: not read
    assert after.find(".//nav").text_content() == "Home"  # navigation boilerplate: not read


def test_docx_and_odt_keep_structure_and_styles(translated):
    import docx
    from odf.opendocument import load as load_odt
    from odf.text import H, P

    corpus, out = translated
    before, after = docx.Document(str(corpus / "letter.docx")), docx.Document(str(out / "letter.en.docx"))
    assert [p.style.name for p in before.paragraphs] == [p.style.name for p in after.paragraphs]
    assert [p.text for p in after.paragraphs if p.text] == [ENGLISH, TOY[0], TOY[2]]
    # Each run keeps its formatting on its own words: the bold run's words were translated
    # apart and found in the sentence's English.
    runs = [(run.text, run.bold, run.italic) for run in after.paragraphs[1].runs if run.text]
    assert runs == [("the workers ", True, None), ("want bread", None, True)]  # the space where it was
    assert [c.text for c in after.tables[0].rows[0].cells] == [TOY[1], "2024"]
    odt = load_odt(str(out / "letter.en.odt"))
    from odf import teletype

    assert [teletype.extractText(h) for h in odt.getElementsByType(H)] == [ENGLISH]
    assert [teletype.extractText(p) for p in odt.getElementsByType(P)] == [TOY[0], TOY[1]]


def test_subtitles_keep_timings_markdown_keeps_markup_pdf_becomes_text_and_html(translated):
    corpus, out = translated
    srt = (out / "speech.en.srt").read_text(encoding="utf-8")
    assert srt.splitlines()[:4] == ["1", "00:00:01,000 --> 00:00:03,500", TOY[0], ""]
    assert [line for line in srt.splitlines() if "-->" in line] == [
        line for line in (corpus / "speech.srt").read_text(encoding="utf-8").splitlines() if "-->" in line
    ]
    assert ENGLISH in srt and TOY[1] in srt
    vtt = (out / "speech.en.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\nNOTE made for tests\n\n00:01.000 --> 00:03.500\n" + TOY[0] + "\n")
    assert (out / "notes.en.md").read_text(encoding="utf-8") == f"# {ENGLISH}\n\n* {TOY[0]}\n* [{TOY[1]}](https://example.org/a)\n"
    page = html.document_fromstring((out / "statement.pdf.en.html").read_bytes())
    assert [p.text_content() for p in page.iter("p")] == [TOY[0] + ".", TOY[1] + "."]


def test_a_correction_in_review_reaches_every_rendering(translated):
    import docx

    corpus, out = translated
    ws = Workspace(corpus, out)
    for doc_id, check in (
        ("letter.docx", lambda: [p.text for p in docx.Document(str(out / "letter.en.docx")).paragraphs]),
        ("page.html", lambda: (out / "page.en.html").read_text(encoding="utf-8")),
        ("speech.srt", lambda: (out / "speech.en.srt").read_text(encoding="utf-8")),
    ):
        record = next(r for r in ws.open(doc_id).translation.segments if r.lang == "xx")
        ws.save_correction(doc_id, record.id, "Corrected by a reviewer.", record.revision)
        assert "Corrected by a reviewer." in str(check()), doc_id


@pytest.mark.parametrize("page", ["la-nacion", "rtl-1"])
def test_real_saved_pages(tmp_path, toy_model, page):
    """Pages saved from the web (mozilla/readability's test pages): every block translated (the
    toy model, forced), the markup around it the same."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = (DATA / "pages" / f"{page}.html").read_bytes()
    (corpus / f"{page}.html").write_bytes(source)
    out = tmp_path / "out"
    summary = translate_corpus([corpus], Settings(translations=out), force_lang="xx")
    assert summary.errors == []
    before = html.document_fromstring(source)
    after = html.document_fromstring((out / f"{page}.en.html").read_bytes())
    assert Counter(e.tag for e in before.iter() if isinstance(e.tag, str)) == Counter(e.tag for e in after.iter() if isinstance(e.tag, str))
    assert [e.get("href") for e in before.iter("a")] == [e.get("href") for e in after.iter("a")]
    assert [s.text for s in before.iter("script")] == [s.text for s in after.iter("script")]
    # lang="en" goes on the elements whose text became English; the page's own (if any) too.
    assert after.get("lang") == "en" if before.get("lang") else after.get("lang") in (None, "en")
    assert sum(e.get("lang") == "en" for e in after.iter() if isinstance(e.tag, str)) >= 3 and after.get("dir") != "rtl"
    translation = load(out / f"{page}.html.json")
    text = extract(source, f"{page}.html").text
    assert all(text[r.start : r.end] == r.source for r in translation.segments)
    assert all(r.machine is not None for r in translation.segments if r.lang == "xx")


def test_a_word_made_file(tmp_path, toy_model):
    import docx

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "word.docx").write_bytes((DATA / "docx" / "word-paras-and-tables.docx").read_bytes())
    out = tmp_path / "out"
    assert translate_corpus([corpus], Settings(translations=out), force_lang="xx").errors == []
    before, after = docx.Document(str(corpus / "word.docx")), docx.Document(str(out / "word.en.docx"))
    assert [p.style.name for p in before.paragraphs] == [p.style.name for p in after.paragraphs]
    assert len(after.tables) == len(before.tables) > 0
    changed = [(a.text, b.text) for a, b in zip(before.paragraphs, after.paragraphs) if a.text]
    assert all(new != old for old, new in changed)  # every paragraph with text was replaced


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param("empty.docx", b"", "is empty (0 bytes)", id="zero-byte-docx"),
        pytest.param("empty.odt", b"", "is empty (0 bytes)", id="zero-byte-odt"),
        pytest.param("empty.pdf", b"", "is empty (0 bytes)", id="zero-byte-pdf"),
        pytest.param("corrupt.docx", b"PK\x03\x04 not really a zip", "is not a readable .docx", id="corrupt-docx"),
        pytest.param(
            "locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "encrypted (password-protected)", id="encrypted-docx"
        ),
        pytest.param("corrupt.odt", b"not a zip", "is not a readable .odt", id="corrupt-odt"),
        pytest.param("corrupt.pdf", b"%PDF-1.4\ngarbage", "is not a readable PDF", id="corrupt-pdf"),
        pytest.param("scanned.pdf", pdf_bytes([]), "has no text layer (a scanned PDF?)", id="scanned-pdf"),
        pytest.param("none.srt", b"just words\n", "has no subtitle cues", id="not-subtitles"),
    ],
)
def test_bad_files_are_named_and_the_others_go_through(tmp_path, toy_model, name, data, message):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / name).write_bytes(data)
    (corpus / "good.docx").write_bytes(docx_bytes())
    out = tmp_path / "out"
    summary = translate_corpus([corpus], Settings(translations=out), segmenter=ToySegmenter())
    assert summary.written == 1 and (out / "good.en.docx").is_file()
    assert len(summary.errors) == 1 and name in summary.errors[0] and message in summary.errors[0]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["good.docx.en.txt", "good.docx.json", "good.en.docx"]


def test_html_with_a_wrong_declared_charset_is_read_right(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Dünya devriminin yeni havzası! Şimdi çok güzel.</p></body></html>'
    extracted = extract(page.encode("utf-8"), "page.html")  # the bytes are UTF-8 whatever the page says
    assert extracted.text == "Dünya devriminin yeni havzası! Şimdi çok güzel.\n"


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html><body><p>Hello from a local page.</p></body></html>"
        self.send_response(200 if self.path == "/news/today" else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_fetch_saves_the_page_with_its_address_and_time(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        run = [sys.executable, "-m", "workbench.cli", "fetch", "--into", str(tmp_path / "corpus")]
        result = subprocess.run([*run, f"{base}/news/today"], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert result.returncode == 0, result.stderr
        (saved,) = (tmp_path / "corpus").glob("*.html")
        record = json.loads((tmp_path / "corpus" / f".{saved.name}.source.json").read_text(encoding="utf-8"))
        assert record["url"] == f"{base}/news/today" and record["fetched"].endswith("Z") and record["status"] == 200
        assert extract(saved.read_bytes(), str(saved)).text == "Hello from a local page.\n"
        missing = subprocess.run([*run, f"{base}/gone"], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert missing.returncode == 1 and "404" in missing.stderr
    finally:
        server.shutdown()
    offline = subprocess.run([*run, "http://127.0.0.1:9/page"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert offline.returncode == 1 and "cannot be fetched" in offline.stderr and "Traceback" not in offline.stderr


def test_a_very_large_page_is_read_with_a_warning_naming_it():
    from workbench.core.limits import Limits

    page = ("<html><body>" + "<p>Solidarity with the workers of the port.</p>" * 10 + "</body></html>").encode()
    extracted = extract(page, "big.html", limits=Limits(large_input_bytes=100))  # 20 MB in real use
    assert extracted.text.count("Solidarity") == 10
    (warning,) = extracted.warnings
    assert warning.startswith("big.html: a large file")
    with pytest.raises(InputError, match=r"big\.html: is 496 bytes, more than the 200 bytes the workbench reads"):
        extract(page, "big.html", limits=Limits(max_input_bytes=200))


def test_pdf_paragraphs_are_rebuilt_from_lines_without_running_heads_or_split_words():
    article = pdf_bytes(
        ["Workers Journal 3", "A Study of Strikes", "Ana Lima and Bo Chen", "1 Introduction", "The manip-",
         "ulation of wages by the owners of the port was the", "cause of the long strike that began in the spring and",
         "ended in autumn.", "7"],
        ["Workers Journal 4", "It was the second strike of the year and the workers", "won their demands.", "8"],
    )  # fmt: skip
    assert extract(article, "article.pdf").text.split("\n\n") == [
        "A Study of Strikes",
        "Ana Lima and Bo Chen",
        "1 Introduction",
        "The manipulation of wages by the owners of the port was the cause of the long strike that began in the spring and ended in autumn.",
        "It was the second strike of the year and the workers won their demands.\n",
    ]


def test_xliff_carries_inline_spans_as_g_and_images_as_x_and_imports_back_unchanged(translated, tmp_path):
    from lxml import etree

    from workbench.exchange.bilingual import export, import_file

    corpus, out = translated
    workspace = Workspace(corpus, out)
    data = export(workspace, "xliff", ["page.html"])
    schema = etree.XMLSchema(etree.parse(str(DATA / "xliff-core-1.2-strict.xsd")))
    root = etree.fromstring(data)
    schema.assertValid(root)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    lead = next(unit for unit in root.iterfind(".//x:trans-unit", ns) if unit.find("x:source/x:g", ns) is not None)
    # The bold word and the link: <g> in the source, and on their English words in the target.
    assert [g.text for g in lead.iterfind("x:source/x:g", ns)] == [to_toyish("want"), to_toyish("bread")]
    assert [g.text for g in lead.iterfind("x:target/x:g", ns)] == ["want", "bread"]
    assert "".join(lead.find("x:target", ns).itertext()) == "the workers want bread"
    # The image between the words: an <x/> numbered after the spans, in the source and the target.
    image = lead.find("x:source/x:x", ns)
    assert (image.get("id"), image.get("ctype"), image.getprevious()) == ("3", "image", None)
    assert lead.find("x:source", ns).text == to_toyish("the workers") + " "
    placed = lead.find("x:target/x:x", ns)
    assert placed.get("id") == "3" and lead.find("x:target", ns).text == "the workers "  # before a word, as in the source
    (tmp_path / "page.xlf").write_bytes(data)
    report = import_file(workspace, tmp_path / "page.xlf")
    assert report.updated == [] and report.conflicts == []  # tags are not text: nothing changed
