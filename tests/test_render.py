"""nnlite.render, the writer of live figures' pictures, against matplotlib's own SVG writer: the same
shapes at the same places, the same colours at every point, the same clip; and a matplotlib whose
private API moved gets matplotlib's own writer, with a warning, instead of a broken figure."""

import base64
import io
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib._enums import CapStyle  # (matplotlib 3.7 takes no string here)
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path
from matplotlib.transforms import Affine2D
from PIL import Image

from nnlite import render


def svg(fig, artists):
    width, height = fig.get_size_inches() * 72
    return render.svg_document(render.artists_svg(fig, artists), width, height)


def axes(figsize=(4, 3)):
    fig = Figure(figsize=figsize, dpi=160, layout="constrained")
    ax = fig.subplots()
    fig.canvas.draw()  # a layout, as LiveFigure draws its background first
    return fig, ax


def test_this_matplotlib_has_every_private_function_the_writer_uses():
    # The newest-releases leg of CI runs this: a matplotlib that moved one of them is named here.
    assert render.missing_private_api() == []


def test_the_markers_of_a_line_are_one_path_with_matplotlibs_shapes_at_matplotlibs_places(monkeypatch):
    fig, ax = axes()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    rng = np.random.default_rng(0)
    xy = rng.random((2, 50))
    xy[0, 7] = np.nan  # a missing point is left out, as matplotlib leaves it out
    lines = [ax.plot(*xy, linestyle="none", marker=marker, markerfacecolor=color, markeredgecolor="k")[0]
             for marker, color in (("^", "C0"), ("o", "C1"))]
    compact = svg(fig, lines)
    monkeypatch.setattr(render, "_OverlayRenderer", RendererSVG)  # matplotlib's own writer, for reference
    monkeypatch.setattr(render, "_is_plain_line", lambda artist: False)
    reference = svg(fig, lines)
    assert "<use" not in compact and reference.count("<use") == 98
    number = r"(-?[\d.]+)"
    paths = re.findall(r'<path d="([^"]*)"[^>]*style="([^"]*)"', compact)
    triangle = [float(v) for v in re.findall(r'<path id="[^"]*" d="([^"]*)"', reference)[0].replace("z", "").split()
                if v not in "ML"]
    uses = re.findall(r'<use [^>]*x="' + number + '" y="' + number + '" style="([^"]*)"', reference)
    places = [np.array(uses[49 * k:49 * (k + 1)])[:, :2].astype(float) for k in range(2)]
    assert len(paths) == 2 and len(triangle) == 6  # three corners
    assert [style for _, style in paths] == [uses[0][2], uses[49][2]]  # the fill and edge each <use> had

    # triangles: every corner at matplotlib's place, to 0.01 of a point
    subpaths = re.findall(r"M" + number + " " + number + "l" + number + " " + number + "l" + number + " " + number
                          + "z", paths[0][0])
    assert len(subpaths) == 49
    for (x, y, dx1, dy1, dx2, dy2), place in zip(np.array(subpaths, dtype=float), places[0], strict=True):
        corners = np.cumsum([[x, y], [dx1, dy1], [dx2, dy2]], axis=0)
        assert np.allclose(corners, place + np.reshape(triangle, (3, 2)), atol=0.011)
    # circles: two half-circle arcs of radius 3 points (markersize 6) around matplotlib's place
    circles = re.findall(r"M" + number + " " + number + r"a3\.00 3\.00 0 1 0 6\.00 0a3\.00 3\.00 0 1 0 -6\.00 0z",
                         paths[1][0])
    assert len(circles) == 49
    assert np.allclose(np.array(circles, dtype=float) + [3, 0], places[1], atol=0.006)


@pytest.mark.parametrize("marker", ["s", "x", "+", "D", "v", "*", "P"])
def test_a_marker_outline_in_relative_steps_comes_back_to_matplotlibs_corners(marker):
    style = MarkerStyle(marker)
    transform = style.get_transform() + Affine2D().scale(5.0, -5.0)  # a marker 10 points wide, in SVG's y
    start, steps = render._outline(style.get_path(), transform)
    shape = transform.transform_path(style.get_path())
    corners, current = [np.array(start)], np.array(start)
    for letter, numbers in re.findall(r"([mlz])([^mlz]*)", steps):  # these markers are straight lines only
        if letter != "z":
            current = current + np.array(numbers.split(), dtype=float)
            corners.append(current)
    expected = [v for v, code in zip(shape.vertices, shape.codes, strict=True) if code != Path.CLOSEPOLY]
    assert np.allclose(corners, expected, atol=0.006)
    assert steps.count("z") == list(shape.codes).count(Path.CLOSEPOLY)


