"""The course's colours: contrast on the page, and classes that stay apart for colour-blind eyes."""

import itertools

import matplotlib as mpl
import numpy as np
import pytest

from nnlite import colors, viz

# How far apart two class colours must be (CIE76 distance in CIELAB) after simulating colour blindness.
# 2.3 is a just-noticeable difference for two large patches side by side (Sharma 2003); a class is read from
# small markers scattered among others, for which Szafir (2018, "Modelling colour difference for
# visualization design") measured that differences must be several times larger to be told apart
# reliably (about 5-10 for marks a few pixels wide). 15 asks for more than that; the closest pair of the
# first three classes, blue and green under tritanopia, is at 17.
MIN_DELTA_E = 15
CLASSES = 3  # the most classes a course data set has (spiral and blobs: 3)


def test_contrast_ratio_agrees_with_wcag_examples():
    assert colors.contrast_ratio("black", "white") == pytest.approx(21.0)
    assert colors.contrast_ratio("white", "white") == pytest.approx(1.0)
    assert colors.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes 4.5:1
    assert colors.contrast_ratio("#777777") < 4.5


@pytest.mark.parametrize("color", colors.PALETTE)
def test_every_line_colour_has_three_to_one_contrast_on_white(color):
    assert colors.contrast_ratio(color) >= 3.0, f"{color}: lines and markers need 3:1 (WCAG 1.4.11)"


def test_the_palette_keeps_the_okabe_ito_hues_that_the_prose_names():
    for dark, original, name in zip(colors.PALETTE, colors.FILLS, colors.NAMES, strict=True):
        hue = [mpl.colors.rgb_to_hsv(colors.rgb(c))[0] for c in (dark, original)]
        assert abs(hue[0] - hue[1]) < 0.02 or name == "black", f"{name}: {dark} is not the hue of {original}"
        assert colors.name(dark) == colors.name(original) == name


@pytest.mark.parametrize("on", [False, True])
def test_both_styles_draw_lines_at_three_to_one_and_text_at_four_and_a_half(on):
    style = viz.course_style(on)
    for color in style["axes.prop_cycle"].by_key()["color"]:
        assert colors.contrast_ratio(color) >= 3.0
    with mpl.rc_context(style):
        for key in ("text.color", "axes.labelcolor", "xtick.labelcolor", "ytick.labelcolor", "axes.titlecolor"):
            value = mpl.rcParams[key]
            if value == "inherit":  # tick labels: the ticks' colour
                value = mpl.rcParams[key.replace("labelcolor", "color")]
            value = mpl.rcParams["text.color"] if value == "auto" else value
            assert colors.contrast_ratio(value) >= 4.5, f"{key} = {value}"


def test_simulation_keeps_greys_grey_and_moves_the_colours_a_dichromat_confuses():
    for kind in colors.KINDS:
        for grey in ("white", "black", "0.5"):
            assert np.allclose(colors.simulate(grey, kind), colors.rgb(grey), atol=0.01), kind
    # red and green, far apart for most people, nearly meet for a deuteranope (Machado et al. 2009)
    assert colors.delta_e(colors.rgb("#d62728"), colors.rgb("#2ca02c")) > 60
    red, green = (colors.simulate(c, "deuteranopia") for c in ("#d62728", "#2ca02c"))
    assert colors.delta_e(red, green) < 25
    with pytest.raises(ValueError, match="kind must be one of protanopia"):
        colors.simulate("red", "monochromacy")


@pytest.mark.parametrize("palette", ["PALETTE", "FILLS"])
@pytest.mark.parametrize("kind", ["normal", *colors.KINDS])
def test_class_colours_stay_apart_for_every_kind_of_colour_blindness(palette, kind):
    chosen = getattr(colors, palette)[:CLASSES]
    seen = colors.rgb(chosen) if kind == "normal" else colors.simulate(chosen, kind)
    for i, j in itertools.combinations(range(CLASSES), 2):
        distance = colors.delta_e(seen[i], seen[j])
        assert distance >= MIN_DELTA_E, f"{palette} {chosen[i]} and {chosen[j]} under {kind}: ΔE {distance:.1f}"


@pytest.mark.parametrize("kind", ["normal", *colors.KINDS])
def test_the_two_colours_for_nine_and_ten_classes_stand_apart_from_all_others(kind):
    # a student's own points may have up to 10 classes: Tol's indigo and wine are far from every other
    # colour (the eight Okabe-Ito hues need not be: shape tells those classes apart, and the course's
    # data sets have 3 classes at most)
    seen = colors.rgb(colors.PALETTE) if kind == "normal" else colors.simulate(colors.PALETTE, kind)
    for extra in (8, 9):
        closest = min(colors.delta_e(seen[extra], seen[other]) for other in range(10) if other != extra)
        assert closest >= 20, f"{colors.NAMES[extra]} under {kind}: ΔE {closest:.1f} to another class colour"


def test_classes_differ_by_marker_shape_too():
    assert len(set(colors.MARKERS)) == len(colors.MARKERS) == len(colors.PALETTE)
    fig, ax = viz.new_axes()
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [3.0, 1.0]])
    scatters = viz.plot_points(X, np.array([0, 1, 2, 1]), ax)
    paths = [s.get_paths()[0].vertices.tolist() for s in scatters]
    assert [s.get_label() for s in scatters] == ["class 0", "class 1", "class 2"]
    assert len({str(p) for p in paths}) == 3  # a circle, a square, a triangle
    assert [len(s.get_offsets()) for s in scatters] == [1, 2, 1]
