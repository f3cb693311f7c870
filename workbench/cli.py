"""The ``workbench`` command: a thin layer over the library. Heavy imports happen inside commands."""

from __future__ import annotations

import json
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
)


@app.callback()
def _root() -> None:
    """Translation Workbench: split mixed-language texts, translate them offline, review, align."""


LanguagesOption = Annotated[
    Optional[str],
    typer.Option(
        "--languages", "-l", help="Candidate languages, comma-separated ISO 639-1 codes (default: the 14 the workbench knows best)."
    ),
]
DetectorOption = Annotated[str, typer.Option("--detector", help="Language detector: ensemble (default), fasttext, py3langid, langdetect.")]


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _segmenter(languages_option: str | None, detector: str):
    from . import languages
    from .errors import WorkbenchError
    from .langid import BACKENDS
    from .segment import Segmenter, SegmenterConfig

    try:
        codes = languages.parse_language_list(languages_option) if languages_option else languages.DEFAULT_LANGUAGES
    except WorkbenchError as error:
        _fail(f"--languages: {error}")
    if detector not in BACKENDS:
        _fail(f"--detector: unknown detector {detector!r}; choose one of: {', '.join(BACKENDS)}")
    return Segmenter(SegmenterConfig(languages=codes, detector=detector))


def _read_inputs(paths: list[str]):
    """Yield ``(Document | None, error message | None)`` per input; stdin for ``-``."""
    from .document import document_from_bytes, iter_input_files, read_document
    from .errors import InputError

    for raw in paths:
        if raw == "-":
            try:
                yield document_from_bytes(sys.stdin.buffer.read(), path="-", doc_id="stdin"), None
            except InputError as error:
                yield None, str(error)
            continue
        try:
            files = iter_input_files([Path(raw)])
        except InputError as error:
            yield None, str(error)
            continue
        for file, root in files:
            try:
                yield read_document(file, root=root), None
            except InputError as error:
                yield None, str(error)


@app.command()
def detect(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (searched recursively) or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line per document.")] = False,
    languages_option: LanguagesOption = None,
    detector: DetectorOption = "ensemble",
) -> None:
    """Split texts into single-language segments and show them."""
    segmenter = _segmenter(languages_option, detector)
    failures = 0
    console = None
    if not as_json:
        from rich.console import Console

        console = Console()
    for document, error in _read_inputs(paths):
        if document is None:
            failures += 1
            typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
            continue
        document = segmenter.segment_document(document)
        if as_json:
            sys.stdout.write(json.dumps(detection_record(document), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            console.print(_segment_table(document, console.width))
    if failures:
        raise typer.Exit(1)


def detection_record(document) -> dict:
    """The ``detect --json`` shape: later tools depend on it exactly."""
    return {
        "path": document.path,
        "encoding": document.encoding,
        "segments": [
            {"start": s.start, "end": s.end, "lang": s.lang, "confidence": s.confidence, "kind": s.kind} for s in document.segments
        ],
    }


def _segment_table(document, width: int):
    from rich.table import Table
    from rich.text import Text

    from . import languages

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
    # Rich would squeeze the narrow columns to nothing before shortening a long preview.
    table.add_column("text", overflow="ellipsis", no_wrap=True, max_width=max(20, width - 62))
    for segment in document.segments:
        preview = " ".join(segment.text_of(document.text).split())
        lang_style = "dim" if segment.lang == "en" else "bold cyan"
        table.add_row(
            str(segment.start),
            str(segment.end),
            Text(f"{segment.lang} ({languages.name_of(segment.lang)})" if segment.lang != "en" else "en", style=lang_style),
            f"{segment.confidence:.2f}",
            segment.kind,
            Text(preview[:200]),
        )
    return table


def main() -> None:
    app()


if __name__ == "__main__":
    main()