def _image_samples(svg, points):
    """The colour an SVG's single <image> shows at each of `points` (x, y in the SVG's points),
    as nearest-neighbour drawing would (None outside it), and its clip rectangle."""
    matrix = [float(v) for v in re.search(r'<image[^>]*transform="matrix\(([^)]*)\)', svg).group(1).split()]
    a, _, _, d, e, f = matrix
    png = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=\s]+)", svg).group(1))  # matplotlib wraps it
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(float)
    opacity = re.search(r'<image[^>]*opacity="([^"]*)"', svg)  # matplotlib's way with a scalar alpha
    pixels[..., 3] *= float(opacity.group(1)) if opacity else 1.0
    pixels = pixels.round().astype(int)
    colours = []
    for x, y in points:
        i, j = int(np.floor((y - f) / d)), int(np.floor((x - e) / a))
        colours.append(tuple(pixels[i, j]) if 0 <= i < pixels.shape[0] and 0 <= j < pixels.shape[1] else None)
    clip = re.search(r'<rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"', svg)
    return colours, clip and [float(v) for v in clip.groups()]


@pytest.mark.parametrize("case", ["lower", "upper", "reversed extent", "rgb", "nan and alpha", "unclipped"])
def test_an_image_written_by_nnlite_shows_what_matplotlibs_svg_writer_shows(case, monkeypatch):
    """Plain imshow pictures are written here (matplotlib resamples them first: slow); every point of
    the figure must show the same colour as in matplotlib's own SVG, and the clip is the same."""
    rng = np.random.default_rng(0)
    data = rng.random((7, 9))
    options = {"origin": "upper" if case == "upper" else "lower", "extent": (-1, 2, 0, 3), "cmap": "viridis"}
    if case == "reversed extent":
        options["extent"] = (2, -1, 3, 0)
    if case == "rgb":
        data = (rng.random((7, 9, 3)) * 255).astype(np.uint8)
    if case == "nan and alpha":
        data[2, 3] = np.nan
        options["alpha"] = 0.6
    fig, ax = axes()
    image = ax.imshow(data, interpolation="nearest", **options)
    ax.set(xlim=(-1.5, 1.5), ylim=(-0.5, 2.5))  # the image reaches outside the axes: the clip matters
    if case == "unclipped":
        image.set_clip_on(False)
    ours = svg(fig, [image])
    monkeypatch.setattr(render, "_is_plain_image", lambda artist: False)
    theirs = svg(fig, [image])
    assert ours != theirs
    width, height = fig.get_size_inches() * 72
    # a grid whose points fall on no pixel's edge (there, two pictures may honestly disagree)
    points = [(x, y) for x in np.linspace(0.37, width - 0.11, 53) for y in np.linspace(0.23, height - 0.19, 47)]
    _, theirs_clip = _image_samples(theirs, points)
    if theirs_clip:  # matplotlib crops the picture to its clip; only what is inside it shows
        x, y, w, h = theirs_clip
        points = [(px, py) for px, py in points if x < px < x + w and y < py < y + h]
    ours_colours, ours_clip = _image_samples(ours, points)
    theirs_colours, _ = _image_samples(theirs, points)
    differ = [p for p, a, b in zip(points, ours_colours, theirs_colours, strict=True)
              if a != b and (a is None or b is None or max(abs(u - v) for u, v in zip(a, b, strict=True)) > 1)]
    assert sum(c is not None for c in ours_colours) > 100
    examples = [(p, ours_colours[points.index(p)], theirs_colours[points.index(p)]) for p in differ[:3]]
    assert not differ, f"{len(differ)} points differ, e.g. (point, ours, matplotlib's): {examples}"
    if case == "unclipped":
        assert ours_clip is None and "clip-path" not in ours
    else:
        assert ours_clip == pytest.approx(theirs_clip, abs=1e-3)
        clip_id = re.search(r'<clipPath id="([^"]+)"', ours).group(1)
        assert f'clip-path="url(#{clip_id})"' in ours  # and the picture uses it


def test_an_image_with_a_clip_path_of_its_own_is_left_to_matplotlibs_writer():
    from matplotlib.patches import Circle

    fig, ax = axes((3, 3))
    image = ax.imshow(np.eye(3), extent=(0, 1, 0, 1))
    image.set_clip_path(Circle((0.5, 0.5), 0.4, transform=ax.transData))  # a round picture
    written = svg(fig, [image])
    assert 'id="image' in written and 'preserveAspectRatio="none"' not in written


