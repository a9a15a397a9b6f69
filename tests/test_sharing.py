"""Link previews and structured data, read as crawlers read them (extruct).

A product link pasted into Zalo or Facebook must show a picture, the name and the price; search
engines read schema.org JSON-LD and every public page's description and canonical address.
"""

import datetime
import io
import json
from urllib.parse import urlsplit

import extruct
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import PageViewRestriction

from commune_site.sharing import OG_IMAGE_SPEC, json_for_script, plain_description
from producers.models import ProducerIndexPage, ProducerPage
from products.blocks import PointOfSaleBlock
from products.models import ProductIndexPage, ProductPage
from showcase.models import CommuneHomePage, ShowcaseHomePage

TANAN_HOST, TAMVU_HOST, SHOWCASE_HOST = "tanan.localhost", "tamvu.localhost", "localhost"


def read(client, url_or_path, host=None):
    """(response, structured data) of a page, fetched as an anonymous visitor."""
    parts = urlsplit(url_or_path)
    host = host or parts.hostname
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""), HTTP_HOST=host)
    assert response.status_code == 200, (url_or_path, response.status_code)
    html = response.content.decode()
    data = extruct.extract(
        html, base_url=f"http://{host}{parts.path}", syntaxes=["json-ld", "opengraph"]
    )
    return response, html, data


def og(data) -> dict[str, list[str]]:
    """Open Graph properties (og:, product:, business:…) by name, every value kept."""
    properties: dict[str, list[str]] = {}
    for item in data["opengraph"]:
        for name, value in item["properties"]:
            properties.setdefault(name, []).append(value)
    return properties


def ld(data, kind) -> list[dict]:
    return [item for item in data["json-ld"] if item.get("@type") == kind]


def head_meta(html, name) -> str | None:
    """The content of <meta name=…> (Twitter cards and the description use name=, not property=)."""
    marker = f'<meta name="{name}" content="'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split('"', 1)[0]


def canonical(html) -> str | None:
    marker = '<link rel="canonical" href="'
    return html.split(marker, 1)[1].split('"', 1)[0] if marker in html else None


@pytest.fixture
def dragon_fruit(tamvu):
    return ProductPage.objects.descendant_of(tamvu).get(slug="thanh-long-ruot-do")


@pytest.fixture
def dragon_fruit_grower(dragon_fruit):
    return dragon_fruit.get_parent().specific


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


# --- Product pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_product_page_json_ld_is_a_product_with_offer_brand_images_and_ocop(
    client, dragon_fruit, dragon_fruit_grower
):
    url = dragon_fruit.get_full_url()
    _response, _html, data = read(client, url)
    [product] = ld(data, "Product")
    assert product["@context"] == "https://schema.org"
    assert product["name"] == "Thanh long ruột đỏ"
    assert product["url"] == url
    offer = product["offers"]
    assert offer["priceCurrency"] == "VND"
    assert offer["price"] == dragon_fruit.price_vnd == 35_000
    assert offer["priceSpecification"]["unitText"] == "kg"
    assert offer["availability"] in ("https://schema.org/InStock", "https://schema.org/OutOfStock")
    assert product["brand"] == {"@type": "Brand", "name": dragon_fruit_grower.title}
    assert product["manufacturer"]["name"] == dragon_fruit_grower.title
    assert product["manufacturer"]["url"] == dragon_fruit_grower.get_full_url()
    assert product["manufacturer"]["address"]["addressLocality"] == "Xã Tầm Vu"
    assert product["image"] and all(
        image.startswith("http://tamvu.localhost/media/") for image in product["image"]
    )
    assert product["sku"] == dragon_fruit.short_code
    ocop = next(c for c in product["hasCertification"] if c["name"].startswith("OCOP"))
    assert ocop["certificationRating"]["ratingValue"] == dragon_fruit.ocop_stars == 4
    assert ocop["certificationIdentification"] == dragon_fruit.ocop_certificate_number
    assert ocop["certificationStatus"] == "https://schema.org/CertificationActive"
    assert product["award"] == "OCOP 4 sao"
    others = {c.get("alternateName") for c in product["hasCertification"]}
    assert {"VietGAP", "GlobalGAP"} <= others


