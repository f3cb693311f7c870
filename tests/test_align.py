from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.toy import to_toyish
from tests.conftest import ROOT
from workbench.align.aligner import align, gale_church, sentence_features
from workbench.align.bitext import align_files, save_bitext
from workbench.review.workspace import Workspace


def links(result):
    return [(list(link.src), list(link.tgt)) for link in result]


SPANISH = [
    "Artículo 1.",
    "Todos los seres humanos nacen libres e iguales en dignidad y derechos.",
    "Dotados como están de razón y conciencia, deben comportarse fraternalmente los unos con los otros.",
    "Artículo 2.",
    "Toda persona tiene todos los derechos y libertades proclamados en esta Declaración, sin distinción alguna de raza, color, sexo, idioma, religión, opinión política o de cualquier otra índole.",
    "Artículo 3.",
    "Todo individuo tiene derecho a la vida, a la libertad y a la seguridad de su persona.",
]
ENGLISH = [
    "Article 1.",
    "All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.",
    "Article 2.",
    "Everyone is entitled to all the rights and freedoms set forth in this Declaration, without distinction of any kind, such as race, colour, sex, language, religion, political or other opinion.",
    "Article 3.",
    "Everyone has the right to life, liberty and security of person.",
]


def test_two_to_one_and_one_to_one():
    assert links(align(SPANISH, ENGLISH, src_lang="es")) == [([0], [0]), ([1, 2], [1]), ([3], [2]), ([4], [3]), ([5], [4]), ([6], [5])]


def test_deletions_on_either_side():
    # Article 2 is missing from the English; then the Spanish lacks Article 3's text.
    english = [ENGLISH[0], ENGLISH[1], ENGLISH[4], ENGLISH[5]]
    assert links(align(SPANISH, english, src_lang="es")) == [([0], [0]), ([1, 2], [1]), ([3], []), ([4], []), ([5], [2]), ([6], [3])]
    assert links(align(SPANISH[:6], ENGLISH, src_lang="es"))[-1] == ([], [5])


def test_right_to_left_source_with_numbers():
    arabic = [
        "المادة 1",
        "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق.",
        "المادة 2",
        "لكل إنسان حق التمتع بكافة الحقوق والحريات الواردة في هذا الإعلان، دون أي تمييز.",
        "المادة 3",
        "لكل فرد الحق في الحياة والحرية وسلامة شخصه.",
    ]
    english = [
        "Article 1",
        "All human beings are born free and equal in dignity and rights.",
        "Article 2",
        "Everyone is entitled to all the rights and freedoms set forth in this Declaration, without distinction of any kind.",
        "(This note on Article 2 appears in the English edition only, for readers in 1948.)",
        "Article 3",
        "Everyone has the right to life, liberty and security of person.",
    ]
    assert links(align(arabic, english, src_lang="ar")) == [
        ([0], [0]),
        ([1], [1]),
        ([2], [2]),
        ([3], [3]),
        ([], [4]),
        ([4], [5]),
        ([5], [6]),
    ]


@pytest.mark.parametrize(
    ("words", "skeleton"),
    [
        pytest.param(["Jacob", "Ιακώβ", "Иаков", "Яків", "Յակոբ", "يعقوب"], "s:kb", id="Jacob"),
        pytest.param(["Rachel", "Ραχήλ", "Рахиль"], "s:rkl", id="Rachel"),
        pytest.param(["Laban", "Λάβαν", "Лаван"], "s:lbn", id="Laban"),
        pytest.param(["Moses", "Μωυσής", "Моисей", "موسى"], "s:ms", id="Moses"),
    ],
)
def test_names_transliterate_to_one_anchor_across_scripts(words, skeleton):
    for word in words:
        assert skeleton in sentence_features(f"Then {word} came", "ar" if word == "يعقوب" or word == "موسى" else "")