def _convert_to_string_of_a_future_matplotlib(path, trans, clip_rect, simplify, sketch, precision, codes):
    raise TypeError("convert_to_string() takes 7 positional arguments but 8 were given")


@pytest.mark.parametrize("future", ["changed its arguments", "is gone"])
def test_a_matplotlib_whose_private_api_moved_gets_its_own_writer_and_one_warning(future, monkeypatch):
    fig, ax = axes()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    (line,) = ax.plot([0.2, 0.8], [0.3, 0.7], "o-")
    monkeypatch.setattr(render, "_OverlayRenderer", RendererSVG)
    monkeypatch.setattr(render, "_is_plain_line", lambda artist: False)
    reference = svg(fig, [line])
    monkeypatch.undo()
    monkeypatch.setattr(render, "_fallback", [])
    # matplotlib's own writer uses its own copy of the module; ours sees the future one
    changed = future == "changed its arguments"
    hooks = {"convert_to_string": _convert_to_string_of_a_future_matplotlib} if changed else {}
    monkeypatch.setattr(render, "_path", SimpleNamespace(**hooks))
    assert render.missing_private_api() == ([] if hooks else ["_path.convert_to_string"])
    with pytest.warns(RuntimeWarning, match="convert_to_string.*matplotlib's own writer"):
        first = svg(fig, [line])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once is enough
        again = svg(fig, [line])
    assert first == again == reference


def _path_and_style(svg):
    """The "d" of an SVG's only <path> as [(command, x, y)], its style as a dict, and its clip rectangle."""
    d, style = re.search(r'<path d="([^"]*)"[^>]*style="([^"]*)"', svg).groups()
    steps = [(c, float(x), float(y)) for c, x, y in re.findall(r"([ML])\s*(-?[\d.]+)\s+(-?[\d.]+)", d)]
    clip = re.search(r'<clipPath id="([^"]+)">\s*<rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"', svg)
    rectangle = clip and [float(v) for v in clip.groups()[1:]]
    if clip:
        assert f'clip-path="url(#{clip.group(1)})"' in svg  # the path uses it
    return steps, dict(item.split(": ") for item in style.split("; ")), rectangle


@pytest.mark.parametrize("case", ["solid", "dashed", "nan breaks", "log axis", "alpha and caps", "long",
                                  "outside the axes", "unclipped", "no clip box", "no line"])
def test_a_line_written_by_nnlite_is_the_path_matplotlibs_svg_writer_writes(case, monkeypatch):
    """Lines without markers are written here (matplotlib's way took 0.4-0.6 ms a line): the same points in
    the same order, breaks where a value is missing, the same colour, width, dashes, caps and clip."""
    rng = np.random.default_rng(1)
    fig, ax = axes()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    x, y = rng.random(12), rng.random(12)
    options = {"color": "C2"}
    if case == "dashed":
        options.update(linestyle=(0, (3.0, 1.5)), linewidth=2.6)
    if case == "nan breaks":
        y[[3, 7]] = np.nan
        options["linestyle"] = "--"
    if case == "log axis":
        ax.set(yscale="log", ylim=(1e-3, 10))
        y = 10 ** rng.uniform(-4, 2, 12)  # some beyond the axes
    if case == "alpha and caps":
        options.update(alpha=0.4, solid_capstyle="round", solid_joinstyle="miter", linewidth=5)
    if case == "long":  # past 128 points matplotlib simplifies the path
        x = np.linspace(0, 1, 600)
        y = 0.5 + 0.3 * np.sin(9 * x) + 1e-4 * rng.standard_normal(600)
    if case == "outside the axes":
        x, y = x * 3 - 1, y * 3 - 1
    if case == "no line":
        options["linestyle"] = "none"
    (line,) = ax.plot(x, y, **options)
    if case == "unclipped":
        line.set_clip_on(False)
    if case == "no clip box":  # clipped, but to nothing: matplotlib draws it whole
        line.set_clip_box(None)
    ours = svg(fig, [line])
    monkeypatch.setattr(render, "_is_plain_line", lambda artist: False)
    monkeypatch.setattr(render, "_OverlayRenderer", RendererSVG)
    theirs = svg(fig, [line])
    if case == "no line":
        assert "<path" not in ours and "<path" not in theirs
        return
    assert "<g id=" not in ours and '<g id="line2d' in theirs  # written here, not by matplotlib
    our_steps, our_style, our_clip = _path_and_style(ours)
    their_steps, their_style, their_clip = _path_and_style(theirs)
    assert [c for c, _, _ in our_steps] == [c for c, _, _ in their_steps]
    assert np.allclose([s[1:] for s in our_steps], [s[1:] for s in their_steps], atol=0.006)
    assert our_style == their_style
    assert our_clip == (None if case in ("unclipped", "no clip box") else pytest.approx(their_clip, abs=1e-3))
    assert their_clip is None or case not in ("unclipped", "no clip box")
    if case == "nan breaks":
        assert [c for c, _, _ in our_steps].count("M") == 3
    if case == "long":
        assert len(our_steps) < 300  # simplified, as matplotlib does


