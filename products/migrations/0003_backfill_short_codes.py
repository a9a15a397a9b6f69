"""Give every existing product its permanent short code (products saved before codes existed)."""

from django.db import IntegrityError, migrations, transaction

from products.codes import new_code

STEPLEN = 4


def backfill(apps, schema_editor):
    ProductPage = apps.get_model("products", "ProductPage")
    ShortCode = apps.get_model("products", "ShortCode")
    Page = apps.get_model("wagtailcore", "Page")
    for product in ProductPage.objects.filter(short_code__isnull=True).order_by("path"):
        producer_path = product.path[:-STEPLEN]
        commune_path = product.path[: 2 * STEPLEN]
        ids = dict(
            Page.objects.filter(path__in=[producer_path, commune_path]).values_list("path", "id")
        )
        while True:
            try:
                with transaction.atomic():
                    entry = ShortCode.objects.create(
                        code=new_code(),
                        product_id=product.pk,
                        producer_id=ids.get(producer_path),
                        commune_id=ids.get(commune_path),
                    )
                break
            except IntegrityError:
                continue
        ProductPage.objects.filter(pk=product.pk).update(short_code=entry.code)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0002_qr_codes_batches_scans"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
