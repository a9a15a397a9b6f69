"""The demo looks like a real commune's: distinct texts, and photos whose crops keep the name."""

import io
import re

import pytest
from PIL import Image as PILImage
from wagtail.images.models import Image

from products.models import ProductPage
from showcase.demo_data import COMMUNES

pytestmark = pytest.mark.django_db

# Every crop the templates ask for (cards, product and producer pages, heroes, commune cards,
# gallery), plus a square and a sharing-card one, should a template ask for them later.
CROPS = [
    "fill-320x240",
    "fill-360x225",
    "fill-360x180",
    "fill-1200x600",
    "fill-320x180",
    "fill-240x180",
    "fill-300x300",
    "fill-1200x630",
]


def demo_products():
    return [
        (producer, product)
        for commune in COMMUNES
        for producer in commune["producers"]
        for product in producer["products"]
    ]


def test_each_demo_product_has_its_own_summary_story_and_packaging():
    for producer, product in demo_products():
        texts = [product["summary"], product["story"], product["packaging"]]
        assert len(set(texts)) == 3, product["title"]
        assert product["summary"] not in product["story"], product["title"]
        assert product["packaging"] not in product["story"], product["title"]
        assert producer["summary"] not in texts, product["title"]
    summaries = [product["summary"] for _, product in demo_products()]
    stories = [product["story"] for _, product in demo_products()]
    assert len(set(summaries)) == len(summaries)
    assert len(set(stories)) == len(stories)


def test_product_page_says_each_sentence_once(client, tanan):
    product = ProductPage.objects.descendant_of(tanan).live().get(title="Lạp xưởng tươi Tân An")
    html = client.get(product.url, HTTP_HOST="tanan.localhost").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    # What a reader sees: the text between tags (the share box carries the summary in an
    # attribute, for the phone's share sheet).
    shown = re.sub(r"<[^>]*>", " ", main)
    data = next(p for _, p in demo_products() if p["title"] == product.title)
    for sentence in (data["summary"], data["packaging"], data["story"]):
        assert shown.count(sentence) == 1, sentence
    assert "Quy cách" in shown


def label_box(rendition):
    """Where the dark name label is on the middle row and column: (left, right, top, bottom)."""
    with rendition.file.open("rb") as handle:
        picture = PILImage.open(io.BytesIO(handle.read())).convert("RGB")
    width, height = picture.size

    def dark(x, y):
        return max(picture.getpixel((x, y))) < 50

    row = [x for x in range(width) if dark(x, height // 2)]
    column = [y for y in range(height) if dark(width // 2, y)]
    return width, height, row, column


@pytest.mark.parametrize("spec", CROPS)
def test_every_crop_of_a_demo_photo_keeps_the_whole_name(spec):
    photos = Image.objects.exclude(focal_point_x=None)
    assert photos.count() == Image.objects.count() >= 30
    for photo in photos:
        width, height, row, column = label_box(photo.get_rendition(spec))
        assert row and column, f"{photo.title} {spec}: no label in the middle"
        # Picture on both sides and above and below: the label is not cut by the crop.
        assert 0 < row[0] and row[-1] < width - 1, f"{photo.title} {spec}: sides cut"
        assert 0 < column[0] and column[-1] < height - 1, f"{photo.title} {spec}: top cut"
