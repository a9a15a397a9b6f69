"""Scale-out configuration loads from the environment: Redis, S3 media, a CDN purger.

Each case imports the production settings in a fresh interpreter with the variables set, as a
server would at start; nothing here reaches a real Redis, bucket or CDN.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each case sets its own DATABASE_URL.
pytestmark = pytest.mark.sqlite_only

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "commune_site.settings.production",
    "DJANGO_SECRET_KEY": "settings-test-only",
    "DJANGO_ALLOWED_HOSTS": ".example.vn",
}


def load(code, **env):
    """Run ``code`` after django.setup() with these variables; it prints one JSON value."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("REDIS", "AWS_", "MEDIA_S3", "WAGTAILFRONTEND", "CLOUDFLARE", "DATABASE_URL", "PAGE_")
        )
    }
    script = "import django, json\ndjango.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_on_postgresql_without_redis_the_caches_are_database_tables():
    caches = load(
        "from django.conf import settings; print(json.dumps(settings.CACHES))",
        DATABASE_URL="postgres://commune@db.internal/commune",
    )
    assert caches["default"]["BACKEND"] == "commune_site.cache_backends.DatabaseCache"
    assert caches["pages"]["BACKEND"] == "commune_site.cache_backends.DatabaseCache"
    assert caches["pages"]["LOCATION"] == "page_cache"


def test_on_sqlite_pages_are_cached_in_files_shared_by_the_workers(tmp_path):
    caches = load(
        "from django.conf import settings; print(json.dumps(settings.CACHES))",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        PAGE_CACHE_DIR=str(tmp_path / "pages"),
    )
    assert caches["default"]["BACKEND"] == "commune_site.cache_backends.DatabaseCache"
    assert caches["pages"]["BACKEND"] == "commune_site.cache_backends.FileBasedCache"
    assert caches["pages"]["LOCATION"] == str(tmp_path / "pages")


def test_redis_url_moves_caches_and_sessions_to_redis():
    found = load(
        "from django.conf import settings\n"
        "from django.core.cache import caches\n"
        "client = caches['pages']._cache.get_client(write=False)\n"  # builds a pool, no connect
        "print(json.dumps([settings.CACHES['pages']['BACKEND'], settings.SESSION_ENGINE,\n"
        "    client.connection_pool.connection_kwargs['host'],\n"
        "    client.connection_pool.connection_kwargs['port']]))",
        REDIS_URL="redis://cache.internal:6380/2",
    )
    assert found == [
        "commune_site.cache_backends.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "cache.internal",
        6380,
    ]


def test_bucket_name_puts_uploads_in_s3_compatible_storage():
    found = load(
        "from django.core.files.storage import storages\n"
        "media = storages['default']\n"
        "print(json.dumps([type(media).__name__, media.bucket_name,\n"
        "    media.url('original_images/thanh-long.jpg')]))",
        AWS_STORAGE_BUCKET_NAME="commune-media",
        AWS_S3_CUSTOM_DOMAIN="media.example.vn",
        AWS_ACCESS_KEY_ID="test-key",
        AWS_SECRET_ACCESS_KEY="test-secret",
    )
    assert found == [
        "S3Storage",
        "commune-media",
        "https://media.example.vn/original_images/thanh-long.jpg",
    ]


def test_media_s3_bucket_is_an_accepted_spelling():
    backend = load(
        "from django.conf import settings; print(json.dumps(settings.STORAGES['default']))",
        MEDIA_S3_BUCKET="commune-media",
    )
    assert backend["BACKEND"] == "storages.backends.s3.S3Storage"


def test_frontend_cache_is_off_unless_a_backend_is_named():
    installed = load(
        "from django.conf import settings\n"
        "print(json.dumps('wagtail.contrib.frontend_cache' in settings.INSTALLED_APPS))"
    )
    assert installed is False


def test_named_cdn_purger_installs_wagtail_frontend_cache():
    found = load(
        "from wagtail.contrib.frontend_cache.utils import get_backends\n"
        "print(json.dumps({name: type(b).__name__ for name, b in get_backends().items()}))",
        WAGTAILFRONTENDCACHE_BACKEND="cloudflare",
        CLOUDFLARE_BEARER_TOKEN="token",
        CLOUDFLARE_ZONE_ID="zone",
    )
    assert found == {"default": "CloudflareBackend"}


def test_sqlite_page_cache_folder_defaults_to_beside_the_database(tmp_path):
    location = load(
        "from django.conf import settings; print(json.dumps(settings.CACHES['pages']['LOCATION']))",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
    )
    assert location == f"{tmp_path / 'site.sqlite3'}-page-cache"
