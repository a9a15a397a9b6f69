"""Full-page screenshots of the main public pages at 360 px and 1280 px, for people to look at.

They land in test-output/screenshots/ (gitignored).
"""

import pytest

from producers.models import ProducerPage
from products.models import ProductPage
from showcase.models import CommuneHomePage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def main_pages():
    from tests.conftest import TANAN

    commune = CommuneHomePage.objects.get(ward_code=TANAN)
    producer = ProducerPage.objects.descendant_of(commune).live().order_by("path").first()
    product = ProductPage.objects.child_of(producer).live().order_by("path").first()
    return [
        ("showcase", "localhost", "/"),
        ("commune-home", "tanan.localhost", "/"),
        ("product-index", "tanan.localhost", "/san-pham/"),
        ("producer", "tanan.localhost", producer.get_url_parts()[2]),
        ("product", "tanan.localhost", product.get_url_parts()[2]),
    ]


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(360, 800), (1280, 900)])
def test_main_pages_render_and_are_saved_as_screenshots(demo, new_page, screenshot, width, height):
    page = new_page(width, height)
    for name, host, path in main_pages():
        response = page.goto(demo.url(host, path))
        assert response.status == 200, f"{name}: {response.status}"
        page.wait_for_load_state("networkidle")
        broken = page.evaluate(
            "[...document.images].filter(img => img.complete && img.naturalWidth === 0).length"
        )
        assert broken == 0, f"{name}: {broken} images failed to load"
        # Nothing may stick out sideways: a horizontal scrollbar on a phone is a layout bug.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than the {width}px window"
        saved = screenshot(page, f"{name}-{width}")
        assert saved.read_bytes()[:8] == PNG_SIGNATURE
