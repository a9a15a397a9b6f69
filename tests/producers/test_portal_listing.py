"""The whole listing from the portal: texts, photos and new products, through moderation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, Revision, WorkflowState

from producers.portal.services import product_photo_ids, product_texts
from producers.roles import producer_collection
from producers.selectors import producer_for_user
from products.models import ProductCategory, ProductPage
from tests.phone_photos import GPS_IFD, MAKE, ORIENTATION, is_red, phone_heic, phone_jpeg

TANAN_HOST = "tanan.localhost"
NEW = "/portal/san-pham/moi/"


def edit_url(product):
    return f"/portal/san-pham/{product.pk}/sua/"


def products_of(user):
    return ProductPage.objects.child_of(producer_for_user(user)).order_by("title", "pk")


def fresh(product):
    return ProductPage.objects.get(pk=product.pk)


def jpeg_upload(name="anh.jpg", **kwargs):
    kwargs.setdefault("width", 800)
    kwargs.setdefault("height", 600)
    return SimpleUploadedFile(name, phone_jpeg(**kwargs), content_type="image/jpeg")


def form_data(product, **changes):
    texts = product_texts(product.get_latest_revision_as_object())
    data = {"summary": product.summary, **texts}
    data.update(changes)
    return data


def post_edit(client, product, **changes):
    return client.post(edit_url(product), form_data(product, **changes), HTTP_HOST=TANAN_HOST)


def approve(client, staff, page):
    task_state = page.current_workflow_state.current_task_state
    client.force_login(staff)
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )


def reject(client, staff, page, comment):
    task_state = page.current_workflow_state.current_task_state
    client.force_login(staff)
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]),
        {"comment": comment},
    )


def act_for(client, staff, producer_user):
    client.force_login(staff)
    client.post(
        "/portal/nhap-thay/",
        {"producer": producer_for_user(producer_user).pk},
        HTTP_HOST=TANAN_HOST,
    )


# --- Who may open and post what ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,expected",
    [
        ("buyer", 403),
        ("producer_other", 403),  # a producer of Xã Tầm Vu on Tân An's host
        ("staff_y", 403),
        ("province", 403),
    ],
)
def test_other_roles_are_refused_and_see_nothing(request, client, producer_a, role, expected):
    product = products_of(producer_a).first()
    client.force_login(request.getfixturevalue(role))
    for url in (edit_url(product), NEW):
        response = client.get(url, HTTP_HOST=TANAN_HOST)
        assert response.status_code == expected
        assert product.title not in response.content.decode()
    before = Revision.objects.count()
    response = client.post(edit_url(product), {"summary": "Chiếm"}, HTTP_HOST=TANAN_HOST)
    assert response.status_code == expected
    assert Revision.objects.count() == before


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, producer_a):
    product = products_of(producer_a).first()
    for url in (edit_url(product), NEW):
        response = client.get(url, HTTP_HOST=TANAN_HOST)
        assert response["Location"] == f"/portal/dang-nhap/?next={url}"


@pytest.mark.django_db
def test_commune_staff_are_sent_to_pick_a_producer_first(client, staff_x, producer_a):
    client.force_login(staff_x)
    response = client.get(edit_url(products_of(producer_a).first()), HTTP_HOST=TANAN_HOST)
    assert response["Location"] == "/portal/nhap-thay/"


@pytest.mark.django_db
def test_producer_opens_own_product_and_not_another_producers(client, producer_a, producer_b):
    own, foreign = products_of(producer_a).first(), products_of(producer_b).first()
    client.force_login(producer_a)
    response = client.get(edit_url(own), HTTP_HOST=TANAN_HOST)
    assert response.status_code == 200
    assert own.title in response.content.decode()
    response = client.get(edit_url(foreign), HTTP_HOST=TANAN_HOST)
    assert response.status_code == 404
    assert foreign.title not in response.content.decode()


@pytest.mark.django_db
def test_producer_b_cannot_change_producer_as_product(client, producer_a, producer_b):
    foreign = products_of(producer_a).first()
    client.force_login(producer_b)
    before = Revision.objects.count()
    response = post_edit(client, foreign, summary="Của B")
    assert response.status_code == 404
    assert Revision.objects.count() == before
    assert fresh(foreign).get_latest_revision_as_object().summary != "Của B"


@pytest.mark.django_db
def test_staff_acting_for_a_producer_edit_its_products_only(
    client, staff_x, producer_a, producer_b
):
    act_for(client, staff_x, producer_a)
    own, foreign = products_of(producer_a).first(), products_of(producer_b).first()
    assert client.get(edit_url(foreign), HTTP_HOST=TANAN_HOST).status_code == 404
    response = post_edit(client, own, summary="Cán bộ nhập thay")
    assert response.status_code == 302
    entry = PageLogEntry.objects.get(page=own, action="portal.product_edit")
    assert entry.user == staff_x
    assert entry.data["entered_by"] == {"id": staff_x.pk, "username": staff_x.username}


@pytest.mark.django_db
def test_a_photo_of_another_producer_cannot_be_moved_or_removed(client, producer_a, producer_b):
    own = products_of(producer_a).first()
    foreign_image_id = products_of(producer_b).first().image_id
    client.force_login(producer_a)
    before = Revision.objects.count()
    for action in ("main", "up", "down", "remove"):
        data = form_data(own, summary="Chữ đã gõ", photo=f"{action}:{foreign_image_id}")
        response = client.post(edit_url(own), data, HTTP_HOST=TANAN_HOST)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Ảnh này không còn trong sản phẩm" in html
        assert "Chữ đã gõ" in html  # the typed text is kept
    assert Revision.objects.count() == before


@pytest.mark.django_db
def test_the_photos_of_one_product_are_not_shown_to_another_producer(
    client, producer_a, producer_b
):
    own = products_of(producer_a).first()
    client.force_login(producer_a)
    post_edit(client, own, gallery_photo=jpeg_upload("bi-mat.jpg"))
    new_image = get_image_model().objects.get(
        pk=product_photo_ids(fresh(own).get_latest_revision_as_object())[-1]
    )
    client.force_login(producer_b)
    for product in products_of(producer_b):
        html = client.get(edit_url(product), HTTP_HOST=TANAN_HOST).content.decode()
        assert new_image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] not in html
    # And the admin's image library keeps it to producer A (and the commune's staff).
    assert new_image.collection == producer_collection(producer_for_user(producer_a))
    assert client.get(f"/admin/images/{new_image.pk}/").status_code in (302, 403)


# --- Texts go through moderation -----------------------------------------------------


@pytest.mark.django_db
def test_text_edit_waits_for_approval_and_staff_approval_publishes_it(client, producer_a, staff_x):
    product = products_of(producer_a).first()
    live_summary = product.summary
    client.force_login(producer_a)
    response = post_edit(
        client,
        product,
        summary="Lạp xưởng ít mỡ, ướp rượu mai quế lộ.",
        story_text="Làm tay mỗi sáng.\r\n\r\nPhơi nắng ba ngày.",
        packaging="Gói 500 g",
    )
    assert response.status_code == 302
    page = fresh(product)
    assert page.summary == live_summary  # the live page keeps the old text
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    public = client.get(page.url, HTTP_HOST=TANAN_HOST).content.decode()
    assert "ướp rượu mai quế lộ" not in public

    approve(client, staff_x, page)
    page = fresh(product)
    assert page.summary == "Lạp xưởng ít mỡ, ướp rượu mai quế lộ."
    assert product_texts(page) == {
        "story_text": "Làm tay mỗi sáng.\n\nPhơi nắng ba ngày.",
        "packaging": "Gói 500 g",
    }
    client.logout()
    public = client.get(page.url, HTTP_HOST=TANAN_HOST).content.decode()
    assert "Phơi nắng ba ngày." in public and "Gói 500 g" in public


@pytest.mark.django_db
def test_an_edit_while_waiting_restarts_moderation_so_staff_never_approve_it_unseen(
    client, producer_a, staff_x
):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    post_edit(client, product, summary="Bản staff đã xem")
    seen = fresh(product).current_workflow_state.current_task_state
    post_edit(client, fresh(product), summary="Bản sửa sau")
    client.force_login(staff_x)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[product.pk, "approve", seen.pk]),
        {"comment": ""},
    )
    assert response.status_code in (302, 403)  # refused: the task staff looked at was replaced
    assert fresh(product).summary == product.summary  # nothing published
    state = fresh(product).current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.revision == fresh(product).get_latest_revision()
    approve(client, staff_x, fresh(product))
    assert fresh(product).summary == "Bản sửa sau"


@pytest.mark.django_db
def test_story_and_packaging_replace_their_blocks_and_keep_the_others(client, producer_a):
    product = products_of(producer_a).first()
    kinds_before = [block.block_type for block in product.description]
    client.force_login(producer_a)
    post_edit(client, product, story_text="Một đoạn mới.", packaging="Hộp 1 kg")
    draft = fresh(product).get_latest_revision_as_object()
    assert [block.block_type for block in draft.description] == kinds_before
    assert product_texts(draft) == {"story_text": "Một đoạn mới.", "packaging": "Hộp 1 kg"}


@pytest.mark.django_db
def test_changing_only_the_packaging_keeps_the_story_as_the_admin_wrote_it(client, producer_a):
    product = products_of(producer_a).first()
    product.description = [
        ("paragraph", '<p>Có <b>đậm</b> và <a href="https://example.vn/">liên kết</a>.</p>'),
        ("paragraph", "<p>Đoạn hai.</p>"),
        ("fact", {"label": "Quy cách", "value": "Gói 500 g"}),
    ]
    product.save_revision().publish()
    client.force_login(producer_a)
    post_edit(client, fresh(product), packaging="Gói 1 kg")
    draft = fresh(product).get_latest_revision_as_object()
    assert [(b.block_type, getattr(b.value, "source", None)) for b in draft.description][:2] == [
        ("paragraph", '<p>Có <b>đậm</b> và <a href="https://example.vn/">liên kết</a>.</p>'),
        ("paragraph", "<p>Đoạn hai.</p>"),
    ]
    assert product_texts(draft)["packaging"] == "Gói 1 kg"


@pytest.mark.django_db
def test_unchanged_form_makes_no_revision(client, producer_a):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    before = Revision.objects.count()
    response = post_edit(client, product)
    assert response.status_code == 302
    assert Revision.objects.count() == before


@pytest.mark.django_db
def test_rejection_shows_the_staff_comment_and_a_new_edit_resumes_moderation(
    client, producer_a, staff_x
):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    post_edit(client, product, summary="Ngon nhất tỉnh")
    reject(client, staff_x, fresh(product), "Bỏ chữ “nhất tỉnh”, chưa có chứng nhận.")
    assert fresh(product).current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    client.force_login(producer_a)
    for url in ("/portal/", edit_url(product)):
        html = client.get(url, HTTP_HOST=TANAN_HOST).content.decode()
        assert "Xã yêu cầu sửa" in html
        assert "Bỏ chữ “nhất tỉnh”, chưa có chứng nhận." in html

    post_edit(client, product, summary="Ngon, làm tay")
    state = fresh(product).current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    html = client.get("/portal/", HTTP_HOST=TANAN_HOST).content.decode()
    assert "Đang chờ xã duyệt" in html and "nhất tỉnh" not in html


@pytest.mark.django_db
def test_text_too_long_is_refused_in_vietnamese_and_kept(client, producer_a):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    response = post_edit(client, product, summary="x" * 201, story_text="Câu chuyện đã gõ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "tối đa 200" in html or "nhiều nhất 200" in html
    assert "Câu chuyện đã gõ" in html


# --- Photos ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_phone_photo_is_turned_upright_shrunk_and_loses_its_location(client, producer_a):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    upload = SimpleUploadedFile("IMG_2041.jpg", phone_jpeg(), content_type="image/jpeg")
    assert upload.size > 10 * 1024 * 1024  # a real 12 MP phone photo's weight
    response = post_edit(client, product, camera_photo=upload)
    assert response.status_code == 302
    draft = fresh(product).get_latest_revision_as_object()
    image = get_image_model().objects.get(pk=product_photo_ids(draft)[-1])
    with image.open_file() as stored, PILImage.open(stored) as picture:
        picture.load()
        assert picture.size == (1920, 2560)  # portrait: the EXIF rotation was applied
        assert is_red(picture.getpixel((picture.width // 2, 10)))  # the left edge is on top
        assert not is_red(picture.getpixel((picture.width // 2, picture.height - 10)))
        exif = picture.getexif()
        assert ORIENTATION not in exif
        assert dict(exif.get_ifd(GPS_IFD)) == {}
        assert "exif" not in picture.info and "xmp" not in picture.info
    assert (image.width, image.height) == (1920, 2560)
    assert image.file.size < 3 * 1024 * 1024
    assert image.collection == producer_collection(producer_for_user(producer_a))


@pytest.mark.django_db
def test_an_iphone_heic_photo_is_stored_as_an_upright_jpeg_without_its_location(
    client, producer_a
):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    upload = SimpleUploadedFile("IMG_3107.HEIC", phone_heic(), content_type="image/heic")
    response = post_edit(client, product, camera_photo=upload)
    assert response.status_code == 302
    draft = fresh(product).get_latest_revision_as_object()
    image = get_image_model().objects.get(pk=product_photo_ids(draft)[-1])
    assert image.file.name.endswith(".jpg")
    with image.open_file() as stored, PILImage.open(stored) as picture:
        picture.load()
        assert picture.format == "JPEG"
        assert picture.size == (600, 800)
        assert is_red(picture.getpixel((picture.width // 2, 10)))
        assert not is_red(picture.getpixel((picture.width // 2, picture.height - 10)))
        exif = picture.getexif()
        assert MAKE not in exif and dict(exif.get_ifd(GPS_IFD)) == {}
        assert "exif" not in picture.info and "xmp" not in picture.info
    assert (image.width, image.height) == (600, 800)


@pytest.mark.django_db
def test_photo_actions_reorder_choose_main_and_remove(client, producer_a):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    post_edit(
        client, product, camera_photo=jpeg_upload("a.jpg"), gallery_photo=jpeg_upload("b.jpg")
    )
    ids = product_photo_ids(fresh(product).get_latest_revision_as_object())
    assert len(ids) == 3 and ids[0] == product.image_id
    main, first_new, second_new = ids

    def photos_after(action):
        response = client.post(
            edit_url(product), form_data(fresh(product), photo=action), HTTP_HOST=TANAN_HOST
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#anh")
        return product_photo_ids(fresh(product).get_latest_revision_as_object())

    assert photos_after(f"main:{second_new}") == [second_new, main, first_new]
    assert photos_after(f"down:{second_new}") == [main, second_new, first_new]
    assert photos_after(f"up:{first_new}") == [main, first_new, second_new]
    assert photos_after(f"remove:{main}") == [first_new, second_new]
    assert fresh(product).image_id == main  # the live page keeps its photo until approval
    assert get_image_model().objects.filter(pk=main).exists()  # removed, not deleted


@pytest.mark.django_db
def test_approved_photo_becomes_the_public_main_photo(client, producer_a, staff_x):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    post_edit(client, product, camera_photo=jpeg_upload())
    new_id = product_photo_ids(fresh(product).get_latest_revision_as_object())[-1]
    client.post(
        edit_url(product), form_data(fresh(product), photo=f"main:{new_id}"), HTTP_HOST=TANAN_HOST
    )
    approve(client, staff_x, fresh(product))
    assert fresh(product).image_id == new_id


def _bad_upload_response(client, product, upload):
    return post_edit(client, product, summary="Chữ vẫn còn", gallery_photo=upload)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,message",
    [
        ("anh.jpg", b"day khong phai anh", "không phải là ảnh"),
        ("anh.pdf", b"%PDF-1.4 tai lieu", "không phải là ảnh"),
        ("anh.gif", "GIF", "Chỉ nhận ảnh JPG, PNG, WebP hoặc HEIC"),
        ("anh.heic", "PNG", "thật ra là ảnh PNG"),
        ("anh.heic", b"day khong phai anh", "không phải là ảnh"),
        # Whole headers with the picture cut off (an upload broken off on 3G).
        ("anh.heic", phone_heic()[:600], "không phải là ảnh"),
        ("anh.jpg", phone_jpeg(400, 300)[:3000], "không phải là ảnh"),
        ("anh.jpg", "PNG", "thật ra là ảnh PNG"),
        ("anh.jpg", b"", "Tệp ảnh trống"),
    ],
)
def test_bad_uploads_get_a_vietnamese_error_and_keep_the_typed_text(
    client, producer_a, name, content, message
):
    if isinstance(content, str):  # a real image of that format (a PNG renamed .jpg)
        buffer = io.BytesIO()
        PILImage.new("RGB", (20, 20)).save(buffer, format=content)
        content = buffer.getvalue()
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    before = (Revision.objects.count(), get_image_model().objects.count())
    response = _bad_upload_response(client, product, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="Chữ vẫn còn"' in html
    assert (Revision.objects.count(), get_image_model().objects.count()) == before


@pytest.mark.django_db
def test_a_photo_over_20_mb_is_refused_with_its_size(client, producer_a):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    huge = phone_jpeg(400, 300) + b"\0" * (21 * 1024 * 1024)  # a JPEG with trailing bytes
    response = _bad_upload_response(client, product, SimpleUploadedFile("to.jpg", huge))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ảnh quá lớn" in html and "20" in html
    assert 'value="Chữ vẫn còn"' in html


@pytest.mark.django_db
def test_no_more_than_thirteen_photos(client, producer_a, monkeypatch):
    monkeypatch.setattr("producers.portal.forms.MAX_PHOTOS", 2)
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    response = post_edit(client, product, camera_photo=jpeg_upload(), gallery_photo=jpeg_upload())
    assert response.status_code == 400
    assert "tối đa 2 ảnh" in response.content.decode()


# --- A new product -----------------------------------------------------------------------


def propose_data(**changes):
    data = {
        "title": "Kẹo dừa nướng lá dứa",
        "category": ProductCategory.objects.first().pk,
        "price_vnd": "45.000",
        "price_unit": "goi",
        "summary": "Bánh tráng phơi sương dẻo, làm thủ công.",
        "story_text": "Phơi một đêm sương.",
        "packaging": "Gói 10 bánh",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_proposed_product_is_an_unpublished_draft_in_the_communes_moderation(
    client, producer_a, staff_x
):
    client.force_login(producer_a)
    response = client.post(NEW, propose_data(camera_photo=jpeg_upload()), HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302
    page = ProductPage.objects.get(title="Kẹo dừa nướng lá dứa")
    assert response["Location"] == f"/portal/#san-pham-{page.pk}"
    assert page.get_parent().pk == producer_for_user(producer_a).pk
    assert page.slug == "keo-dua-nuong-la-dua"
    assert not page.live and page.price_vnd == 45000 and page.image_id is not None
    assert product_texts(page) == {"story_text": "Phơi một đêm sương.", "packaging": "Gói 10 bánh"}
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Duyệt nội dung Phường Tân An"
    assert PageLogEntry.objects.filter(page=page, action="portal.product_propose").exists()
    html = client.get("/portal/", HTTP_HOST=TANAN_HOST).content.decode()
    assert "Kẹo dừa nướng lá dứa" in html and "Đang chờ xã duyệt" in html
    assert client.get(page.url or "/x/", HTTP_HOST=TANAN_HOST).status_code == 404

    approve(client, staff_x, page)
    page = fresh(page)
    assert page.live
    client.logout()
    assert client.get(page.url, HTTP_HOST=TANAN_HOST).status_code == 200


@pytest.mark.django_db
def test_a_second_product_of_the_same_name_gets_its_own_slug(client, producer_a):
    client.force_login(producer_a)
    client.post(NEW, propose_data(), HTTP_HOST=TANAN_HOST)
    client.post(NEW, propose_data(), HTTP_HOST=TANAN_HOST)
    slugs = sorted(
        ProductPage.objects.filter(title="Kẹo dừa nướng lá dứa").values_list("slug", flat=True)
    )
    assert slugs == ["keo-dua-nuong-la-dua", "keo-dua-nuong-la-dua-2"]


@pytest.mark.django_db
def test_proposal_errors_are_vietnamese_and_keep_what_was_typed(client, producer_a):
    client.force_login(producer_a)
    before = ProductPage.objects.count()
    response = client.post(
        NEW,
        propose_data(
            title="",
            category="999999",
            price_vnd="abc",
            gallery_photo=SimpleUploadedFile("x.jpg", b"khong phai anh"),
        ),
        HTTP_HOST=TANAN_HOST,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhập giá bằng số nguyên đồng" in html
    assert "không phải là ảnh" in html
    assert "Phơi một đêm sương." in html
    assert ProductPage.objects.count() == before


# --- Admin dashboard, query counts ------------------------------------------------------


@pytest.mark.django_db
def test_producer_dashboard_links_the_portal_and_lists_own_products_with_their_state(
    client, producer_a, producer_b
):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    post_edit(client, product, summary="Chờ duyệt trên bảng điều khiển")
    html = client.get("/admin/").content.decode()
    assert "http://tanan.localhost/portal/" in html
    for own in products_of(producer_a):
        assert own.title in html
    assert "Đang chờ xã duyệt" in html
    for foreign in products_of(producer_b):
        assert foreign.title not in html


@pytest.mark.django_db
def test_staff_dashboard_has_no_producer_panel(client, staff_x):
    client.force_login(staff_x)
    html = client.get("/admin/").content.decode()
    assert "Mở cổng nhà sản xuất" not in html


def _portal_home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/portal/", HTTP_HOST=TANAN_HOST).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_portal_home_queries_do_not_grow_with_products_or_their_moderation(client, producer_a):
    client.force_login(producer_a)
    _portal_home_queries(client)  # warm renditions and site caches
    before = _portal_home_queries(client)
    for number in range(4):
        client.post(
            NEW,
            propose_data(title=f"Sản phẩm thử {number}", camera_photo=jpeg_upload()),
            HTTP_HOST=TANAN_HOST,
        )
    for product in products_of(producer_a)[:2]:
        post_edit(client, product, summary=f"Đổi {product.pk}")
    _portal_home_queries(client)
    assert _portal_home_queries(client) == before


def _edit_page_queries(client, product):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(edit_url(product), HTTP_HOST=TANAN_HOST).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_product_edit_page_thumbnails_take_one_query_however_many_photos(client, producer_a):
    product = products_of(producer_a).first()
    client.force_login(producer_a)
    post_edit(client, product, camera_photo=jpeg_upload())
    _edit_page_queries(client, product)  # make the thumbnails' renditions
    before = _edit_page_queries(client, product)
    post_edit(client, fresh(product), camera_photo=jpeg_upload(), gallery_photo=jpeg_upload())
    post_edit(client, fresh(product), camera_photo=jpeg_upload(), gallery_photo=jpeg_upload())
    assert len(product_photo_ids(fresh(product).get_latest_revision_as_object())) == 6
    _edit_page_queries(client, product)
    after = _edit_page_queries(client, product)

    def renditions(queries):
        return [sql for sql in queries if 'FROM "wagtailimages_rendition"' in sql]

    assert len(renditions(after)) == len(renditions(before)) == 1  # all thumbnails at once
    # Wagtail's revision loading checks that each gallery photo's image and page still
    # exist (modelcluster's check_fks): two queries a photo, capped by MAX_PHOTOS (13).
    assert len(after) - len(before) == 2 * 4
