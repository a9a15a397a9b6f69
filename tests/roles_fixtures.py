"""Role fixtures: one user per role, taken from the demo accounts the after_seed_demo hook made.

Loaded as a pytest plugin by tests/conftest.py. Producer A and B belong to Phường Tân An,
producer_other to Xã Tầm Vu; staff_x is Tân An's staff, staff_y Tầm Vu's.
"""

import pytest
from django.contrib.auth import get_user_model

PRODUCER_A_PHONE = "0912345601"  # Cơ sở lạp xưởng Bà Tư, Phường Tân An
PRODUCER_B_PHONE = "0912345602"  # HTX Nông nghiệp Bình Tâm, Phường Tân An
PRODUCER_OTHER_PHONE = "0912345621"  # HTX Thanh long Tầm Vu, Xã Tầm Vu

ROLES = [
    "anonymous",
    "buyer",
    "producer_a",
    "producer_b",
    "producer_other",
    "staff_x",
    "staff_y",
    "province",
    "superuser",
]


def _get(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def buyer(db):
    """A logged-in user with no rights at all: what a buyer with an account would be."""
    return get_user_model().objects.create_user("nguoimua", password="khong-quyen-gi-9")


@pytest.fixture
def producer_a(db):
    return _get(PRODUCER_A_PHONE)


@pytest.fixture
def producer_b(db):
    return _get(PRODUCER_B_PHONE)


@pytest.fixture
def producer_other(db):
    return _get(PRODUCER_OTHER_PHONE)


@pytest.fixture
def staff_x(db):
    return _get("canbo.tanan")


@pytest.fixture
def staff_y(db):
    return _get("canbo.tamvu")


@pytest.fixture
def province(db):
    return _get("canbo.tinh")


@pytest.fixture
def superuser(db):
    return _get("admin")


@pytest.fixture
def role_user(request, db):
    """The user for a role name from ROLES (None for anonymous); use with indirect params."""
    name = request.param
    return None if name == "anonymous" else request.getfixturevalue(name)
