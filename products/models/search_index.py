"""The site's own search index: one row of folded text per product and producer page.

Wagtail's database backend ranks SQLite results with a correlated subquery that runs the FTS5
match again for every matching row (about 3 s for 2,000 matches at 20,000 products). This table
holds the same folded text (products/search.py) and is matched by FTS5 on SQLite and by a GIN
index on ``to_tsvector('simple', body)`` on PostgreSQL (migration 0005); the match returns page
ids only, and everything else (live, public, the commune, filters, order) is asked of the page
tables, so a stale row can never show a page that is not public.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """The folded words of one product or producer page, kept up to date by page signals."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("sản phẩm")
        PRODUCER = "producer", _("nhà sản xuất")

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # " thanh long ruot do " : folded words between single spaces, padded, so that a whole
    # word or phrase is a plain LIKE on every database.
    title = models.CharField(max_length=300)
    body = models.TextField()

    class Meta:
        verbose_name = _("mục tìm kiếm")
        verbose_name_plural = _("mục tìm kiếm")

    def __str__(self):
        return self.title.strip()


class SearchWord(models.Model):
    """A folded word of a product or producer name or a category: what misspellings are
    corrected towards. Words are only added between rebuilds; a stale one is harmless, as a
    correction is offered only when it finds something."""

    word = models.CharField(max_length=60, primary_key=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    class Meta:
        verbose_name = _("từ tìm kiếm")
        verbose_name_plural = _("từ tìm kiếm")

    def __str__(self):
        return self.word
