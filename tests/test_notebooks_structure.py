"""The bones every notebook shares (docs/architecture.md, "Adding a notebook"), checked on the committed files."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def tags(cell):
    return cell.metadata.get("tags", [])


def test_the_series_is_complete_and_numbered_in_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(len(numbers))) and len(numbers) >= 8, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_bones(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# {path.name[:2]} ")
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", "a notebook without kernelspec asks for one"
    assert "minutes" in text.lower(), "say how long it takes"
    if path.name[:2] != "00":
        assert "What you will learn" in text and "Key takeaways" in text
        previous = re.compile(rf"\({int(path.name[:2]) - 1:02d}_\w+\.ipynb\)")
        assert previous.search(text), "link to the previous notebook"
    following = sorted(p.name for p in NOTEBOOKS if p.name > path.name)
    if following:
        assert f"({following[0]})" in text, f"link to the next notebook {following[0]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_from_a_clean_top_to_bottom_run(path):
    nb = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    for c in nb.cells:
        if c.cell_type == "code":
            assert not [o for o in c.outputs if o.output_type == "error"], c.source
            assert not [o for o in c.outputs if o.get("name") == "stderr"], f"stderr output in: {c.source[:80]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_widget_cells_are_ignored_by_nbval_and_exercises_have_checks(path):
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        widget_view = "application/vnd.jupyter.widget-view+json"
        shows_widget = any(widget_view in o.get("data", {}) for o in c.get("outputs", []))
        if shows_widget:
            assert "nbval-ignore-output" in tags(c), f"widget cell without nbval-ignore-output: {c.source[:80]}"
    kinds = [t for c in nb.cells for t in tags(c) if t in ("exercise", "check")]
    if path.name[:2] not in ("00",):
        assert kinds.count("exercise") >= 2, "at least two exercises"
    for i, kind in enumerate(kinds):
        if kind == "exercise":
            assert "check" in kinds[i + 1:i + 2], "every exercise is followed by its check"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_headings_start_slides_and_nothing_else_does(path):
    """jupyterlab-slideshow presents the live notebook: "#"/"##" headings start slides, "###" sub-slides,
    and every other cell continues its slide with no slideshow metadata (a cell marked "-", RISE's way,
    would be skipped)."""
    nb = nbformat.read(path, as_version=4)
    assert "rise" not in nb.metadata
    assert nb.cells[0].metadata["slideshow"]["slide_type"] == "slide"
    for c in nb.cells:
        first = c.source.lstrip().split("\n", 1)[0] if c.cell_type == "markdown" else ""
        expected = "subslide" if first.startswith("### ") else "slide" if first.startswith(("# ", "## ")) else None
        assert c.metadata.get("slideshow", {}).get("slide_type") == expected, c.source[:60]
        lines = c.source.split("\n")[1:] if c.cell_type == "markdown" else []
        mid_cell_headings = [line for line in lines if line.startswith("## ")]
        assert not mid_cell_headings, f"split this cell at its heading: {c.source[:60]}"


def minutes_in_header(path):
    """The **Time:** of the notebook's header: its markdown cells before the first code cell (a long header
    is split over two cells to fit a slide)."""
    cells = nbformat.read(path, as_version=4).cells
    first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    header = "\n".join(c.source for c in cells[:first_code])
    return int(re.search(r"\*\*Time:\*\*\D*(\d+)", header).group(1))


def test_the_minutes_agree_everywhere():
    """The time in each notebook's header is the time in 00's map and in the README's map."""
    start = "\n".join(c.source for c in nbformat.read(NOTEBOOKS[0], as_version=4).cells)
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS[1:]:
        minutes = minutes_in_header(path)
        in_map = re.search(rf"\| {path.name[:2]} \|.*\({path.name}\).*\| (\d+)\+? min", start)
        alone = r"(?: \(alone: \d+-\d+\))?"  # a notebook may add its time on one's own: "30 (alone: 60-90)"
        in_readme = re.search(rf"\| {path.name[:2]} \|.*\(notebooks/{path.name}\).*\| (\d+)\+?{alone} \|", readme)
        assert in_map and int(in_map.group(1)) == minutes, f"00's map vs {path.name}'s header ({minutes} min)"
        assert in_readme and int(in_readme.group(1)) == minutes, f"README vs {path.name}'s header ({minutes} min)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_check_goes_through_an_exercise_object(path):
    """A check cell is one call of an exercise's .check (nnlite.exercises): it cannot raise or accept junk."""
    for c in nbformat.read(path, as_version=4).cells:
        if "check" in tags(c):
            assert re.fullmatch(r"\w+\.\w+\.check\(\w+\)", c.source.strip()), f"not one exercise check: {c.source}"
