from __future__ import annotations

import codecs

import pytest

from workbench.core.errors import InputError
from workbench.formats.decoding import LOW_ENCODING_CONFIDENCE, decode, decode_as, decode_bytes
from workbench.formats.inputs import document_id, iter_input_files, read_document

ARABIC = "البحر الأبيض: الحوض الجديد للثورة العالمية. لا بديل عن إسقاط الأسد والثورة مستمرة حتى النصر."
TURKISH = "Akdeniz: Dünya devriminin yeni havzası! Işçi sınıfı ve ezilenler, ağır koşullarda örgütleniyor."
GREEK = "Μεσόγειος: Νέα λεκάνη της παγκόσμιας επανάστασης! Η εργατική τάξη οργανώνεται παντού."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        pytest.param(ARABIC, "cp1256", id="arabic-cp1256"),
        pytest.param(TURKISH, "cp1254", id="turkish-cp1254"),
        pytest.param(GREEK, "iso-8859-7", id="greek-iso-8859-7"),
        pytest.param("Dünya devriminin yeni havzası! Şimdi çok güzel.", "cp1254", id="short-turkish-cp1254"),
        pytest.param("Ez baş im. Em ê herin malê.", "cp1254", id="kurmanji-cp1254"),
        pytest.param("Пролетарии всех стран, соединяйтесь! Вся власть Советам.", "koi8-r", id="russian-koi8-r"),
        pytest.param("Пролетарі всіх країн, єднайтеся! Слава праці.", "cp1251", id="ukrainian-cp1251"),
        pytest.param("Docentes por la auto-organización de las Bases: año de lucha.", "cp1252", id="spanish-cp1252"),
        pytest.param("It’s the workers’ day — “solidarity”.", "cp1252", id="english-typography-cp1252"),
    ],
)
def test_legacy_encodings_are_decoded_and_reported(tmp_path, text, encoding):
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    assert document.text == text
    # The reported encoding reproduces the text from the bytes exactly.
    assert path.read_bytes().decode(document.encoding) == text
    assert document.encoding != "utf-8"


def test_bom_is_removed_and_reported(tmp_path, segmenter):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Hello world.\nΚαλημέρα σας.".encode())
    document = read_document(path)
    assert document.encoding == "utf-8-sig"
    assert document.text == "Hello world.\nΚαλημέρα σας."
    assert [s.text_of(document.text) for s in segmenter.segment(document.text)] == ["Hello world.", "Καλημέρα σας."]


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("Merhaba dünya".encode("utf-16"))
    assert read_document(path).text == "Merhaba dünya"


def test_crlf_offsets_slice_back(tmp_path, segmenter):
    path = tmp_path / "crlf.txt"
    path.write_bytes("First line here.\r\n\r\nİkinci satır burada.\r\n".encode())
    document = read_document(path)
    assert "\r\n" in document.text  # no newline translation: offsets index the decoded bytes
    segments = segmenter.segment(document.text)
    assert [s.text_of(document.text) for s in segments] == ["First line here.", "İkinci satır burada."]
    assert [s.lang for s in segments] == ["en", "tr"]


def test_nul_bytes_name_the_file(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"some text\x00more")
    with pytest.raises(InputError, match=r"broken\.txt: contains NUL bytes at byte 9"):
        read_document(path)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(bytes(range(1, 32)) * 20 + bytes(range(128, 256)) * 4)
    with pytest.raises(InputError, match=r"image\.png"):
        read_document(path)


def test_empty_file_has_no_segments(tmp_path, segmenter):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    document = read_document(path)
    assert (document.text, document.encoding) == ("", "utf-8")
    assert segmenter.segment(document.text) == []


def test_invisible_marks_keep_offsets(segmenter):
    text = "\u200fحقيقة\u200c المقهورين\u200f\nThe Truth of the\u200b Oppressed"
    segments = segmenter.segment(text)
    assert [s.lang for s in segments] == ["ar", "en"]
    assert segments[0].text_of(text) == "حقيقة\u200c المقهورين"
    assert segments[1].text_of(text) == "The Truth of the\u200b Oppressed"


def test_sha256_is_of_the_bytes(tmp_path):
    import hashlib

    path = tmp_path / "a.txt"
    path.write_bytes(b"x")
    assert read_document(path).sha256 == hashlib.sha256(b"x").hexdigest()


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        iter_input_files([tmp_path / "nope"])


def test_document_ids_are_relative_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    file = tmp_path / "sub" / "news.txt"
    file.write_text("x")
    assert document_id(file, tmp_path) == "sub/news"
    assert document_id(file) == "news"


def test_undecodable_bom_names_the_file():
    with pytest.raises(InputError, match=r"x\.txt"):
        decode_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xfa", "x.txt")


def test_short_turkish_is_not_read_as_a_mac_code_page():
    # charset-normalizer alone picked mac-iceland here ("D¸nya … havzas˝").
    decoded = decode("Dünya devriminin yeni havzası! Şimdi çok güzel.".encode("cp1254"), "tr.txt")
    assert (decoded.encoding, decoded.text) == ("cp1254", "Dünya devriminin yeni havzası! Şimdi çok güzel.")
    assert decoded.confidence >= LOW_ENCODING_CONFIDENCE and decoded.warnings == ()


def test_utf8_with_stray_bytes_stays_utf8_and_says_where(tmp_path):
    text = "Dünya devriminin yeni havzası! Şimdi çok güzel. Μεσόγειος: Νέα λεκάνη.\n"
    data = text.encode() + b"broken \xff here\n" + text.encode() + b"\xfe\x80 end\n"
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    document = read_document(path)
    assert document.encoding == "utf-8"
    assert document.text.count("\ufffd") == 3 and document.text.startswith(text)
    assert "Şimdi çok güzel" in document.text.split("broken")[1]  # nothing garbled around them
    first = len(text.encode()) + len(b"broken ")
    (warning,) = document.warnings
    assert str(path) in warning and f"bytes {first}" in warning
    assert 0 < document.encoding_confidence < 1
    assert decode_as(data, document.encoding) == document.text  # the store reproduces it


def test_mostly_foreign_bytes_are_not_utf8():
    data = "Dünya devriminin yeni havzası".encode("cp1254") + "ü".encode()
    assert decode(data, "x").encoding == "cp1254"
