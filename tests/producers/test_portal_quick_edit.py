"""Quick edits from the portal: applied at once, beside moderation, validated, audit-logged."""

import re

import pytest
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry, WorkflowState

from producers.portal.services import product_quick_edit
from producers.selectors import producer_for_user
from products.models import ProductPage

TANAN_HOST = "tanan.localhost"


def first_product(user):
    return ProductPage.objects.child_of(producer_for_user(user)).order_by("title").first()


def form_data(product, **values):
    prefix = f"p{product.pk}"
    data = {
        "price_vnd": str(product.price_vnd or ""),
        "price_unit": product.price_unit,
        "in_stock": "1" if product.in_stock else "0",
        "season_months": [str(m) for m in product.season_months],
    }
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def post_quick_edit(client, product, **values):
    return client.post(
        reverse("portal:quick_edit", args=[product.pk]),
        form_data(product, **values),
        HTTP_HOST=TANAN_HOST,
    )


def public_html(client, product):
    client.logout()
    response = client.get(product.get_url_parts()[2], HTTP_HOST=TANAN_HOST)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def producer_client(client, producer_a):
    client.force_login(producer_a)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("35.000", 35000), ("35000", 35000), ("1.250.000", 1250000), (" 42 000 ", 42000)],
)
def test_price_typed_with_or_without_dots_is_saved_as_whole_dong(
    producer_client, producer_a, typed, stored
):
    product = first_product(producer_a)
    response = post_quick_edit(producer_client, product, price_vnd=typed)
    assert response.status_code == 302
    assert ProductPage.objects.get(pk=product.pk).price_vnd == stored


@pytest.mark.django_db
def test_new_price_shows_on_the_public_page_at_once(producer_client, producer_a):
    product = first_product(producer_a)
    post_quick_edit(producer_client, product, price_vnd="1.250.000")
    assert "1.250.000 ₫" in public_html(producer_client, product)


@pytest.mark.django_db
def test_stock_unit_and_season_are_published_at_once(producer_client, producer_a):
    product = first_product(producer_a)
    post_quick_edit(
        producer_client, product, in_stock="0", price_unit="kg", season_months=["6", "7"]
    )
    saved = ProductPage.objects.get(pk=product.pk)
    assert (saved.in_stock, saved.price_unit, saved.season_months) == (False, "kg", [6, 7])
    assert saved.live_revision_id == saved.latest_revision_id
    assert not saved.has_unpublished_changes
    html = public_html(producer_client, product)
    assert "Tạm hết hàng" in html
    assert "Tháng 6–7" in html


@pytest.mark.django_db
def test_empty_price_means_price_on_request(producer_client, producer_a):
    product = first_product(producer_a)
    post_quick_edit(producer_client, product, price_vnd="")
    assert ProductPage.objects.get(pk=product.pk).price_vnd is None
    assert "Giá liên hệ" in public_html(producer_client, product)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("abc", "Nhập giá bằng số nguyên đồng, ví dụ 35000 hoặc 35.000."),
        ("-5000", "Giá không được là số âm."),
        ("35,5", "Nhập giá bằng số nguyên đồng, ví dụ 35000 hoặc 35.000."),
        ("99999999999999999999", "Giá quá lớn: tối đa 1.000.000.000 đồng. Kiểm tra lại số 0."),
        ("0", "Giá phải lớn hơn 0 đồng. Nếu chưa có giá, hãy để trống"),
        ("000", "Giá phải lớn hơn 0 đồng. Nếu chưa có giá, hãy để trống"),
        ("0 đ", "Giá phải lớn hơn 0 đồng. Nếu chưa có giá, hãy để trống"),
    ],
)
def test_bad_price_shows_a_vietnamese_error_keeps_the_typed_value_and_saves_nothing(
    producer_client, producer_a, typed, error
):
    product = first_product(producer_a)
    response = post_quick_edit(producer_client, product, price_vnd=typed, in_stock="0")
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert f'value="{typed}"' in html
    # The other fields keep what was typed too: "out of stock" stays ticked.
    out_of_stock = re.search(rf'<input[^>]*name="p{product.pk}-in_stock" value="0"[^>]*>', html)
    assert out_of_stock and "checked" in out_of_stock.group(0)
    saved = ProductPage.objects.get(pk=product.pk)
    assert (saved.price_vnd, saved.in_stock) == (product.price_vnd, product.in_stock)
    assert saved.latest_revision_id == product.latest_revision_id


