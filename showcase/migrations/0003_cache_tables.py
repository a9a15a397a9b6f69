"""The database cache tables, so that `manage.py migrate` alone leaves a working instance.

Both tables the settings can name are made whatever this machine's CACHES say today
(`django_cache` for the default cache, `page_cache` for pages on PostgreSQL), so switching
from Redis or page files to the database later needs no extra step; so is any other table a
DatabaseCache in CACHES names. A table that `createcachetable` made before is left as it is.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLES = ("django_cache", "page_cache")


def create_cache_tables(apps, schema_editor):
    configured = {
        caches[alias]._table
        for alias in settings.CACHES
        if isinstance(caches[alias], BaseDatabaseCache)
    }
    command = CreateCacheTable()
    command.verbosity = 0
    for table in sorted(set(TABLES) | configured):
        # Skips a table that exists, as createcachetable does.
        command.create_table(schema_editor.connection.alias, table, dry_run=False)


class Migration(migrations.Migration):
    dependencies = [("showcase", "0002_create_showcase_home")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
