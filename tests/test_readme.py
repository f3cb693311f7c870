from __future__ import annotations

import re

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_has_two_setup_commands_and_ci_runs_the_test_one():
    main_job, tests = readme_commands()
    assert "workbench translate" in main_job and main_job.endswith("workbench review")
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines(), "CI must run the README's test command verbatim"


def tour_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", tour, re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_readme_is_a_guide_not_a_notebook():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250
    for link in re.findall(r"\]\((docs/[^)#]+)", "\n".join(lines)):
        assert (ROOT / link).is_file(), link


def test_every_command_of_the_tour_runs_as_shown(tmp_path):
    """In a copy of the checkout's corpus, with the checkout's .venv: each line of the tour's
    shell blocks, as written. The review app is a server: it must answer its health check."""
    import shutil
    import subprocess
    import time
    import urllib.request

    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    commands = tour_commands()
    assert [c.split()[1] for c in commands] == ["detect", "detect", "detect", "translate", "models", "review", "export", "export", "import"]
    for command in commands:
        if " review" in command:
            server = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    try:
                        with urllib.request.urlopen("http://127.0.0.1:8501/_stcore/health", timeout=2) as answer:
                            assert answer.read() == b"ok"
                            break
                    except OSError:
                        time.sleep(0.3)
                else:
                    raise AssertionError(f"{command}: no answer on port 8501")
            finally:
                server.terminate()
                server.wait(timeout=30)
            continue
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{command}\n{result.stderr[-2000:]}"
    assert (tmp_path / "segments.jsonl").stat().st_size > 0
    assert len(list((tmp_path / "translations").glob("*.json"))) == 5
    assert (tmp_path / "work.xlf").is_file() and list((tmp_path / "omegat-projects").glob("*/omegat.project"))
