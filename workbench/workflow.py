"""Review states and the moves between them, in one place.

machine → edited → reviewed → approved is the usual path; rejected can be reached from any
state; a reviewer may step back. ``source`` (English, nothing to translate) has no moves.
"""

from __future__ import annotations

from .errors import WorkbenchError
from .store import SOURCE, SegmentRecord

SETTABLE = ("machine", "edited", "reviewed", "approved", "rejected")
LABELS = {
    "untranslated": "untranslated",
    "machine": "machine",
    "edited": "edited",
    "reviewed": "reviewed",
    "approved": "approved",
    "rejected": "rejected",
    SOURCE: "English",
}


class TransitionError(WorkbenchError):
    """A status change that makes no sense for the segment."""


def check_transition(record: SegmentRecord, target: str) -> None:
    """Raise TransitionError when ``record`` cannot move to ``target``."""
    if record.status == SOURCE:
        raise TransitionError(f"segment {record.id} is English: nothing to review (relabel it first if it is not)")
    if target not in SETTABLE:
        raise TransitionError(f"unknown status {target!r}; choose one of: {', '.join(SETTABLE)}")
    if target == "machine" and record.machine is None:
        raise TransitionError(f"segment {record.id} has no machine translation to go back to")
    if target == "edited" and not record.correction:
        raise TransitionError(f"segment {record.id} has no correction: type one before marking it edited")
    if target in ("reviewed", "approved") and not record.correction and record.machine is None:
        raise TransitionError(f"segment {record.id} has no translation yet: type one before marking it {target}")
