"""Shared fixtures. The demo communes are loaded once per test database and rolled back per test."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from commune_site import site_root_paths
from showcase.demo import seed_demo
from showcase.models import CommuneHomePage

TANAN, CANGIUOC, TAMVU = 27712, 28159, 28210

# One fixture per role (producer_a, staff_x, province, ...): see tests/roles_fixtures.py.
# tests/system_tools.py: Debian tools for tests marked ``system``.
pytest_plugins = ["tests.roles_fixtures", "tests.system_tools"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_demo(port=80)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: the database rolls back after a test, caches do not."""
    for alias in settings.CACHES:
        caches[alias].clear()
    site_root_paths.clear()


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese, the default: a test client request with the English
    cookie leaves English active in its thread, where a later test's messages would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tanan(db):
    return CommuneHomePage.objects.get(ward_code=TANAN)


@pytest.fixture
def cangiuoc(db):
    return CommuneHomePage.objects.get(ward_code=CANGIUOC)


@pytest.fixture
def tamvu(db):
    return CommuneHomePage.objects.get(ward_code=TAMVU)
