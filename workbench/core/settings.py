"""One settings object: defaults < ``workbench.toml`` < ``WORKBENCH_*`` environment < flags.

Every setting is declared once, in ``DECLARED``: its name, how to parse it, its default and
its help. The command line's option help and the settings table of docs/settings.md come from this
declaration (``python -m workbench.core.settings`` prints the table; a test fails when docs/settings.md
differs), and a bad value is refused with where it came from and how to fix it. Nothing is
read at import time: ``load`` does it, and the CLI, the app and the library pass the result
on explicitly.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from workbench.core.errors import WorkbenchError

CONFIG_FILE = "workbench.toml"


class SettingsError(WorkbenchError):
    """A setting with a value that cannot be used; names where it came from."""


def _path(value) -> Path:
    return Path(str(value)).expanduser()


def _optional_path(value) -> Path | None:
    return None if value in (None, "") else _path(value)


def _positive_int(value) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("must be 1 or more")
    return number


def _non_negative_int(value) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("must be 0 or more")
    return number


def _optional_positive_int(value) -> int | None:
    return None if value in (None, "", 0, "0") else _positive_int(value)


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("use true or false")


def _optional_text(value) -> str | None:
    return None if value in (None, "") else str(value)


def _choice(*choices: str) -> Callable[[object], str]:
    def parse(value) -> str:
        if str(value) not in choices:
            raise ValueError(f"choose one of: {', '.join(choices)}")
        return str(value)

    return parse


def _languages(value) -> tuple[str, ...]:
    from workbench.core import languages

    if isinstance(value, list | tuple):
        value = ",".join(map(str, value))
    return languages.parse_language_list(str(value))


# The detectors workbench.split.langid has (a test checks that the two lists agree): named
# here so reading settings loads no detector code.
DETECTORS = ("ensemble", "fasttext", "py3langid", "langdetect", "heliport", "cld3")


def _detector(value) -> str:
    return _choice(*DETECTORS)(value)


def _overrides(value) -> dict[str, str]:
    """``{"ku": "nllb-200-600M"}`` from a table, or ``ku=nllb-200-600M,hy=…`` from text."""
    from workbench.core import languages

    if isinstance(value, Mapping):
        items = list(value.items())
    else:
        items = []
        for part in str(value).split(","):
            if part.strip():
                lang, separator, name = part.partition("=")
                if not separator or not name.strip():
                    raise ValueError(f"{part!r} is not LANG=NAME")
                items.append((lang, name))
    return {languages.normalize(str(lang)): str(name).strip() for lang, name in items}


@dataclass(frozen=True)
class Declared:
    name: str
    parse: Callable[[object], object]
    default: object
    help: str
    # Whether a command-line flag of the same name sets it (bounds and secrets are set in
    # workbench.toml or the environment only).
    has_flag: bool = True

    @property
    def env(self) -> str:
        return f"WORKBENCH_{self.name.upper()}"

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def _default_languages() -> tuple[str, ...]:
    from workbench.core import languages

    return languages.DEFAULT_LANGUAGES


DECLARED: tuple[Declared, ...] = (
    Declared("corpus", _path, Path("corpus"), "Folder of source texts (`translate` reads it when given no paths)."),
    Declared("translations", _path, Path("translations"), "Folder of translations files, renderings and the cache."),
    Declared(
        "models_dir",
        _optional_path,
        None,
        "Folder of installed models (default: Argos's packages folder, which follows ARGOS_PACKAGES_DIR).",
    ),
    Declared("device", _choice("auto", "cpu", "cuda"), "auto", "Where CTranslate2 runs: auto (CUDA when there is a GPU), cpu or cuda."),
    Declared("threads", _optional_positive_int, None, "CTranslate2 workers on the CPU (default: one per core)."),
    Declared(
        "detector",
        _detector,
        "ensemble",
        "Language detector: ensemble (py3langid + HeLI), py3langid, heliport, fasttext, cld3 or langdetect.",
    ),
    Declared(
        "languages",
        _languages,
        None,
        "Candidate languages, comma-separated ISO 639-1 codes (default: the 14 the workbench knows best; or any language of `workbench/data/languages.toml` with a script: every language Argos translates from but Bengali and Thai).",
    ),
    Declared("beam", _positive_int, 4, "Beam size (Argos's default is 4; 1 is greedy)."),
    Declared("max_length", _positive_int, 256, "Longest translation of one sentence, in tokens (Argos's default is 256)."),
    Declared(
        "length_factor",
        _non_negative_int,
        3,
        "A translation stops at this many times its source's tokens, plus 5 (Marian's default is 3; longer is a loop); 0: max_length only.",
    ),
    Declared("window", _positive_int, 2048, "Sentences translated together; documents are written as each window is done."),
    Declared("models", _overrides, {}, "Model per language, overriding the route: LANG=NAME,… (NAME from `workbench models list`)."),
    Declared(
        "executor", _choice("local", "ray"), "local", "Where `translate` runs the models: local (this process) or ray (a Ray cluster)."
    ),
    Declared("ray_address", _optional_text, None, "Join this Ray cluster (auto, host:port, ray://host:port); default: start a local one."),
    Declared("workers", _optional_positive_int, None, "Ray actors (default: one per CPU, or per GPU with device cuda)."),
    Declared("index", _optional_text, None, "Argos package index address (default: ARGOS_PACKAGE_INDEX, else Argos's own)."),
    Declared(
        "cache",
        _optional_path,
        None,
        "The machine-translation cache, an SQLite file (default: `.cache/mt.sqlite3` in the translations folder).",
        has_flag=False,
    ),
    Declared("follow_links", _boolean, False, "Read files that links inside a corpus folder lead to outside it."),
    Declared(
        "keep_active_content",
        _boolean,
        False,
        "Keep scripts, event handlers, `javascript:` links and `srcdoc` in HTML renderings (removed by default: a rendering is inert).",
    ),
    Declared("max_input_mb", _positive_int, 200, "Largest input file read, in MB.", has_flag=False),
    Declared(
        "max_unpacked_mb", _positive_int, 500, "Largest decompressed size of a .docx or .odt, in MB (zip bombs stop here).", has_flag=False
    ),
    Declared("max_line_chars", _positive_int, 1_000_000, "Longest line (paragraph) split into segments, in characters.", has_flag=False),
    Declared(
        "review_token",
        _optional_text,
        None,
        "A secret the review app asks for (`?token=…` in its address); set one whenever the app listens beyond this machine.",
        has_flag=False,
    ),
)
BY_NAME = {declared.name: declared for declared in DECLARED}


@dataclass(frozen=True)
class Settings:
    corpus: Path = Path("corpus")
    translations: Path = Path("translations")
    models_dir: Path | None = None
    device: str = "auto"
    threads: int | None = None
    detector: str = "ensemble"
    languages: tuple[str, ...] = field(default_factory=_default_languages)
    beam: int = 4
    max_length: int = 256
    length_factor: int = 3
    window: int = 2048
    models: dict[str, str] = field(default_factory=dict)
    executor: str = "local"
    ray_address: str | None = None
    workers: int | None = None
    index: str | None = None
    cache: Path | None = None
    follow_links: bool = False
    keep_active_content: bool = False
    max_input_mb: int = 200
    max_unpacked_mb: int = 500
    max_line_chars: int = 1_000_000
    review_token: str | None = None
    # Where each value came from: "default", "workbench.toml", "WORKBENCH_DEVICE", "--device".
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def cache_file(self) -> Path:
        return self.cache or self.translations / ".cache" / "mt.sqlite3"

    @property
    def limits(self):
        from workbench.core.limits import Limits

        return Limits(
            max_input_bytes=self.max_input_mb * 1_000_000,
            max_unpacked_bytes=self.max_unpacked_mb * 1_000_000,
            max_line_chars=self.max_line_chars,
        )


def load(flags: Mapping[str, object] | None = None, *, cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from defaults, then ``workbench.toml`` (in ``cwd``, or ``WORKBENCH_CONFIG``),
    then ``WORKBENCH_*`` variables, then ``flags`` (None values are not given).

    Raises SettingsError naming the setting, the value, where it came from and the fix.
    """
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    values: dict[str, object] = {}
    sources: dict[str, str] = {declared.name: "default" for declared in DECLARED}
    config = Path(environ["WORKBENCH_CONFIG"]) if environ.get("WORKBENCH_CONFIG") else cwd / CONFIG_FILE
    if config.is_file():
        try:
            table = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
            raise SettingsError(f"{config}: not a valid TOML file: {error}") from None
        table = table.get("workbench", table)
        unknown = sorted(set(table) - set(BY_NAME))
        if unknown:
            raise SettingsError(f"{config}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
        for name, value in table.items():
            values[name] = _parsed(BY_NAME[name], value, str(config))
            sources[name] = str(config)
    for declared in DECLARED:
        if declared.env in environ and environ[declared.env] != "":
            values[declared.name] = _parsed(declared, environ[declared.env], declared.env)
            sources[declared.name] = declared.env
    for name, value in (flags or {}).items():
        if value is None or name not in BY_NAME:
            continue
        values[name] = _parsed(BY_NAME[name], value, BY_NAME[name].flag)
        sources[name] = BY_NAME[name].flag
    settings = Settings(**{name: value for name, value in values.items() if value is not None}, sources=sources)
    return settings


def _parsed(declared: Declared, value, origin: str):
    try:
        return declared.parse(value)
    except (ValueError, TypeError, WorkbenchError) as error:
        raise SettingsError(f"{origin}: {declared.name} = {value!r} cannot be used: {error}") from None


def with_flags(settings: Settings, **flags) -> Settings:
    """``settings`` with flags applied on top (None: not given)."""
    changed = {name: _parsed(BY_NAME[name], value, BY_NAME[name].flag) for name, value in flags.items() if value is not None}
    return replace(settings, **changed, sources={**settings.sources, **{name: BY_NAME[name].flag for name in changed}})


def markdown_table() -> str:
    """The settings table of docs/settings.md, from the declaration."""
    rows = ["| setting | flag | environment | default | what |", "|---|---|---|---|---|"]
    for declared in DECLARED:
        default = declared.default
        if isinstance(default, bool):
            shown = f"`{str(default).lower()}`"
        elif isinstance(default, Path):
            shown = f"`{default}`"
        elif default in (None, {}):
            shown = "—"
        else:
            shown = f"`{default}`"
        flag = f"`{declared.flag}`" if declared.has_flag else "—"
        rows.append(f"| `{declared.name}` | {flag} | `{declared.env}` | {shown} | {declared.help} |")
    return "\n".join(rows) + "\n"


def _check_declaration() -> None:
    """The dataclass and the declaration name the same settings (a test calls this)."""
    names = [f.name for f in fields(Settings) if f.name != "sources"]
    if names != [declared.name for declared in DECLARED]:
        raise AssertionError(f"Settings fields {names} differ from DECLARED")


if __name__ == "__main__":
    print(markdown_table(), end="")
