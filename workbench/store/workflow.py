"""Review states, the moves between them, and the rules every writer follows: one place.

Statuses, in workflow order: ``untranslated`` → ``machine`` → ``edited`` → ``reviewed`` →
``approved``; ``rejected`` from anywhere. ``source`` marks English segments (nothing to
translate) and has no moves.

Who changes what:

- a translation run only fills or replaces *machine* output: ``untranslated`` becomes
  ``machine``, every other status stays (``after_machine``);
- a person's edit of the text makes a segment ``edited``, whatever it was: approved or
  reviewed work that changes needs review again (``after_edit``); clearing the text goes back
  to ``machine`` (or ``untranslated`` when there is no machine output);
- a person's explicit status change follows ``MOVES`` and ``REQUIRES`` (``check_move``);
- an import (XLIFF, TMX, TSV, JSONL, OmegaT) goes through ``imported``: a target equal to its
  source is untranslated, an unchanged state never overrides a changed text.
"""

from __future__ import annotations

from enum import StrEnum

from workbench.core.errors import WorkbenchError


class Status(StrEnum):
    SOURCE = "source"
    UNTRANSLATED = "untranslated"
    MACHINE = "machine"
    EDITED = "edited"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    REJECTED = "rejected"


# Statuses a person confirmed: they make the translation memory and are never overwritten.
HUMAN = frozenset({Status.EDITED, Status.REVIEWED, Status.APPROVED})
# Statuses only a person sets (a run never touches a segment in one of these).
SET_BY_PEOPLE = HUMAN | {Status.REJECTED}
# Statuses a reviewer can pick in the app.
SETTABLE = (Status.MACHINE, Status.EDITED, Status.REVIEWED, Status.APPROVED, Status.REJECTED)

# The allowed explicit moves: from → the statuses a person may set.
MOVES: dict[Status, frozenset[Status]] = {
    Status.SOURCE: frozenset(),
    Status.UNTRANSLATED: frozenset({Status.EDITED, Status.REVIEWED, Status.APPROVED, Status.REJECTED}),
    Status.MACHINE: frozenset({Status.EDITED, Status.REVIEWED, Status.APPROVED, Status.REJECTED}),
    Status.EDITED: frozenset({Status.MACHINE, Status.REVIEWED, Status.APPROVED, Status.REJECTED}),
    Status.REVIEWED: frozenset({Status.MACHINE, Status.EDITED, Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.MACHINE, Status.EDITED, Status.REVIEWED, Status.REJECTED}),
    Status.REJECTED: frozenset({Status.MACHINE, Status.EDITED, Status.REVIEWED, Status.APPROVED}),
}
# What a target status needs: "correction" (a person's text), "machine" (machine output),
# "translation" (either).
REQUIRES: dict[Status, str] = {
    Status.MACHINE: "machine",
    Status.EDITED: "correction",
    Status.REVIEWED: "translation",
    Status.APPROVED: "translation",
}

LABELS = {status: status.value for status in Status} | {Status.SOURCE: "English"}


class TransitionError(WorkbenchError):
    """A status change that makes no sense for the segment."""


def check_move(record, target: str) -> Status:
    """The validated target status; raises TransitionError when ``record`` cannot move there."""
    try:
        wanted = Status(target)
    except ValueError:
        raise TransitionError(f"unknown status {target!r}; choose one of: {', '.join(SETTABLE)}") from None
    current = Status(record.status)
    if current == Status.SOURCE:
        raise TransitionError(f"segment {record.id} is English: nothing to review (relabel it first if it is not)")
    if wanted == current:
        return wanted  # no move
    if wanted not in MOVES[current]:
        raise TransitionError(f"segment {record.id} cannot go from {current} to {wanted}")
    need = REQUIRES.get(wanted)
    if need == "machine" and record.machine is None:
        raise TransitionError(f"segment {record.id} has no machine translation to go back to")
    if need == "correction" and not record.correction:
        raise TransitionError(f"segment {record.id} has no correction: type one before marking it edited")
    if need == "translation" and not record.correction and record.machine is None:
        raise TransitionError(f"segment {record.id} has no translation yet: type one before marking it {wanted}")
    return wanted


def after_edit(record, text: str) -> Status:
    """The status after a person sets the correction to ``text``."""
    if Status(record.status) == Status.SOURCE:
        raise TransitionError(f"segment {record.id} is English; relabel it before translating it")
    if not text.strip():
        return Status.MACHINE if record.machine is not None else Status.UNTRANSLATED
    return Status.EDITED


def after_machine(status: str) -> Status:
    """The status after a run fills or replaces machine output: only untranslated moves."""
    return Status.MACHINE if Status(status) == Status.UNTRANSLATED else Status(status)


def shown_text(record) -> str:
    """The translation a reviewer sees and an export carries: correction, else machine output
    (none when rejected)."""
    if record.correction:
        return record.correction
    if record.machine is not None and Status(record.status) != Status.REJECTED:
        return record.machine.text
    return ""


def imported(record, target: str, state: str | None, exported_state: str | None = None) -> tuple[str | None, Status | None]:
    """How an imported unit changes a segment: ``(new correction or None, new status or None)``.

    - a target that is empty or equal to the source is no translation: nothing changes;
    - a target equal to what the segment shows changes no text;
    - a state equal to the one exported (or none) never overrides a changed text: the
      segment becomes ``edited``;
    - a new state is applied when the workflow allows it; a changed text with a state that
      needs review again (``machine``, ``untranslated``) is ``edited``.
    """
    if Status(record.status) == Status.SOURCE:
        return None, None
    text = target if target.strip() and target.strip() != record.source.strip() else ""
    changed = bool(text) and text != shown_text(record)
    wanted: Status | None = None
    if state is not None and state != exported_state:
        try:
            wanted = Status(state)
        except ValueError:
            wanted = None
    if changed:
        if wanted in (None, Status.MACHINE, Status.UNTRANSLATED, Status.SOURCE):
            wanted = Status.EDITED
        return text, wanted
    if wanted is None or wanted == Status(record.status) or wanted not in MOVES[Status(record.status)]:
        return None, None
    need = REQUIRES.get(wanted)
    if need == "machine" and record.machine is None:
        return None, None
    if need == "correction" and not record.correction:
        return None, None
    if need == "translation" and not shown_text(record):
        return None, None
    return None, wanted
