"""Batches (lô hàng): the page Circular 02/2024/TT-BKHCN asks for, own code, admin scope."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from products.models import Batch, Certification, ProductPage, ShortCode
from products.selectors import products_visible_to
from products.services import batch_create, demo_batches_seed

pytest_plugins = ["tests.products.qr_fixtures"]


def test_every_demo_product_has_a_batch(db):
    assert not ProductPage.objects.filter(batches__isnull=True).exists()


def test_demo_batch_seed_is_idempotent(db):
    before = Batch.objects.count()
    assert demo_batches_seed() == 0
    assert Batch.objects.count() == before


def test_batch_gets_its_own_permanent_code(batch, product):
    assert batch.short_code and batch.short_code != product.short_code
    entry = ShortCode.objects.get(code=batch.short_code)
    assert (entry.product_id, entry.batch_id) == (product.pk, batch.pk)


def test_batch_page_shows_what_the_circular_asks(client, batch, product):
    vietgap = Certification.objects.get(short_name="VietGAP")
    batch.certifications.add(vietgap)
    producer = product.get_parent().specific
    response = client.get(product.batch_url(batch), HTTP_HOST="tanan.localhost")
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        product.title,
        producer.title,
        producer.address,
        "LO-2026-01",
        "01/06/2026",
        "01/12/2026",
        "VN-TN-0123",
        vietgap.name,
        f"https://tanan.localhost/q/{batch.short_code}",
    ]:
        assert text in body
    assert "<img" in body or "<picture" in body


def test_batch_page_lot_lookup_ignores_case(client, batch, product):
    url = product.get_url() + "lo/lo-2026-01/"
    assert client.get(url, HTTP_HOST="tanan.localhost").status_code == 200


def test_unknown_lot_page_is_not_found(client, product):
    url = product.get_url() + "lo/KHONG-CO/"
    assert client.get(url, HTTP_HOST="tanan.localhost").status_code == 404


def test_batch_short_link_redirects_to_batch_page(client, batch, product):
    response = client.get(f"/q/{batch.short_code}", HTTP_HOST="tanan.localhost")
    assert response.status_code == 302
    assert response["Location"] == product.batch_url(batch)
    assert response["Location"].endswith("/lo/LO-2026-01/")


def test_deleted_batch_code_leads_to_its_product(client, batch, product):
    code = batch.short_code
    batch.delete()
    response = client.get(f"/q/{code}", HTTP_HOST="tanan.localhost")
    assert response.status_code == 302
    assert response["Location"] == product.get_full_url()


def test_lot_code_is_unique_per_product_ignoring_case(batch, product):
    with pytest.raises(ValidationError) as error:
        batch_create(product=product, lot_code="lo-2026-01", produced_on=datetime.date(2026, 7, 1))
    assert "lot_code" in error.value.message_dict


def test_same_lot_code_is_allowed_on_another_product(batch, other_product):
    other = batch_create(
        product=other_product, lot_code="LO-2026-01", produced_on=datetime.date(2026, 7, 1)
    )
    assert other.short_code != batch.short_code


@pytest.mark.parametrize("lot", ["", "lô-1", "A/B", "-START", "X" * 21, "A B"])
def test_bad_lot_codes_are_rejected_in_vietnamese(product, lot):
    with pytest.raises(ValidationError) as error:
        batch_create(product=product, lot_code=lot, produced_on=datetime.date(2026, 7, 1))
    assert "lot_code" in error.value.message_dict


def test_expiry_before_production_is_rejected(product):
    with pytest.raises(ValidationError) as error:
        batch_create(
            product=product,
            lot_code="L1",
            produced_on=datetime.date(2026, 7, 1),
            expires_on=datetime.date(2026, 6, 1),
        )
    assert error.value.message_dict["expires_on"] == ["Hạn sử dụng phải sau ngày sản xuất."]


@pytest.mark.parametrize(
    ("role_user", "sees_tanan", "sees_tamvu"),
    [
        ("staff_x", True, False),
        ("staff_y", False, True),
        ("producer_other", False, True),
        ("superuser", True, True),
    ],
    indirect=["role_user"],
)
def test_batch_listing_shows_only_editable_products(
    client, role_user, sees_tanan, sees_tamvu, product, other_product
):
    tanan_batch = product.batches.first()
    tamvu_batch = other_product.batches.first()
    client.force_login(role_user)
    listing = reverse("wagtailsnippets_products_batch:list")
    for batch, sees in ((tanan_batch, sees_tanan), (tamvu_batch, sees_tamvu)):
        response = client.get(listing, {"q": batch.lot_code})
        assert response.status_code == 200
        assert (batch.short_code in response.content.decode()) is sees


@pytest.mark.parametrize("role_user", ["anonymous", "buyer", "province"], indirect=True)
def test_batch_listing_is_closed_to_users_without_product_rights(client, role_user, product):
    if role_user is not None:
        client.force_login(role_user)
    response = client.get(reverse("wagtailsnippets_products_batch:list"))
    assert response.status_code in (302, 403)


def test_staff_cannot_edit_another_communes_batch(client, staff_y, batch):
    client.force_login(staff_y)
    response = client.get(reverse("wagtailsnippets_products_batch:edit", args=[batch.pk]))
    assert response.status_code in (302, 403, 404)


def test_staff_can_add_a_batch_to_own_commune_product(client, staff_x, product):
    client.force_login(staff_x)
    response = client.post(
        reverse("wagtailsnippets_products_batch:add"),
        {
            "product": product.pk,
            "lot_code": "MOI-01",
            "produced_on": "2026-11-20",
            "unit": "kg",
        },
    )
    assert response.status_code == 302
    assert product.batches.filter(lot_code="MOI-01").get().short_code


def test_staff_cannot_add_a_batch_to_another_communes_product(client, staff_x, other_product):
    client.force_login(staff_x)
    response = client.post(
        reverse("wagtailsnippets_products_batch:add"),
        {
            "product": other_product.pk,
            "lot_code": "XAM-01",
            "produced_on": "2026-11-20",
            "unit": "kg",
        },
    )
    assert response.status_code == 200
    assert not other_product.batches.filter(lot_code="XAM-01").exists()


def _chosen_ids(response):
    return {int(pk) for pk in re.findall(r"/chosen/(\d+)/", response.json()["html"])}


def test_batch_chooser_lists_only_editable_products_batches(
    client, staff_x, superuser, other_product
):
    # The other commune's batch is the newest, so an unscoped chooser would list it first.
    tamvu_batch = other_product.batches.first()
    tamvu_batch.produced_on = datetime.date(2030, 1, 1)
    tamvu_batch.save()
    url = reverse("wagtailsnippetchoosers_products_batch:choose")
    client.force_login(superuser)
    assert tamvu_batch.pk in _chosen_ids(client.get(url))
    client.force_login(staff_x)
    shown = _chosen_ids(client.get(url))
    allowed = set(
        Batch.objects.filter(product__in=products_visible_to(staff_x)).values_list("pk", flat=True)
    )
    assert shown and shown <= allowed


def test_batch_copy_view_is_closed_to_other_communes(client, staff_y, batch):
    client.force_login(staff_y)
    response = client.get(reverse("wagtailsnippets_products_batch:copy", args=[batch.pk]))
    assert response.status_code in (302, 403, 404)


def test_batch_page_shows_an_edit_at_once_with_the_page_cache_on(client, settings, batch, product):
    settings.PAGE_CACHE_ENABLED = True
    url = product.batch_url(batch)
    client.get(url, HTTP_HOST="tanan.localhost")
    batch.notes = "Đã kiểm nghiệm dư lượng thuốc bảo vệ thực vật."
    batch.save()
    response = client.get(url, HTTP_HOST="tanan.localhost")
    assert "Đã kiểm nghiệm dư lượng" in response.content.decode()


CHOOSER_CREATE = "/admin/snippets/choose/products/batch/create/"


def _new_lot(product, lot_code="CHON-01"):
    return {"product": product.pk, "lot_code": lot_code, "produced_on": "2026-11-20", "unit": "kg"}


def test_batch_chooser_create_url_is_the_named_route():
    assert reverse("wagtailsnippetchoosers_products_batch:create") == CHOOSER_CREATE


@pytest.mark.parametrize("role_user", ["staff_x", "producer_a", "superuser"], indirect=True)
def test_batch_chooser_creates_a_batch_and_chooses_it(client, role_user):
    own = products_visible_to(role_user).live().order_by("path").first()
    client.force_login(role_user)

    response = client.post(CHOOSER_CREATE, _new_lot(own))

    data = response.json()
    created = own.batches.get(lot_code="CHON-01")
    assert data["step"] == "chosen"
    assert str(data["result"]["id"]) == str(created.pk)
    assert created.short_code


def test_batch_chooser_create_refuses_another_producers_product_without_showing_it(
    client, producer_a, producer_b
):
    others = products_visible_to(producer_b).live().order_by("path").first()
    client.force_login(producer_a)

    response = client.post(CHOOSER_CREATE, _new_lot(others))

    data = response.json()
    assert data["step"] == "reshow_creation_form"
    assert not Batch.objects.filter(lot_code="CHON-01").exists()
    assert others.title not in data["htmlFragment"]


def test_batch_chooser_create_shows_errors_in_vietnamese(client, staff_x, batch, product):
    client.force_login(staff_x)

    response = client.post(CHOOSER_CREATE, _new_lot(product, lot_code=batch.lot_code.lower()))

    data = response.json()
    assert data["step"] == "reshow_creation_form"
    assert "Sản phẩm này đã có lô mang mã này." in data["htmlFragment"]
    assert product.batches.filter(lot_code__iexact=batch.lot_code).count() == 1


def test_batch_chooser_create_tab_offers_only_editable_products(client, producer_a, producer_b):
    client.force_login(producer_a)

    html = client.get(reverse("wagtailsnippetchoosers_products_batch:choose")).json()["html"]

    own = products_visible_to(producer_a).live().first()
    others = products_visible_to(producer_b).live().first()
    assert 'name="product"' in html and own.title in html
    assert others.title not in html


@pytest.mark.parametrize("role_user", ["buyer", "province"], indirect=True)
def test_batch_chooser_create_is_closed_without_product_rights(client, role_user, product):
    client.force_login(role_user)

    response = client.post(CHOOSER_CREATE, _new_lot(product))

    assert response.status_code in (302, 403)
    assert not Batch.objects.filter(lot_code="CHON-01").exists()
