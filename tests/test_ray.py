"""Translation on a local Ray cluster: the same documents as in-process, a worker killed with
SIGKILL mid-run, and a cluster started with `ray start` joined by address. Skipped without
Ray (`scripts/setup.sh --test` installs the [ray] extra, so CI runs these)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from tests.conftest import ROOT  # noqa: E402
from tests.test_resume import assert_same, make_corpus, snapshot  # noqa: E402
from workbench.core.settings import Settings  # noqa: E402
from workbench.translate.distributed import RayEngineTranslator  # noqa: E402
from workbench.translate.run import decoding_options, translate_corpus  # noqa: E402
from workbench.translate.translators import build_translator  # noqa: E402

# A loopback test cluster needs no token (Ray 2.5x enables token authentication by default).
os.environ.setdefault("RAY_AUTH_MODE", "disabled")


@pytest.fixture
def corpus(tmp_path, toy_model):
    folder = tmp_path / "corpus"
    make_corpus(folder, documents=8, lines=30)
    reference = tmp_path / "reference"
    summary = translate_corpus([folder], Settings(translations=reference), force_lang="xx")
    assert summary.written == 8
    return folder, snapshot(reference)


@pytest.fixture
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_the_same_documents_as_in_process(corpus, cluster, tmp_path):
    folder, expected = corpus
    out = tmp_path / "ray"
    summary = translate_corpus([folder], Settings(translations=out, executor="ray", workers=2), force_lang="xx")
    assert (summary.written, summary.errors, summary.retried) == (8, [], 0)
    assert summary.from_engine > 0
    assert_same(snapshot(out), expected)


class KillOnce:
    """A progress bar that kills one Ray worker with SIGKILL when the first chunk is done."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.killed = False

    def start(self, total: int, description: str) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def sentences(self, count: int) -> None:
        if not self.killed:
            os.kill(self.pid, signal.SIGKILL)
            self.killed = True


def test_a_worker_killed_mid_run_has_its_work_retried(corpus, cluster, tmp_path):
    folder, expected = corpus
    out = tmp_path / "ray"
    settings = Settings(translations=out)
    distributed = RayEngineTranslator(decoding_options(settings), workers=2, chunk_size=4)
    victim = distributed.worker_pids()[0]
    progress = KillOnce(victim)
    translator = build_translator(settings.cache_file, options=decoding_options(settings), routed=distributed)
    summary = translate_corpus([folder], settings, force_lang="xx", progress=progress, translator=translator)
    assert progress.killed
    with pytest.raises(ProcessLookupError):
        os.kill(victim, 0)  # the worker really died
    assert distributed.retried >= 1  # its chunks were sent again
    assert (summary.written, summary.errors) == (8, [])
    assert_same(snapshot(out), expected)  # nothing lost, nothing duplicated
    distributed.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_cluster_started_with_ray_start_is_joined_by_address(corpus, tmp_path):
    folder, expected = corpus
    ray_cli = shutil.which("ray", path=str(Path(sys.executable).parent)) or "ray"
    port = free_port()
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    started = subprocess.run(
        [ray_cli, "start", "--head", f"--port={port}", "--num-cpus=2", "--disable-usage-stats", "--include-dashboard=false"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert started.returncode == 0, started.stderr[-2000:]
    try:
        out = tmp_path / "joined"
        result = subprocess.run(
            [sys.executable, "-m", "workbench.cli", "translate", str(folder), "--out", str(out), "--lang", "xx",
             "--executor", "ray", "--ray-address", f"127.0.0.1:{port}"],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        assert "8/8 documents written" in result.stderr.replace("\n", " ")
        assert_same(snapshot(out), expected)
        status = subprocess.run([ray_cli, "status", f"--address=127.0.0.1:{port}"], capture_output=True, text=True, env=env, timeout=60)
        assert status.returncode == 0  # the cluster outlives the run: it was joined, not started
    finally:
        subprocess.run([ray_cli, "stop", "--force"], capture_output=True, env=env, timeout=120)
    assert json.loads((out / "doc00.json").read_text(encoding="utf-8"))["segments"]


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
            found.extend(children)
            todo.extend(children)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_dead_ray_node_ends_the_run_with_one_line_and_keeps_the_finished_documents(tmp_path, toy_model):
    """Killing Ray's dashboard agent takes the raylet and the node down, and Ray ends the driver
    process at once: the command's supervising process says so in one line of its own."""
    folder = tmp_path / "corpus"
    make_corpus(folder, documents=40, lines=60)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "workbench.cli", "translate", str(folder), "--out", str(out), "--lang", "xx", "--window", "60"]
    run = subprocess.Popen([*command, "--executor", "ray"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not list(out.glob("*.json")) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    agents = [pid for pid in descendants(run.pid) if "DashboardAgent" in command_line(pid)]
    assert agents, "no Ray dashboard agent under the run"
    for pid in agents:
        os.kill(pid, signal.SIGKILL)
    _, stderr = run.communicate(timeout=180)
    assert run.returncode == 1
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, stderr[-3000:]
    # Ray either ends the driver at once (the supervising process says so), or only its workers
    # die and never come back (the run says so, once, and stops): both are seen here.
    if errors[0].startswith("error: the Ray run ended abruptly"):
        assert lines == errors
        assert "documents written in this run are kept whole" in errors[0] and "ray-driver.log" in errors[0]
    else:
        assert "the Ray workers keep dying" in errors[0] and "the documents written are kept whole" in errors[0], errors[0]
    assert not [line for line in lines if "actor_id" in line or "core_worker" in line or "(raylet)" in line], stderr[-3000:]
    written = list(out.glob("*.json"))
    assert 0 < len(written) < 40
    for path in written:
        json.loads(path.read_text(encoding="utf-8"))
    resumed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert resumed.returncode == 0 and len(list(out.glob("*.json"))) == 40
