"""Write and execute the course notebooks (an authoring tool, not part of nnlite).

    python tools/nb.py run notebooks/01_training_vocabulary.ipynb   # clean run, outputs saved
    python tools/nb.py slides notebooks/*.ipynb                       # only (re)set slide metadata

`write(path, cells)` builds a notebook from a list of cells, each a string that starts
with a header line: "md", "code", or "code tags=exercise,check". Slide metadata is
set from the content: a markdown cell starting with "#" or "##" opens a slide, "###"
a sub-slide, everything else continues the current one (jupyterlab-slideshow, `deck:start`).
"""

import subprocess
import sys
from pathlib import Path

import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def slide_type(cell):
    """"slide", "subslide", or None: the cell continues the slide above it."""
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if first.startswith("### "):
            return "subslide"
        if first.startswith("# ") or first.startswith("## "):
            return "slide"
    return None


def make_cell(text):
    header, _, body = text.strip("\n").partition("\n")
    kind, *options = header.split()
    if kind == "md":
        cell = nbformat.v4.new_markdown_cell(body.strip("\n"))
    elif kind == "code":
        cell = nbformat.v4.new_code_cell(body.strip("\n"))
    else:
        raise ValueError(f"cell header must start with 'md' or 'code', got {header!r}")
    for option in options:
        key, _, value = option.partition("=")
        if key != "tags":
            raise ValueError(f"unknown cell option {key!r} in {header!r}")
        cell.metadata["tags"] = value.split(",")
    return cell


def split_at_headings(nb):
    """Split markdown cells so that every heading starts a cell (and so a slide)."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        parts, current, in_code = [], [], False
        for line in cell.source.split("\n"):
            in_code ^= line.startswith("```")  # a "#" inside a code block is a comment, not a heading
            if line.startswith("#") and not in_code and current and any(text.strip() for text in current):
                parts.append("\n".join(current).strip("\n"))
                current = []
            current.append(line)
        parts.append("\n".join(current).strip("\n"))
        cells.append(cell)
        cell.source = parts[0]
        cells.extend(nbformat.v4.new_markdown_cell(part) for part in parts[1:])
    nb.cells = cells
    return nb


def finish_metadata(nb):
    split_at_headings(nb)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata.pop("rise", None)  # the slides are jupyterlab-slideshow's now, which needs no settings
    # jupyterlab-slideshow presents the live notebook: a continuing cell has no slide_type at all
    # (it skips cells marked "-", RISE's word for the same thing).
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind is None:
            cell.metadata.pop("slideshow", None)
        else:
            cell.metadata["slideshow"] = {"slide_type": kind}
    return nb


def write(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [make_cell(c) for c in cells]
    nbformat.write(finish_metadata(nb), path)


def run(path):
    """Execute top to bottom in a fresh kernel, saving outputs and widget state in place."""
    nb = finish_metadata(nbformat.read(path, as_version=4))
    nbformat.write(nb, path)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                    "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.store_widget_state=True",
                    str(Path(path).resolve())], check=True, cwd=Path(path).resolve().parent)


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("run", "slides"):
        sys.exit("usage: python tools/nb.py run|slides NOTEBOOK.ipynb [...]")
    for notebook in sys.argv[2:]:
        if sys.argv[1] == "run":
            run(notebook)
        else:
            nbformat.write(finish_metadata(nbformat.read(notebook, as_version=4)), notebook)
