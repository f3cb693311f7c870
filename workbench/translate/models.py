"""Translation models: what is installed, which route each language takes, installing, removing.

Three kinds live side by side in one models folder (Argos's packages folder unless a
``models_dir`` is set):

- ``argos``: an Argos Translate package (``metadata.json``, ``model/``, and
  ``sentencepiece.model`` or ``bpe.model``), one language pair each;
- ``opus-mt``: an OPUS-MT (Marian) release, converted at install time with CTranslate2's own
  ``OpusMTConverter`` (numpy alone), with its ``source.spm`` and ``target.spm``;
- ``multilingual``: a CTranslate2 conversion of NLLB-200 or M2M-100 (``model.bin``,
  ``config.json``, ``shared_vocabulary.json``, and the checkpoint's SentencePiece model), one
  model for every language whose token is in its vocabulary.

The workbench's own kinds carry a ``metadata.json`` whose ``type`` is not ``translate``, so
Argos itself leaves them alone. For each language the route is the best installed model: a
dedicated Argos pair first, then OPUS-MT, then a multilingual model; ``overrides`` (``--model
LANG=NAME``) win over that.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core import languages
from workbench.core.errors import WorkbenchError

TARGET = "en"
KINDS = ("argos", "opus-mt", "multilingual")
_WORKBENCH_TYPES = {"workbench-opus-mt": "opus-mt", "workbench-multilingual": "multilingual"}
_NLLB_TOKEN = re.compile(r"^([a-z]{3})_([A-Z][a-z]{3})$")
_M2M_TOKEN = re.compile(r"^__([a-z]{2,3})__$")
INDEX_SNAPSHOT = Path(__file__).parents[1] / "data" / "argos-index-pairs.json"
# Where a refreshed copy of the index's pairs is kept, inside the models folder.
_INDEX_CACHE = ".workbench-argos-index.json"


class ModelError(WorkbenchError):
    """A model cannot be installed, found or loaded."""


@dataclass(frozen=True)
class InstalledModel:
    """An installed model. ``from_code`` is the language (workbench code) of a dedicated pair,
    ``mul`` for a multilingual model, whose ``tokens`` map workbench codes to its own."""

    from_code: str
    to_code: str
    argos_from: str
    argos_to: str
    version: str
    path: Path
    size_bytes: int
    kind: str = "argos"
    tokenizer: str = "sentencepiece"  # sentencepiece, bpe, sentencepiece-pair (OPUS-MT)
    tokens: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    target_token: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def model_id(self) -> str:
        """Stable name for provenance and cache keys: ``argos:ar-en@1.0``, ``opus-mt:…@1``, ``ct2:nllb…@1``."""
        if self.kind == "argos":
            return f"argos:{self.argos_from}-{self.argos_to}@{self.version}"
        prefix = "opus-mt" if self.kind == "opus-mt" else "ct2"
        return f"{prefix}:{self.name}@{self.version}"

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"

    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.tokens) if self.kind == "multilingual" else (self.from_code,)

    def token_for(self, lang: str) -> str:
        return dict(self.tokens).get(lang, "")


# -- where models live ---------------------------------------------------------------------


def packages_dir(folder: Path | None = None) -> Path:
    """The models folder: ``folder`` when given, else Argos's packages folder (which follows
    ``ARGOS_PACKAGES_DIR`` and the XDG variables)."""
    if folder is not None:
        return folder
    from argostranslate import settings

    return Path(settings.package_data_dir)


def _search_dirs(folder: Path | None) -> list[Path]:
    if folder is not None:
        return [folder]
    from argostranslate import settings

    return [Path(directory) for directory in settings.package_dirs]


def _folder_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def _read_metadata(folder: Path) -> dict | None:
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return metadata if isinstance(metadata, dict) else None


def list_installed(folder: Path | None = None) -> tuple[list[InstalledModel], list[str]]:
    """Installed models, and a problem line for each folder that is not one (Argos itself
    raises on a folder without metadata.json; here it is reported instead)."""
    models: list[InstalledModel] = []
    problems: list[str] = []
    for directory in _search_dirs(folder):
        if not directory.is_dir():
            continue
        for package in sorted(directory.iterdir()):
            if not package.is_dir() or package.name.startswith("."):
                continue
            metadata = _read_metadata(package)
            if metadata is None:
                problems.append(f"{package}: no readable metadata.json; not a model package")
                continue
            try:
                model = _model_of(package, metadata)
            except ModelError as error:
                problems.append(str(error))
                continue
            if model is not None:
                models.append(model)
    return models, problems


def _model_of(package: Path, metadata: dict) -> InstalledModel | None:
    kind = _WORKBENCH_TYPES.get(str(metadata.get("type", "translate")), "argos" if metadata.get("type", "translate") == "translate" else "")
    if not kind or not metadata.get("to_code"):
        return None
    model_dir = package / "model"
    if not (model_dir / "model.bin").is_file():
        raise ModelError(f"{package}: no model/model.bin; the package is incomplete")
    common = dict(
        to_code=languages.from_argos(metadata["to_code"]),
        argos_to=metadata["to_code"],
        version=str(metadata.get("package_version", "")),
        path=package,
        size_bytes=_folder_size(package),
        kind=kind,
    )
    if kind == "multilingual":
        tokens = tuple(sorted((str(code), str(token)) for code, token in dict(metadata.get("languages", {})).items()))
        return InstalledModel(
            from_code="mul", argos_from="mul", tokens=tokens, target_token=str(metadata.get("target_token", "")), **common
        )
    if not metadata.get("from_code"):
        return None
    if kind == "opus-mt":
        tokenizer = "sentencepiece-pair"
    elif (package / "sentencepiece.model").is_file():
        tokenizer = "sentencepiece"
    elif (package / "bpe.model").is_file():
        tokenizer = "bpe"
    else:
        raise ModelError(f"{package}: neither sentencepiece.model nor bpe.model; the package is incomplete")
    return InstalledModel(
        from_code=languages.from_argos(metadata["from_code"]), argos_from=metadata["from_code"], tokenizer=tokenizer, **common
    )


# -- routes --------------------------------------------------------------------------------


def route_for(
    lang: str, models: list[InstalledModel], overrides: dict[str, str] | None = None, to_code: str = TARGET
) -> InstalledModel | None:
    """The model that translates ``lang`` → ``to_code``: an override (``--model LANG=NAME``,
    NAME a folder name or model id), else a dedicated Argos pair, then OPUS-MT, then a
    multilingual model that knows the language; newest version first. Raises ModelError for
    an override naming no installed model that can translate ``lang``."""
    from packaging.version import InvalidVersion, Version

    candidates = [m for m in models if m.to_code == to_code and lang in m.languages()]
    wanted = (overrides or {}).get(lang)
    if wanted:
        chosen = [m for m in candidates if wanted in (m.name, m.model_id)]
        if not chosen:
            names = ", ".join(m.name for m in candidates) or "none"
            raise ModelError(
                f"--model {lang}={wanted}: no installed model of that name translates {lang}→{to_code} (installed for {lang}: {names})"
            )
        return chosen[0]

    def version(model: InstalledModel):
        try:
            return Version(model.version)
        except InvalidVersion:
            return Version("0")

    if not candidates:
        return None
    return max(candidates, key=lambda m: (-KINDS.index(m.kind), version(m)))


def find_model(from_code: str, to_code: str = TARGET, folder: Path | None = None) -> InstalledModel | None:
    """The route for a pair among installed models (see ``route_for``), or None."""
    return route_for(from_code, list_installed(folder)[0], to_code=to_code)


def routes(models: list[InstalledModel], overrides: dict[str, str] | None = None) -> dict[str, InstalledModel | None]:
    """Language → route, for the workbench's languages and every language a model covers."""
    codes = list(languages.DEFAULT_LANGUAGES) + sorted({code for m in models for code in m.languages()} - set(languages.DEFAULT_LANGUAGES))
    return {code: route_for(code, models, overrides) for code in codes if code != TARGET}


