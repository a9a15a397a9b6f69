"""Admin: the QR panel on the product edit view and the scan report, for each role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from products.models import Scan

pytest_plugins = ["tests.products.qr_fixtures"]


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_edit_view_shows_qr_code_and_downloads(client, staff_x, product):
    response = _login(client, staff_x).get(reverse("wagtailadmin_pages:edit", args=[product.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'src="/q/{product.short_code}.svg"' in body
    assert f"/q/{product.short_code}.png?size=1200&amp;download=1" in body
    assert f"https://tanan.localhost/q/{product.short_code}" in body


def test_viewing_the_qr_panel_does_not_publish_or_save(client, staff_x, product):
    revisions = product.revisions.count()
    _login(client, staff_x).get(reverse("wagtailadmin_pages:edit", args=[product.pk]))
    assert product.revisions.count() == revisions


def test_staff_of_another_commune_cannot_open_the_edit_view(client, staff_y, product):
    response = _login(client, staff_y).get(reverse("wagtailadmin_pages:edit", args=[product.pk]))
    assert response.status_code in (302, 403)


@pytest.fixture
def scanned(product, other_product):
    for item in (product, other_product):
        Scan.objects.create(product=item, device="mobile", in_app="zalo", scanned_at=timezone.now())
    return product, other_product


@pytest.mark.parametrize(
    ("role_user", "sees_tanan", "sees_tamvu"),
    [
        ("staff_x", True, False),
        ("staff_y", False, True),
        ("producer_other", False, True),
        ("province", False, False),
        ("superuser", True, True),
    ],
    indirect=["role_user"],
)
def test_scan_report_lists_only_products_the_user_may_edit(
    client, role_user, sees_tanan, sees_tamvu, scanned
):
    tanan_product, tamvu_product = scanned
    response = _login(client, role_user).get(reverse("products_scan_report"))
    assert response.status_code == 200
    body = response.content.decode()
    assert (tanan_product.short_code in body) is sees_tanan
    assert (tamvu_product.short_code in body) is sees_tamvu


@pytest.mark.parametrize("role_user", ["anonymous", "buyer"], indirect=True)
def test_scan_report_needs_admin_access(client, role_user, scanned):
    response = _login(client, role_user).get(reverse("products_scan_report"))
    assert response.status_code in (302, 403)
    assert scanned[0].short_code not in response.content.decode()


def test_scan_report_by_day_counts_todays_scans(client, staff_x, scanned):
    product = scanned[0]
    Scan.objects.create(product=product, device="mobile", in_app="none")
    response = _login(client, staff_x).get(reverse("products_scan_report"), {"period": "day"})
    row = next(row for row in response.context["rows"] if row["product"].pk == product.pk)
    assert len(response.context["starts"]) == 14
    assert row["periods"][-1] == 2
    assert row["total"] == 2


def test_scan_report_by_week_has_eight_weeks(client, staff_x, scanned):
    response = _login(client, staff_x).get(reverse("products_scan_report"))
    assert len(response.context["starts"]) == 8
    assert all(start.weekday() == 0 for start in response.context["starts"])
