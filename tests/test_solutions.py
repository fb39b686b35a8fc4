"""Every solution in solutions/ passes its notebook's check, and every check survives
an unanswered exercise (the committed notebooks already show that: see nbval).

Each notebook's exercises need nothing but its first code cell (the imports): the kernel here
runs that cell, then each exercise cell with its solution and its check cell, and none of the
lesson's training in between (which nbval and the browser test run anyway). A solution that
leaned on a variable of the lesson would fail here: the exercises stand on their own."""

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nnlite.exercises import CORRECT

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_FILES = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.py"))


def load_solutions(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SOLUTIONS


def test_every_notebook_with_exercises_has_solutions():
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        n_exercises = sum("exercise" in c.metadata.get("tags", []) for c in nb.cells)
        solution = ROOT / "solutions" / f"{notebook.stem}.py"
        if n_exercises:
            assert solution.exists(), f"{notebook.name} has {n_exercises} exercises but no {solution.name}"
            assert len(load_solutions(solution)) == n_exercises, f"{solution.name}: one solution per exercise cell"


@pytest.mark.parametrize("solution", SOLUTION_FILES, ids=lambda p: p.stem)
def test_solutions_pass_their_checks(solution, tmp_path):
    notebook = ROOT / "notebooks" / f"{solution.stem}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    exercises = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    for cell, code in zip(exercises, load_solutions(solution), strict=True):
        cell.source = code
    setup = next(c for c in nb.cells if c.cell_type == "code")
    nb.cells = [setup] + [c for c in nb.cells if {"exercise", "check"} & set(c.metadata.get("tags", []))]
    resources = {"metadata": {"path": str(notebook.parent)}}
    NotebookClient(nb, timeout=600, kernel_name="python3", resources=resources).execute()
    checks = [c for c in nb.cells if "check" in c.metadata.get("tags", [])]
    assert checks, f"{notebook.name} has exercises but no check cells"
    for cell in checks:
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert CORRECT in text, f"{notebook.name}: a check did not accept the solution:\n{cell.source}\n{text}"