@pytest.mark.django_db
def test_unknown_unit_is_refused_with_a_vietnamese_error(producer_client, producer_a):
    product = first_product(producer_a)
    response = post_quick_edit(producer_client, product, price_unit="tấn")
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert ProductPage.objects.get(pk=product.pk).price_unit == product.price_unit


@pytest.mark.django_db
def test_quick_edit_is_recorded_in_the_audit_log_with_who_and_what(producer_client, producer_a):
    product = first_product(producer_a)
    post_quick_edit(producer_client, product, price_vnd="99.000")
    entry = PageLogEntry.objects.filter(page=product, action="portal.quick_edit").get()
    assert entry.user == producer_a
    assert entry.data["changes"]["price_vnd"] == {"old": product.price_vnd, "new": 99000}
    assert entry.data["entered_by"] is None
    assert log_registry.get_action_label("portal.quick_edit") == "Sửa nhanh từ cổng nhà sản xuất"


@pytest.mark.django_db
def test_staff_entering_for_a_household_is_recorded_as_entered_by(client, staff_x, producer_a):
    client.force_login(staff_x)
    producer = producer_for_user(producer_a)
    client.post("/portal/nhap-thay/", {"producer": producer.pk}, HTTP_HOST=TANAN_HOST)
    product = first_product(producer_a)
    response = post_quick_edit(client, product, price_vnd="77.000")
    assert response.status_code == 302
    assert ProductPage.objects.get(pk=product.pk).price_vnd == 77000
    entry = PageLogEntry.objects.filter(page=product, action="portal.quick_edit").get()
    assert entry.user == staff_x
    assert entry.data["entered_by"] == {"id": staff_x.pk, "username": staff_x.username}
    assert entry.data["producer"]["id"] == producer.pk


@pytest.mark.django_db
def test_saving_unchanged_values_makes_no_revision_and_no_log(producer_client, producer_a):
    product = first_product(producer_a)
    post_quick_edit(producer_client, product)
    assert ProductPage.objects.get(pk=product.pk).latest_revision_id == product.latest_revision_id
    assert not PageLogEntry.objects.filter(page=product, action="portal.quick_edit").exists()


def save_text_draft(product, user, title):
    # A fresh copy: get_latest_revision_as_object() returns the page itself when no draft exists.
    draft = ProductPage.objects.get(pk=product.pk).get_latest_revision_as_object()
    draft.title = title
    return draft.save_revision(user=user)


@pytest.mark.django_db
def test_quick_edit_beside_a_pending_draft_publishes_price_and_keeps_the_draft(
    producer_client, producer_a
):
    product = first_product(producer_a)
    save_text_draft(product, producer_a, "Tên mới chờ duyệt")
    post_quick_edit(producer_client, product, price_vnd="55.000")
    saved = ProductPage.objects.get(pk=product.pk)
    # Live: the new price, the old title.
    assert (saved.title, saved.price_vnd) == (product.title, 55000)
    assert saved.live_revision.as_object().price_vnd == 55000
    # Draft: the new title with the new price on top.
    assert saved.has_unpublished_changes
    draft = saved.get_latest_revision_as_object()
    assert (draft.title, draft.price_vnd) == ("Tên mới chờ duyệt", 55000)


@pytest.mark.django_db
def test_quick_edit_during_moderation_keeps_moderation_and_approval_keeps_the_new_price(
    producer_client, producer_a, staff_x
):
    product = first_product(producer_a)
    save_text_draft(product, producer_a, "Tên mới chờ duyệt")
    workflow = product.get_workflow()
    assert workflow is not None
    workflow.start(product, producer_a)

    post_quick_edit(producer_client, product, price_vnd="66.000")
    live = ProductPage.objects.get(pk=product.pk)
    assert (live.title, live.price_vnd) == (product.title, 66000)
    state = live.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS

    state.current_task_state.approve(user=staff_x)
    approved = ProductPage.objects.get(pk=product.pk)
    assert (approved.title, approved.price_vnd) == ("Tên mới chờ duyệt", 66000)
    assert not approved.has_unpublished_changes


