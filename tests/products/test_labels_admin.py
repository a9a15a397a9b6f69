"""The admin label-sheet screen: who may print what, form errors, and the PDF it returns."""

import datetime

import pytest
from django.urls import reverse

from products import gs1, qr
from products.labels import MAX_LABELS, label_pdf_for, label_products_for_user
from products.models import Batch, ProductPage

from .label_pdf_tools import decoded_texts, page_count, pdf_text

URL = "/admin/qr-labels/"


def products_of(commune):
    return ProductPage.objects.descendant_of(commune).live().order_by("path")


def make_batch(product, lot_code="LX-2026-05"):
    batch = Batch(
        product=product,
        lot_code=lot_code,
        produced_on=datetime.date(2026, 5, 12),
        expires_on=datetime.date(2026, 8, 12),
    )
    batch.full_clean()
    batch.save()
    return batch


def post(client, user, data):
    client.force_login(user)
    return client.post(URL, data)


def test_url_is_the_named_admin_route():
    assert reverse("products_label_sheet") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_user_without_admin_access_is_turned_away(client, buyer):
    client.force_login(buyer)

    response = client.get(URL)

    assert response.status_code in (302, 403)
    assert response.get("Content-Type", "") != "application/pdf"


def test_province_officer_who_edits_no_product_is_sent_back_to_the_dashboard(client, province):
    client.force_login(province)

    response = client.get(URL)

    # Wagtail turns PermissionDenied in admin views into a redirect with an error message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_superuser_is_offered_every_live_product(client, superuser):
    client.force_login(superuser)

    response = client.get(URL)

    offered = set(response.context["form"].fields["products"].queryset.values_list("pk", flat=True))
    assert response.status_code == 200
    assert offered == set(ProductPage.objects.live().values_list("pk", flat=True))


def test_commune_staff_are_offered_only_their_communes_products(client, staff_x, tanan):
    client.force_login(staff_x)

    response = client.get(URL)

    offered = list(response.context["form"].fields["products"].queryset)
    assert response.status_code == 200
    assert offered == list(products_of(tanan))


def test_staff_of_another_commune_do_not_see_these_products(client, staff_y, tanan, tamvu):
    client.force_login(staff_y)

    offered = set(client.get(URL).context["form"].fields["products"].queryset)

    assert offered == set(products_of(tamvu))
    assert offered.isdisjoint(products_of(tanan))