@pytest.mark.django_db
def test_product_availability_follows_stock_and_season(client, dragon_fruit):
    this_month = timezone.localdate().month
    other_month = this_month % 12 + 1

    def availability(**fields):
        for name, value in fields.items():
            setattr(dragon_fruit, name, value)
        page = publish(dragon_fruit)
        [product] = ld(read(client, page.get_full_url())[2], "Product")
        return product["offers"]

    in_season = availability(in_stock=True, season_months=[this_month])
    assert in_season["availability"] == "https://schema.org/InStock"
    assert "availabilityStarts" not in in_season
    out_of_season = availability(in_stock=True, season_months=[other_month])
    assert out_of_season["availability"] == "https://schema.org/OutOfStock"
    next_start = datetime.date.fromisoformat(out_of_season["availabilityStarts"])
    assert next_start.month == other_month and next_start.day == 1
    assert availability(in_stock=False, season_months=[])["availability"] == (
        "https://schema.org/OutOfStock"
    )
    assert availability(in_stock=True, season_months=[])["availability"] == (
        "https://schema.org/InStock"
    )


@pytest.mark.django_db
def test_product_on_request_has_an_offer_in_dong_without_a_price(client, dragon_fruit):
    dragon_fruit.price_vnd = None
    page = publish(dragon_fruit)
    response, html, data = read(client, page.get_full_url())
    [product] = ld(data, "Product")
    assert product["offers"]["priceCurrency"] == "VND"
    assert "price" not in product["offers"]
    assert "product:price:amount" not in og(data)
    assert og(data)["og:title"] == ["Thanh long ruột đỏ"]
    assert "Giá liên hệ" in head_meta(html, "description")


@pytest.mark.django_db
def test_product_preview_shows_picture_name_and_price(client, dragon_fruit):
    url = dragon_fruit.get_full_url()
    _response, html, data = read(client, url)
    tags = og(data)
    assert tags["og:title"] == ["Thanh long ruột đỏ · 35.000 ₫ / kg"]
    assert tags["og:url"] == [url]
    assert tags["og:type"] == ["product"]
    assert tags["og:locale"] == ["vi_VN"]
    assert tags["og:locale:alternate"] == ["en_US"]
    assert tags["product:price:amount"] == ["35000"]
    assert tags["product:price:currency"] == ["VND"]
    assert "35.000 ₫" in tags["og:description"][0]
    assert "HTX Thanh long Tầm Vu" in tags["og:description"][0]
    [image] = tags["og:image"]
    assert image.startswith("http://tamvu.localhost/media/images/")
    assert head_meta(html, "twitter:card") == "summary_large_image"
    assert head_meta(html, "twitter:title") == tags["og:title"][0]
    assert head_meta(html, "twitter:image") == image
    assert head_meta(html, "description") == tags["og:description"][0]
    assert canonical(html) == url


@pytest.mark.django_db
def test_og_image_loads_and_is_a_jpeg_of_the_preview_shape(client, dragon_fruit):
    _response, _html, data = read(client, dragon_fruit.get_full_url())
    tags = og(data)
    [image_url] = tags["og:image"]
    parts = urlsplit(image_url)
    response = client.get(parts.path, HTTP_HOST=parts.hostname)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    picture = Image.open(io.BytesIO(body))
    assert picture.format == "JPEG"
    assert [str(picture.width)] == tags["og:image:width"]
    assert [str(picture.height)] == tags["og:image:height"]
    original = dragon_fruit.image
    # fill-1200x630: the preview shape, never larger than the photo itself.
    assert picture.width == min(1200, original.width)
    assert abs(picture.width / picture.height - 1200 / 630) < 0.02
    assert tags["og:image:type"] == ["image/jpeg"]


