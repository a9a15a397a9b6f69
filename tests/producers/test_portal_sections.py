"""The portal's batches, QR labels and scans pages: each producer sees and prints only their own."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from producers.selectors import producer_for_user
from products.models import Batch, ProductPage, Scan
from products.services import batch_create

TANAN_HOST = "tanan.localhost"
SECTIONS = ["/portal/lo-hang/", "/portal/tem-qr/", "/portal/luot-quet/"]


def products_of(user):
    return list(ProductPage.objects.child_of(producer_for_user(user)).order_by("title"))


@pytest.fixture
def batches(producer_a, producer_b):
    return {
        "a": batch_create(
            product=products_of(producer_a)[0],
            lot_code="LOA-01",
            produced_on=datetime.date(2026, 11, 1),
        ),
        "b": batch_create(
            product=products_of(producer_b)[0],
            lot_code="LOB-01",
            produced_on=datetime.date(2026, 11, 2),
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", SECTIONS)
def test_anonymous_is_sent_to_login_from_every_section(client, path):
    response = client.get(path, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/dang-nhap/?next={path}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", SECTIONS)
@pytest.mark.parametrize("role", ["producer_other", "staff_y", "province", "buyer"])
def test_other_tenants_and_roles_are_refused_every_section(request, client, path, role, producer_a):
    client.force_login(request.getfixturevalue(role))
    response = client.get(path, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 403
    assert products_of(producer_a)[0].title not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", SECTIONS)
def test_staff_of_the_commune_must_pick_a_producer_first(client, staff_x, path):
    client.force_login(staff_x)
    assert client.get(path, HTTP_HOST=TANAN_HOST)["Location"] == "/portal/nhap-thay/"


# Batches


@pytest.mark.django_db
def test_producer_a_sees_own_batches_only(client, producer_a, batches):
    client.force_login(producer_a)
    html = client.get("/portal/lo-hang/", HTTP_HOST=TANAN_HOST).content.decode()
    assert "LOA-01" in html
    assert "LOB-01" not in html


@pytest.mark.django_db
def test_producer_b_sees_own_batches_only(client, producer_b, batches):
    client.force_login(producer_b)
    html = client.get("/portal/lo-hang/", HTTP_HOST=TANAN_HOST).content.decode()
    assert "LOB-01" in html
    assert "LOA-01" not in html


@pytest.mark.django_db
def test_batch_form_offers_only_own_products(client, producer_a, producer_b):
    client.force_login(producer_a)
    html = client.get("/portal/lo-hang/", HTTP_HOST=TANAN_HOST).content.decode()
    for product in products_of(producer_a):
        assert f'value="{product.pk}"' in html
    for product in products_of(producer_b):
        assert f'value="{product.pk}"' not in html


@pytest.mark.django_db
def test_producer_adds_a_batch_with_a_vietnamese_date_and_it_is_logged(client, producer_a):
    client.force_login(producer_a)
    product = products_of(producer_a)[0]
    response = client.post(
        "/portal/lo-hang/",
        {"product": product.pk, "lot_code": "L2611-01", "produced_on": "20/11/2026", "unit": "kg"},
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 302
    batch = Batch.objects.get(product=product, lot_code="L2611-01")
    assert batch.produced_on == datetime.date(2026, 11, 20)
    assert batch.short_code
    entry = ModelLogEntry.objects.filter(object_id=str(batch.pk), action="wagtail.create").get()
    assert entry.user == producer_a


@pytest.mark.django_db
def test_producer_cannot_add_a_batch_to_another_producers_product(client, producer_a, producer_b):
    client.force_login(producer_a)
    product_b = products_of(producer_b)[0]
    response = client.post(
        "/portal/lo-hang/",
        {"product": product_b.pk, "lot_code": "X-1", "produced_on": "2026-11-20", "unit": "kg"},
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Batch.objects.filter(product=product_b, lot_code="X-1").exists()


@pytest.mark.django_db
def test_bad_batch_input_keeps_what_was_typed_and_explains_in_vietnamese(client, producer_a):
    client.force_login(producer_a)
    product = products_of(producer_a)[0]
    before = Batch.objects.filter(product=product).count()
    response = client.post(
        "/portal/lo-hang/",
        {
            "product": product.pk,
            "lot_code": "lô có dấu",
            "produced_on": "20/11/2026",
            "expires_on": "01/11/2026",
            "unit": "kg",
        },
        HTTP_HOST=TANAN_HOST,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="lô có dấu"' in html
    assert "Mã lô gồm tối đa 20 chữ cái không dấu" in html
    assert Batch.objects.filter(product=product).count() == before


@pytest.mark.django_db
def test_staff_entering_a_batch_for_a_household_is_recorded(client, staff_x, producer_a):
    client.force_login(staff_x)
    producer = producer_for_user(producer_a)
    client.post("/portal/nhap-thay/", {"producer": producer.pk}, HTTP_HOST=TANAN_HOST)
    product = products_of(producer_a)[0]
    client.post(
        "/portal/lo-hang/",
        {"product": product.pk, "lot_code": "NT-1", "produced_on": "2026-11-20", "unit": "kg"},
        HTTP_HOST=TANAN_HOST,
    )
    batch = Batch.objects.get(product=product, lot_code="NT-1")
    entry = ModelLogEntry.objects.filter(object_id=str(batch.pk), action="wagtail.create").get()
    assert entry.user == staff_x
    assert entry.data["entered_by"] == {"id": staff_x.pk, "username": staff_x.username}


# QR labels


@pytest.mark.django_db
def test_label_form_offers_own_live_products_and_batches_only(client, producer_a, batches):
    client.force_login(producer_a)
    html = client.get("/portal/tem-qr/", HTTP_HOST=TANAN_HOST).content.decode()
    for product in products_of(producer_a):
        assert product.title in html
    assert "LOA-01" in html
    assert "LOB-01" not in html


@pytest.mark.django_db
def test_producer_downloads_a_label_pdf_of_own_products(client, producer_a):
    client.force_login(producer_a)
    product = products_of(producer_a)[0]
    response = client.post(
        "/portal/tem-qr/",
        {"products": [product.pk], "layout": "3x7", "copies": "2"},
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_labels_of_another_producers_product_are_refused(client, producer_a, producer_b):
    client.force_login(producer_a)
    product_b = products_of(producer_b)[0]
    response = client.post(
        "/portal/tem-qr/",
        {"products": [product_b.pk], "layout": "3x7", "copies": "1"},
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_labels_with_nothing_chosen_explain_in_vietnamese(client, producer_a):
    client.force_login(producer_a)
    response = client.post(
        "/portal/tem-qr/", {"layout": "3x7", "copies": "1"}, HTTP_HOST=TANAN_HOST
    )
    assert response.status_code == 400
    assert "Chọn ít nhất một sản phẩm hoặc một lô hàng để in." in response.content.decode()


# Scans


def scan(product, when):
    return Scan.objects.create(product=product, scanned_at=when, device="mobile", in_app="zalo")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?theo=ngay"])
def test_scans_page_counts_own_products_scans_only(client, producer_a, producer_b, query):
    now = timezone.now()
    product_a, product_b = products_of(producer_a)[0], products_of(producer_b)[0]
    for _ in range(3):
        scan(product_a, now)
    for _ in range(7):
        scan(product_b, now)
    client.force_login(producer_a)
    response = client.get(f"/portal/luot-quet/{query}", HTTP_HOST=TANAN_HOST)
    html = response.content.decode()
    assert response.status_code == 200
    rows = {row["product"].pk: row for row in response.context["rows"]}
    assert rows[product_a.pk]["total"] == 3
    assert rows[product_a.pk]["periods"][-1] == 3  # this day or this week comes last
    assert len(rows[product_a.pk]["periods"]) == (14 if query else 8)
    assert product_b.pk not in rows
    assert product_b.title not in html