# -- hints ---------------------------------------------------------------------------------


def index_pairs(folder: Path | None = None) -> dict[str, str]:
    """X→en pairs the Argos index offers (code → version): the copy saved when the index was
    last reached, else the snapshot shipped with the workbench."""
    for path in (packages_dir(folder) / _INDEX_CACHE, INDEX_SNAPSHOT):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return {languages.from_argos(p["from"]): p["version"] for p in data.get("pairs", []) if p.get("to") == TARGET}
    return {}


NLLB_COMMANDS = (
    "pip install ctranslate2 transformers torch sentencepiece   # once, for the conversion only\n"
    "ct2-transformers-converter --model facebook/nllb-200-distilled-600M --output_dir nllb-200-600M --quantization int8\n"
    "cp ~/.cache/huggingface/hub/models--facebook--nllb-200-distilled-600M/snapshots/*/sentencepiece.bpe.model nllb-200-600M/\n"
    "workbench models install nllb-200-600M"
)


class IndexUnreachable(ModelError):
    """The Argos package index could not be read (offline, or a wrong address)."""


def install_hint(from_code: str, to_code: str = TARGET, folder: Path | None = None) -> str:
    """What to tell a user who lacks a model for a pair: the Argos package when the index has
    one, else the multilingual route (the index has no Kurmanji, Armenian or Sorani)."""
    if from_code in index_pairs(folder):
        return (
            f"no model for {from_code}→{to_code}; install one with `workbench models install {from_code}` (online) "
            f"or, offline, `workbench models install FILE` with the translate-{from_code}_{to_code} .argosmodel from the index"
        )
    return (
        f"no model for {from_code}→{to_code}, and the Argos index has none; a multilingual model covers it: convert "
        f"NLLB-200 with CTranslate2 (`ct2-transformers-converter --model facebook/nllb-200-distilled-600M --output_dir "
        f"nllb-200-600M --quantization int8`, then copy its sentencepiece.bpe.model beside it) and install the folder with "
        f"`workbench models install --file nllb-200-600M`"
    )


