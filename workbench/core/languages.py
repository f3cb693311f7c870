"""Language codes, names, scripts and writing direction: the one place codes are normalised,
and the registry of what the workbench knows of each language (``data/languages.toml``).

The workbench speaks ISO 639-1 where one exists (``ku`` is Kurmanji, ``ckb`` is Sorani,
``und`` means undetermined). Detectors and Argos packages use other spellings; they are
mapped here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.errors import WorkbenchError

UNDETERMINED = "und"


@dataclass(frozen=True)
class Language:
    """What the workbench knows of a language: one record of ``data/languages.toml`` (its
    header says what each field means)."""

    code: str
    name: str
    scripts: tuple[str, ...] = ()
    default: bool = False
    letters: str | None = None
    capitals: str = ""
    own_letters: str = ""
    word_list: str | None = None
    code_pages: tuple[str, ...] = ()
    rtl: bool = False
    aliases: tuple[str, ...] = ()
    nllb: str | None = None
    heli: str | None = None
    close: str | None = None
    variety_of: str | None = None
    abbreviations: tuple[str, ...] = ()
    name_particles: tuple[str, ...] = ()

    @property
    def detectable(self) -> bool:
        """One the detectors can choose among (a candidate), not only a name for a label."""
        return bool(self.scripts)


def _load() -> tuple[dict[str, Language], tuple[str, ...]]:
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("workbench").joinpath("data/languages.toml").read_text(encoding="utf-8"))
    order = tuple(data.pop("code_page_order"))
    registry = {}
    for code, record in data.items():
        fields = {key: tuple(value) if isinstance(value, list) else value for key, value in record.items()}
        registry[code] = Language(code=code, **fields)
    return registry, order


REGISTRY, CODE_PAGE_ORDER = _load()

NAMES: dict[str, str] = {code: language.name for code, language in REGISTRY.items() if language.detectable}
NAMES[UNDETERMINED] = "undetermined"

# The languages the project's users meet; the default candidate set for detection.
DEFAULT_LANGUAGES: tuple[str, ...] = tuple(code for code, language in REGISTRY.items() if language.default)

# Which languages each script can be written in (among those the detectors know).
SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _language in REGISTRY.values():
    for _script in _language.scripts:
        SCRIPT_LANGUAGES[_script] = (*SCRIPT_LANGUAGES.get(_script, ()), _language.code)

RIGHT_TO_LEFT = frozenset(code for code, language in REGISTRY.items() if language.rtl)

# Other spellings met in detectors, Argos packages and data sets.
_ALIASES: dict[str, str] = {alias: code for code, language in REGISTRY.items() for alias in language.aliases}

# The NLLB-200 token for each language where its vocabulary has several (``fa``: ``pes_Arab``
# rather than ``prs_Arab``); M2M-100 uses ``__xx__`` with ISO 639-1 codes.
NLLB_CODES: dict[str, str] = {code: language.nllb for code, language in REGISTRY.items() if language.nllb}


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
    return cleaned.split("-")[0] if cleaned.split("-")[0] in REGISTRY else cleaned


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
    """The language's English name (the open set's labels, "cs", "pl" …, included); a code
    the workbench has no record of is named as what it is to the workbench."""
    if code in REGISTRY:
        return REGISTRY[code].name
    return "undetermined" if code == UNDETERMINED else "outside the list"


def are_close(first: str | None, second: str | None) -> bool:
    """One language, or two of a group the detectors confuse (the registry's ``close``:
    Indonesian and Malay, Czech and Slovak)."""
    if first is None or second is None:
        return False
    group = REGISTRY[first].close if first in REGISTRY else None
    return first == second or (group is not None and second in REGISTRY and REGISTRY[second].close == group)


def is_rtl(code: str) -> bool:
    return code in RIGHT_TO_LEFT
