"""Import and export pages: the portal's and the admin's, for every role, own and foreign ids."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from producers.portal.access import ACTING_FOR_SESSION_KEY
from producers.revenue.models import Channel, Sale
from producers.revenue.services import sale_record
from producers.selectors import producer_for_user

from .test_import import EXPECTED_TOTAL, csv_bytes, vi_rows

pytestmark = pytest.mark.django_db
TANAN_HOST = "tanan.localhost"
PORTAL_IMPORT = "/portal/ban-hang/nhap-file/"
PORTAL_EXPORT = "/portal/ban-hang/xuat-file/"


def _file(rows=None, name="ban-hang.csv", data=None):
    return SimpleUploadedFile(name, data if data is not None else csv_bytes(rows or vi_rows()))


def _token(response):
    return response.context["token"]


def _portal(client, user, path=PORTAL_IMPORT, data=None, method="post", **extra):
    client.force_login(user)
    return getattr(client, method)(path, data, HTTP_HOST=TANAN_HOST, **extra)


# --- Portal import ------------------------------------------------------------------------


def test_producer_previews_then_imports_all_rows(client, producer_a, farm_a):
    response = _portal(client, producer_a, data={"file": _file()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mít Thái" in body and "dấu phẩy" in body and "5.387.513 ₫" in body
    assert not Sale.objects.filter(producer=farm_a).exists()
    token = _token(response)
    response = _portal(client, producer_a, data={"token": token})
    assert response.status_code == 302
    sales = Sale.objects.filter(producer=farm_a)
    assert sales.aggregate(t=Sum("amount_vnd"))["t"] == EXPECTED_TOTAL
    assert set(sales.values_list("entered_by", "entered_by_staff")) == {(producer_a.pk, False)}
    page = client.get(PORTAL_IMPORT, HTTP_HOST=TANAN_HOST).content.decode()
    assert "Đã nhập 3 lần bán" in page
    # Confirming again (a double tap, the back button) imports nothing more.
    again = _portal(client, producer_a, data={"token": token})
    assert "Không tìm thấy tệp đã xem trước" in again.content.decode()
    assert sales.count() == 3


def test_bad_rows_are_listed_and_there_is_nothing_to_confirm(client, producer_a, farm_a):
    rows = vi_rows() + [["17/03/2026", "Mít", "0", "kg", "10.000", "", "", ""]]
    response = _portal(client, producer_a, data={"file": _file(rows)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<td>5</td><td>Số lượng</td><td>Số lượng phải lớn hơn 0.</td>" in body
    assert 'name="token"' not in body
    assert not Sale.objects.filter(producer=farm_a).exists()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("anh.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00", "không phải bảng tính XLSX"),
        ("anh.png", b"\x89PNG\r\n\x1a\n\x00\x00", "Chỉ nhận tệp CSV hoặc XLSX"),
        ("anh.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "UTF-8"),
    ],
)
def test_a_renamed_binary_gets_a_message_not_a_500(client, producer_a, name, data, message):
    response = _portal(client, producer_a, data={"file": _file(name=name, data=data)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_staff_entering_for_a_producer_import_as_staff(client, staff_x, farm_a):
    client.force_login(staff_x)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = farm_a.pk
    session.save()
    response = client.post(PORTAL_IMPORT, {"file": _file()}, HTTP_HOST=TANAN_HOST)
    client.post(PORTAL_IMPORT, {"token": _token(response)}, HTTP_HOST=TANAN_HOST)
    sales = Sale.objects.filter(producer=farm_a)
    assert set(sales.values_list("entered_by", "entered_by_staff")) == {(staff_x.pk, True)}


def test_a_preview_cannot_be_confirmed_for_another_producer(client, staff_x, farm_a, farm_b):
    client.force_login(staff_x)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = farm_a.pk
    session.save()
    token = _token(client.post(PORTAL_IMPORT, {"file": _file()}, HTTP_HOST=TANAN_HOST))
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = farm_b.pk  # switched producer before confirming
    session.save()
    response = client.post(PORTAL_IMPORT, {"token": token}, HTTP_HOST=TANAN_HOST, follow=True)
    assert "Không tìm thấy tệp đã xem trước" in response.content.decode()
    assert not Sale.objects.filter(producer__in=[farm_a, farm_b]).exists()


def test_another_users_preview_cannot_be_confirmed(client, producer_a, producer_b, farm_a,
                                                   farm_b):
    token = _token(_portal(client, producer_a, data={"file": _file()}))
    client.logout()
    _portal(client, producer_b, data={"token": token})
    assert not Sale.objects.filter(producer__in=[farm_a, farm_b]).exists()


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 302), ("buyer", 403), ("producer_other", 403), ("staff_y", 403),
     ("province", 403), ("staff_x", 302), ("superuser", 302)],
)
def test_outsiders_cannot_post_a_file_to_the_portal(client, role, status, request, farm_a):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(PORTAL_IMPORT, {"file": _file()}, HTTP_HOST=TANAN_HOST)
    assert response.status_code == status
    assert not Sale.objects.exists()


# --- Portal export ------------------------------------------------------------------------


def _record(farm, user, day, amount, name="Mít"):
    return sale_record(producer=farm, product_name=name, sold_on=datetime.date(2026, 3, day),
                       quantity=Decimal(1), unit="kg", unit_price_vnd=amount,
                       channel=Channel.MARKET, entered_by=user)


def test_portal_export_holds_only_the_producers_own_sales(client, producer_a, producer_b,
                                                          farm_a, farm_b):
    _record(farm_a, producer_a, 1, 100_000, "Lạp xưởng")
    _record(farm_a, producer_a, 20, 250_000, "Lạp xưởng")
    _record(farm_b, producer_b, 2, 999_000, "Gạo của B")
    response = _portal(client, producer_a, PORTAL_EXPORT, method="get",
                       data={"format": "csv", "date_from": "01/03/2026", "date_to": "10/03/2026"})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1:] == ["01/03/2026,Lạp xưởng,1,kg,100000,100000,\"Chợ, đại lý\","]
    response = _portal(client, producer_b, PORTAL_EXPORT, method="get", data={"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
                .iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Gạo của B"]


def test_portal_export_with_a_bad_period_shows_the_form_again(client, producer_a):
    response = _portal(client, producer_a, PORTAL_EXPORT, method="get",
                       data={"format": "csv", "date_from": "31/03/2026", "date_to": "01/03/2026"})
    assert response.status_code == 400
    assert "“Từ ngày” phải trước “Đến ngày”." in response.content.decode()


# --- Admin import -------------------------------------------------------------------------


def _admin_upload(client, user, producer, **file_kwargs):
    client.force_login(user)
    return client.post(reverse("revenue_import"),
                       {"producer": producer.pk, "file": _file(**file_kwargs)})


def test_staff_import_for_their_producer_in_the_admin(client, staff_x, farm_a):
    response = _admin_upload(client, staff_x, farm_a)
    assert response.status_code == 200
    response = client.post(reverse("revenue_import"), {"token": _token(response)})
    assert response.status_code == 302
    sales = Sale.objects.filter(producer=farm_a)
    assert sales.aggregate(t=Sum("amount_vnd"))["t"] == EXPECTED_TOTAL
    assert set(sales.values_list("entered_by", "entered_by_staff")) == {(staff_x.pk, True)}


@pytest.mark.parametrize("role,target", [("staff_x", "producer_other"), ("staff_y", "producer_a")])
def test_staff_cannot_import_for_another_communes_producer(client, request, role, target):
    farm = producer_for_user(request.getfixturevalue(target))
    response = _admin_upload(client, request.getfixturevalue(role), farm)
    assert response.status_code == 400
    assert "producer" in response.context["form"].errors
    assert not Sale.objects.exists()


def test_staff_cannot_confirm_another_staff_members_preview(client, staff_x, superuser, farm_a):
    token = _token(_admin_upload(client, superuser, farm_a))
    client.force_login(staff_x)
    client.post(reverse("revenue_import"), {"token": token})
    assert not Sale.objects.exists()


@pytest.mark.parametrize("role", ["producer_a", "producer_other", "province", "buyer"])
def test_only_staff_reach_the_admin_import(client, request, role, farm_a):
    response = _admin_upload(client, request.getfixturevalue(role), farm_a)
    assert response.status_code == 302
    assert not Sale.objects.exists()


# --- Admin export -------------------------------------------------------------------------


@pytest.fixture
def three_sales(producer_a, producer_b, producer_other, farm_a, farm_b):
    other = producer_for_user(producer_other)
    _record(farm_a, producer_a, 1, 100_000)
    _record(farm_b, producer_b, 2, 20_000)
    _record(other, producer_other, 3, 3_000)
    return farm_a, farm_b, other


def _admin_export(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("revenue_export"), {"format": "csv", **query})
    if response.status_code != 200:
        return response.status_code, None
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return 200, sorted(int(row[5]) for row in list(csv.reader(io.StringIO(text)))[1:])


@pytest.mark.parametrize(
    "role,query,expected",
    [
        ("staff_x", {}, [20_000, 100_000]),
        ("staff_y", {}, [3_000]),
        ("province", {}, [3_000, 20_000, 100_000]),
        ("superuser", {}, [3_000, 20_000, 100_000]),
        ("staff_x", {"producer": "farm_b"}, [20_000]),
        ("staff_x", {"producer": "other"}, None),
        ("staff_y", {"producer": "farm_a"}, None),
        ("province", {"producer": "other"}, [3_000]),
        ("staff_x", {"commune": "tanan"}, [20_000, 100_000]),
        ("staff_x", {"commune": "tamvu"}, None),
        ("province", {"commune": "tanan"}, [20_000, 100_000]),
    ],
)
def test_admin_export_holds_only_what_the_role_may_read(client, request, three_sales, tanan,
                                                       tamvu, role, query, expected):
    farms = dict(zip(("farm_a", "farm_b", "other"), three_sales, strict=True))
    params = {}
    if "producer" in query:
        params["producer"] = farms[query["producer"]].pk
    if "commune" in query:
        params["commune"] = {"tanan": tanan, "tamvu": tamvu}[query["commune"]].pk
    status, amounts = _admin_export(client, request.getfixturevalue(role), **params)
    if expected is None:
        assert status == 400
    else:
        assert (status, amounts) == (200, expected)


@pytest.mark.parametrize("role", ["producer_a", "producer_other", "buyer"])
def test_producers_and_buyers_cannot_export_in_the_admin(client, request, three_sales, role):
    status, _ = _admin_export(client, request.getfixturevalue(role))
    assert status == 302


@pytest.mark.parametrize(
    "role,import_item,export_item",
    [("staff_x", True, True), ("province", False, True), ("producer_a", False, False),
     ("superuser", True, True)],
)
def test_admin_menu_shows_import_and_export_to_those_who_may(client, request, role, import_item,
                                                             export_item):
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse("revenue_import") in html) is import_item
    assert (reverse("revenue_export") in html) is export_item