# -- installing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    """What ``install_file`` found and installed."""

    found: str  # "Argos package", "OPUS-MT release", "multilingual model (NLLB-200)" …
    models: list[InstalledModel]


def install_file(path: Path, folder: Path | None = None, from_code: str | None = None) -> list[InstalledModel]:
    """Install an ``.argosmodel``, a zip, or a folder of any kind; returns the models added."""
    return install(path, folder, from_code).models


def install(path: Path, folder: Path | None = None, from_code: str | None = None) -> Installed:
    """Install from a local path: an ``.argosmodel`` or zip (Argos packages, or any folder
    below zipped), an Argos package folder, a CTranslate2 multilingual folder (NLLB-200,
    M2M-100), or an OPUS-MT release folder (converted here). ``from_code`` names the source
    language of an OPUS-MT model whose README does not. Raises ModelError naming the path."""
    target = packages_dir(folder)
    if not path.exists():
        raise ModelError(f"{path}: no such file or folder")
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise ModelError(f"{path}: not a model package (an .argosmodel is a zip archive; a model folder is a folder)")
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if any(name.startswith("/") or ".." in Path(name).parts for name in names):
                raise ModelError(f"{path}: refusing an archive with absolute or '..' paths")
            tops = {name.split("/", 1)[0] for name in names if name.strip("/")}
            if tops and all(f"{top}/metadata.json" in names for top in tops):
                return Installed("Argos package", _install_argos_archive(path, archive, sorted(tops), target))
            with tempfile.TemporaryDirectory(prefix="workbench-model-") as tmp:
                archive.extractall(tmp)
                inner = Path(tmp)
                children = [child for child in inner.iterdir() if child.is_dir()]
                if len(children) == 1 and not any(inner.glob("*.bin")) and not any(inner.glob("*.npz")):
                    inner = children[0]
                return install(inner, folder, from_code)
    if (path / "metadata.json").is_file() and (path / "model").is_dir():
        return Installed("Argos package", [_copy_in(path, target / path.name)])
    if any(path.glob("*.npz")) and (path / "decoder.yml").is_file():
        return Installed("OPUS-MT release", [_install_opus_mt(path, target, from_code)])
    if (path / "model.bin").is_file() and (path / "config.json").is_file():
        if (path / "source.spm").is_file() and (path / "target.spm").is_file():
            return Installed("converted OPUS-MT model", [_install_opus_mt(path, target, from_code, converted=True)])
        family, model = _install_multilingual(path, target)
        return Installed(f"multilingual model ({family})", [model])
    raise ModelError(
        f"{path}: not a model folder the workbench knows: an Argos package (metadata.json + model/), a CTranslate2 "
        f"multilingual conversion (model.bin, config.json, shared_vocabulary.json + sentencepiece.bpe.model), or an "
        f"OPUS-MT release (*.npz, decoder.yml, *.vocab.yml, source.spm, target.spm)"
    )


