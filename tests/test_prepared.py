"""Querysets compiled once and run again with other values (commune_site/prepared.py).

On either database: the prepared read gives the same objects as the queryset it was built
from, with its select_related objects and prefetches, in one compiled statement reused for
every value; a query it cannot prepare, or a change to a prepared one, fails loudly.
"""

import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page

from commune_site.page_tree import (
    ROUTE_ANCESTORS,
    ROUTE_MAX_LEVELS,
    cluster_rows,
    specific_page,
)
from commune_site.prepared import MAX_SHAPES, PreparedQuery
from producers.models import ProducerPage
from products.models import ProductPage, ProductPhoto, ShortCode
from products.models.pages import CERTIFICATIONS, GALLERY

pytestmark = pytest.mark.django_db

def values_of(page):
    return [getattr(page, field.attname) for field in type(page)._meta.concrete_fields]


def product_by_pk():
    return PreparedQuery(
        lambda pk: ProductPage.objects.select_related("image", "category").filter(pk=pk)
    )


def test_a_prepared_read_gives_the_orms_object_with_its_related_rows():
    query = product_by_pk()
    for expected in ProductPage.objects.select_related("image", "category").order_by("path"):
        with CaptureQueriesContext(connection) as captured:
            found = query.get(expected.pk)
            category, image = found.category, found.image
        assert len(captured) == 1
        assert type(found) is ProductPage
        assert values_of(found) == values_of(expected)
        assert (category, image) == (expected.category, expected.image)
        assert found._state.db == "default" and not found._state.adding


def test_every_value_runs_the_same_compiled_statement():
    query = product_by_pk()
    pks = list(ProductPage.objects.order_by("path").values_list("pk", flat=True)[:3])
    with CaptureQueriesContext(connection) as captured:
        found = [query.get(pk).pk for pk in pks]
    assert found == pks
    queries = zip(captured.captured_queries, pks, strict=True)
    statements = {entry["sql"].replace(str(pk), "?") for entry, pk in queries}
    assert len(statements) == 1
    assert len(query._compiled) == 1


def test_a_missing_row_is_none():
    assert product_by_pk().get(Page.objects.order_by("-pk").first().pk + 1000) is None


def test_a_list_of_values_is_a_shape_per_length():
    homes = list(Page.objects.filter(depth=2).order_by("path"))
    first, second = homes[0].url_path, homes[1].url_path
    assert [page.pk for page in ROUTE_ANCESTORS.list([first])] == [homes[0].pk]
    found = ROUTE_ANCESTORS.list([first, second, "/khong-co/"])
    assert sorted(page.pk for page in found) == sorted([homes[0].pk, homes[1].pk])
    # Only the fields asked for are read; the rest are deferred, as with only().
    assert "draft_title" in found[0].get_deferred_fields()


def test_shapes_kept_are_bounded_and_a_deep_made_up_url_adds_none(client):
    query = PreparedQuery(lambda pks: Page.objects.filter(pk__in=pks))
    root = Page.objects.get(depth=1)
    for length in range(1, MAX_SHAPES + 10):
        assert [page.pk for page in query.list([root.pk] * length)] == [root.pk]
    assert len(query._compiled) == MAX_SHAPES

    kept = set(ROUTE_ANCESTORS._compiled)
    for levels in (ROUTE_MAX_LEVELS + 1, 50, 500):
        response = client.get("/a" * levels + "/", HTTP_HOST="tanan.localhost")
        assert response.status_code == 404
    assert set(ROUTE_ANCESTORS._compiled) == kept


def test_child_rows_come_in_order_with_their_related_rows_and_prefetches():
    product = ProductPage.objects.get(title="Thanh long ruột đỏ")
    images = [new_image(f"ảnh {n}") for n in range(3)]
    for order, image in enumerate(reversed(images)):
        ProductPhoto.objects.create(page=product, image=image, sort_order=order)
    image = images[0]
    image.get_rendition("fill-100x100")

    with CaptureQueriesContext(connection) as captured:
        gallery = GALLERY.list(product.pk)
        renditions = [list(photo.image.renditions.all()) for photo in gallery]
    # The photos with their images, then their renditions (the prefetch): nothing per photo.
    assert len(captured) == 2
    assert [photo.image for photo in gallery] == list(reversed(images))
    assert [len(found) for found in renditions] == [0, 0, 1]
    assert [item.certification.name for item in CERTIFICATIONS.list(product.pk)] == [
        item.certification.name for item in product.certifications.all()
    ]
    assert CERTIFICATIONS.list(product.pk)


def test_a_preview_shows_the_rows_of_the_revision_not_of_the_database():
    product = ProductPage.objects.get(title="Thanh long ruột đỏ")
    saved = len(product.certifications.all())
    # What a preview renders: the page with its child rows as the edit form holds them.
    draft = ProductPage.objects.get(pk=product.pk)
    draft.certifications = list(draft.certifications.all())[:1]
    assert saved > 1
    assert len(cluster_rows(draft, "certifications", CERTIFICATIONS)) == 1
    assert len(cluster_rows(product, "certifications", CERTIFICATIONS)) == saved


def test_specific_page_is_wagtails_specific_with_the_attributes_kept():
    product = ProductPage.objects.get(title="Thanh long ruột đỏ")
    parent = Page.objects.get(pk=product.get_parent().pk)
    parent.marker = "giữ"
    producer = specific_page(parent)
    assert type(producer) is ProducerPage
    assert values_of(producer) == values_of(parent.specific)
    assert producer.marker == "giữ"
    # Its own row only, as Wagtail's ``specific`` reads it: no join to the producer's photo.
    assert "image" not in producer._state.fields_cache
    assert specific_page(producer) is producer


def test_values_list_rows_come_in_the_order_of_their_fields():
    codes = list(ShortCode.objects.select_related("product").order_by("code")[:3])
    rows = PreparedQuery(
        lambda code: ShortCode.objects.filter(code=code).values_list("product__live", "code")
    )
    flat = PreparedQuery(
        lambda codes: ShortCode.objects.filter(code__in=codes).values_list("code", flat=True)
    )
    for code in codes:
        assert rows.list(code.code) == [(code.product.live, code.code)]
        # The database's own row: the same values, the boolean as the database gives it.
        [(live, same_code)] = rows.rows(code.code)
        assert (bool(live), same_code) == (code.product.live, code.code)
    assert rows.rows("khong-co") == []
    assert sorted(flat.list([code.code for code in codes])) == [code.code for code in codes]


def test_rows_a_prepared_query_cannot_name_are_refused():
    query = PreparedQuery(lambda code: ShortCode.objects.filter(code=code).values("code"))
    with pytest.raises(ValueError, match="values_list"):
        query.list("abc")


def test_a_value_the_database_does_not_receive_unchanged_is_refused():
    query = PreparedQuery(lambda title: ProductPage.objects.filter(title__icontains=title))
    with pytest.raises(ValueError, match="cannot be prepared"):
        query.list("thanh long")


def test_a_prepared_queryset_cannot_be_narrowed_or_counted():
    query = product_by_pk()
    pk = ProductPage.objects.first().pk
    for change in (
        lambda queryset: queryset.filter(live=True),
        lambda queryset: queryset.count(),
        lambda queryset: queryset.exists(),
        lambda queryset: queryset[:1],
    ):
        with pytest.raises(TypeError, match="cannot be changed"):
            change(query.queryset(pk))
    assert len(query.queryset(pk)) == 1


def new_image(title):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (200, 30, 60)).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="anh.jpg"))