@pytest.mark.django_db
def test_quick_edit_of_a_never_published_product_does_not_publish_it(producer_a):
    producer = producer_for_user(producer_a)
    draft = producer.add_child(
        instance=ProductPage(title="Sản phẩm mới", slug="san-pham-moi", live=False, price_vnd=1000)
    )
    draft.save_revision(user=producer_a)
    product_quick_edit(
        producer=producer,
        product=draft,
        user=producer_a,
        price_vnd=2000,
        price_unit="kg",
        in_stock=False,
        season_months=[3],
    )
    saved = ProductPage.objects.get(pk=draft.pk)
    assert not saved.live
    assert saved.price_vnd == 2000
    assert saved.get_latest_revision_as_object().price_vnd == 2000


@pytest.mark.django_db
def test_service_refuses_a_product_of_another_producer(producer_a, producer_b):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        product_quick_edit(
            producer=producer_for_user(producer_a),
            product=first_product(producer_b),
            user=producer_a,
            price_vnd=1,
            price_unit="kg",
            in_stock=True,
            season_months=[],
        )


@pytest.mark.django_db
def test_service_refuses_a_zero_price_and_saves_nothing(producer_a):
    from django.core.exceptions import ValidationError

    product = first_product(producer_a)
    with pytest.raises(ValidationError) as refused:
        product_quick_edit(
            producer=producer_for_user(producer_a),
            product=product,
            user=producer_a,
            price_vnd=0,
            price_unit=product.price_unit,
            in_stock=product.in_stock,
            season_months=list(product.season_months),
        )
    assert "Giá phải lớn hơn 0 đồng" in refused.value.message_dict["price_vnd"][0]
    saved = ProductPage.objects.get(pk=product.pk)
    assert (saved.price_vnd, saved.latest_revision_id) == (
        product.price_vnd,
        product.latest_revision_id,
    )


@pytest.mark.django_db
def test_opening_the_quick_edit_url_leads_back_to_the_product_on_the_portal(
    producer_client, producer_a
):
    product = first_product(producer_a)
    url = reverse("portal:quick_edit", args=[product.pk])
    response = producer_client.get(url, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/#san-pham-{product.pk}"
    assert producer_client.get(response["Location"], HTTP_HOST=TANAN_HOST).status_code == 200


@pytest.mark.django_db
def test_opening_the_quick_edit_url_of_another_producers_product_is_not_found(
    producer_client, producer_b
):
    product = first_product(producer_b)
    url = reverse("portal:quick_edit", args=[product.pk])
    assert producer_client.get(url, HTTP_HOST=TANAN_HOST).status_code == 404


@pytest.mark.django_db
def test_opening_the_quick_edit_url_logged_out_asks_to_log_in_and_comes_back(client, producer_a):
    product = first_product(producer_a)
    url = reverse("portal:quick_edit", args=[product.pk])
    response = client.get(url, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/dang-nhap/?next={url}"


@pytest.mark.django_db
def test_an_error_on_the_second_product_opens_the_page_at_that_product(producer_client, producer_a):
    products = list(ProductPage.objects.child_of(producer_for_user(producer_a)).order_by("title"))
    assert len(products) >= 2
    second = products[1]
    response = post_quick_edit(producer_client, second, price_vnd="0")
    html = response.content.decode()
    # The form posts to a URL ending in the product's anchor, so the browser opens the answer
    # there (tests/browser/test_rough_edges_browser.py); the wrong box says so.
    assert f'action="/portal/san-pham/{second.pk}/#san-pham-{second.pk}"' in html
    assert f'id="san-pham-{second.pk}"' in html
    box = re.search(rf'<input[^>]*name="p{second.pk}-price_vnd"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in box
