"""The project around the package: dependencies in sync, the two commands, a light core import."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml needs Python 3.11+ (tomllib) or tomli")

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def normalise_name(name):
    """PEP 503: case-insensitive, and '-', '_' and '.' are the same."""
    return re.sub(r"[-_.]+", "-", name).lower()


def normalise_spec(spec):
    """'>=8.1, <9' and '<9,>=8.1' are the same specifier set."""
    return tuple(sorted(part.strip() for part in spec.replace(" ", "").split(",") if part.strip()))


def parse_requirements(lines):
    parsed = {}
    for line in lines:
        match = REQUIREMENT.match(line)
        assert match, f"cannot read requirement {line!r}"
        name, spec = match.groups()
        assert ";" not in spec and "[" not in spec, f"keep requirements simple (no extras, no markers): {line!r}"
        assert normalise_name(name) not in parsed, f"{name} is listed twice"
        parsed[normalise_name(name)] = normalise_spec(spec)
    return parsed


def read_environment_yml(text):
    """The part of environment.yml we need, read line by line (no YAML library): the items of
    `dependencies:`, and apart from them the items of its nested `pip:` list."""
    conda, pip = [], []
    in_dependencies, pip_indent = False, None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        item = line.strip()
        if indent == 0:  # a top-level key: name, channels, dependencies, ...
            in_dependencies, pip_indent = item == "dependencies:", None
            continue
        if not in_dependencies or not item.startswith("-"):
            continue
        item = item[1:].strip().strip("'\"")
        if pip_indent is not None and indent > pip_indent:
            pip.append(item)
        elif item == "pip:":
            pip_indent = indent
        else:
            conda.append(item)
            pip_indent = None
    return conda, pip


def test_environment_yml_reader():
    text = """# a comment
name: demo
channels:
  - conda-forge
dependencies:
  - python>=3.10
  - numpy >=1.24  # why
  - pip
  - pip:
      - -e .
      - extra-thing==1.0
"""
    conda, pip = read_environment_yml(text)
    assert conda == ["python>=3.10", "numpy >=1.24", "pip"]
    assert pip == ["-e .", "extra-thing==1.0"]


def test_runtime_dependencies_are_in_sync():
    """environment.yml (conda, Binder, hubs) installs the core dependencies plus the `lab` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    from_pyproject = parse_requirements(project["dependencies"] + project["optional-dependencies"]["lab"])
    conda, pip = read_environment_yml((ROOT / "environment.yml").read_text())
    assert "-e ." in pip, "environment.yml must install the package itself with `pip: - -e .`"
    packages = [c for c in conda if normalise_name(REQUIREMENT.match(c).group(1)) not in ("python", "pip")]
    from_conda = parse_requirements(packages)
    assert from_conda == from_pyproject, (
        f"only in pyproject.toml: {sorted(set(from_pyproject.items()) - set(from_conda.items()))}; "
        f"only in environment.yml: {sorted(set(from_conda.items()) - set(from_pyproject.items()))}"
    )
    python = [c for c in conda if normalise_name(REQUIREMENT.match(c).group(1)) == "python"]
    assert len(python) == 1, "environment.yml must pin python"
    assert parse_requirements(python)["python"] == normalise_spec(project["requires-python"])
    assert "numpy" in from_pyproject


def third_party_imports(package_dir):
    """Top-level names of every module the package imports, its own and the standard library's left out."""
    names = set()
    for path in package_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {package_dir.name}


def test_core_dependencies_are_what_the_package_imports():
    """`pip install nnlite` brings what nnlite imports and no front end: JupyterLab, Notebook 7 and
    Voila are extras (`lab`, `test`), the environment's choice."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = set(parse_requirements(project["dependencies"]))
    distribution = {"PIL": "pillow"}  # import name -> distribution name, where they differ
    provided = {"ipython": "ipywidgets requires IPython", "traitlets": "ipywidgets and anywidget are built on it",
                "matplotlib-inline": "imported only inside a running kernel, and ipykernel requires it"}
    imported = {normalise_name(distribution.get(name, name)) for name in third_party_imports(ROOT / "nnlite")}
    imported -= set(provided)
    assert imported == core, f"imported but not a dependency: {sorted(imported - core)}; " \
                             f"a dependency nothing imports: {sorted(core - imported)}"
    extras = {name: set(parse_requirements(reqs)) for name, reqs in project["optional-dependencies"].items()
              if name != "test"}
    assert {"jupyterlab", "notebook"} <= extras["lab"], "`make lab` and environment.yml need the `lab` extra"
    test = {normalise_name(REQUIREMENT.match(r).group(1)) for r in project["optional-dependencies"]["test"]}
    assert {"pytest", "nbval", "playwright", "voila"} <= test
    assert not core & {"jupyterlab", "notebook", "voila", "jupyterlab-rise"}


def test_the_license_is_mit_and_ships_in_both_archives():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Copyright (c) 2026 the nnlite authors" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]  # hatchling puts it in both


def test_makefile_installs_the_extras_and_switches_off_the_news_toast():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r'pip install .*-e "\.\[lab,test\]"', makefile)
    assert '"fetchNews": "false"' in makefile and "share/jupyter/lab/settings/overrides.json" in makefile


def test_nbval_fails_on_stderr_even_where_outputs_are_not_compared(tmp_path):
    """.ci/nbval_no_stderr.py: a warning in a cell tagged nbval-ignore-output fails strict nbval too."""
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbval")
    cell = nbformat.v4.new_code_cell("import sys; sys.stderr.write('overflow in matmul')", execution_count=1)
    cell.metadata["tags"] = ["nbval-ignore-output"]
    notebook = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                               "display_name": "Python 3"}})
    nbformat.write(notebook, tmp_path / "warns.ipynb")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "--nbval",
               "--nbval-current-env", "warns.ipynb", "-c", "/dev/null"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / ".ci")}
    plain = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    checked = subprocess.run([*command, "-p", "nbval_no_stderr"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=120, env=env)
    assert plain.returncode == 0, plain.stdout[-2000:]  # nbval alone lets it through
    assert checked.returncode == 1 and "the cell wrote to stderr" in checked.stdout, checked.stdout[-2000:]


def test_makefile_has_the_two_commands():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test"):
        assert re.search(rf"^{target}\s*:", makefile, re.MULTILINE), f"Makefile has no `{target}` target"
    phony = re.search(r"^\.PHONY\s*:(.*)$", makefile, re.MULTILINE)
    assert phony and {"lab", "test"} <= set(phony.group(1).split())


def test_ci_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    commands = [line.split("#", 1)[0].strip() for line in script.splitlines()]
    assert any(re.fullmatch(r"(exec\s+)?make\s+test", command) for command in commands), ".ci/run must call `make test`"


def test_readme_mentions_the_two_commands():
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet")
    text = readme.read_text()
    assert "make lab" in text and "make test" in text


def test_import_nnlite_stays_light():
    """The core must not pull in matplotlib or ipywidgets (viz and widgets are imported on demand)."""
    code = ("import sys, nnlite; "
            "heavy = [m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]; "
            "assert not heavy, heavy; "
            "assert callable(nnlite.fit)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_public_api():
    import nnlite as nl

    for name in nl.__all__:
        assert hasattr(nl, name), name
    for name in ("softmax", "softmax_cross_entropy", "mse", "get_activation", "Dense", "MLP", "SGD", "fit",
                 "evaluate", "train_step", "History", "DivergenceError", "gradient_check", "numerical_gradient"):
        assert name in nl.__all__
    assert re.fullmatch(r"\d+\.\d+\.\d+", nl.__version__)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == nl.__version__