@contextmanager
def _installing(target: Path, name: str) -> Iterator[Path]:
    """A folder to build the model ``name`` in, hidden inside ``target`` (so a half-built model
    is never listed); it replaces ``target/name`` only when the block ends without error."""
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".install-", dir=target) as tmp:
        staged = Path(tmp) / name
        yield staged
        destination = target / name
        if destination.exists():
            shutil.rmtree(destination)
        staged.replace(destination)
    _forget_argos_languages()


def _install_argos_archive(path: Path, archive: zipfile.ZipFile, tops: list[str], target: Path) -> list[InstalledModel]:
    for top in tops:
        with _installing(target, top) as staged:
            archive.extractall(staged.parent, members=[name for name in archive.namelist() if name.split("/", 1)[0] == top])
    installed = {m.path.name: m for m in list_installed(target)[0]}
    return [installed[top] for top in tops if top in installed]


def _copy_in(source: Path, destination: Path) -> InstalledModel:
    with _installing(destination.parent, destination.name) as staged:
        shutil.copytree(source, staged)
    return _installed_at(destination)


def _installed_at(destination: Path) -> InstalledModel:
    for model in list_installed(destination.parent)[0]:
        if model.path == destination:
            return model
    raise ModelError(f"{destination}: installed, but it is not a usable model (see `workbench models list`)")


def _vocabulary(path: Path) -> list[str]:
    for name in ("shared_vocabulary.json", "target_vocabulary.json"):
        if (path / name).is_file():
            return list(json.loads((path / name).read_text(encoding="utf-8")))
    for name in ("shared_vocabulary.txt", "target_vocabulary.txt"):
        if (path / name).is_file():
            return (path / name).read_text(encoding="utf-8").splitlines()
    raise ModelError(f"{path}: no shared_vocabulary.json or .txt: is it a CTranslate2 conversion?")


def language_tokens(vocabulary: list[str]) -> tuple[str, dict[str, str], str]:
    """``(family, {workbench code: model token}, English token)`` from a multilingual
    vocabulary: NLLB-200 writes ``kmr_Latn``, M2M-100 ``__ku__``."""
    found: dict[str, list[str]] = {}
    family = ""
    for token in vocabulary:
        match = _NLLB_TOKEN.match(token) or _M2M_TOKEN.match(token)
        if match is None:
            continue
        family = "NLLB-200" if match.re is _NLLB_TOKEN else "M2M-100"
        try:
            code = languages.normalize(match.group(1))
        except WorkbenchError:
            continue
        if code in languages.NAMES:
            found.setdefault(code, []).append(token)
    tokens = {}
    for code, candidates in found.items():
        preferred = languages.NLLB_CODES.get(code)
        script = languages.script_of(code)
        tokens[code] = preferred if preferred in candidates else sorted(candidates, key=lambda t: (not t.endswith(script), t))[0]
    english = tokens.pop(TARGET, "")
    return family, tokens, english


