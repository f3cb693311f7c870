"""The ``workbench`` command: a thin layer over the library. Heavy imports happen inside commands."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="workbench",
    help="Translation Workbench: split mixed-language texts, translate them offline, review, align.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: Rich-formatted help imports ~150 ms of modules (measured).
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """Translation Workbench: split mixed-language texts, translate them offline, review, align."""


from workbench.core.settings import BY_NAME as _SETTING  # noqa: E402  (stdlib only: keeps --help instant)

LanguagesOption = Annotated[Optional[str], typer.Option("--languages", "-l", help=_SETTING["languages"].help)]
DetectorOption = Annotated[Optional[str], typer.Option("--detector", help=_SETTING["detector"].help)]
TranslationsOption = Annotated[Optional[Path], typer.Option("--translations", help=_SETTING["translations"].help)]
CorpusOption = Annotated[Optional[Path], typer.Option("--corpus", help=_SETTING["corpus"].help)]
DeviceOption = Annotated[Optional[str], typer.Option("--device", help=_SETTING["device"].help)]
ModelsDirOption = Annotated[Optional[Path], typer.Option("--models-dir", help=_SETTING["models_dir"].help)]
ThreadsOption = Annotated[Optional[int], typer.Option("--threads", min=1, help=_SETTING["threads"].help)]
IndexOption = Annotated[Optional[str], typer.Option("--index", help=_SETTING["index"].help)]
# The flag's old name, kept working for scripts (-o now means only an output file or folder).
OutAlias = Annotated[Optional[Path], typer.Option("--out", hidden=True)]


def _count(number: int, noun: str) -> str:
    """``1 segment``, ``2 segments``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _program() -> str:
    """The command as the user typed it, for hints that run as shown: ``workbench`` when that
    is what the shell finds, else the path used (``.venv/bin/workbench``)."""
    import shutil

    invoked = sys.argv[0] if sys.argv else "workbench"
    if Path(invoked).name == "workbench":
        found = shutil.which("workbench")
        if found and Path(found).resolve() == Path(invoked).resolve():
            return "workbench"
        return invoked
    return "python -m workbench.cli" if shutil.which("python") == sys.executable else f"{sys.executable} -m workbench.cli"


def _as_invoked(text: str) -> str:
    """Library messages name commands as ``workbench …``: say them as the user can run them."""
    program = _program()
    return text if program == "workbench" else text.replace("`workbench ", f"`{program} ").replace(": workbench ", f": {program} ")


# Exit statuses, the same for every command (README, "Guarantees and limits").
EXIT_FAILED = 1  # some input or output failed; every other one was done
EXIT_USAGE = 2  # a bad flag, setting or argument: nothing was done
EXIT_CONFLICTS = 3  # import: conflicts were reported, not overwritten
EXIT_INTERRUPTED = 130  # Ctrl-C: what was finished is kept; run again to resume


def _settings(**flags):
    """Defaults < workbench.toml < WORKBENCH_* < these flags (see workbench/core/settings.py)."""
    from workbench.core.settings import load

    return load(flags)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    typer.secho(f"error: {_as_invoked(message)}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _segmenter(settings, workers: int = 1):
    from workbench.split.segment import Segmenter, SegmenterConfig

    return Segmenter(SegmenterConfig(languages=settings.languages, detector=settings.detector), workers=workers)


def _read_inputs(paths: list[str], settings):
    """Yield ``(Document | None, error message | None)`` per input; stdin for ``-``. Any
    failure to read one file is that file's error line: the others are still read."""
    from workbench.formats.inputs import document_from_bytes, iter_input_files, read_document

    limits, follow_links = settings.limits, settings.follow_links
    for raw in paths:
        if raw == "-":
            yield _guarded("-", lambda: document_from_bytes(sys.stdin.buffer.read(), path="-", doc_id="stdin", limits=limits))
            continue
        skipped: list[str] = []
        files = _guarded(raw, lambda raw=raw, skipped=skipped: iter_input_files([Path(raw)], follow_links=follow_links, skipped=skipped))
        for line in skipped:
            typer.secho(f"warning: {line}", fg=typer.colors.YELLOW, err=True)
        if files[0] is None:
            yield files
            continue
        for file, root in files[0]:
            yield _guarded(file, lambda file=file, root=root: read_document(file, root=root, limits=limits))


def _guarded(name, read):
    """``(read(), None)``, or ``(None, message)`` naming ``name`` when reading fails in any way."""
    from workbench.formats.inputs import reading_failure

    try:
        return read(), None
    except Exception as error:
        return None, reading_failure(name, error)


@app.command()
def detect(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (searched recursively) or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line per document.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the rule that decided each segment's language, and what it means.")
    ] = False,
    languages_option: LanguagesOption = None,
    detector: DetectorOption = None,
) -> None:
    """Split texts into single-language segments and show them (`--json` carries each segment's rule)."""
    # Documents are split in batches, their lines classified by one process per core.
    settings = _settings(languages=languages_option, detector=detector)
    segmenter = _segmenter(settings, workers=os.cpu_count() or 1)
    from workbench.split.segment import signature

    splitter = signature(segmenter.config)
    failures = 0
    console = None
    if not as_json:
        from rich.console import Console

        console = Console()

    def readable():
        nonlocal failures
        for document, error in _read_inputs(paths, settings):
            if document is None:
                failures += 1
                typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
                continue
            for warning in document.warnings:
                typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
            yield document

    try:
        for batch in _batches(readable()):
            for document, segments in zip(batch, segmenter.segment_many(document.text for document in batch)):
                document = document.with_segments(segments)
                if as_json:
                    sys.stdout.write(json.dumps(detection_record(document, splitter), ensure_ascii=False) + "\n")
                    sys.stdout.flush()
                else:
                    console.print(_segment_table(document, console.width, explain))
                    if explain:
                        console.print(_rules_legend(document))
    finally:
        segmenter.close()
    if failures:
        raise typer.Exit(EXIT_FAILED)


