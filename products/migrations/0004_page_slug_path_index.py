"""An index on Wagtail's page table for finding a child page by its slug.

Serving /producer/product/ asks for the producer's child with that slug: ``slug = ? AND
path BETWEEN ? AND ?``. With Wagtail's own indexes the database reads every page of that
slug in the country (a popular name such as "gao-st25" may stand under thousands of
producers) and keeps those in range; with (slug, path) it seeks straight to the one row.
"""

from django.db import migrations

INDEX = "products_page_slug_path"


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0003_backfill_short_codes"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (slug, path)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
