from __future__ import annotations

import http.server
import json
import os
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
TOY_PACKAGE = ROOT / "builders" / "fixtures" / "translate-xx_en-toy.argosmodel"

# argostranslate reads these when first imported (and creates folders under them): point
# them at a throwaway folder before anything imports it, and the index at a closed port so
# no test can reach the network by accident. Subprocesses inherit them.
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="workbench-tests-argos-"))
os.environ["XDG_DATA_HOME"] = str(_ARGOS_HOME / "data")
os.environ["XDG_CONFIG_HOME"] = str(_ARGOS_HOME / "config")
os.environ["XDG_CACHE_HOME"] = str(_ARGOS_HOME / "cache")
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "packages")
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"


@pytest.fixture(scope="session")
def segmenter():
    from workbench.split.segment import Segmenter

    return Segmenter()


@pytest.fixture(scope="session")
def toy_model():
    """The trained Toyish (xx) → English package, installed through argostranslate."""
    from workbench.translate.models import find_model, install_file

    if find_model("xx") is None:
        install_file(TOY_PACKAGE)
    return find_model("xx")


@pytest.fixture(scope="session")
def built_models(tmp_path_factory) -> Path:
    """Where the builders put the packages tests build (never the checkout)."""
    return tmp_path_factory.mktemp("built-models")


@pytest.fixture(scope="session")
def random_models(toy_model, built_models):
    """Random-weight packages for ar, tr, el (hy stays missing on purpose)."""
    from builders.random_model import build_random_package
    from workbench.translate.models import find_model, install_file

    installed = {}
    for code in ("ar", "tr", "el"):
        if find_model(code) is None:
            install_file(build_random_package(code, eos_bias=4.0, cache=built_models))
        installed[code] = find_model(code)
    return installed


@pytest.fixture(scope="session")
def engine():
    from workbench.translate.engine import Engine

    return Engine(threads=2)


def isolated_argos_env(folder: Path) -> dict[str, str]:
    """Environment for a subprocess with its own, empty Argos folders."""
    return {
        **os.environ,
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_CACHE_HOME": str(folder / "cache"),
        "ARGOS_PACKAGES_DIR": str(folder / "packages"),
    }


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture
def package_index(tmp_path):
    """A local Argos package index on 127.0.0.1 serving index.json and the toy package."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "translate-xx_en.argosmodel").write_bytes(TOY_PACKAGE.read_bytes())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a, **k: _Handler(*a, directory=str(site), **k))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [
        {
            "package_version": "1.0",
            "argos_version": "1.12",
            "from_code": "xx",
            "from_name": "Toyish",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "links": [base + "translate-xx_en.argosmodel"],
        }
    ]
    (site / "index.json").write_text(json.dumps(index), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