def _batches(documents, chars: int = 1_000_000):
    """Lists of documents of about ``chars`` characters (a document from stdin comes alone:
    its output should not wait for more)."""
    batch: list = []
    size = 0
    for document in documents:
        batch.append(document)
        size += len(document.text)
        if size >= chars or document.path == "-":
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


@app.command()
def text(paths: Annotated[list[str], typer.Argument(help="Files or folders (HTML, Word, OpenDocument, PDF, subtitles, text).")]) -> None:
    """Print the text the workbench reads from a file: `detect --json` offsets are offsets into it."""
    failures = 0
    for document, error in _read_inputs(paths, _settings()):
        if document is None:
            failures += 1
            typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
            continue
        for warning in document.warnings:
            typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
        sys.stdout.write(document.text)
    if failures:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def fetch(
    urls: Annotated[list[str], typer.Argument(help="Web addresses (http or https).")],
    into: Annotated[Optional[Path], typer.Option("--into", help="Folder to save pages in (default: the corpus folder).")] = None,
) -> None:
    """Save web pages into the corpus, with their address and fetch time recorded beside them."""
    from workbench.formats.fetch import fetch_page

    folder = into or _settings().corpus
    failures = 0
    for url in urls:
        try:
            saved = fetch_page(url, folder)
        except OSError as error:
            failures += 1
            typer.secho(f"error: {url}: {error}", fg=typer.colors.RED, err=True)
            continue
        typer.echo(f"saved {url} as {saved.path} ({saved.size} bytes; source recorded in {saved.record})")
    if failures:
        raise typer.Exit(EXIT_FAILED)


def detection_record(document, splitter: str) -> dict:
    """The ``detect --json`` shape: later tools depend on it exactly. ``splitter``: the
    splitter's signature (``split.segment.signature``)."""
    return {
        "path": document.path,
        "encoding": document.encoding,
        "segments": [
            {"start": s.start, "end": s.end, "lang": s.lang, "confidence": s.confidence, "kind": s.kind, "rule": s.rule}
            for s in document.segments
        ],
        "splitter": splitter,
    }


def _rules_legend(document):
    """What each rule the document's segments were decided by means."""
    from rich.table import Table

    from workbench.split.segment import RULES

    legend = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    for rule in dict.fromkeys(segment.rule for segment in document.segments):
        legend.add_row(rule, RULES.get(rule, ""))
    return legend


def _segment_table(document, width: int, explain: bool = False):
    from rich.table import Table
    from rich.text import Text

    from workbench.core import languages

    counts: dict[str, int] = {}
    for segment in document.segments:
        counts[segment.lang] = counts.get(segment.lang, 0) + 1
    summary = ", ".join(f"{lang} {count}" for lang, count in sorted(counts.items(), key=lambda item: -item[1]))
    table = Table(
        title=f"{document.path}  ({document.encoding}; {len(document.segments)} segments: {summary or 'none'})", title_justify="left"
    )
    table.add_column("start", justify="right", no_wrap=True, width=6)
    table.add_column("end", justify="right", no_wrap=True, width=6)
    table.add_column("lang", no_wrap=True, width=16)
    table.add_column("conf", justify="right", no_wrap=True, width=4)
    table.add_column("kind", no_wrap=True, width=9)
    if explain:
        table.add_column("rule", no_wrap=True, width=28)
    # Rich would squeeze the narrow columns to nothing before shortening a long preview.
    table.add_column("text", overflow="ellipsis", no_wrap=True, max_width=max(20, width - 62 - 31 * explain))
    for segment in document.segments:
        preview = " ".join(segment.text_of(document.text).split())
        lang_style = "dim" if segment.lang == "en" else "bold cyan"
        table.add_row(
            str(segment.start),
            str(segment.end),
            Text(f"{segment.lang} ({languages.name_of(segment.lang)})" if segment.lang != "en" else "en", style=lang_style),
            f"{segment.confidence:.2f}",
            segment.kind,
            *([segment.rule] if explain else []),
            Text(preview[:200]),
        )
    return table


