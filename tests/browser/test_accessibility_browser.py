"""What Lighthouse's accessibility audit (axe-core) found on public pages, checked in Chromium.

`make audit` runs Lighthouse itself; these tests keep the two faults it found from coming back
without it: text below WCAG AA contrast (the OCOP badge's gold, 4.41:1) and card photos whose
alt text repeated the link's own text, so that a screen reader read each name twice.
"""

import pytest

from tests.browser.test_screenshots import main_pages

SEARCH_PAGE = ("search", "localhost", "/tim-kiem/?q=lap+xuong")

# Every visible piece of text (and form field) whose contrast with what lies behind it is
# below WCAG 2 AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). The background is
# the element's and its ancestors' background colours laid over white, as axe-core does when
# no picture lies behind the text.
LOW_CONTRAST = """() => {
  const parse = (value) => {
    const parts = value.match(/[\\d.]+/g).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour.a > 0) { layers.push(colour); if (colour.a >= 1) break; }
    }
    const white = {r: 255, g: 255, b: 255, a: 1};
    return layers.reverse().reduce((below, layer) => over(layer, below), white);
  };
  const hasText = (e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
    || e.matches("input:not([type=hidden]), select, textarea");
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (!hasText(element)) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    // Not drawn, or drawn off screen or in one pixel (the skip link, visually-hidden text).
    if (box.width <= 1 || box.height <= 1 || box.right <= 0) continue;
    if (style.visibility === "hidden") continue;
    const bg = background(element);
    const fg = over(parse(style.color), bg);
    const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      const text = (element.textContent || element.value).trim().slice(0, 40);
      found.push(`${element.className || element.tagName}: "${text}" ${ratio.toFixed(2)}:1`);
    }
  }
  return found;
}"""

# Pictures whose alt text is the same as the text of the link, button, paragraph, list item
# or table cell around them (axe-core's image-redundant-alt).
REDUNDANT_ALT = """() => {
  const words = (text) => text.replace(/\\s+/g, " ").trim().toLowerCase();
  return [...document.querySelectorAll("img[alt]")].filter((img) => {
    const alt = words(img.alt);
    const around = img.closest("button, [role=button], a[href], p, li, td, th");
    return alt && around && words(around.innerText) === alt;
  }).map((img) => img.alt);
}"""


def public_pages():
    return [*main_pages(), SEARCH_PAGE]


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(360, 800), (1280, 900)])
def test_text_on_public_pages_meets_wcag_aa_contrast(demo, new_page, width, height):
    page = new_page(width, height)
    for name, host, path in public_pages():
        assert page.goto(demo.url(host, path)).status == 200, name
        assert page.evaluate(LOW_CONTRAST) == [], f"{name} at {width}px"


@pytest.mark.browser
def test_card_photos_do_not_repeat_their_links_text(demo, phone_page):
    for name, host, path in public_pages():
        assert phone_page.goto(demo.url(host, path)).status == 200, name
        assert phone_page.evaluate("document.querySelectorAll('main img').length"), name
        assert phone_page.evaluate(REDUNDANT_ALT) == [], name
