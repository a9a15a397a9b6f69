"""The site's own search index (products/models/search_index.py) and its full-text part.

SQLite: an FTS5 table over ``body`` whose rowid is the page id, kept in step with the entry
table by triggers (an "external content" table: the text is stored once). PostgreSQL: a GIN
index on ``to_tsvector('simple', body)``; queries use the same expression, so they read it.
Other databases match words with LIKE (products/search.py). The index is filled after
``migrate`` when it is empty (products/apps.py) and by ``manage.py rebuild_search_index``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE products_searchentry_fts USING fts5(body, "
    "content='products_searchentry', content_rowid='page_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER products_searchentry_fts_insert AFTER INSERT ON products_searchentry BEGIN "
    "INSERT INTO products_searchentry_fts(rowid, body) VALUES (new.page_id, new.body); END",
    "CREATE TRIGGER products_searchentry_fts_delete AFTER DELETE ON products_searchentry BEGIN "
    "INSERT INTO products_searchentry_fts(products_searchentry_fts, rowid, body) "
    "VALUES ('delete', old.page_id, old.body); END",
    "CREATE TRIGGER products_searchentry_fts_update AFTER UPDATE ON products_searchentry BEGIN "
    "INSERT INTO products_searchentry_fts(products_searchentry_fts, rowid, body) "
    "VALUES ('delete', old.page_id, old.body); "
    "INSERT INTO products_searchentry_fts(rowid, body) VALUES (new.page_id, new.body); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS products_searchentry_fts_insert",
    "DROP TRIGGER IF EXISTS products_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS products_searchentry_fts_update",
    "DROP TABLE IF EXISTS products_searchentry_fts",
]
POSTGRESQL_CREATE = [
    "CREATE INDEX products_searchentry_body_tsv ON products_searchentry "
    "USING gin (to_tsvector('simple'::regconfig, body))",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS products_searchentry_body_tsv"]


def _run(schema_editor, statements):
    statements = statements.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def full_text_create(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE})


def full_text_drop(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


class Migration(migrations.Migration):

    dependencies = [
        ('products', '0005_point_of_sale_coordinates'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('kind', models.CharField(choices=[('product', 'sản phẩm'), ('producer', 'nhà sản xuất')], max_length=10)),
                ('title', models.CharField(max_length=300)),
                ('body', models.TextField()),
            ],
            options={
                'verbose_name': 'mục tìm kiếm',
                'verbose_name_plural': 'mục tìm kiếm',
            },
        ),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.CharField(max_length=60, primary_key=True, serialize=False)),
                ('length', models.PositiveSmallIntegerField(db_index=True)),
            ],
            options={
                'verbose_name': 'từ tìm kiếm',
                'verbose_name_plural': 'từ tìm kiếm',
            },
        ),
        migrations.RunPython(full_text_create, full_text_drop),
    ]
