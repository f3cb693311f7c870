"""Language codes, names, scripts and writing direction: the one place codes are normalised.

The workbench speaks ISO 639-1 where one exists (``ku`` is Kurmanji, ``ckb`` is Sorani,
``und`` means undetermined). Detectors and Argos packages use other spellings; they are
mapped here and nowhere else.
"""

from __future__ import annotations

from workbench.core.errors import WorkbenchError

UNDETERMINED = "und"

NAMES: dict[str, str] = {
    "en": "English",
    "ar": "Arabic",
    "tr": "Turkish",
    "fa": "Persian",
    "el": "Greek",
    "ku": "Kurdish (Kurmanji)",
    "ckb": "Kurdish (Sorani)",
    "hy": "Armenian",
    "ru": "Russian",
    "uk": "Ukrainian",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "pt": "Portuguese",
    "de": "German",
    "ur": "Urdu",
    "ps": "Pashto",
    "bg": "Bulgarian",
    "sr": "Serbian",
    "mk": "Macedonian",
    "be": "Belarusian",
    "kk": "Kazakh",
    "he": "Hebrew",
    "ka": "Georgian",
    "nl": "Dutch",
    "pl": "Polish",
    "ro": "Romanian",
    "ca": "Catalan",
    "sv": "Swedish",
    "az": "Azerbaijani",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "hi": "Hindi",
    UNDETERMINED: "undetermined",
}

# The languages the project's users meet; the default candidate set for detection.
DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "ar", "tr", "fa", "el", "ku", "hy", "ru", "uk", "es", "fr", "it", "pt", "de",
)  # fmt: skip

# Which languages each script can be written in (among those the detectors know).
SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "Latn": ("en", "tr", "ku", "es", "pt", "it", "fr", "de", "nl", "pl", "ro", "ca", "sv", "az"),
    "Arab": ("ar", "fa", "ckb", "ur", "ps"),
    "Cyrl": ("ru", "uk", "bg", "sr", "mk", "be", "kk"),
    "Grek": ("el",),
    "Armn": ("hy",),
    "Hebr": ("he",),
    "Geor": ("ka",),
    "Deva": ("hi",),
    "Hani": ("zh", "ja"),
    "Kana": ("ja",),
    "Hang": ("ko",),
}

RIGHT_TO_LEFT = frozenset({"ar", "fa", "ckb", "ur", "ps", "he"})

# Other spellings met in detectors, Argos packages and data sets.
_ALIASES: dict[str, str] = {
    "kmr": "ku",
    "kur": "ku",
    "sdh": "ckb",
    "pes": "fa",
    "prs": "fa",
    "per": "fa",
    "fas": "fa",
    "arb": "ar",
    "ara": "ar",
    "pb": "pt",
    "pt-br": "pt",
    "pt_br": "pt",
    "pt-pt": "pt",
    "zt": "zh",
    "zh-cn": "zh",
    "zh-tw": "zh",
    "eng": "en",
    "tur": "tr",
    "ell": "el",
    "gre": "el",
    "hye": "hy",
    "arm": "hy",
    "rus": "ru",
    "ukr": "uk",
    "spa": "es",
    "fra": "fr",
    "fre": "fr",
    "ita": "it",
    "por": "pt",
    "deu": "de",
    "ger": "de",
}

# The NLLB-200 token for each language where its vocabulary has several (``fa``: ``pes_Arab``
# rather than ``prs_Arab``); M2M-100 uses ``__xx__`` with ISO 639-1 codes.
NLLB_CODES: dict[str, str] = {
    "en": "eng_Latn", "ar": "arb_Arab", "tr": "tur_Latn", "fa": "pes_Arab", "el": "ell_Grek", "ku": "kmr_Latn",
    "ckb": "ckb_Arab", "hy": "hye_Armn", "ru": "rus_Cyrl", "uk": "ukr_Cyrl", "es": "spa_Latn", "fr": "fra_Latn",
    "it": "ita_Latn", "pt": "por_Latn", "de": "deu_Latn",
}  # fmt: skip

# Argos Translate's own codes where they differ from ours.
_ARGOS_CODES: dict[str, str] = {"pb": "pt", "zt": "zh"}


def normalize(code: str) -> str:
    """Return the workbench's code for ``code`` (``kmr`` → ``ku``, ``pt-BR`` → ``pt``).

    Raises WorkbenchError for a code that is not a language code at all.
    """
    cleaned = code.strip().lower().replace("_", "-")
    if not cleaned or not all(part.isalnum() for part in cleaned.split("-")):
        raise WorkbenchError(f"not a language code: {code!r}")
    if cleaned in _ALIASES:
        return _ALIASES[cleaned]
    return cleaned.split("-")[0] if cleaned.split("-")[0] in NAMES else cleaned


def from_argos(code: str) -> str:
    """Map an Argos package language code to the workbench's code."""
    return _ARGOS_CODES.get(code, normalize(code))


def parse_language_list(value: str) -> tuple[str, ...]:
    """Parse ``"en,ar,ku"`` into normalised codes; raises WorkbenchError on an unknown code."""
    codes = tuple(dict.fromkeys(normalize(part) for part in value.split(",") if part.strip()))
    unknown = [code for code in codes if code not in NAMES or code == UNDETERMINED]
    if unknown:
        known = ", ".join(sorted(code for code in NAMES if code != UNDETERMINED))
        raise WorkbenchError(f"unknown language code(s) {', '.join(unknown)}; known: {known}")
    if not codes:
        raise WorkbenchError("the language list is empty")
    return codes


def script_of(code: str) -> str:
    """The script a language is written in here (Latin when unknown): ``el`` → ``Grek``."""
    for script, codes in SCRIPT_LANGUAGES.items():
        if code in codes:
            return script
    return "Latn"


def name_of(code: str) -> str:
    """The language's English name; a code the workbench has no record of (the open set
    labels text "cs", "pl" …) is named as what it is to the workbench."""
    if code in NAMES:
        return NAMES[code]
    return "undetermined" if code == "und" else "outside the list"


def is_rtl(code: str) -> bool:
    return code in RIGHT_TO_LEFT