@pytest.mark.django_db
def test_product_without_a_photo_shares_its_producers_photo(
    client, dragon_fruit, dragon_fruit_grower
):
    dragon_fruit.image = None
    page = publish(dragon_fruit)
    tags = og(read(client, page.get_full_url())[2])
    grower_photo = dragon_fruit_grower.image.get_rendition(OG_IMAGE_SPEC)
    assert tags["og:image"] == [f"http://tamvu.localhost{grower_photo.url}"]


@pytest.mark.django_db
def test_product_breadcrumbs_run_from_the_commune_home_page(
    client, dragon_fruit, dragon_fruit_grower, tamvu
):
    [trail] = ld(read(client, dragon_fruit.get_full_url())[2], "BreadcrumbList")
    items = trail["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3, 4]
    assert [item["name"] for item in items] == [
        tamvu.title,
        ProducerIndexPage.objects.child_of(tamvu).get().title,
        dragon_fruit_grower.title,
        dragon_fruit.title,
    ]
    assert items[0]["item"] == "http://tamvu.localhost/"
    assert items[-1]["item"] == dragon_fruit.get_full_url()


@pytest.mark.django_db
def test_batch_page_has_its_own_canonical_address_and_trail(client, dragon_fruit):
    from products.models import Batch

    batch = Batch.objects.create(
        product=dragon_fruit, lot_code="TL-0611", produced_on=datetime.date(2026, 6, 11)
    )
    url = dragon_fruit.batch_url(batch)
    _response, html, data = read(client, url)
    assert canonical(html) == url
    assert og(data)["og:url"] == [url]
    assert "TL-0611" in og(data)["og:title"][0]
    assert ld(data, "Product") == []
    [trail] = ld(data, "BreadcrumbList")
    assert trail["itemListElement"][-1] == {
        "@type": "ListItem",
        "position": 5,
        "name": "Lô TL-0611",
        "item": url,
    }


@pytest.mark.django_db
def test_markup_in_a_product_name_cannot_end_the_json_ld_script(client, dragon_fruit):
    hostile = 'Mứt </script><script>alert("x")</script> & <!-- "ngon"'
    dragon_fruit.title = hostile
    dragon_fruit.summary = "Giá < 40.000 ₫ & ngọt > 12 độ"
    page = publish(dragon_fruit)
    _response, html, data = read(client, page.get_full_url())
    [product] = ld(data, "Product")
    assert product["name"] == hostile
    assert product["description"].startswith("Giá < 40.000 ₫ & ngọt > 12 độ")
    assert '<script>alert("x")' not in html
    assert html.count("<script") == html.count("</script>")


def test_json_for_script_escapes_what_ends_a_script_element():
    text = json_for_script({"name": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003C/script\\u003E" in text and "\\u2028" in text


# --- Producer pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_producer_page_is_a_local_business_with_address_telephone_and_place(
    client, dragon_fruit_grower
):
    url = dragon_fruit_grower.get_full_url()
    _response, html, data = read(client, url)
    [business] = ld(data, "LocalBusiness")
    assert business["name"] == dragon_fruit_grower.title
    assert business["url"] == url
    assert business["telephone"] == "+84912345621"
    assert business["address"] == {
        "@type": "PostalAddress",
        "streetAddress": dragon_fruit_grower.address,
        "addressLocality": "Xã Tầm Vu",
        "addressRegion": "Tây Ninh",
        "addressCountry": "VN",
    }
    assert business["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": float(dragon_fruit_grower.latitude),
        "longitude": float(dragon_fruit_grower.longitude),
    }
    assert {c["alternateName"] for c in business["hasCertification"]} == {"VietGAP", "GlobalGAP"}
    tags = og(data)
    assert tags["og:url"] == [url] and tags["og:image"][0].startswith("http://tamvu.localhost/")
    assert tags["business:contact_data:phone_number"] == ["+84912345621"]
    assert len(ld(data, "BreadcrumbList")) == 1


@pytest.mark.django_db
def test_producer_with_coordinates_has_a_directions_link(client, dragon_fruit_grower):
    html = read(client, dragon_fruit_grower.get_full_url())[1]
    expected = (
        "https://www.google.com/maps/dir/?api=1&amp;destination="
        f"{dragon_fruit_grower.latitude:f},{dragon_fruit_grower.longitude:f}"
    )
    assert f'<a class="directions" href="{expected}" rel="noopener">Chỉ đường</a>' in html


@pytest.mark.django_db
def test_producer_without_coordinates_has_no_directions_link(client, dragon_fruit_grower):
    dragon_fruit_grower.latitude = dragon_fruit_grower.longitude = None
    page = publish(dragon_fruit_grower)
    _response, html, data = read(client, page.get_full_url())
    assert "Chỉ đường" not in html and "google.com/maps" not in html
    assert "geo" not in ld(data, "LocalBusiness")[0]


@pytest.mark.django_db
def test_product_page_points_of_sale_with_coordinates_have_directions(client, dragon_fruit):
    html = read(client, dragon_fruit.get_full_url())[1]
    section = html.split('id="buy-heading"', 1)[1]
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=10.442650,106.471210" in section


@pytest.mark.django_db
def test_producer_coordinates_are_both_given_and_inside_vietnam(dragon_fruit_grower):
    dragon_fruit_grower.longitude = None
    with pytest.raises(ValidationError) as error:
        dragon_fruit_grower.full_clean()
    assert error.value.message_dict["longitude"] == [
        "Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."
    ]
    # Swapped coordinates, the usual slip, are refused with the range to type.
    dragon_fruit_grower.latitude, dragon_fruit_grower.longitude = 106.47121, 10.44265
    with pytest.raises(ValidationError) as error:
        dragon_fruit_grower.full_clean()
    assert "Vĩ độ ở Việt Nam nằm trong khoảng 8 đến 23,5" in error.value.message_dict["latitude"][0]
    assert "Kinh độ ở Việt Nam" in error.value.message_dict["longitude"][0]


def test_point_of_sale_coordinates_are_both_given_and_inside_vietnam():
    block = PointOfSaleBlock()
    base = {"name": "Sạp 12", "address": "Chợ Tân An", "phone": "", "opening_hours": ""}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({**base, "latitude": "10.5", "longitude": None}))
    assert "longitude" in error.value.block_errors
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({**base, "latitude": "30", "longitude": "106.4"}))
    assert "latitude" in error.value.block_errors
    value = block.clean(block.to_python({**base, "latitude": "10.5", "longitude": "106.4"}))
    assert value.directions_url() == (
        "https://www.google.com/maps/dir/?api=1&destination=10.5,106.4"
    )
    assert block.clean(block.to_python(base)).directions_url() == ""


