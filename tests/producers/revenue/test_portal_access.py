"""Every revenue view of the portal, as every role, with its own and another producer's ids.

Revenue is never public: only producer A (or staff of A's commune acting for A) reaches A's
sales; a foreign sale id is a 404 and changes nothing; nothing is ever stored in the page cache.
"""

import pytest
from django.urls import reverse

from producers.revenue.models import Sale

from .conftest import TANAN_HOST

pytestmark = pytest.mark.django_db

A_SECRET = "Mít Thái lô A bí mật"  # the free-text product name of A's sale
OK, LOGIN, ACT_FOR, FORBIDDEN, NOT_FOUND = 200, "login", "act_for", 403, 404

# role → how the portal answers it on tanan.localhost, for a view without an object id.
PORTAL = {
    "anonymous": LOGIN,
    "buyer": FORBIDDEN,
    "producer_a": OK,
    "producer_b": OK,
    "producer_other": FORBIDDEN,
    "staff_x_acting_a": OK,
    "staff_x": ACT_FOR,
    "staff_y": FORBIDDEN,
    "province": FORBIDDEN,
    "superuser": ACT_FOR,
}
# With producer A's sale id: producer B gets a 404, as if the sale did not exist.
PORTAL_A_SALE = {**PORTAL, "producer_b": NOT_FOUND}
LIST_VIEWS = ["portal:sales", "portal:revenue", "portal:baseline"]
SALE_VIEWS = ["portal:sale_edit", "portal:sale_delete"]


@pytest.fixture
def sale_a(farm_a, producer_a, record):
    return record(farm_a, producer_a, product_name=A_SECRET)


@pytest.fixture
def as_role(request, portal_client, farm_a):
    def login(role):
        if role == "staff_x_acting_a":
            return portal_client(request.getfixturevalue("staff_x"), acting_for=farm_a)
        if role == "anonymous":
            return portal_client(None)
        return portal_client(request.getfixturevalue(role))

    return login


def assert_answer(response, expected, path):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"/portal/dang-nhap/?next={path}"
    elif expected == ACT_FOR:
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:act_for")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", list(PORTAL))
@pytest.mark.parametrize("name", LIST_VIEWS + SALE_VIEWS)
def test_get_per_role_and_no_leak_of_producer_a_sales(as_role, sale_a, role, name):
    expect = PORTAL_A_SALE if name in SALE_VIEWS else PORTAL
    path = reverse(name, kwargs={"pk": sale_a.pk} if name in SALE_VIEWS else None)
    response = as_role(role).get(path, HTTP_HOST=TANAN_HOST)
    assert_answer(response, expect[role], path)
    body = response.content.decode()
    if role in ("producer_a", "staff_x_acting_a"):
        assert (A_SECRET in body) == (name != "portal:baseline")
    else:
        assert A_SECRET not in body
    if response.status_code == 200:
        # Private, never stored by a browser's or a proxy's cache.
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["producer_b", "producer_other", "staff_y", "buyer", "anonymous"])
def test_foreign_roles_cannot_edit_or_delete_producer_a_sale(as_role, sale_a, role):
    client = as_role(role)
    edit = client.post(
        reverse("portal:sale_edit", args=[sale_a.pk]),
        {"product_name": "Đổi", "sold_on": "2026-03-14", "quantity": "1", "unit": "kg",
         "unit_price_vnd": "1", "channel": "farm"},
        HTTP_HOST=TANAN_HOST,
    )
    delete = client.post(reverse("portal:sale_delete", args=[sale_a.pk]), HTTP_HOST=TANAN_HOST)
    for response in (edit, delete):
        assert response.status_code in (302, 403, 404)
        assert A_SECRET not in response.content.decode()
    sale = Sale.objects.get(pk=sale_a.pk)
    assert (sale.product_name, sale.amount_vnd) == (A_SECRET, sale_a.amount_vnd)


def test_producer_b_gets_404_for_a_sale_and_changes_nothing(as_role, sale_a):
    client = as_role("producer_b")
    for name in SALE_VIEWS:
        response = client.post(reverse(name, args=[sale_a.pk]), {}, HTTP_HOST=TANAN_HOST)
        assert response.status_code == 404
    assert Sale.objects.filter(pk=sale_a.pk, product_name=A_SECRET).exists()


def test_portal_revenue_is_not_served_on_the_showcase_host(as_role, sale_a):
    response = as_role("producer_a").get(reverse("portal:revenue"), HTTP_HOST="localhost")
    assert response.status_code == 404


@pytest.mark.parametrize("name", LIST_VIEWS + SALE_VIEWS)
def test_page_cache_on_never_stores_revenue(settings, as_role, sale_a, name):
    settings.PAGE_CACHE_ENABLED = True
    path = reverse(name, kwargs={"pk": sale_a.pk} if name in SALE_VIEWS else None)
    first = as_role("producer_a").get(path, HTTP_HOST=TANAN_HOST)
    assert first.status_code == 200
    # The page cache marks what it stored with "miss" and what it served with "hit".
    assert "X-Page-Cache" not in first
    assert "no-store" in first["Cache-Control"]
    # The same URL without the session: the login redirect, never a stored copy.
    as_role("anonymous").logout()
    again = as_role("anonymous").get(path, HTTP_HOST=TANAN_HOST)
    assert again.status_code == 302
    assert "X-Page-Cache" not in again
    assert A_SECRET not in again.content.decode()


@pytest.mark.parametrize("role", list(PORTAL))
def test_recording_a_sale_and_a_baseline_per_role(as_role, farm_a, farm_b, role):
    client = as_role(role)
    sale = client.post(
        reverse("portal:sales"),
        {"submission_key": "7a3c0b8e-2f7e-4d8a-9a53-1c2d3e4f5a6b", "product_name": "Ổi",
         "sold_on": "2026-03-14", "quantity": "1", "unit": "kg", "unit_price_vnd": "1000",
         "channel": "farm"},
        HTTP_HOST=TANAN_HOST,
    )
    baseline = client.post(
        reverse("portal:baseline"),
        {"reference_year": "2024", "mode": "nam", "yearly_vnd": "12.000.000"},
        HTTP_HOST=TANAN_HOST,
    )
    allowed = PORTAL[role] == OK
    assert sale.status_code == (302 if allowed else sale.status_code)
    assert Sale.objects.exists() == allowed
    if not allowed:
        assert sale.status_code in (302, 403) and baseline.status_code in (302, 403)
        assert sale.status_code == 403 or "/portal/dang-nhap/" in sale["Location"] or (
            sale["Location"] == reverse("portal:act_for")
        )
    else:
        recorded = Sale.objects.get()
        # Whoever is allowed records for the producer the portal resolved, never another.
        expected = farm_b if role == "producer_b" else farm_a
        assert recorded.producer_id == expected.pk
        assert recorded.entered_by_staff == (role == "staff_x_acting_a")
        assert baseline.status_code == 302
