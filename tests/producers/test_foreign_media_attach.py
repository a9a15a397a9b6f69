"""Another tenant's private image cannot be attached to one's own page by posting its id.

Each role edits a product page of its own tenant and posts a foreign tenant's image (marker
title) in the page's image field, in a gallery child form and in a StreamField image
block: the form comes back with an error naming nothing, and no revision is saved. Its own
tenant's image is accepted; a superuser (the control) may use any image. No StreamField
has a document block, so no document is tried here. Page choosers are tried once: a
commune's featured products.
"""

import json

import pytest
from django.urls import reverse
from wagtail.images import get_image_model

from producers.roles import commune_collection, producer_collection
from producers.selectors import producer_for_user
from products.models import ProductPage
from tests.admin_form_data import page_edit_form_data

TENANTS = ["tanan", "producer_a", "producer_b", "tamvu", "producer_other"]
# role: (tenant whose product the role edits, its own image's tenant, a foreign tenant)
CASES = {
    "producer_a": ("producer_a", "producer_a", "producer_b"),
    "producer_b": ("producer_b", "producer_b", "tanan"),
    "staff_x": ("producer_a", "tanan", "producer_other"),
    "staff_y": ("producer_other", "tamvu", "producer_a"),
}
REFUSAL = "Ảnh này không có trong thư viện của bạn."


def _marker(tenant):
    return f"ZQimage{tenant.replace('_', '')}"


@pytest.fixture
def world(tanan, tamvu, producer_a, producer_b, producer_other):
    """Per tenant, a private image with a marker title, and one product page per producer."""
    users = {"producer_a": producer_a, "producer_b": producer_b,
             "producer_other": producer_other}
    producers = {name: producer_for_user(user) for name, user in users.items()}
    sample = get_image_model().objects.exclude(file="").order_by("pk").first()
    images, products = {}, {}
    for tenant in TENANTS:
        producer = producers.get(tenant)
        collection = (
            producer_collection(producer) if producer
            else commune_collection(tanan if tenant == "tanan" else tamvu)
        )
        images[tenant] = get_image_model().objects.create(
            title=_marker(tenant), file=sample.file.name, width=sample.width,
            height=sample.height, collection=collection,
        )
        if producer:
            products[tenant] = ProductPage.objects.child_of(producer).order_by("path").first()
    return images, products


def _with_gallery_photo(data, image):
    n = int(data["gallery-TOTAL_FORMS"])
    data["gallery-TOTAL_FORMS"] = str(n + 1)
    data.update({f"gallery-{n}-id": "", f"gallery-{n}-image": str(image.pk),
                 f"gallery-{n}-caption": "", f"gallery-{n}-ORDER": str(n + 1),
                 f"gallery-{n}-DELETE": ""})
    return data


def _with_figure(data, image):
    n = int(data["description-count"])
    data["description-count"] = str(n + 1)
    prefix = f"description-{n}"
    data.update({f"{prefix}-type": "figure", f"{prefix}-id": "", f"{prefix}-order": str(n),
                 f"{prefix}-deleted": "", f"{prefix}-value-image-image": str(image.pk),
                 f"{prefix}-value-image-alt_text": "Ảnh vườn", f"{prefix}-value-caption": ""})
    return data


PLACES = {
    "image": lambda data, image: {**data, "image": str(image.pk)},
    "gallery": _with_gallery_photo,
    "description": _with_figure,
}


def _post(client, user, page, place, image):
    client.force_login(user)
    data = PLACES[place](page_edit_form_data(page, user), image)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _errors(response):
    """Every error message of the redrawn form, its inline forms and its StreamField blocks."""
    form = response.context["form"]
    messages = []
    for error in form.errors.as_data().values():
        for item in error:
            data = item.as_json_data() if hasattr(item, "as_json_data") else item.messages
            messages.append(json.dumps(data, ensure_ascii=False))
    for formset in form.formsets.values():
        messages += [str(child.errors) for child in formset.forms]
    return " ".join(messages)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", CASES)
def test_a_foreign_image_is_refused_and_nothing_is_saved(client, world, role, place, request):
    images, products = world
    user = request.getfixturevalue(role)
    page_tenant, _own, foreign_tenant = CASES[role]
    page = products[page_tenant]
    foreign = images[foreign_tenant]
    revision = page.get_latest_revision()
    revision_count = page.revisions.count()

    response = _post(client, user, page, place, foreign)

    assert response.status_code == 200  # the form again
    assert REFUSAL in _errors(response)
    body = response.content.decode()
    assert foreign.title not in body
    assert page.revisions.count() == revision_count
    page.refresh_from_db()
    assert page.get_latest_revision() == revision
    assert f'"image": {foreign.pk}' not in json.dumps(revision.content)
    assert foreign.pk not in page.get_latest_revision_as_object().gallery.values_list(
        "image_id", flat=True
    )


@pytest.mark.parametrize("role", [*CASES, "superuser"])
def test_own_images_are_accepted(client, world, role, request):
    """Own tenant's image in all three places at once; a superuser may use any tenant's."""
    images, products = world
    user = request.getfixturevalue(role)
    page_tenant, own_tenant, _foreign = CASES.get(role, ("producer_a", "tamvu", None))
    page, image = products[page_tenant], images[own_tenant]
    client.force_login(user)
    data = page_edit_form_data(page, user, image=str(image.pk))
    data = _with_figure(_with_gallery_photo(data, image), image)

    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    assert response.status_code == 302, _errors(response)
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert draft.image_id == image.pk
    assert image.pk in [photo.image_id for photo in draft.gallery.all()]
    figures = [block.value["image"].pk for block in draft.description
               if block.block_type == "figure"]
    assert image.pk in figures


def test_an_image_the_page_already_has_is_kept(client, world, producer_b, superuser):
    """Staff put the commune's photo on a producer's page: the producer can still save it."""
    images, products = world
    page, commune_image = products["producer_b"], images["tanan"]
    client.force_login(superuser)
    data = page_edit_form_data(page, superuser, image=str(commune_image.pk))
    data = _with_figure(data, commune_image)
    assert client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data).status_code == 302

    page.refresh_from_db()
    client.force_login(producer_b)
    data = page_edit_form_data(page, producer_b, summary="Sửa lời giới thiệu")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    assert response.status_code == 302, _errors(response)
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert draft.summary == "Sửa lời giới thiệu"
    assert draft.image_id == commune_image.pk
    assert commune_image.pk in [block.value["image"].pk for block in draft.description
                                if block.block_type == "figure"]


def test_a_foreign_product_is_refused_in_a_page_chooser_inline(client, world, staff_x, tanan):
    """Commune staff cannot feature another commune's product on their home page."""
    _images, products = world
    foreign = products["producer_other"]
    revision_count = tanan.revisions.count()
    client.force_login(staff_x)
    data = page_edit_form_data(tanan, staff_x)
    n = int(data["featured_products-TOTAL_FORMS"])
    data["featured_products-TOTAL_FORMS"] = str(n + 1)
    data.update({f"featured_products-{n}-id": "", f"featured_products-{n}-ORDER": str(n + 1),
                 f"featured_products-{n}-DELETE": "",
                 f"featured_products-{n}-product": str(foreign.pk)})

    response = client.post(reverse("wagtailadmin_pages:edit", args=[tanan.pk]), data)

    assert response.status_code == 200
    assert "Bạn không có quyền chọn trang này." in _errors(response)
    assert tanan.revisions.count() == revision_count
