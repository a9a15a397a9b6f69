"""The producer portal per role: who gets in on which host, and whose products they see and edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers.models import ProducerPage
from producers.portal.access import ACTING_FOR_SESSION_KEY
from producers.selectors import producer_for_user
from products.models import ProductPage

TANAN_HOST = "tanan.localhost"
HOME = "/portal/"


def products_of(user):
    return list(ProductPage.objects.child_of(producer_for_user(user)).order_by("title"))


def quick_edit_data(product, **overrides):
    prefix = f"p{product.pk}"
    data = {
        f"{prefix}-price_vnd": str(product.price_vnd or ""),
        f"{prefix}-price_unit": product.price_unit,
        f"{prefix}-in_stock": "1" if product.in_stock else "0",
        f"{prefix}-season_months": [str(m) for m in product.season_months],
    }
    data.update({f"{prefix}-{key}": value for key, value in overrides.items()})
    return data


@pytest.fixture
def as_user(client):
    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


# Anonymous


@pytest.mark.django_db
@pytest.mark.parametrize("path", [HOME, "/portal/nhap-thay/"])
def test_anonymous_is_sent_to_the_login_page(client, path):
    response = client.get(path, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/dang-nhap/?next={path}"


@pytest.mark.django_db
def test_anonymous_quick_edit_is_sent_to_login_and_changes_nothing(client, producer_a):
    product = products_of(producer_a)[0]
    response = client.post(
        reverse("portal:quick_edit", args=[product.pk]),
        quick_edit_data(product, price_vnd="1"),
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/dang-nhap/")
    assert ProductPage.objects.get(pk=product.pk).price_vnd == product.price_vnd


@pytest.mark.django_db
def test_portal_is_not_served_on_the_showcase_host(as_user, producer_a):
    assert as_user(producer_a).get(HOME, HTTP_HOST="localhost").status_code == 404


# Producers A and B of the same commune


@pytest.mark.django_db
def test_producer_a_sees_own_products_and_none_of_producer_b(as_user, producer_a, producer_b):
    response = as_user(producer_a).get(HOME, HTTP_HOST=TANAN_HOST)
    html = response.content.decode()
    assert response.status_code == 200
    for product in products_of(producer_a):
        assert product.title in html
    for product in products_of(producer_b):
        assert product.title not in html
    assert producer_for_user(producer_b).title not in html


@pytest.mark.django_db
def test_producer_b_sees_own_products_and_none_of_producer_a(as_user, producer_a, producer_b):
    html = as_user(producer_b).get(HOME, HTTP_HOST=TANAN_HOST).content.decode()
    for product in products_of(producer_b):
        assert product.title in html
    for product in products_of(producer_a):
        assert product.title not in html


@pytest.mark.django_db
def test_my_products_lists_drafts_as_well_as_live_products(as_user, producer_a):
    producer = producer_for_user(producer_a)
    draft = producer.add_child(
        instance=ProductPage(title="Lạp xưởng mai quế lộ (nháp)", slug="lx-nhap", live=False)
    )
    html = as_user(producer_a).get(HOME, HTTP_HOST=TANAN_HOST).content.decode()
    assert draft.title in html
    assert "Bản nháp, chưa đăng" in html


@pytest.mark.django_db
def test_producer_a_posting_to_producer_b_product_gets_404_and_changes_nothing(
    as_user, producer_a, producer_b
):
    product = products_of(producer_b)[0]
    response = as_user(producer_a).post(
        reverse("portal:quick_edit", args=[product.pk]),
        quick_edit_data(product, price_vnd="1", in_stock="0"),
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 404
    unchanged = ProductPage.objects.get(pk=product.pk)
    assert (unchanged.price_vnd, unchanged.in_stock) == (product.price_vnd, product.in_stock)
    assert unchanged.latest_revision_id == product.latest_revision_id


@pytest.mark.django_db
def test_quick_edit_of_a_product_page_that_is_not_a_product_of_anyone_is_404(as_user, producer_a):
    producer_page = producer_for_user(producer_a)
    response = as_user(producer_a).post(
        reverse("portal:quick_edit", args=[producer_page.pk]), {}, HTTP_HOST=TANAN_HOST
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_quick_edit_saves_on_post_and_leads_back_on_get_only(as_user, producer_a):
    """A GET (the address bar after an error) leads back to the product; nothing else is
    answered (issue 11)."""
    product = products_of(producer_a)[0]
    client = as_user(producer_a)
    url = reverse("portal:quick_edit", args=[product.pk])
    response = client.get(url, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#san-pham-{product.pk}")
    assert client.put(url, HTTP_HOST=TANAN_HOST).status_code == 405
    assert client.delete(url, HTTP_HOST=TANAN_HOST).status_code == 405


# A producer of another commune on this host


@pytest.mark.django_db
def test_producer_of_another_commune_is_refused_with_a_link_to_their_own_portal(
    as_user, producer_other, producer_a
):
    response = as_user(producer_other).get(HOME, HTTP_HOST=TANAN_HOST)
    html = response.content.decode()
    assert response.status_code == 403
    assert "http://tamvu.localhost/portal/" in html
    for product in products_of(producer_a) + products_of(producer_other):
        assert product.title not in html


@pytest.mark.django_db
def test_producer_of_another_commune_cannot_edit_a_product_of_this_commune(
    as_user, producer_other, producer_a
):
    product = products_of(producer_a)[0]
    response = as_user(producer_other).post(
        reverse("portal:quick_edit", args=[product.pk]),
        quick_edit_data(product, price_vnd="1"),
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 403
    assert ProductPage.objects.get(pk=product.pk).price_vnd == product.price_vnd


@pytest.mark.django_db
def test_producer_of_another_commune_uses_the_portal_on_their_own_host(as_user, producer_other):
    response = as_user(producer_other).get(HOME, HTTP_HOST="tamvu.localhost")
    assert response.status_code == 200
    assert products_of(producer_other)[0].title in response.content.decode()


# Staff of commune X, staff of commune Y, province officer, buyer


@pytest.mark.django_db
def test_staff_of_this_commune_is_asked_which_producer_to_act_for(as_user, staff_x):
    response = as_user(staff_x).get(HOME, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:act_for")


@pytest.mark.django_db
def test_act_for_lists_only_producers_of_the_staff_members_commune(as_user, staff_x, tamvu, tanan):
    html = as_user(staff_x).get("/portal/nhap-thay/", HTTP_HOST=TANAN_HOST).content.decode()
    for producer in ProducerPage.objects.descendant_of(tanan):
        assert producer.title in html
    for producer in ProducerPage.objects.descendant_of(tamvu):
        assert producer.title not in html


@pytest.mark.django_db
def test_staff_acting_for_a_producer_sees_that_producers_products(as_user, staff_x, producer_a):
    client = as_user(staff_x)
    producer = producer_for_user(producer_a)
    response = client.post("/portal/nhap-thay/", {"producer": producer.pk}, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    html = client.get(HOME, HTTP_HOST=TANAN_HOST).content.decode()
    assert "Bạn đang nhập thay cho" in html
    assert products_of(producer_a)[0].title in html


@pytest.mark.django_db
def test_staff_cannot_pick_a_producer_of_another_commune(as_user, staff_x, producer_other):
    client = as_user(staff_x)
    other = producer_for_user(producer_other)
    response = client.post("/portal/nhap-thay/", {"producer": other.pk}, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 200
    assert "Chọn một nhà sản xuất trong danh sách." in response.content.decode()
    assert ACTING_FOR_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_foreign_producer_in_the_staff_session_is_ignored(as_user, staff_x, producer_other):
    client = as_user(staff_x)
    session = client.session
    session[ACTING_FOR_SESSION_KEY] = producer_for_user(producer_other).pk
    session.save()
    response = client.get(HOME, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:act_for")


@pytest.mark.django_db
def test_staff_can_stop_acting_for_a_producer(as_user, staff_x, producer_a):
    client = as_user(staff_x)
    client.post(
        "/portal/nhap-thay/", {"producer": producer_for_user(producer_a).pk}, HTTP_HOST=TANAN_HOST
    )
    client.post("/portal/nhap-thay/thoi/", HTTP_HOST=TANAN_HOST)
    assert ACTING_FOR_SESSION_KEY not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_y", "province", "buyer"])
@pytest.mark.parametrize("path", [HOME, "/portal/nhap-thay/"])
def test_other_roles_are_refused_on_this_commune_portal(request, as_user, role, path, producer_a):
    response = as_user(request.getfixturevalue(role)).get(path, HTTP_HOST=TANAN_HOST)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền vào cổng này" in html
    assert products_of(producer_a)[0].title not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_y", "province", "buyer"])
def test_other_roles_cannot_quick_edit(request, as_user, role, producer_a):
    product = products_of(producer_a)[0]
    response = as_user(request.getfixturevalue(role)).post(
        reverse("portal:quick_edit", args=[product.pk]),
        quick_edit_data(product, price_vnd="1"),
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 403
    assert ProductPage.objects.get(pk=product.pk).price_vnd == product.price_vnd


# Query count


@pytest.mark.django_db
def test_my_products_query_count_does_not_grow_with_the_number_of_products(
    as_user, producer_a, django_assert_max_num_queries
):
    client = as_user(producer_a)
    client.get(HOME, HTTP_HOST=TANAN_HOST)  # warm the site and session caches
    assert len(products_of(producer_a)) == 2
    with CaptureQueriesContext(connection) as two_products:
        assert client.get(HOME, HTTP_HOST=TANAN_HOST).status_code == 200
    producer = producer_for_user(producer_a)
    for number in range(8):
        producer.add_child(
            instance=ProductPage(
                title=f"Sản phẩm thêm {number}", slug=f"them-{number}", price_vnd=1000
            )
        ).save_revision().publish()
    assert len(products_of(producer_a)) == 10
    with django_assert_max_num_queries(len(two_products)):
        assert client.get(HOME, HTTP_HOST=TANAN_HOST).status_code == 200
