"""Writes for products: batches and recording scans of printed codes."""

import datetime
import functools
from decimal import Decimal

from django.conf import settings
from django.db import connections, router, transaction

from commune_site.sqlite3.base import execute_waiting_briefly

from .models import Batch, Certification, ProductPage, Scan
from .scan_buffer import ScanBuffer
from .user_agents import device_class, in_app_browser, is_bot


@functools.cache
def _scan_insert(alias: str) -> tuple[str, tuple]:
    """The INSERT of one scan, built once per process from the model: (SQL, its fields)."""
    connection = connections[alias]
    fields = tuple(field for field in Scan._meta.local_concrete_fields if not field.primary_key)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Scan._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    return sql, fields


def scan_record(*, product_id: int, batch_id: int | None, user_agent: str) -> bool:
    """Record one scan; False for a link-preview bot, which is not recorded.

    With ``SCAN_FLUSH_SECONDS`` above 0 the scan joins this worker's buffer, written with the
    others in one transaction a moment later (products/scan_buffer.py says what a crash may
    lose); at 0 it is one INSERT, committed before the redirect is answered.

    No read-modify-write counter, so concurrent scans never overwrite each other, and no
    ``full_clean``: its foreign-key checks would cost two queries on the hot redirect path,
    while the ids come straight from the code lookup. Nothing about the person is kept.

    Every scan runs this, so the statement is built once from the model's fields rather than
    compiled by ``Model.save()`` each time, which cost three times the INSERT itself, and the
    values go in without a model instance (whose init signals cost as much as the INSERT);
    fields not given take their defaults, as ``save()`` would fill them (the time of the scan
    is taken here, not when the buffer is written). No signal is sent.
    """
    if is_bot(user_agent):
        return False
    given = {
        "product_id": product_id,
        "batch_id": batch_id,
        "device": device_class(user_agent),
        "in_app": in_app_browser(user_agent),
    }
    alias = router.db_for_write(Scan)
    connection = connections[alias]
    sql, fields = _scan_insert(alias)
    values = [
        field.get_db_prep_save(
            given[field.attname] if field.attname in given else field.get_default(), connection
        )
        for field in fields
    ]
    if settings.SCAN_FLUSH_SECONDS > 0:
        _scan_buffer(alias).add(values)
        return True
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            execute_waiting_briefly(connection, cursor, sql, values)
        else:
            cursor.execute(sql, values)
    return True


@functools.cache
def _scan_buffer(alias: str) -> ScanBuffer:
    return ScanBuffer(
        interval=settings.SCAN_FLUSH_SECONDS, alias=alias, sql=_scan_insert(alias)[0]
    )


def demo_batches_seed() -> int:
    """Give every product without batches a first demo batch; returns how many were made."""
    created = 0
    for product in ProductPage.objects.filter(batches__isnull=True).order_by("pk"):
        created += (
            batch_create(
                product=product,
                lot_code=f"LO{product.pk:04d}-2611",
                produced_on=datetime.date(2026, 11, 1),
                expires_on=datetime.date(2027, 5, 1),
                quantity=Decimal(100),
                unit=product.price_unit,
                growing_area_code=f"VN-TNI-{product.pk:04d}",
                certifications=list(
                    Certification.objects.filter(
                        pk__in=product.certifications.values("certification_id")
                    )
                ),
            )
            is not None
        )
    return created


@transaction.atomic
def batch_create(
    *,
    product: ProductPage,
    lot_code: str,
    produced_on: datetime.date,
    expires_on: datetime.date | None = None,
    quantity: Decimal | None = None,
    unit: str = ProductPage.Unit.KG,
    growing_area_code: str = "",
    certifications=(),
    notes: str = "",
) -> Batch:
    """A new lot of a product, validated, with its own permanent short code."""
    batch = Batch(
        product=product,
        lot_code=lot_code,
        produced_on=produced_on,
        expires_on=expires_on,
        quantity=quantity,
        unit=unit,
        growing_area_code=growing_area_code,
        notes=notes,
    )
    batch.full_clean()
    batch.save()
    batch.certifications.set(certifications)
    return batch
