"""The project around the package: dependencies in sync, the two commands, a light core import."""

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
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    from_pyproject = parse_requirements(project["dependencies"])
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
