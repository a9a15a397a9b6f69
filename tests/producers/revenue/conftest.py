"""Fixtures of revenue tracking: the demo producers behind the role accounts, and their products."""

import datetime
from decimal import Decimal

import pytest

from producers.models import ProducerPage
from producers.portal.access import ACTING_FOR_SESSION_KEY
from producers.revenue.models import ROLLUP_MODELS, Baseline, Channel, Sale
from producers.revenue.services import sale_record
from producers.selectors import producer_for_user
from products.models import ProductPage

TANAN_HOST = "tanan.localhost"


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
    for model in ROLLUP_MODELS:
        model.objects.all().delete()
    Baseline.objects.all().delete()  # and its months, by cascade


@pytest.fixture
def record():
    """Record a sale with the service, defaults overridable: ``record(farm, user, **values)``."""

    def make(farm, user, **overrides):
        values = {
            "producer": farm,
            "product_name": "Mít Thái",
            "sold_on": datetime.date(2026, 3, 14),
            "quantity": Decimal("2"),
            "unit": "kg",
            "unit_price_vnd": 35_000,
            "channel": Channel.MARKET,
            "entered_by": user,
        }
        values.update(overrides)
        return sale_record(**values)

    return make


@pytest.fixture
def portal_client(client):
    """``portal_client(user, acting_for=None)``: the test client logged in as ``user``; staff
    given ``acting_for`` enter data for that producer ("nhập thay")."""

    def login(user, acting_for=None):
        if user is not None:
            client.force_login(user)
        if acting_for is not None:
            session = client.session
            session[ACTING_FOR_SESSION_KEY] = acting_for.pk
            session.save()
        return client

    return login
