"""Errors the library raises. Only the CLI and the app turn them into messages and exit codes."""

from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """A problem the user can act on; the message says what and, where possible, how to fix it."""


class RunStopped(WorkbenchError):
    """A failure after which no more of a run can be done (a lost Ray cluster): the run ends
    with this one line, keeping what it wrote, instead of failing again at every step."""


class InputError(WorkbenchError):
    """An input file that cannot be read as text."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class Interrupted(BaseException):
    """Ctrl-C, as the command line raises it: work in progress stops, finished work is kept.
    A BaseException, like KeyboardInterrupt, so no ``except Exception`` swallows it."""
