"""Recording, correcting and deleting sales in the portal: the three-tap form, idempotency,
Vietnamese numbers, refusals, "nhập thay", history, and a fixed number of queries."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from producers.revenue.models import Channel, Sale, local_today
from products.models import ProductPage

from .conftest import TANAN_HOST

pytestmark = pytest.mark.django_db

SALES = reverse("portal:sales")


def form_data(**overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "product": "",
        "product_name": "Mít Thái",
        "sold_on": local_today().isoformat(),
        "quantity": "12,5",
        "unit": "kg",
        "unit_price_vnd": "35.000",
        "channel": Channel.MARKET,
        "amount_vnd": "",
        "note": "",
    }
    data.update(overrides)
    return data


def hidden_key(html):
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


def test_tapping_a_product_opens_the_form_prefilled_with_today_last_price_and_last_channel(
    portal_client, producer_a, farm_a, product_a, record
):
    record(farm_a, producer_a, product=product_a, unit_price_vnd=41_000, unit="hộp",
           sold_on=datetime.date(2026, 1, 5), channel=Channel.FAIR)
    # The producer's latest sale, of another product, sets the channel.
    record(farm_a, producer_a, product_name="Khác", channel=Channel.SHOPEE)
    client = portal_client(producer_a)
    html = client.get(SALES, HTTP_HOST=TANAN_HOST).content.decode()
    # No #fragment: a URL that targets an element turns autofocus off.
    assert f'href="{SALES}?product={product_a.pk}"' in html

    response = client.get(f"{SALES}?product={product_a.pk}", HTTP_HOST=TANAN_HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{local_today().isoformat()}"' in html
    assert 'name="unit_price_vnd" id="id_unit_price_vnd" value="41.000"' in html
    assert 'name="unit" id="id_unit" maxlength="30" value="hộp"' in html
    assert 'value="shopee" id="id_channel_8" required checked' in html
    assert re.search(r'name="quantity"[^>]*value=""[^>]*autofocus', html)


def test_a_product_never_sold_starts_with_its_listed_price_and_unit(
    portal_client, producer_a, product_a
):
    html = portal_client(producer_a).get(
        f"{SALES}?product={product_a.pk}", HTTP_HOST=TANAN_HOST
    ).content.decode()
    listed = f"{product_a.price_vnd:,}".replace(",", ".")
    assert f'name="unit_price_vnd" id="id_unit_price_vnd" value="{listed}"' in html
    assert f'value="{product_a.get_price_unit_display()}"' in html


def test_recording_a_sale_saves_it_redirects_and_shows_it_saved(
    portal_client, producer_a, farm_a, product_a
):
    client = portal_client(producer_a)
    key = hidden_key(client.get(f"{SALES}?product={product_a.pk}",
                                HTTP_HOST=TANAN_HOST).content.decode())
    response = client.post(
        SALES, form_data(submission_key=key, product=product_a.pk, product_name=""),
        HTTP_HOST=TANAN_HOST,
    )
    sale = Sale.objects.get(producer=farm_a)
    assert response.status_code == 302
    assert response["Location"] == f"{SALES}?moi={sale.pk}#ban-{sale.pk}"
    assert (sale.product_id, sale.product_name) == (product_a.pk, product_a.title)
    assert (sale.quantity, sale.unit_price_vnd, sale.amount_vnd) == (Decimal("12.5"), 35_000,
                                                                     437_500)
    assert sale.entered_by == producer_a and not sale.entered_by_staff
    page = client.get(response["Location"], HTTP_HOST=TANAN_HOST).content.decode()
    assert "Đã lưu: 12,5 kg" in page
    assert "437.500 ₫" in page
    assert "sale--new" in page


def test_the_same_form_sent_twice_records_the_sale_once(portal_client, producer_a, farm_a):
    client = portal_client(producer_a)
    data = form_data()
    first = client.post(SALES, data, HTTP_HOST=TANAN_HOST)
    second = client.post(SALES, data, HTTP_HOST=TANAN_HOST)
    assert Sale.objects.filter(producer=farm_a).count() == 1
    assert first["Location"] == second["Location"]
    page = client.get(second["Location"], HTTP_HOST=TANAN_HOST).content.decode()
    assert "đã được lưu rồi" in page


def test_the_same_sale_sent_again_under_a_new_key_asks_before_recording_it_twice(
    portal_client, producer_a, farm_a
):
    # The first save's answer was lost; the form, opened again, carries a new key.
    client = portal_client(producer_a)
    client.post(SALES, form_data(), HTTP_HOST=TANAN_HOST)
    asked = client.post(SALES, form_data(), HTTP_HOST=TANAN_HOST)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Bạn vừa lưu một lần bán giống hệt lúc" in page
    assert Sale.objects.filter(producer=farm_a).count() == 1
    # A second tap on Lưu sends the same form back, marked: now it is another sale.
    again = re.search(r'name="same_again" value="True"', page)
    assert again is not None
    confirmed = form_data(submission_key=hidden_key(page), same_again="True")
    assert client.post(SALES, confirmed, HTTP_HOST=TANAN_HOST).status_code == 302
    assert Sale.objects.filter(producer=farm_a).count() == 2


def test_a_different_quantity_is_recorded_without_asking(portal_client, producer_a, farm_a):
    client = portal_client(producer_a)
    client.post(SALES, form_data(), HTTP_HOST=TANAN_HOST)
    response = client.post(SALES, form_data(quantity="3"), HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert Sale.objects.filter(producer=farm_a).count() == 2


def test_another_producers_key_is_not_a_way_to_see_their_sale(
    portal_client, producer_a, producer_b, farm_a
):
    data = form_data(product_name="Bí mật của A")
    portal_client(producer_a).post(SALES, data, HTTP_HOST=TANAN_HOST)
    response = portal_client(producer_b).post(SALES, data, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 404
    assert Sale.objects.count() == 1


def test_a_form_without_its_key_is_refused(portal_client, producer_a):
    data = form_data()
    del data["submission_key"]
    response = portal_client(producer_a).post(SALES, data, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 400
    assert Sale.objects.count() == 0


@pytest.mark.parametrize(
    "typed,quantity,price,amount",
    [
        ({"quantity": "12,5", "unit_price_vnd": "35.000"}, "12.5", 35_000, 437_500),
        ({"quantity": "1.000", "unit_price_vnd": "35 000 đ"}, "1000", 35_000, 35_000_000),
        ({"quantity": "0,333", "unit_price_vnd": "3"}, "0.333", 3, 1),
        ({"quantity": "3", "unit_price_vnd": "10.000", "amount_vnd": "25.000"}, "3", 10_000,
         25_000),
    ],
)
def test_numbers_typed_the_vietnamese_way(portal_client, producer_a, typed, quantity, price,
                                          amount):
    portal_client(producer_a).post(SALES, form_data(**typed), HTTP_HOST=TANAN_HOST)
    sale = Sale.objects.get()
    assert (sale.quantity, sale.unit_price_vnd, sale.amount_vnd) == (Decimal(quantity), price,
                                                                     amount)


@pytest.mark.parametrize(
    "typed,message",
    [
        ({"quantity": "0"}, "Số lượng phải lớn hơn 0."),
        ({"quantity": "-2"}, "Số lượng phải lớn hơn 0."),
        ({"quantity": "mười"}, "Nhập số lượng bằng số"),
        ({"sold_on": (local_today() + datetime.timedelta(days=1)).isoformat()},
         "Ngày bán không được ở tương lai."),
        ({"sold_on": "31/12/1999"}, "Ngày bán phải từ 01/01/2000 trở đi."),
        ({"unit_price_vnd": "1.000.000.001"}, "Đơn giá tối đa 1.000.000.000 đ."),
        ({"quantity": "1", "unit_price_vnd": "1", "amount_vnd": "10.000.000.001"},
         "Số tiền tối đa 10.000.000.000 đ."),
        ({"quantity": "11", "unit_price_vnd": "1.000.000.000"},
         "Thành tiền tối đa 10.000.000.000 đ."),
        ({"product_name": "<script>alert(1)</script>"}, "Không được dùng dấu &lt; hoặc &gt;"),
        ({"product_name": ""}, "Chọn một sản phẩm hoặc ghi tên sản phẩm đã bán."),
    ],
)
def test_refused_with_a_vietnamese_message_and_nothing_saved(portal_client, producer_a, typed,
                                                             message):
    response = portal_client(producer_a).post(SALES, form_data(**typed), HTTP_HOST=TANAN_HOST)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Sale.objects.count() == 0


def test_a_product_of_another_producer_is_refused(portal_client, producer_a, product_b):
    client = portal_client(producer_a)
    assert client.get(f"{SALES}?product={product_b.pk}", HTTP_HOST=TANAN_HOST).status_code == 404
    response = client.post(SALES, form_data(product=product_b.pk), HTTP_HOST=TANAN_HOST)
    assert response.status_code == 400
    assert "Sản phẩm này không thuộc nhà sản xuất của bạn." in response.content.decode()
    assert product_b.title not in response.content.decode()
    assert Sale.objects.count() == 0


def test_staff_acting_for_a_producer_records_a_sale_marked_and_shown_to_the_producer(
    portal_client, staff_x, producer_a, farm_a
):
    response = portal_client(staff_x, acting_for=farm_a).post(
        SALES, form_data(product_name="Bưởi da xanh"), HTTP_HOST=TANAN_HOST
    )
    assert response.status_code == 302
    sale = Sale.objects.get(producer=farm_a)
    assert sale.entered_by == staff_x and sale.entered_by_staff
    html = portal_client(producer_a).get(SALES, HTTP_HOST=TANAN_HOST).content.decode()
    item = html[html.index(f'id="ban-{sale.pk}"'):]
    assert "Cán bộ nhập thay" in item[: item.index("</li>")]


def test_editing_keeps_the_old_values_in_a_history_the_producer_sees(
    portal_client, producer_a, staff_x, farm_a, record
):
    sale = record(farm_a, producer_a, quantity=Decimal("2"), unit_price_vnd=35_000)
    edit = reverse("portal:sale_edit", args=[sale.pk])
    form = portal_client(staff_x, acting_for=farm_a).get(edit, HTTP_HOST=TANAN_HOST)
    assert 'value="2"' in form.content.decode()
    response = portal_client(staff_x, acting_for=farm_a).post(
        edit, form_data(quantity="3", sold_on="2026-03-14"), HTTP_HOST=TANAN_HOST
    )
    assert response.status_code == 302
    sale.refresh_from_db()
    assert (sale.quantity, sale.amount_vnd) == (Decimal("3"), 105_000)
    html = portal_client(producer_a).get(SALES, HTTP_HOST=TANAN_HOST).content.decode()
    assert "<del>70.000 ₫</del> → <ins>105.000 ₫</ins>" in html
    assert "<del>2</del> → <ins>3</ins>" in html
    assert "cán bộ xã" in html  # the correction was made by staff
    assert "Đã sửa" in html


def test_a_lump_sum_can_be_cleared_to_compute_the_amount_again(
    portal_client, producer_a, farm_a, record
):
    sale = record(farm_a, producer_a, quantity=Decimal("3"), unit_price_vnd=10_000,
                  amount_vnd=25_000)
    edit = reverse("portal:sale_edit", args=[sale.pk])
    client = portal_client(producer_a)
    assert 'name="amount_vnd" id="id_amount_vnd" value="25.000"' in client.get(
        edit, HTTP_HOST=TANAN_HOST).content.decode()
    client.post(edit, form_data(quantity="3", unit_price_vnd="10.000", amount_vnd="",
                                sold_on="2026-03-14"), HTTP_HOST=TANAN_HOST)
    sale.refresh_from_db()
    assert sale.amount_vnd == 30_000


def test_an_edit_is_refused_like_a_new_sale(portal_client, producer_a, farm_a, record):
    sale = record(farm_a, producer_a)
    response = portal_client(producer_a).post(
        reverse("portal:sale_edit", args=[sale.pk]), form_data(quantity="0"),
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 400
    assert "Số lượng phải lớn hơn 0." in response.content.decode()
    assert Sale.objects.get(pk=sale.pk).quantity == sale.quantity


def test_delete_asks_first_then_keeps_the_sale_in_the_deleted_history(
    portal_client, producer_a, farm_a, record
):
    sale = record(farm_a, producer_a, product_name="Sầu riêng Ri6")
    delete = reverse("portal:sale_delete", args=[sale.pk])
    client = portal_client(producer_a)
    confirm = client.get(delete, HTTP_HOST=TANAN_HOST)
    assert confirm.status_code == 200 and "Xóa lần bán này?" in confirm.content.decode()
    assert Sale.objects.filter(pk=sale.pk).exists()
    response = client.post(delete, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert not Sale.objects.filter(pk=sale.pk).exists()
    html = client.get(SALES, HTTP_HOST=TANAN_HOST).content.decode()
    deleted = html[html.index('id="da-xoa"'):]
    assert "Sầu riêng Ri6" in deleted and "70.000 ₫" in deleted


def test_deleted_sales_of_another_producer_stay_hidden(
    portal_client, producer_a, producer_b, farm_a, record
):
    sale = record(farm_a, producer_a, product_name="Sầu riêng Ri6")
    portal_client(producer_a).post(reverse("portal:sale_delete", args=[sale.pk]),
                                   HTTP_HOST=TANAN_HOST)
    other_phone = Client()
    other_phone.force_login(producer_b)
    html = other_phone.get(SALES, HTTP_HOST=TANAN_HOST).content.decode()
    assert "Sầu riêng Ri6" not in html


def test_a_producer_without_products_gets_the_free_text_form_at_once(
    portal_client, producer_a, farm_a
):
    ProductPage.objects.child_of(farm_a).delete()
    html = portal_client(producer_a).get(SALES, HTTP_HOST=TANAN_HOST).content.decode()
    assert 'name="product_name"' in html and 'name="submission_key"' in html


def _sales_page_queries(client):
    # A worker's first request also loads the site directory (commune_site/site_directory.py).
    client.get(SALES, HTTP_HOST=TANAN_HOST)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SALES, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 200
    return len(queries)


def test_sales_page_queries_do_not_grow_with_sales_edits_or_deletions(
    portal_client, producer_a, farm_a, product_a, record
):
    client = portal_client(producer_a)
    record(farm_a, producer_a, product=product_a)
    few = _sales_page_queries(client)
    for day in range(1, 29):
        sale = record(farm_a, producer_a, sold_on=datetime.date(2026, 2, day))
        if day % 3 == 0:
            client.post(reverse("portal:sale_edit", args=[sale.pk]),
                        form_data(quantity="4", sold_on=sale.sold_on.isoformat()),
                        HTTP_HOST=TANAN_HOST)
        if day % 7 == 0:
            client.post(reverse("portal:sale_delete", args=[sale.pk]), HTTP_HOST=TANAN_HOST)
    assert _sales_page_queries(client) == few


def test_a_deleted_sale_without_a_creation_entry_is_still_listed(
    portal_client, producer_a, farm_a, record
):
    sale = record(farm_a, producer_a, product_name="Chôm chôm nhập từ file")
    ModelLogEntry.objects.filter(object_id=str(sale.pk), action="revenue.sale.create").delete()
    client = portal_client(producer_a)
    client.post(reverse("portal:sale_delete", args=[sale.pk]), HTTP_HOST=TANAN_HOST)
    html = client.get(SALES, HTTP_HOST=TANAN_HOST).content.decode()
    assert "Chôm chôm nhập từ file" in html[html.index('id="da-xoa"'):]
