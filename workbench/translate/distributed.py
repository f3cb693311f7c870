"""Translation on a Ray cluster (``pip install translation-workbench[ray]``).

Only the engine's work moves: ``RayEngineTranslator`` takes the place of ``EngineTranslator``
in the translator chain, so the driver still reads the files, segments them, owns the cache
(committed chunk by chunk) and writes every document through ``store.edit``. The driver ships
sentences (text) to actors and gets translations back; each model travels once through Ray's
object store (its folder, zipped), so workers need no shared filesystem. An actor per CPU
(or per GPU with ``device="cuda"``) loads each model once.

A worker that dies mid-run (killed, out of memory, its machine gone) loses only the chunk it
held: Ray restarts the actor, the driver sends the chunk again, and the run's summary counts
the retried chunks. Nothing is translated twice into a file, nothing is lost.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from workbench.core.errors import RunStopped, WorkbenchError
from workbench.translate.engine import DecodingOptions, Engine, SentenceTranslation
from workbench.translate.models import InstalledModel
from workbench.translate.translators import EngineTranslator, Route, _machine


class RayError(WorkbenchError):
    """Ray is missing, or the cluster cannot be reached."""


class ClusterLost(RayError, RunStopped):
    """The cluster's workers are gone for good (a dead node): the run must end, not go on
    failing window after window."""


def _ray():
    try:
        import ray
    except ImportError:
        raise RayError("--executor ray needs Ray: pip install 'translation-workbench[ray]'") from None
    return ray


class _Worker:
    """One actor: an Engine with one thread (one actor per core), models unpacked locally."""

    def __init__(self, device: str, threads: int) -> None:
        self.engine = Engine(threads, device)
        self.models: dict[str, InstalledModel] = {}
        self.folder = Path(tempfile.mkdtemp(prefix="workbench-ray-models-"))

    def pid(self) -> int:
        return os.getpid()

    def translate(self, key: str, blob: list, lang: str, sentences: list[str], options: dict) -> dict[str, SentenceTranslation]:
        model = self.models.get(key)
        if model is None:
            model = self.models[key] = self._unpack(key, blob[0])
        decoding = DecodingOptions(**options)
        results: dict[str, SentenceTranslation] = {}
        for chunk in self.engine.translate_chunks(model, sentences, decoding, lang=lang):
            results.update(chunk)
        return results

    def _unpack(self, key: str, reference) -> InstalledModel:
        import ray

        from workbench.translate.models import _model_of, _read_metadata

        data = ray.get(reference)
        target = self.folder / key
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(target)
        model = _model_of(target, _read_metadata(target) or {})
        if model is None:
            raise WorkbenchError(f"model {key} shipped to a Ray worker is not a model")
        return model


class RayEngineTranslator(EngineTranslator):
    """The routing of ``EngineTranslator``; the translating on Ray actors.

    ``address``: None starts a local cluster with this machine's cores; ``auto`` or
    ``ray://host:port`` (or ``host:port``) joins an existing one. Raises RayError when Ray is
    missing or the cluster cannot be reached.
    """

    def __init__(
        self,
        options: DecodingOptions | None = None,
        *,
        address: str | None = None,
        workers: int | None = None,
        device: str = "cpu",
        models_dir: Path | None = None,
        overrides: dict[str, str] | None = None,
        chunk_size: int = 64,
        num_cpus: int | None = None,
    ) -> None:
        ray = _ray()
        super().__init__(engine=_NoEngine(), options=options, models_dir=models_dir, overrides=overrides)
        self.chunk_size = chunk_size
        self.retried = 0
        self._started_here = not ray.is_initialized()
        if self._started_here:
            try:
                if address is None:
                    ray.init(num_cpus=num_cpus or os.cpu_count(), include_dashboard=False, log_to_driver=False, configure_logging=False)
                else:
                    ray.init(address=address, log_to_driver=False, configure_logging=False)
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise RayError(f"cannot reach the Ray cluster at {address or 'a new local cluster'}: {error}") from None
        resources = ray.cluster_resources()
        per_device = "GPU" if device == "cuda" else "CPU"
        count = workers or max(1, int(resources.get(per_device, 1)))
        actor = ray.remote(_Worker).options(
            max_restarts=-1, max_task_retries=0, num_cpus=1 if device != "cuda" else 0, num_gpus=1 if device == "cuda" else 0
        )
        self.workers = [actor.remote("cuda" if device == "cuda" else "cpu", 1) for _ in range(count)]
        self._blobs: dict[str, object] = {}

    def worker_pids(self) -> list[int]:
        ray = _ray()
        return ray.get([worker.pid.remote() for worker in self.workers])

    def _blob(self, model: InstalledModel):
        """The model's folder, zipped once and put in the object store."""
        key = model.model_id.replace(":", "-").replace("/", "-").replace("@", "-")
        if key not in self._blobs:
            ray = _ray()
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
                for path in sorted(model.path.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(model.path).as_posix())
            self._blobs[key] = ray.put(buffer.getvalue())
        return key, self._blobs[key]

    def translate_chunks(self, lang: str, sentences: list[str]):
        """Yield ``{sentence: MachineTranslation}`` chunk by chunk as actors finish them; a
        chunk whose actor died is sent again (to the next actor) and counted in ``retried``."""
        ray = _ray()
        from ray.exceptions import RayActorError

        model = self.model_for(lang)
        if model is None:
            return
        route = Route(model.model_id, self.options.as_dict())
        key, blob = self._blob(model)
        unique = sorted({s for s in sentences if s.strip()}, key=lambda s: (len(s), s))
        chunks = [unique[i : i + self.chunk_size] for i in range(0, len(unique), self.chunk_size)]
        options = {
            "beam": self.options.beam,
            "length_penalty": self.options.length_penalty,
            "max_decoding_length": self.options.max_decoding_length,
            "length_factor": self.options.length_factor,
            "batch_size": self.options.batch_size,
        }
        queue = list(range(len(chunks)))
        running: dict = {}
        turn = 0

        def submit(index: int) -> None:
            nonlocal turn
            worker = self.workers[turn % len(self.workers)]
            turn += 1
            running[worker.translate.remote(key, [blob], lang, chunks[index], options)] = index

        # Two chunks in flight per worker: one running, one waiting, so none idles between chunks.
        while queue and len(running) < 2 * len(self.workers):
            submit(queue.pop(0))
        while running:
            ready, _ = ray.wait(list(running), num_returns=1)
            index = running.pop(ready[0])
            try:
                translated = ray.get(ready[0])
            except RayActorError as error:
                self.retried += 1
                if self.retried > 3 * len(chunks) + 10:  # actors that never come back: a lost node, not a crash
                    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                    raise ClusterLost(f"the Ray workers keep dying ({self.retried} chunks sent again; a node down?): {first}") from None
                submit(index)  # the actor restarts; the chunk goes to the next one in line
                continue
            except ray.exceptions.RayTaskError as error:
                raise WorkbenchError(
                    f"a Ray worker failed on the {lang}→en model: {error.cause if hasattr(error, 'cause') else error}"
                ) from None
            if queue:
                submit(queue.pop(0))
            yield {sentence: _machine(result, route) for sentence, result in translated.items()}

    def close(self) -> None:
        ray = _ray()
        for worker in self.workers:
            ray.kill(worker)
        if self._started_here:
            ray.shutdown()


class _NoEngine:
    """The driver loads no model: actors do."""

    device = "cpu"
    threads = 0