# --- Commune and showcase home pages, indexes, every public page ---------------------------


@pytest.mark.django_db
def test_commune_home_preview_has_picture_description_and_own_address(client, tanan):
    url = tanan.get_full_url()
    assert url == "http://tanan.localhost/"
    _response, html, data = read(client, url)
    tags = og(data)
    assert tags["og:url"] == [url] and canonical(html) == url
    assert tags["og:image"][0].startswith("http://tanan.localhost/media/images/")
    assert tags["og:title"] == [tanan.title]
    assert tags["og:description"] == [plain_description(tanan.introduction)]
    assert [site["url"] for site in ld(data, "WebSite")] == [url]
    [committee] = ld(data, "GovernmentOrganization")
    assert committee["address"]["addressLocality"] == "Phường Tân An"
    assert ld(data, "BreadcrumbList") == []  # a home page has no trail


def public_pages():
    """One live page of every type on each site, and the pages outside the page tree."""
    pages = []
    for model in (
        ShowcaseHomePage,
        CommuneHomePage,
        ProductIndexPage,
        ProducerIndexPage,
        ProducerPage,
        ProductPage,
    ):
        pages += list(model.objects.live().order_by("path")[:2])
    return pages


@pytest.mark.django_db
def test_every_public_page_has_a_description_and_a_canonical_address_on_its_own_host(client):
    pages = public_pages()
    assert {type(page) for page in pages} >= {ShowcaseHomePage, CommuneHomePage, ProductPage}
    for page in pages:
        url = page.get_full_url()
        _response, html, data = read(client, url)
        assert canonical(html) == url, page
        assert len(head_meta(html, "description") or "") >= 20, page
        assert og(data)["og:url"] == [url], page
        if page.depth > 2:
            [trail] = ld(data, "BreadcrumbList")
            hosts = {urlsplit(item["item"]).hostname for item in trail["itemListElement"]}
            assert hosts == {urlsplit(url).hostname}, page