@app.command()
def translate(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files or folders (default: the corpus folder).")] = None,
    out: TranslationsOption = None,
    out_alias: OutAlias = None,
    beam: Annotated[Optional[int], typer.Option("--beam", min=1, max=16, help=_SETTING["beam"].help)] = None,
    greedy: Annotated[bool, typer.Option("--greedy", help="Greedy decoding: a fast draft (same as --beam 1).")] = False,
    max_length: Annotated[Optional[int], typer.Option("--max-length", min=1, help=_SETTING["max_length"].help)] = None,
    length_factor: Annotated[Optional[int], typer.Option("--length-factor", min=0, help=_SETTING["length_factor"].help)] = None,
    threads: ThreadsOption = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="The documents are in this language: skip detection.")] = None,
    window: Annotated[Optional[int], typer.Option("--window", min=1, help=_SETTING["window"].help)] = None,
    device: DeviceOption = None,
    model: Annotated[
        Optional[list[str]], typer.Option("--model", help="LANG=NAME: translate LANG with this installed model (repeatable).")
    ] = None,
    models_dir: ModelsDirOption = None,
    install_missing: Annotated[
        bool, typer.Option("--install-missing", help="Install from the Argos index the pairs the documents need and lack (online).")
    ] = False,
    index: IndexOption = None,
    executor: Annotated[Optional[str], typer.Option("--executor", help=_SETTING["executor"].help)] = None,
    ray_address: Annotated[Optional[str], typer.Option("--ray-address", help=_SETTING["ray_address"].help)] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help=_SETTING["workers"].help)] = None,
    corpus: CorpusOption = None,
    languages_option: LanguagesOption = None,
    detector: DetectorOption = None,
    follow_links: Annotated[Optional[bool], typer.Option("--follow-links", help=_SETTING["follow_links"].help)] = None,
    keep_active_content: Annotated[Optional[bool], typer.Option("--keep-active-content", help=_SETTING["keep_active_content"].help)] = None,
) -> None:
    """Translate every non-English segment to English; write translations/<doc>.json and <doc>.en.txt."""
    from workbench.core import languages
    from workbench.translate.run import translate_corpus

    settings = _settings(
        translations=out or out_alias, beam=1 if greedy else beam, threads=threads, window=window, device=device,
        models=",".join(model) if model else None, models_dir=models_dir, corpus=corpus, languages=languages_option, detector=detector,
        follow_links=follow_links, keep_active_content=keep_active_content, max_length=max_length, length_factor=length_factor, executor=executor,
        ray_address=ray_address, workers=workers, index=index,
    )  # fmt: skip
    forced = languages.normalize(lang) if lang else None
    if settings.executor == "ray" and "WORKBENCH_RAY_STATUS_FD" not in os.environ:
        raise typer.Exit(_supervised_ray_run(settings.translations))
    if settings.executor == "ray":
        _ray_logs_aside(settings.translations)
    inputs = [Path(p) for p in paths] if paths else [settings.corpus]
    segmenter = _segmenter(settings, workers=os.cpu_count() or 1)
    if not forced:
        segmenter.start_workers()  # before the run starts its reader and writer threads
    try:
        with _RichProgress() as progress:
            summary = translate_corpus(
                inputs, settings, force_lang=forced, install_missing=install_missing, segmenter=segmenter, progress=progress
            )
    finally:
        segmenter.close()
    _print_summary(summary, settings.translations, settings.models_dir)
    if "WORKBENCH_RAY_STATUS_FD" in os.environ:  # tell the supervising process this run ended on its own
        os.write(int(os.environ["WORKBENCH_RAY_STATUS_FD"]), b"done\n")
    if summary.interrupted:
        typer.secho(
            f"interrupted: {summary.written} documents written whole, nothing half-written; run the same command again to resume",
            fg=typer.colors.YELLOW,
            err=True,
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    if summary.errors:
        raise typer.Exit(EXIT_FAILED)


def _supervised_ray_run(translations: Path) -> int:
    """Run this same command in a child process and watch it: when a Ray node dies, Ray ends
    its driver process at once (no Python code runs), so only a parent can still say what
    happened. Returns the exit status: the child's own, or 1 with one line of ours."""
    import signal
    import subprocess
    import time

    started = time.time()
    read_end, write_end = os.pipe()
    environment = {**os.environ, "WORKBENCH_RAY_STATUS_FD": str(write_end)}
    child = subprocess.Popen([sys.executable, "-m", "workbench.cli", *sys.argv[1:]], env=environment, pass_fds=(write_end,))
    os.close(write_end)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the child's to handle (same process group)
    try:
        status = child.wait()
        with os.fdopen(read_end, "rb") as pipe:
            finished = pipe.read() == b"done\n"
    finally:
        signal.signal(signal.SIGINT, previous)
    if finished or status in (EXIT_USAGE, EXIT_INTERRUPTED):
        return status
    written = sum(1 for path in translations.rglob("*.json") if ".cache" not in path.parts and path.stat().st_mtime >= started)
    typer.secho(
        f"error: the Ray run ended abruptly (exit status {status}; a Ray node died?): {written} documents written in this run are "
        f"kept whole in {translations}/; run the same command again to resume (Ray's own messages: {_ray_log(translations)})",
        fg=typer.colors.RED,
        err=True,
    )
    return EXIT_FAILED


def _ray_log(translations: Path) -> Path:
    return translations / ".cache" / "ray-driver.log"


def _ray_logs_aside(translations: Path) -> None:
    """Ray's C++ core writes its log lines straight to file descriptor 2: send those to a log
    file, and keep this program's own messages (Python's sys.stderr) on the terminal."""
    from workbench.store.files import workbench_folder

    workbench_folder(translations)
    terminal = os.dup(2)
    sys.stderr = os.fdopen(terminal, "w", buffering=1, encoding=sys.stderr.encoding, errors="backslashreplace")
    log = os.open(_ray_log(translations), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)
    os.close(log)


class _RichProgress:
    """Documents written, with the sentence rate and ETA, on stderr."""

    def __enter__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("written, {task.fields[read]} read"),
            TextColumn("[cyan]{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            transient=False,
        )
        self._progress.start()
        self._task = None
        return self

    def start(self, total: int, description: str) -> None:
        import time

        self._task = self._progress.add_task(description, total=total, rate="", read=0)
        self._sentences = 0
        self._read = 0
        self._started = time.perf_counter()

    def read(self, count: int) -> None:
        """Documents read and split: the bar moves from the start, before the first is written."""
        self._read += count
        self._progress.update(self._task, read=self._read)

    def advance(self, count: int) -> None:
        self._progress.advance(self._task, count)

    def sentences(self, count: int) -> None:
        import time

        self._sentences += count
        elapsed = time.perf_counter() - self._started
        if elapsed > 0:
            self._progress.update(self._task, rate=f"{self._sentences} sentences, {self._sentences / elapsed:.1f}/s")

    def __exit__(self, *exc) -> None:
        self._progress.stop()


def _print_summary(summary, out: Path, models_dir: Path | None = None) -> None:
    from rich.console import Console

    from workbench.translate.models import NLLB_COMMANDS, index_pairs

    console = Console(stderr=True, soft_wrap=True)  # never wrapped: paths and commands must stay whole
    program = _program()
    console.print(
        f"[bold]{summary.written}/{_count(summary.documents, 'document')}[/bold] written to {out}/ "
        f"({_count(summary.segments, 'segment')}, {summary.to_translate} to translate, {summary.translated} translated now) "
        f"in {summary.seconds:.1f} s",
        highlight=False,
    )
    if summary.sentences:
        # Over the whole run, as the progress bar counts: the two agree.
        rate = summary.from_engine / summary.seconds if summary.seconds else 0
        console.print(
            f"sentences: {summary.sentences} unique, {summary.from_cache} from cache, {summary.from_engine} translated ({rate:.1f}/s)",
            highlight=False,
        )
    if summary.retried:
        console.print(f"[yellow]{_count(summary.retried, 'chunk')} sent again[/yellow] because a Ray worker died; nothing was lost")
    if summary.from_memory:
        console.print(f"{_count(summary.from_memory, 'segment')} filled from the translation memory (reviewed translations)")
    if summary.flagged:
        console.print(
            f"[yellow]{_count(summary.flagged, 'segment')} flagged for review[/yellow] (empty, copied, repeated or odd-length output)"
        )
    for line in summary.installed:
        console.print(f"installed {line} from the Argos index")
    if summary.missing:
        pairs = sorted(summary.missing.items())
        listing = ", ".join(f"{pair} ({count})" for pair, count in pairs)
        codes = [pair.split("→")[0] for pair, _ in pairs]
        offered = index_pairs(models_dir)
        in_index = [code for code in codes if code in offered]
        elsewhere = [code for code in codes if code not in offered]
        console.print(
            f"[yellow]no model for {listing}[/yellow]: those segments keep their source text, with a note, for reviewers to "
            "translate by hand.",
            highlight=False,
        )
        if in_index:
            online = f"`{program} models install {' '.join(in_index)}` (online)"
            if not summary.index_unreachable:
                online += f", or `{program} translate --install-missing`"
            console.print(
                f"  The Argos index has {', '.join(in_index)}: {online}; offline, download the translate-XX_en .argosmodel "
                f"files elsewhere and `{program} models install FILE …`.",
                highlight=False,
                markup=False,
            )
        if elsewhere:
            console.print(
                f"  The Argos index has no {', '.join(elsewhere)}→en model. A multilingual model covers "
                f"{'them' if len(elsewhere) > 1 else 'it'}: convert NLLB-200 with CTranslate2 and install the folder:\n"
                + "\n".join("    " + _as_invoked(f"`{line}`")[1:-1] for line in NLLB_COMMANDS.splitlines()),
                highlight=False,
                markup=False,
            )
    for line in summary.warnings:
        console.print(f"[yellow]warning:[/yellow] {_escape(line)}", highlight=False)
    for line in summary.invalidated:
        console.print(f"[yellow]invalidated:[/yellow] {_escape(line)}", highlight=False)
    for line in summary.errors:
        console.print(f"[red]error:[/red] {_escape(_as_invoked(line))}", highlight=False)


def _escape(text: str) -> str:
    """Messages carry file names and document text: never Rich markup."""
    from rich.markup import escape

    return escape(text)


@app.command()
def review(
    corpus: CorpusOption = None,
    translations: TranslationsOption = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8501,
    address: Annotated[
        str, typer.Option("--address", help="Bind address; other than 127.0.0.1 only when you mean to share it.")
    ] = "127.0.0.1",
    device: DeviceOption = None,
    models_dir: ModelsDirOption = None,
) -> None:
    """Open the review app in the browser: source and translation side by side."""
    import os

    settings = _settings(corpus=corpus, translations=translations, device=device, models_dir=models_dir)
    app_path = Path(__file__).parent / "review" / "app.py"
    if not settings.translations.is_dir():
        _fail(f"{settings.translations}/ does not exist: run `workbench translate` first")
    passed = ["--corpus", str(settings.corpus), "--translations", str(settings.translations), "--device", settings.device]
    if settings.models_dir is not None:
        passed += ["--models-dir", str(settings.models_dir)]
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.address", address, "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
        "--", *passed,
    ]  # fmt: skip
    from workbench.review.access import is_loopback, new_token

    token = settings.review_token
    environment = dict(os.environ)
    if not is_loopback(address):
        if not token:  # never open to the network without one: make one for this session
            token = new_token()
        environment["WORKBENCH_REVIEW_TOKEN"] = token  # for the app, not on its command line
        typer.secho(
            f"warning: the review app listens on {address}, beyond this machine: anyone who reaches port {port} and has the "
            "token can read every document and change translations. Share the address below only with reviewers.",
            fg=typer.colors.YELLOW,
            bold=True,
            err=True,
        )
    shown = "127.0.0.1" if address in ("0.0.0.0", "::") else address
    typer.echo(f"Review app on http://{shown}:{port}/{'?token=' + token if token else ''} (Ctrl+C to stop)")
    sys.stdout.flush()
    # Become the Streamlit server (no child left behind when this process is stopped).
    os.execve(sys.executable, [sys.executable, *command[1:]], environment)


