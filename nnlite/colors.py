"""The course's colours, and the arithmetic that shows they work for every student.

Okabe & Ito (2008) chose eight hues that stay apart for the three kinds of colour blindness (two of
Paul Tol's follow them, for a student's own data of up to ten classes); the notebooks' prose names them
("the orange curve"). Three of them are pale on white, though: orange,
sky blue and yellow have a contrast of 1.3-2.3 against the page, below the 3:1 that WCAG 2.1 asks
of the lines and markers a reader needs (success criterion 1.4.11). `PALETTE` keeps each hue and
darkens only those, until they reach 3.1:1; `FILLS` are the original colours, for large areas
(the class regions, drawn pale) where no line has to be picked out.

Colour is never the only channel: classes also differ by marker shape (`MARKERS`), and each
figure has a text alternative (`nnlite.figure_text`). The tests check the palette with
`contrast_ratio` and with `simulate`, which shows a colour as a person with protanopia,
deuteranopia or tritanopia sees it (Machado, Oliveira & Fernandes 2009, severity 1).
"""

import numpy as np

# Okabe-Ito blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black: the originals;
# then Paul Tol's indigo and wine ("muted" scheme, 2021), for a student's own data of 9 or 10 classes: both
# dark (contrast 12 and 8.7 on white), and at a CIE76 distance of 23 or more from every other colour for
# each kind of colour blindness (tests/test_colors.py checks it)
FILLS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#332288",
         "#882255"]
# the same hues, orange, sky blue and yellow darkened (HLS lightness) to a 3.1:1 contrast on white
PALETTE = ["#0072B2", "#C08400", "#009E73", "#D55E00", "#CC79A7", "#1F9BE1", "#9E930D", "#000000", "#332288",
           "#882255"]
NAMES = ["blue", "orange", "green", "vermillion", "pink", "sky blue", "yellow", "black", "indigo", "wine"]
# one marker shape per class, in the order of the palette: circle, square, triangle, diamond, ...
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "p"]
MARKER_NAMES = {"o": "circles", "s": "squares", "^": "triangles", "D": "diamonds", "v": "downward triangles",
                "P": "plus signs", "X": "crosses", "*": "stars", "h": "hexagons", "p": "pentagons", ".": "dots",
                "x": "crosses", "+": "plus signs"}

# Machado et al. (2009), severity 1.0: linear RGB of a normal viewer -> linear RGB a dichromat sees
_SIMULATION = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
KINDS = tuple(_SIMULATION)


def rgb(color):
    """Any matplotlib colour as an (..., 3) array of sRGB values in 0..1."""
    from matplotlib.colors import to_rgb

    if isinstance(color, str):
        return np.array(to_rgb(color))
    array = np.asarray(color)
    if array.dtype.kind in "fiu":  # numbers already: (..., 3) or (..., 4)
        return array[..., :3].astype(float)
    return np.array([to_rgb(c) for c in color])


def _linear(srgb):
    srgb = np.asarray(srgb, dtype=float)
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _gamma(linear):
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def luminance(color):
    """WCAG's relative luminance: 0 for black, 1 for white."""
    return _linear(rgb(color)) @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a, b="white"):
    """WCAG's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def simulate(color, kind):
    """`color` as a person with `kind` ("protanopia", "deuteranopia", "tritanopia") sees it, in sRGB."""
    if kind not in _SIMULATION:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return _gamma(_linear(rgb(color)) @ np.array(_SIMULATION[kind]).T)


def lab(color):
    """CIELAB (D65) coordinates of sRGB colours: distances there follow what people see."""
    xyz = _linear(rgb(color)) @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                                          [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def delta_e(a, b):
    """CIE76 colour difference (Euclidean distance in CIELAB): about 2.3 is just noticeable side by side."""
    return np.linalg.norm(lab(a) - lab(b), axis=-1)


def name(color):
    """The palette's word for `color` ("orange"), "grey", or None if it is none of them."""
    target = rgb(color)
    if np.ptp(target) < 0.02:  # no hue
        return "black" if target.max() < 0.15 else "white" if target.min() > 0.95 else "grey"
    distances = np.minimum(np.abs(target - _KNOWN[0]).max(axis=1), np.abs(target - _KNOWN[1]).max(axis=1))
    best = int(np.argmin(distances))
    return NAMES[best] if distances[best] < 0.12 else None


_KNOWN = (rgb(PALETTE), rgb(FILLS))  # converted once: a live figure names its colours on every redraw
