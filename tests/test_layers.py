"""The house has floors: a stage imports only the stages below it, and no module imports
itself back through others. Imports inside functions count as much as those at the top."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "workbench"
# Lowest first. A stage may import its own modules and any stage on a lower floor.
FLOORS = ["core", "split", "store", "formats", "translate", "align", "exchange", "review", "cli"]
FLOOR_OF = {name: number for number, name in enumerate(FLOORS)}
FLOOR_OF["exchange"] = FLOOR_OF["align"]  # exchange and alignment stand side by side


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FLOOR_OF else None


def imports_of(path: Path) -> set[str]:
    """Every ``workbench`` module ``path`` imports (``from workbench.x import y`` counts the
    module ``workbench.x.y`` when that is a module, else ``workbench.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workbench"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if module_path(candidate) is not None else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("workbench"))
    return found


def module_path(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}


def test_lower_stages_never_import_higher_ones():
    wrong = []
    for module, imported in sorted(graph().items()):
        stage = stage_of(module)
        if stage is None:
            continue
        for target in sorted(imported):
            other = stage_of(target)
            if other is not None and FLOOR_OF[other] > FLOOR_OF[stage]:
                wrong.append(f"{module} ({stage}) imports {target} ({other})")
            if other is not None and other != stage and FLOOR_OF[other] == FLOOR_OF[stage]:
                wrong.append(f"{module} ({stage}) imports {target} ({other}), a stage on its own floor")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    edges = graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges.get(module, ())):
            if target not in edges:
                continue
            if state.get(target) == 1:
                cycles.append(" → ".join([*path[path.index(target) :], target]))
            elif state.get(target) is None:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_the_check_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from workbench.store import files\n    import workbench.cli\n", encoding="utf-8")
    assert imports_of(source) == {"workbench.store.files", "workbench.cli"}


def test_the_settings_name_every_detector_the_splitter_has():
    from workbench.core.settings import DETECTORS
    from workbench.split.langid import BACKENDS

    assert tuple(BACKENDS) == DETECTORS
