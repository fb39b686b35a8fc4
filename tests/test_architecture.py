"""The rules of docs/architecture.md, read from the import statements of the package (also the ones
inside functions): arrows point one way (core <- viz <- widgets <- labs), and no lab imports another
notebook's lab (code two labs share lives in a labs module of its own, which imports no lab); and,
read from its syntax tree, no class is longer than a reader takes in at once."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nnlite"
# The drawing and wiring layer; every other module of nnlite/ is the core (a new module is core unless it is
# named here), which needs NumPy only.
DRAWING = ("viz", "widgets", "render", "access", "courier", "pointer", "figure_text", "colors")
CORE = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in DRAWING)
FRONT = ("matplotlib", "ipywidgets", "anywidget", "PIL", "IPython", "nnlite.labs",
         *(f"nnlite.{name}" for name in DRAWING))


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path):
    """Every module (or name in a module) that the file at `path` imports, as an absolute dotted name."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1])
            if node.module:
                yield f"{base}.{node.module}"
            else:
                yield from (f"{base}.{alias.name}" for alias in node.names)


def starts(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def labs():
    """{name: (is a notebook's lab, its files)} for every module and package in nnlite/labs."""
    found = {}
    for path in sorted((PACKAGE / "labs").iterdir()):
        if path.suffix == ".py" and path.name != "__init__.py":
            name, top, files = path.stem, path, [path]
        elif path.is_dir() and (path / "__init__.py").exists():
            name, top, files = path.name, path / "__init__.py", sorted(path.rglob("*.py"))
        else:
            continue
        docstring = ast.get_docstring(ast.parse(top.read_text())) or ""
        found[name] = (re.match(r"Notebook \d\d: ", docstring) is not None, files)
    return found


@pytest.mark.parametrize("name", CORE)
def test_the_core_imports_no_plotting_widgets_or_labs(name):
    path = PACKAGE / f"{name}.py"
    assert not [m for m in imported(path) if starts(m, FRONT)], f"nnlite/{name}.py imports a layer above it"


def test_the_checks_import_no_plotting_widgets_or_labs():
    for path in (PACKAGE / "exercises").glob("*.py"):
        assert not [m for m in imported(path) if starts(m, FRONT)], path


def test_viz_and_widgets_import_no_lab_and_viz_no_widgets():
    assert not [m for m in imported(PACKAGE / "viz.py") if starts(m, ("nnlite.widgets", "nnlite.labs", "ipywidgets"))]
    assert not [m for m in imported(PACKAGE / "widgets.py") if starts(m, ("nnlite.labs",))]


def test_no_lab_imports_another_notebooks_lab():
    found = labs()
    notebook_labs = {name for name, (is_lab, _) in found.items() if is_lab}
    assert {"playground", "activations_lab", "start"} <= notebook_labs and "runs" not in notebook_labs
    for name, (is_lab, files) in found.items():
        allowed = {name} if is_lab else set()  # a shared module imports no lab at all
        for path in files:
            others = {m.split(".")[2] for m in imported(path) if starts(m, ("nnlite.labs",)) and m.count(".") >= 2}
            assert not (others & notebook_labs) - allowed, f"{path.relative_to(ROOT)} imports {others - allowed}"


def private(name):
    return name.startswith("_") and not name.startswith("__")


def test_a_leading_underscore_means_private_to_its_module():
    """A name with a leading underscore is used only in the file that defines it. A computation without the
    argument checks, for loops that checked once, is public and says so in its name (`forward_unchecked`).
    Only nnlite/render.py reaches into matplotlib's private API (on purpose, in that one place)."""
    allowed = {"_dom_classes",  # ipywidgets keeps a widget's CSS classes only there (add_class sets it)
               # ipywidgets' hold_sync keeps a held widget's changed traits there, and the traits the front end
               # is changing in _property_lock: nnlite.widgets.one_message_each sends them all as one message
               "_holding_sync", "_states_to_send", "_property_lock"}
    leaks = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "render.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        defined = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        defined |= {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
        defined |= {target.attr for node in ast.walk(tree) if isinstance(node, ast.Assign)  # self._x = ... here
                    for target in node.targets if isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name) and target.value.id == "self"}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("nnlite")):
                leaks += [f"{path.name} imports {alias.name}" for alias in node.names if private(alias.name)]
            elif (isinstance(node, ast.Attribute) and private(node.attr) and node.attr not in defined | allowed
                  and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                leaks.append(f"{path.name}:{node.lineno} uses .{node.attr}")
    assert not leaks, leaks


MAX_CLASS_LINES = 120  # from its `class` line to its last line, docstring and blank lines included
# Classes still to split (each leaves this list when it is under the limit): none.
LONG_CLASSES_BEING_SPLIT = {}


def long_classes(paths, root=ROOT):
    """(path from `root`, class name, its length in lines) of every class in `paths` (nested ones too) longer
    than MAX_CLASS_LINES."""
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
                yield path.relative_to(root).as_posix(), node.name, node.end_lineno - node.lineno + 1


def test_no_class_is_longer_than_120_lines():
    found = list(long_classes(sorted(PACKAGE.rglob("*.py"))))
    too_long = [(path, name, length) for path, name, length in found
                if name not in LONG_CLASSES_BEING_SPLIT.get(path, set())]
    assert not too_long, f"split these classes along their ideas (at most {MAX_CLASS_LINES} lines): {too_long}"


def test_long_classes_are_found(tmp_path):
    short, long = ("class Short:\n" + "    x = 1\n" * (MAX_CLASS_LINES - 1),
                   "class Long:\n" + "    x = 1\n" * MAX_CLASS_LINES)
    (tmp_path / "a.py").write_text(short + "\n\n" + long)
    assert [(name, length) for _, name, length in long_classes([tmp_path / "a.py"], root=tmp_path)] == [
        ("Long", MAX_CLASS_LINES + 1)]