@pytest.mark.django_db
@pytest.mark.parametrize("host", [TANAN_HOST, SHOWCASE_HOST])
def test_search_page_has_a_description_and_its_own_hosts_address(client, host):
    response = client.get("/tim-kiem/", {"q": "thanh long"}, HTTP_HOST=host)
    html = response.content.decode()
    assert canonical(html) == f"http://{host}/tim-kiem/"
    assert len(head_meta(html, "description")) >= 20


@pytest.mark.django_db
def test_page_described_by_its_editor_keeps_that_description(client, dragon_fruit):
    dragon_fruit.search_description = "Thanh long Tầm Vu, hái sáng giao chiều."
    page = publish(dragon_fruit)
    html = read(client, page.get_full_url())[1]
    assert head_meta(html, "description") == "Thanh long Tầm Vu, hái sáng giao chiều."


@pytest.mark.django_db
def test_english_visitors_get_the_english_locale_first(client, dragon_fruit):
    client.cookies["django_language"] = "en"
    data = read(client, dragon_fruit.get_full_url())[2]
    assert og(data)["og:locale"] == ["en_US"]
    assert og(data)["og:locale:alternate"] == ["vi_VN"]


@pytest.mark.django_db
def test_gone_product_page_has_a_description_and_no_canonical_address(client, dragon_fruit):
    dragon_fruit.unpublish()
    response = client.get(f"/q/{dragon_fruit.short_code}", HTTP_HOST=TAMVU_HOST)
    assert response.status_code == 410
    html = response.content.decode()
    assert canonical(html) is None
    assert head_meta(html, "description")


@pytest.mark.django_db
def test_portal_pages_carry_no_preview(client):
    html = client.get("/portal/dang-nhap/", HTTP_HOST=TANAN_HOST).content.decode()
    assert canonical(html) is None and 'property="og:' not in html
    assert '<meta name="robots" content="noindex">' in html


# --- The page cache keeps each host's addresses ------------------------------------------


@pytest.mark.django_db
def test_cached_pages_keep_their_own_hosts_canonical_and_preview_addresses(
    client, settings, dragon_fruit, tanan
):
    settings.PAGE_CACHE_ENABLED = True
    pages = [
        (dragon_fruit, TAMVU_HOST),
        (tanan, TANAN_HOST),
        (ShowcaseHomePage.objects.get(), SHOWCASE_HOST),
    ]
    for page, host in pages:
        url = page.get_full_url()
        assert urlsplit(url).hostname == host
        for expected_status in ("miss", "hit"):
            response = client.get(urlsplit(url).path, HTTP_HOST=host)
            assert response["X-Page-Cache"] == expected_status
            html = response.content.decode()
            assert canonical(html) == url
            assert f'<meta property="og:url" content="{url}">' in html