def test_staff_cannot_print_another_communes_product_by_posting_its_id(client, staff_x, tamvu):
    foreign = products_of(tamvu).first()

    response = post(client, staff_x, {"products": [foreign.pk], "copies": 1, "layout": "2x5"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "products" in response.context["form"].errors


def test_producer_is_offered_only_own_products(client, producer_a, producer_b):
    own = set(label_products_for_user(producer_a))
    client.force_login(producer_a)

    offered = set(client.get(URL).context["form"].fields["products"].queryset)

    assert offered == own
    assert own
    assert own.isdisjoint(label_products_for_user(producer_b))
    assert all(product.get_parent().specific.phone == "0912345601" for product in own)


def test_empty_selection_shows_a_vietnamese_error_and_keeps_choices(client, staff_x):
    response = post(client, staff_x, {"copies": 7, "layout": "4x10", "cut_guides": "on"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Chọn ít nhất một sản phẩm hoặc lô hàng để in tem." in html
    assert 'value="7"' in html
    assert response.context["form"]["layout"].value() == "4x10"
    assert response.context["form"]["cut_guides"].value() is True


def test_too_many_labels_are_refused_with_a_vietnamese_error(client, staff_x, tanan):
    products = list(products_of(tanan)[:2])

    response = post(
        client,
        staff_x,
        {"products": [p.pk for p in products], "copies": MAX_LABELS, "layout": "4x10"},
    )

    assert response.status_code == 200
    assert f"Tối đa {MAX_LABELS} tem mỗi lần in" in response.content.decode()


def test_superuser_gets_a_pdf_attachment_named_with_layout_and_date(client, superuser, tanan):
    product = products_of(tanan).first()

    response = post(client, superuser, {"products": [product.pk], "copies": 1, "layout": "3x7"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="tem-qr-3x7-20')
    assert disposition.endswith('.pdf"')
    assert response.content.startswith(b"%PDF")


@pytest.mark.system  # poppler-utils reads the PDF back
def test_staff_pdf_decodes_to_each_chosen_products_short_link(client, staff_x, tanan):
    products = list(products_of(tanan)[:3])

    response = post(
        client, staff_x, {"products": [p.pk for p in products], "copies": 2, "layout": "2x5"}
    )

    expected = [qr.short_link(product).upper() for product in products]
    assert all(
        product.short_code and product.short_code in link
        for product, link in zip(products, expected, strict=True)
    )
    assert sorted(decoded_texts(response.content)) == sorted(expected * 2)


@pytest.mark.system  # poppler-utils reads the PDF back
def test_batch_label_decodes_to_the_batch_link_and_prints_lot_and_dates(client, staff_x, tanan):
    batch = make_batch(products_of(tanan).first())

    response = post(client, staff_x, {"batches": [batch.pk], "copies": 1, "layout": "3x7"})

    text = " ".join(pdf_text(response.content).split())
    assert decoded_texts(response.content) == [qr.short_link(batch).upper()]
    assert batch.short_code in qr.short_link(batch)
    assert "Lô LX-2026-05" in text
    assert "NSX 12/05/2026 · HSD 12/08/2026" in text


def test_staff_are_not_offered_batches_of_another_commune(client, staff_x, tanan, tamvu):
    own = make_batch(products_of(tanan).first())
    foreign = make_batch(products_of(tamvu).first())
    client.force_login(staff_x)

    offered = set(client.get(URL).context["form"].fields["batches"].queryset)

    assert own in offered
    assert foreign not in offered


@pytest.mark.system  # poppler-utils reads the PDF back
def test_digital_link_option_encodes_gs1_uri_for_products_with_a_gtin(client, staff_x, tanan):
    with_gtin, without_gtin = list(products_of(tanan)[:2])
    with_gtin.gtin = "893850000001" + str(gs1.check_digit("893850000001"))
    with_gtin.save()

    response = post(
        client,
        staff_x,
        {
            "products": [with_gtin.pk, without_gtin.pk],
            "copies": 1,
            "layout": "2x5",
            "digital_link": "on",
        },
    )

    decoded = sorted(decoded_texts(response.content))
    digital_link = qr.qr_text(with_gtin, digital_link=True)
    assert "/01/08938500000" in digital_link
    assert decoded == sorted([digital_link, qr.short_link(without_gtin).upper()])


def test_form_error_keeps_the_chosen_products_checked(client, staff_x, tanan):
    product = products_of(tanan).first()

    response = post(client, staff_x, {"products": [product.pk], "copies": 0, "layout": "2x5"})

    assert response.status_code == 200
    assert "Mỗi sản phẩm hoặc lô cần ít nhất 1 tem." in response.content.decode()
    assert response.context["form"]["products"].value() == [str(product.pk)]


@pytest.mark.system  # poppler-utils reads the PDF back
def test_producer_pdf_shows_product_producer_and_commune_in_vietnamese(client, producer_a):
    product = label_products_for_user(producer_a).first()

    response = post(client, producer_a, {"products": [product.pk], "copies": 1, "layout": "poster"})

    text = " ".join(pdf_text(response.content).split())
    assert page_count(response.content) == 1
    assert product.title in text
    assert product.get_parent().title in text
    assert "Phường Tân An, Tây Ninh" in text
    assert "Quét mã để xem nguồn gốc" in text


@pytest.mark.parametrize("count", [1, 6])
def test_pdf_request_queries_do_not_grow_with_products(
    client, superuser, django_assert_max_num_queries, count
):
    products = list(ProductPage.objects.live().order_by("path")[:count])
    client.force_login(superuser)

    with django_assert_max_num_queries(16):
        response = client.post(
            URL, {"products": [p.pk for p in products], "copies": 1, "layout": "4x10"}
        )

    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("role_user", "shown"),
    [("staff_x", True), ("producer_a", True), ("superuser", True), ("province", False)],
    indirect=["role_user"],
)
def test_menu_item_is_shown_only_to_users_who_can_print(client, role_user, shown):
    client.force_login(role_user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert (URL in html) is shown


@pytest.mark.system  # poppler-utils reads the PDF back
def test_label_pdf_for_prints_batches_without_products(tanan):
    batch = make_batch(products_of(tanan).first())

    pdf = label_pdf_for(batches=[batch], layout="4x10", copies=3)

    assert decoded_texts(pdf, dpi=300) == [qr.short_link(batch).upper()] * 3


def test_label_pdf_for_refuses_an_empty_selection(db):
    with pytest.raises(ValueError):
        label_pdf_for(products=[], batches=[], layout="2x5")


def test_page_bulk_action_opens_the_form_with_the_chosen_producers_products(client, staff_x, tanan):
    producer = ProductPage.objects.descendant_of(tanan).first().get_parent()
    bulk_url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "print_qr_labels"])
    client.force_login(staff_x)

    response = client.get(f"{bulk_url}?id={producer.pk}", follow=True)

    expected = [
        str(pk)
        for pk in ProductPage.objects.child_of(producer)
        .order_by("path")
        .values_list("pk", flat=True)
    ]
    assert response.redirect_chain[0][0].startswith(URL + "?product=")
    assert response.context["form"]["products"].value() == expected


@pytest.mark.system  # poppler-utils reads the PDF back
def test_every_demo_product_and_batch_label_decodes_on_the_smallest_layout(db):
    products = list(ProductPage.objects.live().order_by("path"))
    batches = list(Batch.objects.filter(product__in=products).select_related("product"))

    pdf = label_pdf_for(products=products, batches=batches, layout="4x10")

    decoded = []
    for page in range(1, page_count(pdf) + 1):
        decoded += decoded_texts(pdf, page=page, dpi=300)
    expected = [qr.short_link(item).upper() for item in [*products, *batches]]
    assert len(products) >= 10 and batches
    assert sorted(decoded) == sorted(expected)


BULK_URL = "/admin/bulk/wagtailcore/page/print_qr_labels/"


@pytest.mark.system  # reads the PDF back with poppler
def test_page_bulk_action_post_prints_the_chosen_producers_products(client, staff_x, tanan):
    producer = products_of(tanan).first().get_parent()
    client.force_login(staff_x)

    response = client.post(f"{BULK_URL}?id={producer.pk}", {"layout": "2x5", "copies": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    expected = [qr.short_link(p).upper() for p in ProductPage.objects.child_of(producer).live()]
    decoded = []
    for page in range(1, page_count(response.content) + 1):
        decoded += decoded_texts(response.content, page=page)
    assert expected and sorted(decoded) == sorted(expected)


@pytest.mark.system  # reads the PDF back with poppler
def test_page_bulk_action_post_by_the_owner_without_options_prints_the_default_sheet(
    client, producer_a
):
    own = label_products_for_user(producer_a).first()
    client.force_login(producer_a)

    response = client.post(f"{BULK_URL}?id={own.pk}")

    assert response["Content-Type"] == "application/pdf"
    assert "3x7" in response["Content-Disposition"]
    assert decoded_texts(response.content) == [qr.short_link(own).upper()]


@pytest.mark.parametrize("ids", ["id={other}", "id=999999", "id=abc", "id=all&childOf=x", ""])
def test_page_bulk_action_post_refuses_what_the_user_may_not_print_without_naming_it(
    client, producer_b, producer_a, ids
):
    other = label_products_for_user(producer_a).first()
    client.force_login(producer_b)

    response = client.post(f"{BULK_URL}?{ids.format(other=other.pk)}", follow=True)

    assert response.status_code == 200  # back on the dashboard, with Wagtail's refusal message
    assert response.get("Content-Type", "").startswith("text/html")
    assert other.title not in response.content.decode()


def test_page_bulk_action_post_over_the_label_limit_opens_the_form_instead(client, staff_x, tanan):
    client.force_login(staff_x)

    response = client.post(f"{BULK_URL}?id={tanan.pk}", {"copies": str(MAX_LABELS)})

    assert response.status_code == 302
    assert response["Location"].startswith(URL + "?product=")
