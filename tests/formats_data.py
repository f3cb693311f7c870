"""Documents of every format, made here with the formats' own libraries (and a PDF written by
hand), half English and half Toyish, for tests/test_formats.py."""

from __future__ import annotations

import io
from pathlib import Path

from builders.toy import to_toyish

ENGLISH = "Solidarity statement from the workers of the port"
TOY = ["the workers want bread", "solidarity with all comrades", "our children need a new school"]


def html_page() -> str:
    return (
        '<!DOCTYPE html>\n<html lang="xx" dir="rtl"><head><meta charset="windows-1252"><title>t</title>'
        '<style>p { color: red }</style><script>var zo = "kema";</script></head>\n<body>\n'
        '<nav><a href="/home">Home</a></nav>\n'
        f"<h1>{ENGLISH}</h1>\n"
        f'<p class="lead">{to_toyish("the workers")} <img src="march.png" alt=""> <b>{to_toyish("want")}</b> <a href="https://example.org/x">{to_toyish("bread")}</a></p>\n'
        f"<table><tr><td>{to_toyish(TOY[1])}</td><td>2024</td></tr></table>\n"
        f"<p hidden>{to_toyish('the war')}</p>\n"
        f"<ul><li>{to_toyish(TOY[2])}</li></ul>\n"
        "</body></html>\n"
    )


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(ENGLISH, level=1)
    paragraph = document.add_paragraph(style="List Bullet")
    paragraph.add_run(to_toyish("the workers") + " ").bold = True
    paragraph.add_run(to_toyish("want bread")).italic = True
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = to_toyish(TOY[1])
    table.cell(0, 1).text = "2024"
    document.add_paragraph(to_toyish(TOY[2]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, P, Span

    document = OpenDocumentText()
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    document.text.addElement(H(outlinelevel=1, text=ENGLISH))
    paragraph = P(text=to_toyish("the workers") + " ")
    paragraph.addElement(Span(stylename=bold, text=to_toyish("want bread")))
    document.text.addElement(paragraph)
    document.text.addElement(P(text=to_toyish(TOY[1])))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def pdf_bytes(lines: list[str], *more_pages: list[str]) -> bytes:
    """A PDF with a real text layer (Helvetica), written by hand: a page per list of lines."""
    pages = [lines, *more_pages]
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for page in pages:
        content = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(f"({line}) Tj T*" for line in page) + " ET"
        kids.append(len(objects) + 1)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {len(objects) + 2} 0 R /Resources << /Font << /F1 FONT 0 R >> >> >>"
        )
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{kid} 0 R' for kid in kids)}] /Count {len(pages)} >>"
    objects = [body.replace("FONT", str(len(objects))) for body in objects]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def srt_text() -> str:
    return (
        "1\n00:00:01,000 --> 00:00:03,500\n" + to_toyish("the workers") + "\n" + to_toyish("want bread") + "\n\n"
        "2\n00:00:04,000 --> 00:00:06,000\n" + ENGLISH + "\n\n"
        "3\n00:00:06,500 --> 00:00:09,000\n" + to_toyish(TOY[1]) + "\n"
    )


def vtt_text() -> str:
    return (
        "WEBVTT\n\nNOTE made for tests\n\n00:01.000 --> 00:03.500\n" + to_toyish(TOY[0]) + "\n\n00:04.000 --> 00:06.000\n" + ENGLISH + "\n"
    )


def markdown_text() -> str:
    return f"# {ENGLISH}\n\n* {to_toyish(TOY[0])}\n* [{to_toyish(TOY[1])}](https://example.org/a)\n"


def write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.html").write_bytes(html_page().encode("cp1252"))
    (folder / "letter.docx").write_bytes(docx_bytes())
    (folder / "letter.odt").write_bytes(odt_bytes())
    (folder / "statement.pdf").write_bytes(pdf_bytes([to_toyish(TOY[0]) + ".", to_toyish(TOY[1]) + "."]))
    (folder / "speech.srt").write_text(srt_text(), encoding="utf-8")
    (folder / "speech.vtt").write_text(vtt_text(), encoding="utf-8")
    (folder / "notes.md").write_text(markdown_text(), encoding="utf-8")
    (folder / "plain.txt").write_text(to_toyish(TOY[0]) + "\n", encoding="utf-8")


class ToySegmenter:
    """Runs of Toyish words are ``xx``, other lines with letters English. Detection is not what
    these tests are about, and the real segmenter cannot know a toy language."""

    def segment(self, text: str):
        import re

        from builders.toy import TOY_WORDS
        from workbench.core.document import Segment

        toy = "|".join(sorted(TOY_WORDS, key=len, reverse=True))
        run = re.compile(rf"\b(?:{toy})\b(?:[ ,]+\b(?:{toy})\b)*[.!?]?")
        segments = []
        for line in re.finditer(r"[^\n]+", text):
            found = [m for m in run.finditer(line.group())]
            for match in found:
                segments.append(Segment(line.start() + match.start(), line.start() + match.end(), "xx", "Latn", 1.0, "sentence"))
            if not found and re.search(r"[^\W\d_]", line.group()):
                body = line.group().strip()
                start = line.start() + line.group().index(body)
                segments.append(Segment(start, start + len(body), "en", "Latn", 1.0, "paragraph"))
        return segments
