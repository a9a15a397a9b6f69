"""People's names in Vietnamese order, family name first, wherever a user's full name appears."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from producers.selectors import producer_for_user
from products.models import ProductPage
from tests.admin_form_data import post_page_edit

pytestmark = pytest.mark.django_db

VIETNAMESE, WESTERN = "Nguyễn Thị Tư", "Tư Nguyễn Thị"


def test_full_name_is_family_name_first(producer_a):
    assert (producer_a.first_name, producer_a.last_name) == ("Tư", "Nguyễn Thị")
    assert producer_a.get_full_name() == VIETNAMESE
    assert producer_a.get_short_name() == "Tư"


@pytest.mark.parametrize(
    ("first", "last", "full"),
    [
        ("Hương", "", "Hương"),
        ("", "Phạm", "Phạm"),
        ("", "", ""),
        ("Sáu", "Nguyễn Văn", "Nguyễn Văn Sáu"),
    ],
)
def test_a_missing_part_leaves_no_stray_space(first, last, full):
    assert get_user_model()(first_name=first, last_name=last).get_full_name() == full


@pytest.fixture
def submitted_product(client, producer_a):
    """Producer A's product, sent for approval by producer A in the admin."""
    product = ProductPage.objects.child_of(producer_for_user(producer_a)).order_by("path").first()
    client.force_login(producer_a)
    response = post_page_edit(client, product, producer_a, "submit", summary="Lạp xưởng mới")
    assert response.status_code == 302
    client.logout()
    return product


def admin_html(client, user, url):
    client.force_login(user)
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_dashboard_approval_list_names_the_producer_family_name_first(
    client, staff_x, submitted_product
):
    html = admin_html(client, staff_x, reverse("wagtailadmin_home"))
    assert submitted_product.title in html
    assert VIETNAMESE in html
    assert WESTERN not in html


def test_page_history_names_the_producer_family_name_first(client, staff_x, submitted_product):
    html = admin_html(
        client, staff_x, reverse("wagtailadmin_pages:history", args=[submitted_product.pk])
    )
    assert VIETNAMESE in html
    assert WESTERN not in html


def test_workflow_history_names_the_producer_family_name_first(client, staff_x, submitted_product):
    url = reverse("wagtailadmin_pages:workflow_history", args=[submitted_product.pk])
    html = admin_html(client, staff_x, url)
    assert VIETNAMESE in html
    assert WESTERN not in html


def test_users_listing_names_people_family_name_first(client, superuser):
    html = admin_html(client, superuser, reverse("wagtailusers_users:index") + "?q=0912345601")
    assert VIETNAMESE in html
    assert WESTERN not in html
