"""An index on wagtailcore_page.url_path, for routing a URL in one query.

commune_site.page_tree.TreeRouteMixin finds every page of a URL by its stored URL path;
Wagtail gives that column no index, so without this the look-up would read the whole page
table. Plain SQL on both engines (Wagtail's model is not ours to add Meta.indexes to);
IF NOT EXISTS so running it over an index made by hand is harmless.
"""

from django.db import migrations

INDEX = "commune_page_url_path"


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0003_cache_tables"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (url_path)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
