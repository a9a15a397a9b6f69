"""Short codes: issued once per product, permanent, never reused, case-insensitive."""

import pytest
from wagtail.models import Page

from products.codes import ALPHABET, CODE_LENGTH, normalise_code
from products.models import ProductPage, ShortCode

pytest_plugins = ["tests.products.qr_fixtures"]


def test_every_demo_product_has_a_short_code(db):
    assert not ProductPage.objects.filter(short_code__isnull=True).exists()
    assert ProductPage.objects.count() > 0


def test_short_code_uses_the_unambiguous_upper_case_alphabet(product):
    assert len(product.short_code) == CODE_LENGTH
    assert set(product.short_code) <= set(ALPHABET)
    assert not set(product.short_code) & set("ILOU")


def test_issued_code_row_points_at_product_producer_and_commune(product, tanan):
    entry = ShortCode.objects.get(code=product.short_code)
    assert entry.product_id == product.pk
    assert entry.producer_id == product.get_parent().pk
    assert entry.commune_id == tanan.pk


def test_new_product_gets_a_code_on_first_save(product):
    producer = product.get_parent()
    new = producer.add_child(instance=ProductPage(title="Mắm tép", slug="mam-tep"))
    assert new.short_code
    assert ShortCode.objects.get(code=new.short_code).product_id == new.pk


def test_code_survives_revision_publish(product):
    code = product.short_code
    product.title = "Tên mới"
    product.save_revision().publish()
    product.refresh_from_db()
    assert product.short_code == code


def test_copied_page_gets_a_new_code(product):
    copy = product.copy(update_attrs={"slug": "ban-sao", "title": "Bản sao"})
    assert copy.short_code
    assert copy.short_code != product.short_code
    copy.get_latest_revision().publish()
    copy.refresh_from_db()
    assert copy.short_code != product.short_code


def test_deleting_a_product_keeps_its_code_reserved(product):
    code = product.short_code
    Page.objects.get(pk=product.pk).delete()
    entry = ShortCode.objects.get(code=code)
    assert entry.product_id is None
    assert entry.producer_id is not None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("abc123", "ABC123"), ("O0IL1X", "00111X"), ("io0l1z", "10011Z")],
)
def test_lower_case_and_confusable_letters_normalise(raw, expected):
    assert normalise_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "ABC12", "ABC1234", "ABC-12", "ÀBC123", "ABCU12", "AB 123"])
def test_malformed_codes_are_rejected(raw):
    assert normalise_code(raw) is None


def test_publishing_a_revision_from_before_codes_keeps_the_code(product):
    code = product.short_code
    revision = product.save_revision()
    # Revisions saved before the migration carry no short_code at all.
    del revision.content["short_code"]
    revision.save(update_fields=["content"])
    revision.publish()
    product.refresh_from_db()
    assert product.short_code == code
    assert ShortCode.objects.filter(product_id=product.pk, batch__isnull=True).count() == 1