def _install_multilingual(path: Path, target: Path) -> tuple[str, InstalledModel]:
    family, tokens, english = language_tokens(_vocabulary(path))
    if not tokens or not english:
        raise ModelError(f"{path}: a CTranslate2 model, but its vocabulary has no language tokens (NLLB-200 kmr_Latn, M2M-100 __ku__)")
    spm = next((p for p in (path / "sentencepiece.bpe.model", path / "spm.128k.model", path / "sentencepiece.model") if p.is_file()), None)
    if spm is None:
        raise ModelError(
            f"{path}: no SentencePiece model beside the CTranslate2 files: copy the checkpoint's sentencepiece.bpe.model "
            f"(NLLB-200) or spm.128k.model (M2M-100) into the folder"
        )
    name = path.name
    with _installing(target, name) as staged:
        (staged / "model").mkdir(parents=True)
        for file in path.iterdir():
            if file.is_file() and file != spm and file.suffix in (".bin", ".json", ".txt"):
                shutil.copyfile(file, staged / "model" / file.name)
        shutil.copyfile(spm, staged / "sentencepiece.model")
        metadata = {
            "type": "workbench-multilingual",
            "family": family,
            "package_version": _version_of(path),
            "from_code": "mul",
            "to_code": TARGET,
            "target_token": english,
            "languages": dict(sorted(tokens.items())),
        }
        (staged / "metadata.json").write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return family, _installed_at(target / name)


def _version_of(path: Path) -> str:
    """A ``VERSION`` file's text, else a fingerprint of the conversion (its config,
    vocabulary and weights' size): stable across re-installs, so cache keys stay valid."""
    import hashlib

    if (path / "VERSION").is_file():
        return (path / "VERSION").read_text(encoding="utf-8").strip()
    digest = hashlib.sha256()
    for name in ("config.json", "shared_vocabulary.json", "shared_vocabulary.txt"):
        if (path / name).is_file():
            digest.update((path / name).read_bytes())
    digest.update(str((path / "model.bin").stat().st_size).encode())
    return digest.hexdigest()[:8]


_README_LANG = re.compile(r"source language\(s\):\s*([A-Za-z_\-]+)", re.I)


def _install_opus_mt(path: Path, target: Path, from_code: str | None, converted: bool = False) -> InstalledModel:
    code = from_code
    if code is None and (path / "README.md").is_file():
        match = _README_LANG.search((path / "README.md").read_text(encoding="utf-8", errors="replace"))
        code = match.group(1) if match else None
    if code is None:
        match = re.match(r"opus-mt-([a-z]{2,3})-en$", path.name)
        code = match.group(1) if match else None
    if code is None:
        raise ModelError(f"{path}: an OPUS-MT model, but which language does it translate from? Say it with --from CODE")
    code = languages.normalize(code)
    name = path.name if path.name.startswith("opus-mt") else f"opus-mt-{code}-en"
    with _installing(target, name) as staged:
        staged.mkdir()
        if converted:
            shutil.copytree(path, staged / "model", ignore=shutil.ignore_patterns("*.spm"))
        else:
            from ctranslate2.converters import OpusMTConverter

            try:
                OpusMTConverter(str(path)).convert(str(staged / "model"), quantization="int8")
            except (ValueError, KeyError, OSError, RuntimeError) as error:
                raise ModelError(f"{path}: CTranslate2's OPUS-MT converter refused it: {error}") from None
        for spm in ("source.spm", "target.spm"):
            shutil.copyfile(path / spm, staged / spm)
        metadata = {
            "type": "workbench-opus-mt",
            "package_version": _version_of(path) if converted else _opus_version(path),
            "from_code": code,
            "to_code": TARGET,
        }
        (staged / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return _installed_at(target / name)


def _opus_version(path: Path) -> str:
    """The release date OPUS-MT's README gives (``opus-2020-01-16.zip``), else 1."""
    readme = path / "README.md"
    text = readme.read_text(encoding="utf-8", errors="replace") if readme.is_file() else ""
    match = re.search(r"opus-(\d{4}-\d{2}-\d{2})", text)
    return match.group(1) if match else "1"


def _forget_argos_languages() -> None:
    try:
        from argostranslate import translate

        translate.get_installed_languages.cache_clear()
    except ImportError:  # pragma: no cover - argostranslate is a dependency
        pass


def _index_url(index: str | None) -> str:
    from argostranslate import settings

    if index:
        return index if index.endswith(".json") else index.rstrip("/") + "/index.json"
    return settings.remote_package_index


def fetch_index(index: str | None = None, timeout: float = 20.0, folder: Path | None = None) -> list[dict]:
    """Download the Argos package index, and keep its pairs for honest hints offline.
    Raises ModelError when it cannot be had."""
    url = _index_url(index)
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"User-Agent": "translation-workbench"}), timeout=timeout
        ) as response:
            data = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ModelError(f"cannot read the Argos package index at {url}: {reason}") from None
    if not isinstance(data, list):
        raise ModelError(f"the Argos package index at {url} is not a list of packages")
    pairs = sorted(
        {(str(e["from_code"]), str(e["to_code"])): str(e.get("package_version", "")) for e in data
         if isinstance(e, dict) and e.get("type", "translate") == "translate" and e.get("from_code") and e.get("to_code")}.items()
    )  # fmt: skip
    try:
        from workbench.store.files import write_atomically

        write_atomically(
            packages_dir(folder) / _INDEX_CACHE,
            json.dumps({"source": url, "pairs": [{"from": a, "to": b, "version": v} for (a, b), v in pairs]}, indent=1) + "\n",
        )
    except OSError:
        pass  # a read-only models folder: the shipped snapshot stays in use
    return data