def test_names_across_scripts_anchor_the_alignment():
    # The Greek splits what the English says in one sentence; only the names tell where.
    greek = [
        "Ο Ιακώβ πήγε στη Χαράν.",
        "Εκεί είδε τη Ραχήλ.",
        "Ήταν η κόρη του Λάβαν, του αδελφού της μητέρας του.",
        "Ο Λάβαν έτρεξε να τον συναντήσει.",
    ]
    english = [
        "And Jacob went to Haran.",
        "There he saw Rachel, who was the daughter of Laban, his mother's brother.",
        "And Laban ran to meet him.",
    ]
    assert links(align(greek, english, src_lang="el")) == [([0], [0]), ([1, 2], [1]), ([3], [2])]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="abc xyz.?1", min_size=1, max_size=60), max_size=25),
    st.lists(st.text(alphabet="abc xyz.?1", min_size=1, max_size=60), max_size=25),
)
def test_every_sentence_in_exactly_one_link_in_order(source, target):
    result = align(source, target)
    assert [i for link in result for i in link.src] == list(range(len(source)))
    assert [j for link in result for j in link.tgt] == list(range(len(target)))
    assert all(link.src or link.tgt for link in result)
    assert all(link.score >= 0.0 or not (link.src and link.tgt) for link in result)


def test_gale_church_baseline_is_monotone_and_complete():
    result = gale_church(SPANISH, ENGLISH)
    assert [i for link in result for i in link.src] == list(range(len(SPANISH)))
    assert [j for link in result for j in link.tgt] == list(range(len(ENGLISH)))


def test_mt_assisted_alignment_with_the_toy_model(tmp_path, toy_model, engine):
    english = [
        "the workers want bread.",
        "solidarity with all comrades.",
        "our children need a new school.",
        "we stand with the people of the world.",
    ]
    toyish = [
        to_toyish(english[0]),
        to_toyish("they will not win the war."),
        to_toyish(english[1]),
        to_toyish(english[2]),
        to_toyish(english[3]),
    ]

    def translate(sentences):
        results = engine.translate(toy_model, sentences)
        return [results[s].text for s in sentences]

    assert links(align(toyish, english, src_lang="xx", translate=translate)) == [([0], [0]), ([1], []), ([2], [1]), ([3], [2]), ([4], [3])]


def test_sentences_per_line_json_cli(tmp_path):
    src = tmp_path / "src.txt"
    tgt = tmp_path / "tgt.txt"
    src.write_text("\n".join(SPANISH) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "align", str(src), str(tgt), "--src-lang", "es", "--sentences-per-line", "--json", "--out", str(tmp_path / "translations")],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(list(item) == ["src", "tgt", "score"] and isinstance(item["score"], float) for item in lines)
    assert [(item["src"], item["tgt"]) for item in lines] == [([0], [0]), ([1, 2], [1]), ([3], [2]), ([4], [3]), ([5], [4]), ([6], [5])]
    assert "bitext stored in" in result.stderr


def test_bitext_is_stored_and_opens_for_review(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "declaracion.txt").write_text(" ".join(SPANISH[:3]) + "\n\n" + " ".join(SPANISH[3:]) + "\n", encoding="utf-8")
    (corpus / "declaration.en.txt").write_text(" ".join(ENGLISH[:2]) + "\n\n" + " ".join(ENGLISH[2:]) + "\n", encoding="utf-8")
    bitext = align_files(corpus / "declaracion.txt", corpus / "declaration.en.txt", src_lang="auto")
    assert bitext.src_lang == "es"
    assert bitext.source_sentences() == SPANISH
    out = tmp_path / "translations"
    save_bitext(out, bitext)
    workspace = Workspace(corpus, out)
    document = workspace.open("declaracion.bitext")
    records = document.translation.segments
    # Sentences are split on both sides: the English paragraph's two sentences pair 1-1.
    assert [(r.source, r.correction) for r in records[1:3]] == [
        (SPANISH[1], "All human beings are born free and equal in dignity and rights."),
        (SPANISH[2], "They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood."),
    ]
    assert records[1].status == "edited" and "aligned with" in records[1].note
    assert all(document.text[r.start : r.end] == r.source for r in records)
    assert document.rendering() == " ".join(ENGLISH[:2]) + "\n\n" + " ".join(ENGLISH[2:]) + "\n"
