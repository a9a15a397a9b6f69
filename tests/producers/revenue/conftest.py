"""Fixtures of revenue tracking: the demo producers behind the role accounts, and their products."""

import pytest

from producers.models import ProducerPage
from producers.revenue.models import Baseline, RevenueMonth, RevenueProductMonth, Sale
from producers.selectors import producer_for_user
from products.models import ProductPage


@pytest.fixture
def farm_a(producer_a) -> ProducerPage:
    """Producer A's producer page (Cơ sở lạp xưởng Bà Tư, Phường Tân An)."""
    return producer_for_user(producer_a)


@pytest.fixture
def farm_b(producer_b) -> ProducerPage:
    return producer_for_user(producer_b)


@pytest.fixture
def product_a(farm_a) -> ProductPage:
    return ProductPage.objects.child_of(farm_a).order_by("path").first()


@pytest.fixture
def product_b(farm_b) -> ProductPage:
    return ProductPage.objects.child_of(farm_b).order_by("path").first()


@pytest.fixture(autouse=True)
def empty_ledger(request):
    """Tests here check figures against the sales they record, so each starts from an empty
    ledger: the demo's year of sales, roll-ups and baselines is deleted inside the test's
    transaction. Tests of the demo data itself carry the ``demo_sales`` marker."""
    if request.node.get_closest_marker("demo_sales") or not request.node.get_closest_marker(
        "django_db"
    ):
        return
    request.getfixturevalue("db")
    Sale.objects.all().delete()
    RevenueMonth.objects.all().delete()
    RevenueProductMonth.objects.all().delete()
    Baseline.objects.all().delete()  # and its months, by cascade
