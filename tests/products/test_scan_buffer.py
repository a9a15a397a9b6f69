"""Scans buffered in a worker and written together (products/scan_buffer.py).

These tests write the buffer in the test's own thread (a minute's interval keeps its thread
asleep), on either database. Its thread writing every interval, and what a killed, restarted or
stopped gunicorn worker keeps, are tested against a real server in tests/test_faults.py.
"""

import datetime
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.utils import timezone

from products import scan_buffer, services
from products.models import Scan
from tests.products.test_scans import ZALO_IPHONE

pytest_plugins = ["tests.products.qr_fixtures"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def buffered(settings):
    """scan_record's buffer, which only ``flush`` writes here (a minute's interval)."""
    settings.SCAN_FLUSH_SECONDS = 60
    services._scan_buffer.cache_clear()
    buffer = services._scan_buffer(DEFAULT_DB_ALIAS)
    yield buffer
    buffer._stopping.set()
    buffer._rows.clear()  # nothing for its exit to write into a later test's database
    services._scan_buffer.cache_clear()


def _scan(client, code):
    return client.get(f"/q/{code}", HTTP_HOST="tanan.localhost", HTTP_USER_AGENT=ZALO_IPHONE)


def test_a_redirect_is_answered_before_its_scan_is_written(client, product, buffered):
    response = _scan(client, product.short_code)
    scanned = timezone.now()

    assert response.status_code == 302
    assert buffered.pending() == 1
    assert not Scan.objects.filter(product=product).exists()
    time.sleep(0.5)
    assert buffered.flush() == 1
    scan = Scan.objects.get(product=product)
    # The time of the scan, not of the write half a second later.
    assert abs(scan.scanned_at - scanned) < datetime.timedelta(seconds=0.25)
    assert (scan.device, scan.in_app) == ("mobile", "zalo")


def test_one_flush_writes_every_scan_buffered_since_the_last(client, product, batch, buffered):
    for code in [product.short_code, batch.short_code, product.short_code]:
        _scan(client, code)

    assert buffered.flush() == 3
    assert buffered.flush() == 0
    assert Scan.objects.filter(product=product).count() == 3
    assert Scan.objects.filter(batch=batch).count() == 1


def test_a_failed_write_keeps_every_scan_for_the_next(client, product, buffered):
    _scan(client, product.short_code)
    _scan(client, product.short_code)
    good_sql = buffered.sql
    buffered.sql = good_sql.replace("products_scan", "products_no_such_table")

    with pytest.raises(DatabaseError):
        buffered.flush()
    assert buffered.pending() == 2
    _scan(client, product.short_code)

    buffered.sql = good_sql
    assert buffered.flush() == 3
    assert Scan.objects.filter(product=product).count() == 3


def test_a_full_buffer_is_written_by_the_scan_that_fills_it(
    client, product, buffered, monkeypatch
):
    monkeypatch.setattr(scan_buffer, "MAX_PENDING", 3)
    _scan(client, product.short_code)
    _scan(client, product.short_code)
    assert Scan.objects.filter(product=product).count() == 0

    _scan(client, product.short_code)
    assert buffered.pending() == 0
    assert Scan.objects.filter(product=product).count() == 3


def test_closing_writes_what_is_left(client, product, buffered):
    _scan(client, product.short_code)
    buffered.close()
    assert buffered.pending() == 0
    assert Scan.objects.filter(product=product).count() == 1


def test_bots_are_not_buffered(client, product, buffered):
    client.get(
        f"/q/{product.short_code}", HTTP_HOST="tanan.localhost", HTTP_USER_AGENT="ZaloBot"
    )
    assert buffered.pending() == 0
