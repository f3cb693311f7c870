"""The language registry (workbench/data/languages.toml): one record per language, read by
every module that knows something of a language."""

from __future__ import annotations

import codecs

from workbench.core import languages
from workbench.formats import decoding
from workbench.split import langid, segment


def test_every_record_is_consistent():
    registry = languages.REGISTRY
    aliases = [alias for language in registry.values() for alias in language.aliases]
    assert len(aliases) == len(set(aliases)) and not set(aliases) & set(registry)
    for code, language in registry.items():
        assert language.name and code == code.lower(), code
        assert language.letters is None or language.letters == language.letters.lower(), code
        assert language.capitals == language.capitals.upper(), code
        assert all(codecs.lookup(page) for page in language.code_pages), code
        assert set(language.code_pages) <= set(languages.CODE_PAGE_ORDER), code
        assert language.word_list in (None, "small", "large"), code
        assert not language.default or language.detectable, code
    groups = [language.close for language in registry.values() if language.close]
    assert all(groups.count(group) >= 2 for group in groups)  # a group of one is no group


def test_the_modules_read_their_knowledge_of_languages_from_the_registry():
    turkish, portuguese = languages.REGISTRY["tr"], languages.REGISTRY["pt"]
    # One truth where two copies disagreed: Turkish writes î and û, Portuguese (before 1990) ü.
    assert {"î", "û"} <= langid._LATIN_EXTRAS["tr"] == set(turkish.letters) and "î" in decoding._ALPHABETS["tr"]
    assert "ü" in langid._LATIN_EXTRAS["pt"] and "ü" in decoding._ALPHABETS["pt"] == portuguese.letters + portuguese.capitals
    assert langid._OWN_LETTERS["uk"] == set("іїєґ") and {"en"} == langid._LARGE_WORDLISTS
    assert decoding.LEGACY_ENCODINGS["cp1254"] == ("tr", "ku") and decoding._BLOCKS["el"] == (0x0370, 0x03FF)
    assert "mr" in segment._ABBREVIATIONS and "ibn" in segment._NAME_PARTICLES
    assert ("id", "ms") in langid._CLOSE_LANGUAGES
    assert languages.DEFAULT_LANGUAGES[:3] == ("en", "ar", "tr") and len(languages.DEFAULT_LANGUAGES) == 14
    assert languages.normalize("kmr") == "ku" and languages.is_rtl("fa") and languages.NLLB_CODES["fa"] == "pes_Arab"


def test_the_open_sets_labels_have_names_and_are_no_candidates():
    assert languages.name_of("hr") == "Croatian" and languages.name_of("af") == "Afrikaans"
    assert not languages.REGISTRY["hr"].detectable and "hr" not in languages.NAMES
    import pytest

    from workbench.core.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="unknown language code"):
        languages.parse_language_list("en,hr")


def test_every_language_argos_translates_in_a_known_script_can_be_a_candidate():
    """A reader who installs Czech→English can make Czech a candidate; and HeLI, which the
    open set asks, knows every one of them (Bengali and Thai: scripts the splitter does not
    tell apart yet)."""
    import json

    from workbench.translate.models import INDEX_SNAPSHOT

    pairs = json.loads(INDEX_SNAPSHOT.read_text(encoding="utf-8"))["pairs"]
    sources = {languages.from_argos(pair["from"]) for pair in pairs} - {"bn", "th"}
    assert {code for code in sources if code not in languages.NAMES} == set()
    assert {code for code in sources if not languages.REGISTRY[code].heli} == set()
    assert languages.parse_language_list("en,cs,nb") == ("en", "cs", "no")  # Argos says nb, py3langid no


def test_close_languages_are_one_for_the_open_sets_agreement():
    assert languages.are_close("id", "ms") and languages.are_close("cs", "cs") and languages.are_close("nl", "af")
    assert not languages.are_close("cs", "pl") and not languages.are_close(None, "cs") and not languages.are_close("xx", "cs")
