"""Pictures are shown at the ratio their rendition was cut at: CSS must not crop them again.

A commune card showed its 16:9 rendition in a 4:3 box with ``object-fit: cover``, which cut
the sides of the picture a second time ("ường Tân An" for "Phường Tân An").
"""

import pytest

from tests.browser.test_screenshots import main_pages

# Each shown picture: its box's ratio and the ratio of the file the browser picked.
RATIOS = """() => [...document.querySelectorAll("main img")]
  .filter((img) => img.complete && img.naturalWidth && img.clientWidth)
  .map((img) => ({
    name: img.className || img.alt,
    shown: img.clientWidth / img.clientHeight,
    file: img.naturalWidth / img.naturalHeight,
  }))"""


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(360, 800), (1280, 900)])
def test_pictures_are_not_cropped_again_by_css(demo, new_page, width, height):
    page = new_page(width, height)
    for name, host, path in main_pages():
        page.goto(demo.url(host, path))
        page.wait_for_load_state("networkidle")
        pictures = page.evaluate(RATIOS)
        assert pictures, name
        recropped = [p for p in pictures if abs(p["shown"] / p["file"] - 1) > 0.03]
        assert recropped == [], f"{name} at {width}px: {recropped}"
