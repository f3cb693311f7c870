"""Argos Translate packages: which are installed, installing from the index or a file, removing.

Uses ``argostranslate.package`` for where packages live and how they install, so
``ARGOS_PACKAGES_DIR`` and the XDG variables are respected. ``argostranslate.settings``
creates folders and reads the environment when imported, so it is imported only here,
inside functions.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import languages
from .errors import WorkbenchError

TARGET = "en"


class ModelError(WorkbenchError):
    """A model cannot be installed, found or loaded."""


@dataclass(frozen=True)
class InstalledModel:
    """An installed Argos package that translates ``from_code`` → ``to_code`` (workbench codes)."""

    from_code: str
    to_code: str
    argos_from: str
    argos_to: str
    version: str
    path: Path
    size_bytes: int

    @property
    def model_id(self) -> str:
        """Stable name for provenance and cache keys: ``argos:ar-en@1.0``."""
        return f"argos:{self.argos_from}-{self.argos_to}@{self.version}"

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


def install_hint(from_code: str, to_code: str = TARGET) -> str:
    """What to tell a user who lacks a model for a pair."""
    return (
        f"no model for {from_code}→{to_code}; install one with `workbench models install {from_code}` (online) "
        f"or `workbench models install --file translate-{from_code}_{to_code}.argosmodel`"
    )


def packages_dir() -> Path:
    from argostranslate import settings

    return Path(settings.package_data_dir)


def _folder_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def _read_metadata(folder: Path) -> dict | None:
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return metadata if isinstance(metadata, dict) else None


def list_installed() -> tuple[list[InstalledModel], list[str]]:
    """Installed translation packages, and a problem line for each folder that is not one.

    Argos itself raises on a folder without metadata.json; here it is reported instead.
    """
    from argostranslate import settings

    models: list[InstalledModel] = []
    problems: list[str] = []
    for directory in settings.package_dirs:
        directory = Path(directory)
        if not directory.is_dir():
            continue
        for folder in sorted(directory.iterdir()):
            if not folder.is_dir():
                continue
            metadata = _read_metadata(folder)
            if metadata is None:
                problems.append(f"{folder}: no readable metadata.json; not an Argos package")
                continue
            if metadata.get("type", "translate") != "translate" or not metadata.get("from_code") or not metadata.get("to_code"):
                continue
            if not (folder / "model" / "model.bin").is_file():
                problems.append(f"{folder}: no model/model.bin; the package is incomplete")
                continue
            models.append(
                InstalledModel(
                    from_code=languages.from_argos(metadata["from_code"]),
                    to_code=languages.from_argos(metadata["to_code"]),
                    argos_from=metadata["from_code"],
                    argos_to=metadata["to_code"],
                    version=str(metadata.get("package_version", "")),
                    path=folder,
                    size_bytes=_folder_size(folder),
                )
            )
    return models, problems


def find_model(from_code: str, to_code: str = TARGET) -> InstalledModel | None:
    """The newest installed package for a pair, or None."""
    from packaging.version import InvalidVersion, Version

    def version_key(model: InstalledModel):
        try:
            return Version(model.version)
        except InvalidVersion:
            return Version("0")

    matches = [m for m in list_installed()[0] if m.from_code == from_code and m.to_code == to_code]
    return max(matches, key=version_key) if matches else None


def install_file(path: Path) -> list[InstalledModel]:
    """Install a local ``.argosmodel`` file; returns the packages it added.

    Raises ModelError naming the file when it is not an Argos package.
    """
    from argostranslate import package

    if not path.is_file():
        raise ModelError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not an Argos package (an .argosmodel is a zip archive)")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        tops = {name.split("/", 1)[0] for name in names if name.strip("/")}
        bad = [top for top in tops if f"{top}/metadata.json" not in names]
        if not tops or bad:
            raise ModelError(
                f"{path}: not an Argos package: every top-level folder needs a metadata.json ({', '.join(sorted(bad)) or 'empty archive'})"
            )
        if any(name.startswith("/") or ".." in Path(name).parts for name in names):
            raise ModelError(f"{path}: refusing an archive with absolute or '..' paths")
    package.install_from_path(path)
    installed = {m.path.name: m for m in list_installed()[0]}
    return [installed[top] for top in sorted(tops) if top in installed]


def _index_url(index: str | None) -> str:
    from argostranslate import settings

    if index:
        return index if index.endswith(".json") else index.rstrip("/") + "/index.json"
    return settings.remote_package_index


def fetch_index(index: str | None = None, timeout: float = 20.0) -> list[dict]:
    """Download the Argos package index. Raises ModelError when it cannot be had."""
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
    return data


def install_from_index(from_code: str, to_code: str = TARGET, index: str | None = None) -> InstalledModel:
    """Download and install the package for a pair from the Argos index.

    Raises ModelError with the pair and the offline alternative when it cannot.
    """
    from argostranslate import package

    try:
        entries = fetch_index(index)
    except ModelError as error:
        raise ModelError(
            f"{error}. Offline, install {from_code}→{to_code} from a file: workbench models install --file translate-{from_code}_{to_code}.argosmodel"
        ) from None
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
        raise ModelError(f"the Argos index has no package for {from_code}→{to_code}")
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
    from argostranslate import settings

    downloads = Path(settings.downloads_dir)
    downloads.mkdir(parents=True, exist_ok=True)
    target = downloads / f"translate-{available.from_code}_{available.to_code}.argosmodel"
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(target)
    try:
        added = install_file(target)
    finally:
        target.unlink(missing_ok=True)
    for model in added:
        if model.from_code == from_code and model.to_code == to_code:
            return model
    raise ModelError(f"the package downloaded for {from_code}→{to_code} did not install a {from_code}→{to_code} model")


def remove(from_code: str, to_code: str = TARGET) -> list[InstalledModel]:
    """Remove every installed package for a pair. Raises ModelError when there is none."""
    import shutil

    from argostranslate import translate

    removed = [m for m in list_installed()[0] if m.from_code == from_code and m.to_code == to_code]
    if not removed:
        raise ModelError(f"no installed model for {from_code}→{to_code}")
    for model in removed:
        shutil.rmtree(model.path)
    translate.get_installed_languages.cache_clear()
    return removed
