"""The cached ``{% picture %}`` (products/templatetags/picture_tags.py) and preview image
(commune_site/sharing.py): Wagtail's markup, from the worker's memory, and a new key for
every edit that changes what an image shows."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.template import engines
from PIL import Image as PILImage
from wagtail.images import get_image_model

from commune_site.sharing import OG_IMAGE_SPEC, shared_image

pytestmark = pytest.mark.django_db

TAG = (
    '{% picture image format-{webp,jpeg} fill-{360x225,720x450} sizes="100vw" '
    'class="product__image" %}'
)


def ours(image):
    return engines["django"].from_string("{% load picture_tags %}" + TAG).render({"image": image})


def wagtails(image):
    template = engines["django"].from_string("{% load wagtailimages_tags %}" + TAG)
    return template.render({"image": image})


def fresh(image):
    """The image as a new request reads it: no renditions prefetched or remembered."""
    return get_image_model().objects.get(pk=image.pk)


@pytest.fixture
def photo():
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (40, 160, 60)).save(buffer, "JPEG")
    Image = get_image_model()
    return Image.objects.create(title="Bưởi da xanh", file=ImageFile(buffer, name="buoi.jpg"))


def test_picture_is_wagtails_markup_the_first_time_and_from_memory(photo):
    expected = wagtails(fresh(photo))
    assert ours(fresh(photo)) == expected
    assert ours(fresh(photo)) == expected


def test_a_remembered_picture_reads_no_database_and_writes_no_cache(
    photo, django_assert_num_queries
):
    ours(fresh(photo))
    image = fresh(photo)
    with django_assert_num_queries(0):
        html = ours(image)
    assert "buoi" in html


def test_moving_the_focal_point_shows_the_new_crop(photo):
    before = ours(fresh(photo))
    photo.focal_point_x, photo.focal_point_y = 100, 100
    photo.focal_point_width, photo.focal_point_height = 50, 50
    photo.save()
    after = ours(fresh(photo))
    assert after != before
    assert after == wagtails(fresh(photo))


def test_renaming_the_image_changes_the_alt_text(photo):
    ours(fresh(photo))
    photo.title = "Bưởi da xanh Bến Tre"
    photo.save()
    assert 'alt="Bưởi da xanh Bến Tre"' in ours(fresh(photo))


def test_a_new_file_shows_the_new_file(photo):
    before = ours(fresh(photo))
    # As Wagtail's image form does when a new file is uploaded.
    photo.renditions.all().delete()
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 900), (200, 30, 60)).save(buffer, "JPEG")
    photo.file = ImageFile(buffer, name="buoi-moi.jpg")
    photo._set_file_hash()
    photo.width, photo.height = 900, 900
    photo.save()
    after = ours(fresh(photo))
    assert after != before and "buoi-moi" in after
    assert after == wagtails(fresh(photo))


def test_a_picture_of_a_missing_file_is_not_remembered(photo):
    name, storage = photo.file.name, photo.file.storage
    with storage.open(name) as stored:
        content = stored.read()
    storage.delete(name)
    html = ours(fresh(photo))
    assert "not-found" in html
    # The file is back: the placeholder was not kept, the photo shows.
    assert storage.save(name, ContentFile(content)) == name
    assert "not-found" not in ours(fresh(photo))


def test_preview_image_matches_wagtails_rendition_and_follows_edits(photo):
    rendition = fresh(photo).get_rendition(OG_IMAGE_SPEC)
    shared = shared_image(fresh(photo), base_url="https://tanan.example.vn/")
    assert shared.url == "https://tanan.example.vn" + rendition.url
    assert (shared.width, shared.height) == (rendition.width, rendition.height)
    photo.focal_point_x, photo.focal_point_y = 1100, 700
    photo.focal_point_width, photo.focal_point_height = 100, 100
    photo.save()
    moved = fresh(photo).get_rendition(OG_IMAGE_SPEC)
    assert moved.url != rendition.url
    assert shared_image(fresh(photo), base_url="https://tanan.example.vn/").url.endswith(
        moved.url
    )
