from __future__ import annotations

import pytest

from builders.toy import to_toyish
from workbench.translate.engine import GREEDY, DecodingOptions, quality_flags

ENGLISH = [
    "the workers want bread",
    "we stand with the people of the world",
    "solidarity with all comrades",
    "they will not win the war",
    "our children need a new school",
    "peace and land and bread",
    "long struggle for the revolution",
    "free the village",
]


@pytest.mark.parametrize("options", [pytest.param(DecodingOptions(), id="beam4"), pytest.param(GREEDY, id="greedy")])
def test_toy_model_translates_exactly(engine, toy_model, options):
    sources = [to_toyish(sentence) for sentence in ENGLISH]
    results = engine.translate(toy_model, sources, options)
    assert [results[source].text for source in sources] == ENGLISH
    for source in sources:
        assert 0.5 < results[source].confidence <= 1.0
        assert results[source].flags == ()


def test_duplicates_are_translated_once_and_progress_is_reported(engine, toy_model):
    calls = []
    source = to_toyish("the workers want bread")
    results = engine.translate(toy_model, [source, source, "  ", source], progress=calls.append)
    assert list(results) == [source]
    assert calls == [1]


def test_parity_with_argos_translate(engine, toy_model, monkeypatch):
    """The engine's output equals argostranslate's own translate() for the same sentences and beam."""
    from argostranslate import sbd, translate

    # Argos splits sentences with a MiniSBD model it downloads; each input here is one sentence.
    monkeypatch.setattr(sbd.MiniSBDSentencizer, "split_sentences", lambda self, text: [text])
    translate.get_installed_languages.cache_clear()
    sources = [to_toyish(sentence) for sentence in ENGLISH] + ["zo kema volas unknownword panu"]
    ours = engine.translate(toy_model, sources, DecodingOptions(beam=4))
    for source in sources:
        assert translate.translate(source, "xx", "en") == ours[source].text


def test_loads_each_model_once(engine, toy_model):
    assert engine.load(toy_model) is engine.load(toy_model)


@pytest.mark.parametrize(
    ("source", "output", "tokens", "expected"),
    [
        pytest.param("zo kema volas panu", "", [], ("empty",), id="empty"),
        pytest.param("zo kema volas panu", "zo kema volas panu", ["▁zo", "▁kema", "▁volas", "▁panu"], ("copy",), id="copy"),
        pytest.param("zo kema", "the the the the the", ["▁the"] * 5, ("repetition",), id="loop-1"),
        pytest.param("zo kema", "a b a b a b a b", ["▁a", "▁b"] * 4, ("repetition",), id="loop-2"),
        pytest.param("zo kema volas panu ke terku ke pazzu", "yes", ["▁yes"], ("length-ratio",), id="too-short"),
        pytest.param("zo kema volas panu", "the workers want bread", ["▁the", "▁workers", "▁want", "▁bread"], (), id="fine"),
    ],
)
def test_quality_flags(source, output, tokens, expected):
    assert quality_flags(source, output, tokens, 256) == expected


def test_truncated_output_is_flagged():
    assert "truncated" in quality_flags("zo", "x " * 10, ["▁x", "▁y"] * 5, 10)


def test_a_batch_decodes_at_most_three_times_its_longest_source_plus_five_tokens():
    from workbench.translate.engine import decoding_limit

    assert decoding_limit([["▁a"] * 4, ["▁b"] * 10], DecodingOptions()) == 3 * 10 + 5
    assert decoding_limit([["▁a"] * 100], DecodingOptions()) == 256  # max_decoding_length still bounds it
    assert decoding_limit([["▁a"] * 4], DecodingOptions(length_factor=0)) == 256  # off
