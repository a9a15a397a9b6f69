"""Backup and restore round trip: demo data backed up from one instance, restored into an empty
one, and served from there. Runs on whichever engine the suite runs on."""

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.images.models import Image

from producers.models import ProducerPage
from products.models import ProductPage
from showcase.models import CommuneHomePage

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_SETTINGS = "commune_site.settings.production"

VERIFY = """
import json, django
django.setup()
from django.core.files.storage import default_storage
from django.test import Client
from wagtail.images.models import Image
from producers.models import ProducerPage
from products.models import ProductPage
from showcase.models import CommuneHomePage
product = ProductPage.objects.live().order_by("path").first()
response = Client().get(
    product.get_url_parts()[2], HTTP_HOST=product.get_site().hostname, secure=True
)
print(json.dumps({
    "communes": CommuneHomePage.objects.count(),
    "producers": ProducerPage.objects.count(),
    "products": ProductPage.objects.count(),
    "images": Image.objects.count(),
    "product": product.title,
    "status": response.status_code,
    "title_shown": product.title in response.content.decode(),
    "photo_file": default_storage.exists(product.image.file.name),
}))
"""


def instance_env(tmp_path, name, database_url, settings_module):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost,.localhost",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp_path / f"{name}-media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def run(env, *args):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"{args}: {result.stderr}"
    return result.stdout


@pytest.fixture
def new_database_url(tmp_path):
    """Makes empty databases on the engine the suite runs on; drops them afterwards."""
    created = []
    db = connection.settings_dict
    params = {
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }

    def make(name):
        if connection.vendor == "sqlite":
            return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        import psycopg

        database = f"{name}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(**params) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        created.append(database)
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return f"postgres://{db['USER']}{password}@{db['HOST']}:{params['port']}/{database}"

    yield make
    if created:
        import psycopg

        with psycopg.connect(**params) as admin:
            for database in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_demo_data_survives_backup_and_restore_into_an_empty_instance(
    tmp_path, new_database_url, django_db_blocker
):
    # No test transaction: the backup reads the committed, session-seeded demo data, as it
    # would read a running site (SQLite's backup of a connection inside an open transaction
    # on the shared in-memory test database would wait for ever).
    with django_db_blocker.unblock():
        call_command("backup", "--output", str(tmp_path / "backup"))
        before = {
            "communes": CommuneHomePage.objects.count(),
            "producers": ProducerPage.objects.count(),
            "products": ProductPage.objects.count(),
            "images": Image.objects.count(),
            "product": ProductPage.objects.live().order_by("path").first().title,
        }
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert before["products"] > 0

    target = instance_env(tmp_path, "target", new_database_url("target"), PRODUCTION_SETTINGS)
    run(target, "manage.py", "restore", "--input", str(tmp_path / "backup"))
    # Served with the dev settings' static storage: no collectstatic manifest needed.
    served = {**target, "DJANGO_SETTINGS_MODULE": "commune_site.settings.dev"}
    after = json.loads(run(served, "-c", VERIFY).strip().splitlines()[-1])
    assert after == {**before, "status": 200, "title_shown": True, "photo_file": True}


@pytest.mark.django_db
def test_restore_refuses_an_instance_that_already_has_data(tmp_path):
    manifest = {"format": 1, "engine": connection.vendor, "database": "db.sqlite3"}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("restore", "--input", str(tmp_path))


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="không rỗng"):
        call_command("backup", "--output", str(tmp_path))


def test_restore_explains_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="không phải bản sao lưu hợp lệ"):
        call_command("restore", "--input", str(tmp_path))