def _pieces(svg):
    """An SVG's paths as [(d with its numbers, style dict)] in order, and its clip rectangles."""
    paths = [(re.findall(r"[MLlaqcz]|-?[\d.]+", d), dict(item.split(": ") for item in style.split("; ")))
             for d, style in re.findall(r'<path d="([^"]*)"[^>]*style="([^"]*)"', svg)]
    clips = [[float(v) for v in rect] for rect in
             re.findall(r'<rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"', svg)]
    return paths, clips


@pytest.mark.parametrize("case", ["circles on a line", "triangles alone", "hollow", "alpha", "auto edge, face alpha",
                                  "edge width", "log axis", "rotated MarkerStyle", "MarkerStyle caps",
                                  "half filled"])
def test_a_line_with_markers_written_by_nnlite_is_what_our_matplotlib_writer_writes(case, monkeypatch):
    """Markers too are written here: the line's path, then one path of every marker, as the writer built on
    matplotlib's Line2D.draw writes them (its markers are tested against matplotlib's own above)."""
    rng = np.random.default_rng(2)
    fig, ax = axes()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    x, y = rng.random(9), rng.random(9)
    y[4] = np.nan
    options = {"circles on a line": {"marker": "o", "markersize": 5, "color": "C1"},
               "triangles alone": {"marker": "^", "linestyle": "none", "markerfacecolor": "C3",
                                   "markeredgecolor": "k"},
               "hollow": {"marker": "s", "fillstyle": "none", "linestyle": ":"},
               "alpha": {"marker": "D", "alpha": 0.3},
               "auto edge, face alpha": {"marker": "o", "markerfacecolor": (0.2, 0.4, 0.6, 0.5)},
               "edge width": {"marker": "P", "markeredgewidth": 2.5, "markeredgecolor": "C4"},
               "log axis": {"marker": "o", "color": "0.5", "linestyle": "--"},
               "rotated MarkerStyle": {"marker": MarkerStyle("^", transform=Affine2D().rotate_deg(90))},
               "MarkerStyle caps": {"marker": MarkerStyle("x", capstyle=CapStyle.round), "markeredgewidth": 3},
               "half filled": {"marker": "o", "fillstyle": "left"}}[case]
    if case == "log axis":
        ax.set(yscale="log", ylim=(1e-3, 10))
        y = 10 ** rng.uniform(-4, 2, 9)
    (line,) = ax.plot(x, y, **options)
    fast = render._is_plain_line(line)
    ours = svg(fig, [line])
    monkeypatch.setattr(render, "_is_plain_line", lambda artist: False)
    theirs = svg(fig, [line])
    if case == "half filled":  # two shapes per point: left to matplotlib
        assert not fast and ours == theirs
        return
    assert fast and '<g id="line2d' not in ours and '<g id="line2d' in theirs
    (our_paths, our_clips), (their_paths, their_clips) = _pieces(ours), _pieces(theirs)
    assert len(our_paths) == len(their_paths) == (1 if case == "triangles alone" else 2)
    for (our_d, our_style), (their_d, their_style) in zip(our_paths, their_paths, strict=True):
        assert our_style == their_style
        assert [t for t in our_d if t.isalpha()] == [t for t in their_d if t.isalpha()]
        numbers = [[float(t) for t in d if not t.isalpha()] for d in (our_d, their_d)]
        assert np.allclose(*numbers, atol=0.011)
    assert np.allclose(our_clips[0], their_clips[0], atol=1e-3)


def test_a_line_with_an_id_or_a_hidden_one_is_left_to_matplotlibs_writer():
    fig, ax = axes()
    (named,) = ax.plot([0, 1], [0, 1], gid="the-line")
    (hidden,) = ax.plot([0, 1], [1, 0], visible=False)
    assert not render._is_plain_line(named) and not render._is_plain_line(hidden)
    assert 'id="the-line"' in svg(fig, [named]) and "<path" not in svg(fig, [hidden])
