"""Fixtures for QR, scan, batch and GS1 tests: a live demo product of each commune."""

import datetime

import pytest

from products.models import Batch, ProductPage


@pytest.fixture
def product(tanan):
    return ProductPage.objects.live().descendant_of(tanan).order_by("path").first()


@pytest.fixture
def other_product(tamvu):
    return ProductPage.objects.live().descendant_of(tamvu).order_by("path").first()


@pytest.fixture
def batch(product):
    return Batch.objects.create(
        product=product,
        lot_code="LO-2026-01",
        produced_on=datetime.date(2026, 6, 1),
        expires_on=datetime.date(2026, 12, 1),
        quantity=120,
        growing_area_code="VN-TN-0123",
    )