def install_from_index(from_code: str, to_code: str = TARGET, index: str | None = None, folder: Path | None = None) -> InstalledModel:
    """Download and install the package for a pair from the Argos index.

    Raises ModelError with the pair and the offline alternative when it cannot.
    """
    from argostranslate import package

    try:
        entries = fetch_index(index, folder=folder)
    except ModelError as error:
        if from_code in index_pairs(folder):
            offline = (
                f"Offline, download the Argos package for {from_code}→{to_code} (translate-{from_code}_{to_code}-*.argosmodel) "
                "on a connected machine and install the file: workbench models install FILE"
            )
        else:  # the index has no such package: naming a file that does not exist would mislead
            offline = (
                f"The Argos index has no {from_code}→{to_code} model anyway: a multilingual model covers it (see `workbench models list`)"
            )
        raise IndexUnreachable(f"{error}. {offline}") from None
    wanted = [
        entry
        for entry in entries
        if entry.get("type", "translate") == "translate"
        and entry.get("from_code")
        and entry.get("to_code")
        and languages.from_argos(entry["from_code"]) == from_code
        and languages.from_argos(entry["to_code"]) == to_code
    ]
    if not wanted:
        raise ModelError(f"the Argos index has no package for {from_code}→{to_code}; {install_hint(from_code, to_code, folder)}")
    available = package.AvailablePackage(wanted[0])
    data = None
    for link in available.links:
        try:
            with urllib.request.urlopen(
                urllib.request.Request(link, headers={"User-Agent": "translation-workbench"}), timeout=120
            ) as response:
                data = response.read()
            break
        except (urllib.error.URLError, OSError):
            continue
    if data is None:
        raise ModelError(f"could not download {from_code}→{to_code} from {', '.join(available.links) or 'the index (no links)'}")
    with tempfile.TemporaryDirectory(prefix="workbench-download-") as tmp:
        downloaded = Path(tmp) / f"translate-{available.from_code}_{available.to_code}.argosmodel"
        downloaded.write_bytes(data)
        added = install_file(downloaded, folder)
    for model in added:
        if model.from_code == from_code and model.to_code == to_code:
            return model
    raise ModelError(f"the package downloaded for {from_code}→{to_code} did not install a {from_code}→{to_code} model")


def remove(name_or_code: str, to_code: str = TARGET, folder: Path | None = None) -> list[InstalledModel]:
    """Remove installed models: every X→en package for a language code, or one model by its
    folder name. Raises ModelError when there is none."""
    installed = list_installed(folder)[0]
    removed = [m for m in installed if m.name == name_or_code]
    if not removed:
        try:
            code = languages.normalize(name_or_code)
        except WorkbenchError:
            code = name_or_code
        removed = [m for m in installed if m.kind != "multilingual" and m.from_code == code and m.to_code == to_code]
    if not removed:
        raise ModelError(
            f"no installed model for {name_or_code}→{to_code} (give a language code or a model name from `workbench models list`)"
        )
    for model in removed:
        shutil.rmtree(model.path)
    _forget_argos_languages()
    return removed
