"""Producers edit their own pages in the Wagtail admin; text and photo edits wait for staff."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from producers.selectors import producer_for_user
from products.models import ProductPage
from tests.admin_form_data import new_product_form_data, page_edit_form_data


@pytest.fixture
def product_a(producer_a):
    return ProductPage.objects.child_of(producer_for_user(producer_a)).order_by("path").first()


@pytest.fixture
def product_b(producer_b):
    return ProductPage.objects.child_of(producer_for_user(producer_b)).order_by("path").first()


def _submit(client, page, user, **changes):
    data = page_edit_form_data(page, user, **changes)
    data["action-submit"] = "1"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_producer_product_edit_starts_commune_workflow(client, producer_a, product_a):
    client.force_login(producer_a)
    response = _submit(client, product_a, producer_a, summary="Mô tả mới của nhà sản xuất")
    assert response.status_code == 302
    product_a.refresh_from_db()
    state = product_a.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.workflow.name == "Duyệt nội dung Phường Tân An"


def test_producer_product_edit_is_not_live_before_approval(client, producer_a, product_a):
    before = product_a.summary
    client.force_login(producer_a)
    _submit(client, product_a, producer_a, summary="Mô tả chờ duyệt")
    product_a.refresh_from_db()
    assert product_a.summary == before
    public = client.get(product_a.url, HTTP_HOST="tanan.localhost")
    assert "Mô tả chờ duyệt" not in public.content.decode()


def test_staff_approval_makes_producer_edit_live(client, producer_a, staff_x, product_a):
    client.force_login(producer_a)
    _submit(client, product_a, producer_a, summary="Mô tả đã duyệt")
    task_state = product_a.current_workflow_state.current_task_state
    client.force_login(staff_x)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action", args=[product_a.pk, "approve", task_state.pk]
        ),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    product_a.refresh_from_db()
    assert product_a.summary == "Mô tả đã duyệt"


def test_producer_cannot_publish_directly(client, producer_a, product_a):
    before = product_a.summary
    client.force_login(producer_a)
    data = page_edit_form_data(product_a, producer_a, summary="Tự xuất bản")
    data["action-publish"] = "1"
    client.post(reverse("wagtailadmin_pages:edit", args=[product_a.pk]), data)
    product_a.refresh_from_db()
    assert product_a.summary == before
    assert not product_a.permissions_for_user(producer_a).can_publish()


def test_producer_cannot_open_other_producers_product(client, producer_a, product_b):
    client.force_login(producer_a)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[product_b.pk]))
    assert response.status_code in (302, 403)
    assert response.status_code != 200


def test_producer_cannot_save_other_producers_product(client, producer_a, product_b):
    before = product_b.get_latest_revision_as_object().summary
    client.force_login(producer_a)
    data = page_edit_form_data(product_b, producer_a, summary="Sửa trộm")
    client.post(reverse("wagtailadmin_pages:edit", args=[product_b.pk]), data)
    latest = Page.objects.get(pk=product_b.pk).specific.get_latest_revision_as_object()
    assert latest.summary == before


def test_staff_can_publish_in_own_commune(client, staff_x, product_a):
    client.force_login(staff_x)
    data = page_edit_form_data(product_a, staff_x, summary="Cán bộ xã sửa")
    data["action-publish"] = "1"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[product_a.pk]), data)
    assert response.status_code == 302
    product_a.refresh_from_db()
    assert product_a.summary == "Cán bộ xã sửa"


def test_staff_can_add_and_publish_a_product_for_a_producer(client, staff_x, product_a):
    producer = product_a.get_parent()
    client.force_login(staff_x)
    data = new_product_form_data(
        title="Rau muống Tân An", slug="rau-muong-tan-an", price_vnd="15000", in_stock="on"
    )
    data["action-publish"] = "1"
    url = reverse("wagtailadmin_pages:add", args=["products", "productpage", producer.pk])
    response = client.post(url, data, HTTP_HOST="localhost")
    assert response.status_code == 302
    created = ProductPage.objects.get(slug="rau-muong-tan-an")
    assert created.live and created.get_parent().pk == producer.pk
    client.logout()
    public = client.get(created.url, HTTP_HOST="tanan.localhost")
    assert public.status_code == 200
    assert "15.000 ₫" in public.content.decode()
