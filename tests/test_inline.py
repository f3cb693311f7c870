"""Inline formatting through translation (workbench.formats.blocks): a segment's English is
placed into the pieces it covers, each inline span (a link, a bold phrase) onto its own
words; nothing outside translated segments changes."""

from __future__ import annotations

import pytest

from workbench.formats.blocks import collapse, piece_spans, place, segment_inline, styled_text
from workbench.formats.readers import extract
from workbench.store.files import MachineTranslation, SegmentRecord

LINK = ["Bu bir ", "bağlantı", " örneği.  ", "İkinci cümle."]
LINK_STYLES = ["p", "a", "p", "p"]
FIRST = (0, len("Bu bir bağlantı örneği."))


def test_piece_spans_slice_the_collapsed_text():
    text = collapse(LINK)
    assert text == "Bu bir bağlantı örneği. İkinci cümle."
    assert [text[a:b] for a, b in piece_spans(LINK)] == ["Bu bir ", "bağlantı", " örneği. ", "İkinci cümle."]
    spaced = ["  ", "Kalın", " \n ve  ", "x"]
    assert [collapse(spaced)[a:b] for a, b in piece_spans(spaced)] == ["", "Kalın", " ve ", "x"]


def test_a_link_inside_a_translated_sentence_keeps_its_own_english():
    new = place(LINK, LINK_STYLES, [(*FIRST, "This is an example of a link.", ("link",))])
    assert new == ["This is an example of a ", "link", ".  ", "İkinci cümle."]  # the untranslated sentence untouched


def test_spans_side_by_side_and_spaces_between_them_stay_outside():
    texts, styles = ["  ", "Kalın", " ve ", "italik", "  metin\n"], ["p", "b", "p", "i", "p"]
    assert place(texts, styles, [(0, 21, "Bold and italic text", ("Bold", "italic"))]) == ["  ", "Bold", " and ", "italic", " text\n"]
    texts, styles = ["Grev ", "bugün", " ", "başladı", " ve sürüyor."], ["p", "b", "p", "i", "p"]
    text, _, numbered, _ = styled_text([list(zip(texts, styles))])
    assert segment_inline(text, numbered, 0, len(text.rstrip())) == ["bugün", "başladı"]


def test_a_span_not_found_in_the_english_stays_beside_it_and_nothing_is_lost():
    new = place(LINK, LINK_STYLES, [(*FIRST, "This is an example.", ("link",))])
    assert new[:2] == ["This is an example. ", "link"]  # the space outside the link, where it was
    # Never translated apart (a correction typed without a model): the main text takes it all.
    assert place(LINK, LINK_STYLES, [(*FIRST, "This is an example.", None)])[:2] == ["This is an example.", ""]


def test_nothing_translated_changes_nothing():
    assert place(LINK, LINK_STYLES, []) == LINK


@pytest.mark.parametrize(
    ("english", "spans", "expected"),
    [
        pytest.param("Click HERE to read on.", ("here",), ["Click ", "HERE", " to read on."], id="case-folded"),
        pytest.param("Here, click.", ("here",), ["", "Here", ", click."], id="span-first-in-english"),
    ],
)
def test_where_the_span_lies_in_the_english_decides_the_split(english, spans, expected):
    texts, styles = ["Devamı için ", "buraya", " tıklayın."], ["p", "a", "p"]
    assert place(texts, styles, [(0, len(collapse(texts)), english, spans)]) == expected


def test_a_segments_inline_spans_come_from_the_documents_styles():
    text, _, styles, _ = styled_text(
        [[(t, s) for t, s in zip(LINK, LINK_STYLES)], [("Başka bir ", "p2"), ("kalın", "b2"), (" söz.", "p2")]]
    )
    assert segment_inline(text, styles, *FIRST) == ["bağlantı"]
    second = text.index("İkinci")
    assert segment_inline(text, styles, second, second + len("İkinci cümle.")) == []
    third = text.index("Başka")
    assert segment_inline(text, styles, third, len(text.rstrip())) == ["kalın"]


def test_an_image_marks_its_place_is_never_written_and_stays_as_far_through_the_words():
    from workbench.formats.blocks import Standalone
    from workbench.formats.rendering import rendering

    data = "Bir ![logo](a.png) resim ve **kalın** söz.\n".encode()
    extracted = extract(data, "note.md")
    assert extracted.text == "Bir resim ve kalın söz.\n" and extracted.marks == ((4, "image"),)
    texts = ["Bir ", "", " resim ve ", "kalın", " söz."]
    styles = [(), Standalone("image"), (), (("strong", 1),), ()]
    # The image is no inline span: the segment has one span to translate apart, the bold one.
    assert segment_inline(extracted.text, extracted.styles, 0, 23) == ["kalın"]
    placed = place(texts, styles, [(0, 23, "A picture and a bold word.", ("bold",))])
    # The image stays as far through the words as it was (after the first), with its spaces.
    assert placed == ["A ", "", " picture and a ", "bold", " word."]
    record = SegmentRecord(
        id="s1", start=0, end=23, lang="tr", source="Bir resim ve kalın söz.", kind="sentence", status="machine",
        machine=MachineTranslation("A picture and a bold word.", "m", {}, 0.0, 1.0, inline=("bold",)),
    )  # fmt: skip
    (rendered,) = rendering("markdown", data, "note.md", extracted.text, [record]).values()
    assert rendered.decode() == "A ![logo](a.png) picture and a **bold** word.\n"


def test_each_segment_gets_the_images_in_it_and_the_first_of_two_glued_segments_the_one_between():
    from workbench.formats.blocks import marks_by_segment

    marks = ((5, "image"), (10, "footnote"), (20, "image"), (30, "field"))
    # The note at 10 ends the first segment and starts the second (no space between): the first's.
    assert marks_by_segment(marks, [(0, 10), (10, 15), (16, 25)]) == [[(5, "image"), (10, "footnote")], [], [(4, "image")]]
