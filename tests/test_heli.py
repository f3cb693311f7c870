"""HeLI over the vendored HeLI-OTS models (split/heli.py): heliport's numbers, its backoff
rules on a model small enough to score by hand, and the tables' cache."""

from __future__ import annotations

import io
import math
import tarfile

import numpy as np
import pytest

from workbench.core import languages
from workbench.split import heli, langid

# heliport 1.0.1's own answers, from `heliport identify -c -s -p 6 -l <the 34 models kept then>` over
# heliport's plain-text LanguageModels: (the winning model, its mean score per word).
HELIPORT = [
    ("I'm very proud of this team.", "eng", 2.966374),
    ("Supporter peut être insupportable.", "fra", 3.690931),
    ("J'étudie jour et nuit.", "fra", 3.586036),
    ("Ûgûrlû bal", "kmr", 4.995699),
    ("Ez baş im.", "kmr", 2.893181),
    ("Խնդրում եմ՝ եկեք և տարեք ինձ:", "hye", 3.314337),
    ("Ο Τομ αγόρασε τρεις ντουζίνες αυγά.", "ell", 3.844128),
    ("中文 text 日本語です", "jpn", 5.092101),
    ("Hello", "eng", 4.786273),
]


@pytest.mark.parametrize(("text", "model", "mean"), HELIPORT)
def test_scores_are_heliports_own_for_the_kept_languages(text, model, mean):
    table = heli.tables()
    sums, words = table.summed([text])
    means = sums[0] / words[0]
    assert table.languages[int(np.argmin(means))] == model
    assert means.min() == pytest.approx(mean, abs=1e-5)


def test_a_text_without_letters_has_no_words_and_no_probabilities():
    sums, words = heli.tables().summed(["123 !!", ""])
    assert words.tolist() == [0, 0] and not sums.any()
    assert langid.load_backend("heliport").probabilities("123 !!", ("en", "ku")) == [0.0, 0.0]


def test_every_language_detection_can_choose_has_a_model():
    kept = set(heli.tables().languages)
    detectable = {code: language.heli for code, language in languages.REGISTRY.items() if language.detectable}
    assert {code for code, model in detectable.items() if model not in kept} == set()


def _archive(path, models: dict[str, dict[str, list[tuple[str, int]]]]):
    """A HeLI-OTS model archive of ``{language: {order: [(gram, count)]}}``; the total each
    model file starts with is its counts' sum."""
    with tarfile.open(path, "w:xz") as archive:
        for language, orders in models.items():
            for order in heli.ORDERS:
                grams = orders.get(order, [])
                data = "\n".join([str(sum(count for _, count in grams) or 1), *(f"{gram}\t{count}" for gram, count in grams)])
                member = tarfile.TarInfo(f"{language}.{order}.model")
                member.size = len(data.encode("utf-8"))
                archive.addfile(member, io.BytesIO(data.encode("utf-8")))
    return path


def test_words_back_off_to_the_longest_grams_some_model_knows(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    models = {
        "aaa": {"word": [("cat", 3), ("dog", 1)], "trigram": [(" ca", 1), ("at ", 1)], "unigram": [("x", 1), ("y", 1)]},
        "bbb": {"word": [("dog", 1)], "bigram": [(" c", 1)], "unigram": [("x", 1)]},
    }
    table = heli.tables.__wrapped__(_archive(tmp_path / "models.tar.xz", models))
    assert table.languages == ("aaa", "bbb")
    p = heli.PENALTY
    sums, words = table.summed(["Cat, DOG!", "cab", "xy", "qq"])
    assert words.tolist() == [2, 1, 1, 1]
    # "cat": a word of aaa's (3 of 4 words) that bbb lacks; "dog": one of 4 in aaa, 1 of 1 in bbb.
    assert sums[0] == pytest.approx([-math.log10(3 / 4) - math.log10(1 / 4), p + 0.0])
    # "cab" is no word: its trigrams " ca" "cab" "ab " hold one aaa knows (one of its two), so
    # it is scored at that order, as the mean over the grams known (bbb's bigram is not reached).
    assert sums[1] == pytest.approx([-math.log10(1 / 2), p])
    # "xy": no trigram, no bigram known; unigrams x and y: aaa knows both, bbb only x.
    assert sums[2] == pytest.approx([-math.log10(1 / 2), (-math.log10(1.0) + p) / 2])
    # "qq": nothing known at any order: it scores nothing anywhere.
    assert sums[3] == pytest.approx([0.0, 0.0])


def test_tables_are_built_once_then_mapped(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = _archive(tmp_path / "models.tar.xz", {"aaa": {"word": [("cat", 1)]}})
    first = heli.tables.__wrapped__(source)
    (folder,) = (tmp_path / "cache" / "translation-workbench").iterdir()
    assert folder.name.startswith("heli-") and (folder / "keys.npy").is_file()
    again = heli.tables.__wrapped__(source)
    assert isinstance(again.keys.base, np.memmap) and np.array_equal(again.keys, first.keys)


def test_a_rebuilt_table_replaces_the_one_before_it(tmp_path, monkeypatch):
    """An upgraded model (or workbench) must not leave its old tables behind: 34-170 MB each."""
    import json
    import os

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = tmp_path / "cache" / "translation-workbench"
    source = _archive(tmp_path / "models.tar.xz", {"aaa": {"word": [("cat", 1)]}})
    other = _archive(tmp_path / "other.tar.xz", {"bbb": {"word": [("dog", 1)]}})
    heli.tables.__wrapped__(source)
    heli.tables.__wrapped__(other)  # another installation's tables, its source still there
    (old,) = [folder for folder in cache.iterdir() if json.loads((folder / "meta.json").read_text())["source"] == str(source)]
    gone = _archive(tmp_path / "gone.tar.xz", {"ccc": {"word": [("cow", 1)]}})
    heli.tables.__wrapped__(gone)
    gone.unlink()  # a removed environment's tables
    half_written = cache / ".heli-killed"
    half_written.mkdir()
    os.utime(half_written, (0, 0))
    _archive(source, {"aaa": {"word": [("cat", 2)]}})  # the model upgraded in place
    os.utime(source, ns=(1, 1))  # (a new mtime, whatever the clock's resolution)
    table = heli.tables.__wrapped__(source)
    assert table.scores.size == 1 and not old.exists() and not half_written.exists()
    kept = {json.loads((folder / "meta.json").read_text())["source"] for folder in cache.iterdir()}
    assert kept == {str(source), str(other)}