@pytest.mark.django_db
def test_private_page_is_not_described_to_anonymous_visitors(client, dragon_fruit_grower):
    PageViewRestriction.objects.create(
        page=dragon_fruit_grower, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(urlsplit(dragon_fruit_grower.get_full_url()).path, HTTP_HOST=TAMVU_HOST)
    html = response.content.decode()
    assert dragon_fruit_grower.address not in html
    assert "LocalBusiness" not in html


# --- Staff enter coordinates in the admin -------------------------------------------------


@pytest.mark.django_db
def test_admin_refuses_a_point_of_sale_with_only_a_latitude(client, staff_y, dragon_fruit):
    from django.urls import reverse

    from tests.admin_form_data import page_edit_form_data

    client.force_login(staff_y)
    revisions = dragon_fruit.revisions.count()
    data = page_edit_form_data(dragon_fruit, staff_y)
    assert data["where_to_buy-0-value-latitude"] == "10.442650"
    data["where_to_buy-0-value-longitude"] = ""
    response = client.post(reverse("wagtailadmin_pages:edit", args=[dragon_fruit.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["where_to_buy"].as_data()
    assert "Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai." in json.dumps(
        [error.as_json_data() for error in errors], ensure_ascii=False
    )
    assert dragon_fruit.revisions.count() == revisions  # nothing saved, nothing lost
    dragon_fruit.refresh_from_db()
    assert dragon_fruit.where_to_buy[0].value["longitude"] is not None


@pytest.mark.django_db
def test_admin_saves_point_of_sale_coordinates_and_the_page_shows_directions(
    client, staff_y, dragon_fruit
):
    from django.urls import reverse

    from tests.admin_form_data import page_edit_form_data

    client.force_login(staff_y)
    data = page_edit_form_data(dragon_fruit, staff_y)
    data["action-publish"] = "action-publish"
    data["where_to_buy-0-value-latitude"] = "10.5"
    data["where_to_buy-0-value-longitude"] = "106.25"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[dragon_fruit.pk]), data)
    assert response.status_code == 302
    client.logout()
    html = read(client, dragon_fruit.get_full_url())[1]
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=10.5,106.25" in html


@pytest.mark.django_db
def test_admin_preview_of_a_new_product_renders_its_preview_tags(
    client, staff_y, dragon_fruit_grower
):
    from django.urls import reverse

    from tests.admin_form_data import new_product_form_data

    client.force_login(staff_y)
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["products", "productpage", dragon_fruit_grower.pk],
    )
    data = new_product_form_data(title="Thanh long mới", slug="thanh-long-moi", price_vnd="40000")
    assert client.post(url, data).json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta property="og:title" content="Thanh long mới · 40.000 ₫ / kg">' in html
    assert '"@type":"Product"' in html


@pytest.mark.django_db
def test_product_producer_and_commune_pages_have_a_share_box_with_their_own_link(
    client, dragon_fruit, dragon_fruit_grower, tamvu
):
    for page in (dragon_fruit, dragon_fruit_grower, tamvu):
        url = page.get_full_url()
        html = read(client, url)[1]
        assert f'<input class="share__link" id="share-link" type="url" value="{url}" readonly>' in (
            html
        ), page
        assert '<script src="/static/js/share.js" defer></script>' in html
        assert html.count('class="share"') == 1


@pytest.mark.django_db
def test_product_list_pages_name_themselves_and_filtered_lists_the_whole_list(client, tamvu):
    from tests.showcase.test_query_counts import add_products

    producer = ProducerPage.objects.descendant_of(tamvu).get(title="HTX Thanh long Tầm Vu")
    add_products(producer, ProductIndexPage.per_page)
    base = ProductIndexPage.objects.child_of(tamvu).get().get_full_url()
    assert canonical(read(client, base + "?trang=2")[1]) == base + "?trang=2"
    assert canonical(read(client, base + "?trang=1")[1]) == base
    assert canonical(read(client, base + "?danh-muc=trai-cay")[1]) == base
