"""Photos uploaded through the Wagtail admin lose their location as the portal's do.

Commune staff upload for households from the phone that took the photo: every admin way in
(the add view, a new file on the edit view, the chooser's upload tab, the multiple uploader
and the file it holds while a field is missing) stores it upright, shrunk to 2,560 px, without
EXIF or GPS (producers/image_forms.py).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import UploadedFile

from producers.roles import commune_collection
from showcase.models import CommuneHomePage
from tests.conftest import TANAN
from tests.phone_photos import GPS_IFD, MAKE, ORIENTATION, is_red, phone_heic, phone_jpeg

pytestmark = pytest.mark.django_db

Image = get_image_model()


def _phone_upload(name="IMG_0412.jpg"):
    # Large enough to be shrunk, small enough for a quick test.
    return SimpleUploadedFile(name, phone_jpeg(3200, 2400), content_type="image/jpeg")


def _assert_clean(image_file):
    with image_file.open("rb") as stored, PILImage.open(stored) as picture:
        picture.load()
        assert picture.size == (1920, 2560)  # upright portrait, at most 2,560 px
        assert is_red(picture.getpixel((picture.width // 2, 10)))
        exif = picture.getexif()
        assert ORIENTATION not in exif and MAKE not in exif
        assert dict(exif.get_ifd(GPS_IFD)) == {}
        assert "exif" not in picture.info and "xmp" not in picture.info


@pytest.fixture
def collection(db):
    return commune_collection(CommuneHomePage.objects.get(ward_code=TANAN))


@pytest.fixture
def staff(client, staff_x):
    client.force_login(staff_x)
    return client


def test_the_add_view_stores_the_photo_without_its_location(staff, collection):
    response = staff.post(
        reverse("wagtailimages:add"),
        {"title": "Vườn thanh long", "file": _phone_upload(), "collection": collection.pk},
    )
    assert response.status_code == 302
    image = Image.objects.get(title="Vườn thanh long")
    _assert_clean(image.file)
    # Wagtail's own metadata describes the stored file, not the upload.
    assert (image.width, image.height) == (1920, 2560)
    assert image.file_size == image.file.size
    assert image.file_hash


def test_an_iphone_heic_upload_is_stored_as_a_jpeg_without_its_location(staff, collection):
    upload = SimpleUploadedFile("IMG_3107.heic", phone_heic(), content_type="image/heic")
    response = staff.post(
        reverse("wagtailimages:add"),
        {"title": "Vườn chụp bằng iPhone", "file": upload, "collection": collection.pk},
    )
    assert response.status_code == 302
    image = Image.objects.get(title="Vườn chụp bằng iPhone")
    assert image.file.name.endswith(".jpg")
    with image.file.open("rb") as stored, PILImage.open(stored) as picture:
        picture.load()
        assert (picture.format, picture.size) == ("JPEG", (600, 800))
        assert is_red(picture.getpixel((picture.width // 2, 10)))
        exif = picture.getexif()
        assert MAKE not in exif and dict(exif.get_ifd(GPS_IFD)) == {}
    # The public page's renditions are made from the stored JPEG.
    assert image.get_rendition("fill-300x200|format-webp").url.endswith(".webp")


@pytest.mark.parametrize(
    "name,content",
    [
        # Whole headers with the picture cut off (an upload broken off on 3G).
        ("IMG_3107.heic", lambda: phone_heic()[:600]),
        ("IMG_0412.jpg", lambda: phone_jpeg(400, 300)[:3000]),
    ],
)
def test_a_photo_cut_short_is_refused_and_nothing_is_stored(staff, collection, name, content):
    before = Image.objects.count()
    upload = SimpleUploadedFile(name, content())
    response = staff.post(
        reverse("wagtailimages:add"),
        {"title": "Ảnh hỏng", "file": upload, "collection": collection.pk},
    )
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["file"]
    assert Image.objects.count() == before


def test_a_new_file_on_the_edit_view_loses_its_location_too(staff, collection):
    staff.post(
        reverse("wagtailimages:add"),
        {"title": "Ảnh cũ", "file": _phone_upload("cu.jpg"), "collection": collection.pk},
    )
    image = Image.objects.get(title="Ảnh cũ")
    response = staff.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Ảnh mới", "file": _phone_upload("moi.jpg"), "collection": collection.pk},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.title == "Ảnh mới"
    _assert_clean(image.file)


def test_an_edit_without_a_new_file_leaves_the_stored_one(staff, collection):
    staff.post(
        reverse("wagtailimages:add"),
        {"title": "Giữ nguyên", "file": _phone_upload(), "collection": collection.pk},
    )
    image = Image.objects.get(title="Giữ nguyên")
    name, file_hash = image.file.name, image.file_hash
    response = staff.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Đổi tên", "collection": collection.pk},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.title, image.file.name, image.file_hash) == ("Đổi tên", name, file_hash)


def test_the_choosers_upload_tab_stores_the_photo_without_its_location(staff, collection):
    response = staff.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Từ trình chọn ảnh",
            "image-chooser-upload-file": _phone_upload(),
            "image-chooser-upload-collection": collection.pk,
        },
    )
    assert response.status_code == 200
    _assert_clean(Image.objects.get(title="Từ trình chọn ảnh").file)


def test_the_multiple_uploader_stores_the_photo_without_its_location(staff, collection):
    response = staff.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": _phone_upload("ruong-rau.jpg"), "collection": collection.pk},
    )
    assert response.status_code == 200
    assert response.json()["success"]
    _assert_clean(Image.objects.get(pk=response.json()["image_id"]).file)


def test_a_file_the_multiple_uploader_holds_is_stored_without_its_location(staff_x):
    held = UploadedFile.objects.create(
        file=_phone_upload(),
        for_content_type=ContentType.objects.get_for_model(Image),
        uploaded_by_user=staff_x,
    )
    _assert_clean(held.file)
