"""Every notebook as RISE slides, offline: the slide show renders, it shows no widget dump
or widget error, and the page asks for nothing beyond the local Jupyter server."""


import pytest

from .conftest import NOTEBOOKS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_slides_render_offline(browser, server, notebook):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    outside = []

    def only_local(route):
        url = route.request.url
        if url.startswith(f"http://127.0.0.1:{server.port}/") or url.startswith(("data:", "blob:")):
            return route.continue_()
        outside.append(url)
        return route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.port}/rise/{notebook}?token={server.token}")
        page.wait_for_function("() => document.querySelectorAll('.reveal .slides section').length > 3",
                               timeout=120_000, polling=200)
        # index of the innermost slide on screen (slides may hold vertical sub-slides)
        current = "() => [...document.querySelectorAll('.reveal .slides section')].findIndex(" \
                  "s => s.classList.contains('present') && !s.querySelector('section.present'))"
        page.wait_for_function(f"() => ({current})() >= 0", timeout=60_000)  # reveal.js took over
        first = page.evaluate(current)
        # The arrow of reveal.js, not a key press: a key goes wherever the focus happens to be.
        page.click(".reveal .controls .navigate-right.enabled", timeout=30_000)
        page.wait_for_function(f"() => ({current})() > {first}", timeout=30_000)
        text = page.inner_text("body")
        assert "Error displaying widget" not in text
        # jupyterlab_rise 0.43 does not draw ipywidgets 8 (upstream issues #119, #126): the slides
        # show each panel's sentence instead of a "VBox(children=...)" dump.
        assert "VBox(children=" not in text and "HBox(children=" not in text
        assert not outside, f"{notebook}: the slides asked the network for {outside}"
    finally:
        context.close()
