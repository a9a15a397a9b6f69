"""Page slugs are plain ASCII for Vietnamese titles, as the demo's are (đ → d)."""

import json
import re

import pytest
from django.urls import reverse

from commune_site.slugs import ascii_slug
from producers.models import ProducerPage
from products.models import ProductPage
from tests.admin_form_data import new_product_form_data, post_page_edit

pytestmark = pytest.mark.django_db

TITLE = "Lạp xưởng gà Tân An"


@pytest.fixture
def producer(tanan):
    return ProducerPage.objects.descendant_of(tanan).get(title="Cơ sở lạp xưởng Bà Tư")


def add_product(client, producer, publish=False, **fields):
    data = new_product_form_data(price_vnd="120000", **fields)
    if publish:
        data["action-publish"] = "1"
    url = reverse("wagtailadmin_pages:add", args=["products", "productpage", producer.pk])
    return client.post(url, data, HTTP_HOST="localhost")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (TITLE, "lap-xuong-ga-tan-an"),
        ("Đậu phộng rang Đức Hòa", "dau-phong-rang-duc-hoa"),
        ("Thanh long ruột đỏ Tầm Vu", "thanh-long-ruot-do-tam-vu"),
        ("Nước mắm nhĩ 40 độ đạm!", "nuoc-mam-nhi-40-do-dam"),
    ],
)
def test_vietnamese_text_folds_to_an_ascii_slug(title, slug):
    assert ascii_slug(title) == slug


@pytest.mark.parametrize("publish", [False, True])
def test_page_created_in_the_admin_without_a_slug_gets_an_ascii_one(
    client, staff_x, producer, publish
):
    client.force_login(staff_x)
    response = add_product(client, producer, publish=publish, title=TITLE, slug="")
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ProductPage.objects.child_of(producer).get(title=TITLE)
    assert created.slug == "lap-xuong-ga-tan-an"
    assert created.get_latest_revision_as_object().slug == "lap-xuong-ga-tan-an"
    if publish:
        assert created.url.endswith("/lap-xuong-ga-tan-an/")
        assert client.get(created.url, HTTP_HOST="tanan.localhost").status_code == 200


def test_a_unicode_slug_typed_or_pasted_in_the_admin_is_folded(client, staff_x, producer):
    client.force_login(staff_x)
    response = add_product(client, producer, title=TITLE, slug="lạp-xưởng-gà-tân-an")
    assert response.status_code == 302
    assert ProductPage.objects.child_of(producer).get(title=TITLE).slug == "lap-xuong-ga-tan-an"


def test_a_second_page_of_the_same_title_gets_a_numbered_slug(client, staff_x, producer):
    client.force_login(staff_x)
    add_product(client, producer, title=TITLE, slug="")
    response = add_product(client, producer, title=TITLE, slug="")
    assert response.status_code == 302
    same_title = ProductPage.objects.child_of(producer).filter(title=TITLE)
    slugs = set(same_title.values_list("slug", flat=True))
    assert slugs == {"lap-xuong-ga-tan-an", "lap-xuong-ga-tan-an-2"}


def test_a_folded_slug_that_a_sibling_already_has_is_refused_in_vietnamese(
    client, staff_x, producer
):
    client.force_login(staff_x)
    add_product(client, producer, title=TITLE, slug="lap-xuong-ga-tan-an")
    response = add_product(client, producer, title="Khác", slug="lạp-xưởng-gà-tân-an")
    assert response.status_code == 200
    assert "lap-xuong-ga-tan-an" in response.context["form"].errors["slug"][0]
    assert ProductPage.objects.child_of(producer).filter(title="Khác").count() == 0


def test_editing_a_page_to_a_unicode_slug_keeps_it_ascii(client, staff_x, producer):
    product = ProductPage.objects.child_of(producer).live().first()
    client.force_login(staff_x)
    response = post_page_edit(client, product, staff_x, "publish", slug="lạp-xưởng-mai-quế-lộ")
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.slug == "lap-xuong-mai-que-lo"


def test_the_admin_slug_box_is_told_to_make_ascii_slugs_with_vietnamese_letters(
    client, staff_x, producer
):
    """Wagtail's JavaScript fills the slug from the title; these attributes drive it."""
    client.force_login(staff_x)
    url = reverse("wagtailadmin_pages:add", args=["products", "productpage", producer.pk])
    html = client.get(url, HTTP_HOST="localhost").content.decode()
    box = re.search(r'<input[^>]*name="slug"[^>]*>', html).group(0)
    # Django leaves a False attribute out; Wagtail's slug controller then defaults to ASCII.
    assert "data-w-slug-allow-unicode-value" not in box
    formatters = json.loads(
        re.search(r"data-w-slug-formatters-value=\"([^\"]*)\"", box)
        .group(1)
        .replace("&quot;", '"')
    )
    replacements = {replace for _, replace in formatters}
    assert {"a", "d", "o", "u"} <= replacements
    assert any("đ" in pattern[0] for pattern, _ in formatters)