@app.command()
def align(
    source: Annotated[Path, typer.Argument(help="The document in language X.")],
    target: Annotated[Path, typer.Argument(help="Its English translation.")],
    src_lang: Annotated[str, typer.Option("--lang", help="Language of SOURCE, or auto.")] = "auto",
    src_lang_alias: Annotated[Optional[str], typer.Option("--src-lang", hidden=True)] = None,
    sentences_per_line: Annotated[
        bool, typer.Option("--sentences-per-line", help="One sentence per line on both sides; not re-split.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help='One link per line: {"src": [...], "tgt": [...], "score": float}.')] = False,
    as_tsv: Annotated[bool, typer.Option("--tsv", help="source sentences, English sentences, score; one link per line.")] = False,
    out: TranslationsOption = None,
    out_alias: OutAlias = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not store the bitext under --translations.")] = False,
    no_mt: Annotated[bool, typer.Option("--no-mt", help="Do not use an installed X→en model even if there is one.")] = False,
    device: DeviceOption = None,
    models_dir: ModelsDirOption = None,
) -> None:
    """Align a document with its existing English translation, sentence by sentence."""
    from workbench.align.bitext import align_files, main_language, save_bitext
    from workbench.formats.inputs import read_document

    settings = _settings(translations=out or out_alias, device=device, models_dir=models_dir)
    out = settings.translations
    src_lang = src_lang_alias or src_lang
    lang = src_lang
    translate_function, model_id = None, None
    if not no_mt:
        from workbench.core import languages
        from workbench.translate.record import RecordTranslator

        lang = main_language(read_document(source), _segmenter(settings)) if src_lang == "auto" else languages.normalize(src_lang)
        translator = RecordTranslator(settings)
        route = translator.translator.expected(lang)
        if route is not None:
            translate_function, model_id = (lambda sentences: translator.sentences(lang, sentences)), route.model
    bitext = align_files(
        source, target, src_lang=lang, sentences_per_line=sentences_per_line, translate=translate_function, mt_model=model_id
    )
    if as_json:
        for link in bitext.links:
            sys.stdout.write(json.dumps(link.as_json()) + "\n")
    elif as_tsv:
        src, tgt = bitext.source_sentences(), bitext.target_sentences()
        for link in bitext.links:
            row = [" ".join(src[i] for i in link.src), " ".join(tgt[j] for j in link.tgt), f"{link.score:.4f}"]
            sys.stdout.write("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row) + "\n")
    else:
        _print_alignment(bitext)
    if not no_store:
        path = save_bitext(out, bitext)
        typer.secho(
            f"bitext stored in {path} ({bitext.src_lang}→en, {len(bitext.links)} links{', MT-assisted with ' + model_id if model_id else ''})",
            err=True,
        )


def _print_alignment(bitext) -> None:
    from rich.console import Console
    from rich.table import Table

    src, tgt = bitext.source_sentences(), bitext.target_sentences()
    table = Table(title=f"{bitext.source.path} ({bitext.src_lang}) ↔ {bitext.target.path} (en)", title_justify="left", show_lines=True)
    table.add_column("src", no_wrap=True)
    table.add_column("tgt", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column(bitext.src_lang, ratio=1)
    table.add_column("en", ratio=1)
    for link in bitext.links:
        table.add_row(
            ",".join(map(str, link.src)) or "—",
            ",".join(map(str, link.tgt)) or "—",
            f"{link.score:.2f}",
            " ".join(src[i] for i in link.src),
            " ".join(tgt[j] for j in link.tgt),
        )
    Console().print(table)


@app.command("export")
def export_command(
    paths: Annotated[
        Optional[list[str]], typer.Argument(help="Documents (ids or translations files) or folders; default: the whole workspace.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="xliff, tmx, tsv, jsonl, or omegat (a project folder per source language).")
    ] = "xliff",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout); a folder for omegat.")] = None,
    include_machine: Annotated[
        bool, typer.Option("--include-machine", help="TMX: add unreviewed machine translations, marked as such.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
    translations: TranslationsOption = None,
) -> None:
    """Export translations for translators' tools (OmegaT: --format omegat -o DIR)."""
    from workbench.exchange.bilingual import FORMATS, documents_for_export, export, unit_count
    from workbench.review.workspace import Workspace
    from workbench.store.files import write_atomically

    if fmt not in (*FORMATS, "omegat"):
        _fail(f"--format: choose one of {', '.join((*FORMATS, 'omegat'))}")
    settings = _settings(translations=translations)
    workspace = Workspace(settings.corpus, settings.translations)
    doc_ids = _select_documents(workspace, paths) if paths else None
    if output is not None:
        _check_export_target(output, settings.translations, force, folder=fmt == "omegat")
    problems: list[str] = []
    if fmt == "omegat":
        from workbench.exchange.omegat import export_projects

        if output is None:
            _fail("--format omegat writes a folder: give it with -o DIR")
        for project in export_projects(workspace, output, doc_ids, problems):
            typer.echo(
                f"{project.path}: {project.documents} documents, {project.segments} segments "
                f"({project.confirmed} confirmed in tm/auto, {project.machine} machine in tm/)"
            )
        typer.secho(f"open a folder above in OmegaT; see {output / 'README.md'}", err=True)
    else:
        data = export(workspace, fmt, doc_ids, include_machine=include_machine, problems=problems)
        units = unit_count(documents_for_export(workspace, doc_ids, []), fmt, include_machine)
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            write_atomically(output, data)
            typer.secho(f"wrote {output} ({_count(units, 'unit')})", err=True)
        if units == 0:
            why = " (a TMX holds reviewed work only: add --include-machine for machine output)" if fmt == "tmx" else ""
            typer.secho(f"warning: nothing to export: no unit in the chosen documents{why}", fg=typer.colors.YELLOW, err=True)
    for line in problems:
        typer.secho(f"error: {line}", fg=typer.colors.RED, err=True)
    if problems:
        raise typer.Exit(EXIT_FAILED)


def _check_export_target(output: Path, translations: Path, force: bool, *, folder: bool) -> None:
    """An export never writes into the translations folder (it would replace a translations
    file outside its lock) and never over an existing file unless ``--force``."""
    if output.resolve().is_relative_to(translations.resolve()):
        _fail(f"{output} is inside the translations folder {translations}/: export somewhere else")
    if not folder and output.exists() and not force:
        _fail(f"{output} exists: add --force to replace it")


def _select_documents(workspace, paths: list[str]) -> list[str]:
    from workbench.review.workspace import ReviewError

    known = workspace.document_ids()
    chosen: list[str] = []
    root = workspace.translations.resolve()
    for raw in paths:
        candidate = Path(raw)
        if candidate.exists() and candidate.resolve().is_relative_to(root):
            relative = candidate.resolve().relative_to(root).as_posix()
            if candidate.is_dir():
                prefix = "" if relative == "." else relative + "/"
                chosen.extend(doc for doc in known if doc.startswith(prefix))
                continue
            raw = relative.removesuffix(".json")
        if raw not in known:
            raise ReviewError(f"no document {raw!r} in {workspace.translations}")
        chosen.append(raw)
    return list(dict.fromkeys(chosen))


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="An XLIFF, TMX, TSV or JSONL file, or an OmegaT project folder exported by the workbench.")],
    translations: TranslationsOption = None,
) -> None:
    """Bring corrections back (XLIFF, TMX, TSV, JSONL, OmegaT); conflicts are reported, never overwritten."""
    from workbench.exchange.bilingual import import_file
    from workbench.exchange.omegat import MANIFEST, import_project, is_project
    from workbench.review.workspace import Workspace

    settings = _settings(translations=translations)
    workspace = Workspace(settings.corpus, settings.translations)
    projects = sorted(folder for folder in file.iterdir() if is_project(folder)) if file.is_dir() and not is_project(file) else []
    if file.is_dir() and not is_project(file) and not projects:
        _fail(f"{file} is a folder with no OmegaT project in it: give an exchange file or a project folder")
    if projects:  # the folder `export --format omegat` wrote: one project per language
        from workbench.exchange.bilingual import ImportReport

        report = ImportReport()
        for project in projects:
            part = import_project(workspace, project)
            report.updated += part.updated
            report.unchanged += part.unchanged
            report.conflicts += part.conflicts
            report.unknown += part.unknown
    elif is_project(file) or (file.suffix.lower() == ".tmx" and any((folder / MANIFEST).is_file() for folder in file.parents[:2])):
        report = import_project(workspace, file)
    else:
        report = import_file(workspace, file)
    typer.echo(
        f"{_count(len(report.updated), 'segment')} updated, {report.unchanged} unchanged, "
        f"{_count(len(report.conflicts), 'conflict')}, {(report.unknown and len(report.unknown)) or 0} unknown"
    )
    for line in report.conflicts:
        typer.secho(f"conflict: {line}", fg=typer.colors.YELLOW, err=True)
    for line in report.unknown[:20]:
        typer.secho(f"unknown: {line}", fg=typer.colors.YELLOW, err=True)
    if report.conflicts:
        raise typer.Exit(EXIT_CONFLICTS)


@app.command()
def qa(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Documents (ids or translations files) or folders; default: all.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line per issue.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with status 1 when any issue is an error (for scripts).")] = False,
    translations: TranslationsOption = None,
) -> None:
    """Check translations: numbers, links and addresses, untranslated text, punctuation, length, doubled words, glossary terms."""
    from workbench.review import qa as checks
    from workbench.review.workspace import Workspace
    from workbench.store import glossary

    settings = _settings(translations=translations)
    workspace = Workspace(settings.corpus, settings.translations)
    doc_ids = _select_documents(workspace, paths) if paths else None
    problems: list[str] = []
    findings = checks.report(workspace, doc_ids, glossary.load(settings.translations), problems)
    if as_json:
        for finding in findings:
            record = {"document": finding.document_id, "segment": finding.segment_id, **vars(finding.issue)}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif findings:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"{_count(len(findings), 'issue')} in {settings.translations}/", title_justify="left")
        for column in ("document", "segment", "check", "severity", "message"):
            table.add_column(column, overflow="fold")
        for finding in findings:
            issue = finding.issue
            style = "red" if issue.severity == checks.ERROR else "yellow"
            table.add_row(
                Text(finding.document_id), finding.segment_id, issue.check, Text(issue.severity, style=style), Text(issue.message)
            )
        Console().print(table)
    else:
        typer.secho("no issues found", err=True)
    for line in problems:
        typer.secho(f"error: {line}", fg=typer.colors.RED, err=True)
    errors = sum(1 for finding in findings if finding.issue.severity == checks.ERROR)
    if problems or (strict and errors):
        raise typer.Exit(EXIT_FAILED)


glossary_app = typer.Typer(
    help="The project's glossary: terms and the English reviewers must use.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(glossary_app, name="glossary")


@glossary_app.command("import")
def glossary_import(
    files: Annotated[list[Path], typer.Argument(help="CSV (term,english[,lang][,note]) or TBX files.")],
    lang: Annotated[Optional[str], typer.Option("--lang", help="The terms' language, for a CSV without a lang column.")] = None,
    translations: TranslationsOption = None,
) -> None:
    """Add terms to translations/glossary.tsv (terms already there stay)."""
    from workbench.core import languages
    from workbench.store import glossary

    settings = _settings(translations=translations)
    current = glossary.load(settings.translations)
    added = glossary.Glossary()
    failures = 0
    for file in files:
        try:
            added = added.merged(glossary.read_file(file, languages.normalize(lang) if lang else None))
        except glossary.GlossaryError as error:
            failures += 1
            typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
    merged = current.merged(added)
    path = glossary.save(settings.translations, merged)
    typer.echo(f"{path}: {_count(len(merged) - len(current), 'term')} added, {_count(len(merged), 'term')} in all")
    if failures:
        raise typer.Exit(EXIT_FAILED)


@glossary_app.command("list")
def glossary_list(
    lang: Annotated[Optional[str], typer.Option("--lang", help="Only the terms of this language.")] = None,
    translations: TranslationsOption = None,
) -> None:
    """Print the glossary: language, term, English, note (tab-separated)."""
    from workbench.store import glossary

    settings = _settings(translations=translations)
    for term in glossary.load(settings.translations).terms:
        if lang is None or term.lang == lang:
            sys.stdout.write("\t".join((term.lang, term.term, term.english, term.note)) + "\n")


models_app = typer.Typer(
    help="Manage translation models: Argos packages, OPUS-MT and multilingual (NLLB-200, M2M-100) folders.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list(models_dir: ModelsDirOption = None) -> None:
    """The route each language takes (pair, kind, model, version, size), and every installed model."""
    from rich.console import Console
    from rich.table import Table

    from workbench.core import languages
    from workbench.translate.models import index_pairs, list_installed, packages_dir, routes

    settings = _settings(models_dir=models_dir)
    installed, problems = list_installed(settings.models_dir)
    console = Console()
    if not installed:
        console.print("No models installed. Install one with `workbench models install CODE` or `--file PATH`.")
    table = Table(title=f"Routes to English (models in {packages_dir(settings.models_dir)})", title_justify="left")
    for column in ("language", "pair", "kind", "model", "version", "size"):
        table.add_column(column)
    offered = index_pairs(settings.models_dir)
    for code, model in routes(installed, settings.models).items():
        name = f"{code} · {languages.name_of(code)}"
        if model is None:
            hint = f"none: `workbench models install {code}`" if code in offered else "none: not in the Argos index; NLLB-200 covers it"
            table.add_row(name, f"{code}→en", "—", hint, "", "")
            continue
        via = f" ({model.token_for(code)})" if model.kind == "multilingual" else ""
        table.add_row(name, f"{code}→en", model.kind, model.name + via, model.version, f"{model.size_bytes / 1e6:.1f} MB")
    console.print(table)
    for problem in problems:
        typer.secho(f"warning: {problem}", fg=typer.colors.YELLOW, err=True)


@models_app.command("install")
def models_install(
    sources: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="Source languages (from the Argos index), or .argosmodel files, zips and model folders (Argos, OPUS-MT, NLLB-200/M2M-100)."
        ),
    ] = None,
    file: Annotated[Optional[list[Path]], typer.Option("--file", hidden=True)] = None,
    from_code: Annotated[
        Optional[str], typer.Option("--from", help="Source language of an OPUS-MT model whose README does not say.")
    ] = None,
    index: IndexOption = None,
    models_dir: ModelsDirOption = None,
) -> None:
    """Install models: name languages to install from the Argos index (online), or give files and folders."""
    from workbench.core import languages
    from workbench.translate.models import install, install_from_index

    if not sources and not file:
        _fail("name source languages (e.g. `workbench models install ar tr`) or give model files and folders")
    settings = _settings(models_dir=models_dir, index=index)
    paths = [*(file or []), *(Path(s) for s in sources or [] if _names_a_file(s))]
    codes = [s for s in sources or [] if not _names_a_file(s)]

    def from_file(path: Path) -> None:
        result = install(path, settings.models_dir, languages.normalize(from_code) if from_code else None)
        for model in result.models:
            covers = ", ".join(model.languages()) + "→en" if model.kind == "multilingual" else model.pair
            typer.echo(f"installed {model.name} ({result.found}; {covers}; version {model.version}) from {path}")

    def from_index(code: str) -> None:
        model = install_from_index(languages.normalize(code), index=settings.index, folder=settings.models_dir)
        typer.echo(f"installed {model.pair} {model.version}")

    if _each(paths, from_file) + _each(codes, from_index):
        raise typer.Exit(EXIT_FAILED)


def _names_a_file(argument: str) -> bool:
    """A path (it exists, or looks like one) rather than a language code."""
    return Path(argument).exists() or "/" in argument or argument.endswith((".argosmodel", ".zip"))


@models_app.command("remove")
def models_remove(
    names: Annotated[list[str], typer.Argument(help="Source languages whose X→en models to remove, or model names.")],
    models_dir: ModelsDirOption = None,
) -> None:
    """Remove installed models (by language code or by name)."""
    from workbench.translate.models import remove

    settings = _settings(models_dir=models_dir)

    def remove_one(name: str) -> None:
        for model in remove(name, folder=settings.models_dir):
            typer.echo(
                f"removed {model.name} ({model.kind}, {model.pair if model.kind != 'multilingual' else 'multilingual'} {model.version})"
            )

    if _each(names, remove_one):
        raise typer.Exit(EXIT_FAILED)


def _each(items, action) -> int:
    """Run ``action`` on every item, reporting each WorkbenchError and going on; returns the failures."""
    from workbench.core.errors import WorkbenchError

    failures = 0
    for item in items:
        try:
            action(item)
        except WorkbenchError as error:
            failures += 1
            typer.secho(f"error: {_as_invoked(str(error))}", fg=typer.colors.RED, err=True)
    return failures


def main() -> None:
    """The command's entry point: the one place library errors become messages and exit codes.

    A WorkbenchError (a problem the user can act on) or an OSError (a full disk, a read-only
    folder) is one line on stderr and exit status 1, never a traceback.
    """
    import signal

    from workbench.core.errors import Interrupted, WorkbenchError
    from workbench.core.settings import SettingsError

    def interrupted(signum, frame):
        raise Interrupted()

    # Ctrl-C raises Interrupted, which Click lets through (it would turn a KeyboardInterrupt
    # into "Aborted!" and exit status 1): one line, exit status 130.
    signal.signal(signal.SIGINT, interrupted)
    try:
        app()  # usage errors are Click's: a message and exit status 2
    except Interrupted:
        typer.secho("interrupted; what was finished is kept: run the same command again to resume", fg=typer.colors.YELLOW, err=True)
        sys.exit(EXIT_INTERRUPTED)
    except SettingsError as error:  # a bad flag, variable or workbench.toml value: a usage error too
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        sys.exit(EXIT_USAGE)
    except WorkbenchError as error:
        typer.secho(f"error: {_as_invoked(str(error))}", fg=typer.colors.RED, err=True)
        sys.exit(EXIT_FAILED)
    except OSError as error:
        where = f"{error.filename}: " if getattr(error, "filename", None) else ""
        typer.secho(f"error: {where}{error.strerror or error}", fg=typer.colors.RED, err=True)
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    main()
