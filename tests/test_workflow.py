"""The review workflow's table, walked whole: every status to every status, with and without
a correction and a machine translation. The expected grid is written out here by hand, not
derived from workflow.MOVES, so a changed rule fails a test."""

from __future__ import annotations

import pytest

from workbench.store.files import MachineTranslation, SegmentRecord
from workbench.store.workflow import Status, TransitionError, after_edit, after_machine, check_move, imported

MACHINE = MachineTranslation("the workers want bread", "argos:xx-en@1.0", {}, -0.1, 0.9)
ORDER = ["source", "untranslated", "machine", "edited", "reviewed", "approved", "rejected"]

# Rows: from. Columns: to, in ORDER. "y" allowed, "-" refused, "=" no move (same status).
# Requirements (machine output for "machine", a correction for "edited", some translation
# for "reviewed"/"approved") are checked separately below.
GRID = """
source        =  -  -  -  -  -  -
untranslated  -  =  -  y  y  y  y
machine       -  -  =  y  y  y  y
edited        -  -  y  =  y  y  y
reviewed      -  -  y  y  =  y  y
approved      -  -  y  y  y  =  y
rejected      -  -  y  y  y  y  =
"""
TABLE = {(row.split()[0], ORDER[number]): mark for row in GRID.strip().splitlines() for number, mark in enumerate(row.split()[1:])}


def record(status: str, machine: bool = True, correction: str = "The workers want bread!") -> SegmentRecord:
    return SegmentRecord("s1", 0, 10, "xx", "sentence", "zo kema volas panu", MACHINE if machine else None, correction, status)


def needs_met(target: str, has_machine: bool, has_correction: bool) -> bool:
    return {
        "machine": has_machine,
        "edited": has_correction,
        "reviewed": has_machine or has_correction,
        "approved": has_machine or has_correction,
    }.get(target, True)


@pytest.mark.parametrize("has_correction", [True, False], ids=["corrected", "uncorrected"])
@pytest.mark.parametrize("has_machine", [True, False], ids=["machine", "no-machine"])
@pytest.mark.parametrize(("source", "target"), [pytest.param(a, b, id=f"{a}->{b}") for a in ORDER for b in ORDER])
def test_every_move(source, target, has_machine, has_correction):
    segment = record(source, machine=has_machine, correction="The workers want bread!" if has_correction else "")
    mark = TABLE[(source, target)]
    allowed = source != "source" and (mark == "=" or (mark == "y" and needs_met(target, has_machine, has_correction)))
    if target == "source" and source != "source":
        allowed = False
    if allowed:
        assert check_move(segment, target) == Status(target)
    else:
        with pytest.raises(TransitionError):
            check_move(segment, target)


@pytest.mark.parametrize(
    ("status", "text", "expected"),
    [
        pytest.param("machine", "Bread!", "edited", id="machine-edited"),
        pytest.param("untranslated", "Bread!", "edited", id="untranslated-edited"),
        pytest.param("approved", "Bread!", "edited", id="approved-needs-review-again"),
        pytest.param("reviewed", "Bread!", "edited", id="reviewed-needs-review-again"),
        pytest.param("rejected", "Bread!", "edited", id="rejected-edited"),
        pytest.param("edited", "", "machine", id="cleared-back-to-machine"),
    ],
)
def test_after_edit(status, text, expected):
    assert after_edit(record(status), text) == expected


def test_after_edit_without_machine_and_of_english():
    assert after_edit(record("edited", machine=False), "  ") == "untranslated"
    with pytest.raises(TransitionError, match="English"):
        after_edit(record("source"), "x")


@pytest.mark.parametrize("status", ORDER[1:])
def test_a_run_only_moves_untranslated(status):
    assert after_machine(status) == ("machine" if status == "untranslated" else status)


@pytest.mark.parametrize(
    ("status", "target", "state", "exported", "expected"),
    [
        pytest.param("edited", "Bread, now.", "edited", "edited", ("Bread, now.", "edited"), id="unchanged-state-changed-text"),
        pytest.param("machine", "Bread, now.", "machine", "machine", ("Bread, now.", "edited"), id="machine-state-never-reverts"),
        pytest.param("approved", "Bread, now.", "approved", "approved", ("Bread, now.", "edited"), id="approved-changed-is-edited"),
        pytest.param("rejected", "Bread, now.", "rejected", "rejected", ("Bread, now.", "edited"), id="rejected-changed-is-edited"),
        pytest.param("machine", "Bread, now.", "approved", "machine", ("Bread, now.", "approved"), id="new-state-applies"),
        pytest.param("edited", "zo kema volas panu", None, None, (None, None), id="target-equal-to-source"),
        pytest.param("edited", "", "approved", "edited", (None, "approved"), id="empty-target-state-only"),
        pytest.param("edited", "The workers want bread!", "edited", "edited", (None, None), id="nothing-changed"),
        pytest.param("edited", "The workers want bread!", "reviewed", "edited", (None, "reviewed"), id="state-only"),
        pytest.param("machine", "Bread, now.", None, None, ("Bread, now.", "edited"), id="tmx-without-state"),
        pytest.param("source", "Bread, now.", None, None, (None, None), id="english-untouched"),
    ],
)
def test_import_rules(status, target, state, exported, expected):
    assert imported(record(status), target, state, exported) == expected
