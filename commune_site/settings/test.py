"""Test runs: fast hashing, media in a temporary folder, a local-memory cache."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="commune-site-test-media-")
# Nothing is collected for tests: whitenoise finds the files in place, and STATIC_ROOT is an
# empty folder so that it does not warn about a missing one on a clean clone.
STATIC_ROOT = tempfile.mkdtemp(prefix="commune-site-test-static-")
WHITENOISE_USE_FINDERS = True
if DATABASES["default"]["ENGINE"] == "commune_site.sqlite3":  # noqa: F405
    # In memory, as Django's own SQLite engine tests; pytest-django recognises that engine
    # only by name and would otherwise give each xdist worker a file named after db.sqlite3.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "renditions": CACHES["renditions"],  # noqa: F405
}
# Off, so tests that count the queries of a render measure the render; the page cache tests
# (tests/test_page_cache*.py) turn it on.
PAGE_CACHE_ENABLED = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# Each scan written before its redirect, so a test's request is followed by its row; the
# buffer has tests of its own (tests/products/test_scan_buffer.py, tests/test_faults.py).
SCAN_FLUSH_SECONDS = 0
ALLOW_DEMO_DATA = True
SERVE_MEDIA = True
# Login throttling stays on in tests, so its lockout is tested as it runs in production;
# the database handler keeps failed attempts inside each test's rolled-back transaction.
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Small demo photos: renditions of 1200×900 photos dominate the suite's run time.
DEMO_PHOTO_SIZE = (480, 360)
