from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TOY_PACKAGE, isolated_argos_env


def workbench(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.fixture
def env(tmp_path):
    return isolated_argos_env(tmp_path / "argos")


def test_install_list_remove_from_a_file(env, tmp_path):
    empty = workbench(env, "models", "list")
    assert empty.returncode == 0 and "No models installed" in empty.stdout
    installed = workbench(env, "models", "install", "--file", str(TOY_PACKAGE))
    assert installed.returncode == 0, installed.stderr
    assert "installed translate-xx_en-toy (Argos package; xx→en; version 1.0)" in installed.stdout
    listing = workbench(env, "models", "list")
    assert "xx→en" in listing.stdout and "1.0" in listing.stdout and "MB" in listing.stdout
    assert (Path(env["ARGOS_PACKAGES_DIR"]) / "translate-xx_en-toy" / "model" / "model.bin").is_file()
    removed = workbench(env, "models", "remove", "xx")
    assert removed.returncode == 0 and "removed translate-xx_en-toy (argos, xx→en 1.0)" in removed.stdout
    again = workbench(env, "models", "remove", "xx")
    assert again.returncode == 1 and "no installed model for xx→en" in again.stderr


def test_a_file_that_is_not_a_package_is_refused(env, tmp_path):
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_text("not a zip", encoding="utf-8")
    result = workbench(env, "models", "install", "--file", str(bogus))
    assert result.returncode == 1
    assert "bogus.argosmodel: not a model package" in result.stderr


def test_offline_install_names_the_pair_and_the_file_alternative(env):
    result = workbench(env, "models", "install", "ar")
    assert result.returncode == 1
    assert "cannot read the Argos package index at http://127.0.0.1:9/index.json" in result.stderr
    assert "ar→en (translate-ar_en-*.argosmodel)" in result.stderr and "models install FILE" in result.stderr
    assert result.stderr.count("error:") == 1


def test_offline_install_of_a_pair_the_index_lacks_names_no_package_that_does_not_exist(env):
    result = workbench(env, "models", "install", "ku", "hy")
    assert result.returncode == 1
    assert "translate-ku_en" not in result.stderr and "translate-hy_en" not in result.stderr
    assert "The Argos index has no ku→en model anyway: a multilingual model covers it" in result.stderr


def test_models_install_takes_several_files_as_arguments(env, tmp_path):
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_bytes(b"not a zip")
    result = workbench(env, "models", "install", str(TOY_PACKAGE), str(bogus))
    assert result.returncode == 1
    assert "installed" in result.stdout and "bogus.argosmodel: not a model package" in result.stderr


def test_a_broken_package_folder_is_reported_not_fatal(env):
    broken = Path(env["ARGOS_PACKAGES_DIR"]) / "half-unzipped"
    broken.mkdir(parents=True)
    result = workbench(env, "models", "list")
    assert result.returncode == 0
    assert "half-unzipped: no readable metadata.json" in result.stderr


def test_install_from_the_package_index(env, package_index):
    result = workbench({**env, "ARGOS_PACKAGE_INDEX": package_index}, "models", "install", "xx")
    assert result.returncode == 0, result.stderr
    assert "installed xx→en 1.0" in result.stdout
    assert "translate-xx_en" in workbench(env, "models", "list").stdout
    missing = workbench(env, "models", "install", "--index", package_index, "hy")
    assert missing.returncode == 1 and "has no package for hy→en" in missing.stderr
