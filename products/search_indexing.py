"""Writing the site's search index (products.models.SearchEntry): what each page is found by.

A product is found by its name, summary, category and producer; a producer by its name,
summary and representative: the text the search read before this index (the old
``folded_search_text``), so the same queries find the same pages. Each entry also carries its
commune's scope word and its kind's (``search.scope_word``, ``kind_word``), which a commune's
search and a producer search add to the query.
Descriptions and stories stay out: folded, their common words ("dua" is dừa, dứa, dưa and đưa)
would bury the names.

Entries are computed from rows, not page instances, so that one call indexes a producer's
products or a whole rebuild with a few queries per batch of pages. ``index_pages`` is called by
the page signals (products/signals.py), by ``manage.py rebuild_search_index`` and by the bench's
bulk seeder.
"""

from django.apps import apps
from django.db import transaction
from wagtail.models import Page

from commune_site.page_tree import subtree_q

from .models import ProductCategory, ProductPage, SearchEntry, SearchWord
from .search import COMMUNE_PATH_LENGTH, fold_words, kind_word, scope_word

BATCH = 2000
MAX_WORD = SearchWord._meta.get_field("word").max_length


def padded(words) -> str:
    """["thanh", "long"] → " thanh long ": whole words and phrases are plain LIKEs."""
    return " " + " ".join(words) + " " if words else " "


def _parent_titles(paths):
    return dict(
        Page.objects.filter(path__in={path[: -Page.steplen] for path in paths}).values_list(
            "path", "title"
        )
    )


def _product_entries(ids):
    rows = list(
        ProductPage.objects.filter(pk__in=ids)
        .values_list("pk", "path", "title", "summary", "category_id")
    )
    categories = dict(ProductCategory.objects.values_list("pk", "name"))
    producers = _parent_titles(path for _pk, path, *_rest in rows)
    for pk, path, title, summary, category_id in rows:
        title_words = fold_words(title)
        body = [
            title,
            summary,
            categories.get(category_id, ""),
            producers.get(path[: -Page.steplen], ""),
        ]
        scope = [scope_word(path)] if len(path) > COMMUNE_PATH_LENGTH else []
        scope.append(kind_word(SearchEntry.Kind.PRODUCT))
        yield SearchEntry(
            page_id=pk,
            kind=SearchEntry.Kind.PRODUCT,
            title=padded(title_words),
            body=padded(fold_words(" ".join(body)) + scope),
        ), title_words


def _producer_entries(ids):
    producer_model = apps.get_model("producers", "ProducerPage")
    rows = producer_model.objects.filter(pk__in=ids).values_list(
        "pk", "path", "title", "summary", "representative"
    )
    for pk, path, title, summary, representative in rows:
        title_words = fold_words(title)
        body = " ".join([title, summary, representative])
        scope = [scope_word(path)] if len(path) > COMMUNE_PATH_LENGTH else []
        scope.append(kind_word(SearchEntry.Kind.PRODUCER))
        yield SearchEntry(
            page_id=pk,
            kind=SearchEntry.Kind.PRODUCER,
            title=padded(title_words),
            body=padded(fold_words(body) + scope),
        ), title_words


def _remember_words(words):
    words = {word for word in words if len(word) <= MAX_WORD}
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, length=len(word)) for word in words], ignore_conflicts=True
        )


def index_pages(page_ids) -> int:
    """(Re)write the entries of these pages; pages that are neither products nor producers, or
    no longer exist, lose theirs. Returns the number of entries written."""
    page_ids = list(dict.fromkeys(page_ids))
    written = 0
    for start in range(0, len(page_ids), BATCH):
        batch = page_ids[start : start + BATCH]
        with transaction.atomic():
            made = [*_product_entries(batch), *_producer_entries(batch)]
            SearchEntry.objects.filter(page_id__in=batch).delete()
            SearchEntry.objects.bulk_create([entry for entry, _words in made])
            _remember_words(word for _entry, words in made for word in words)
        written += len(made)
    return written


def index_subtree(path: str) -> int:
    """Re-index the product and producer pages at and below ``path``: a producer renamed (its
    products' text names it) or a branch moved."""
    producer_model = apps.get_model("producers", "ProducerPage")
    ids = list(producer_model.objects.filter(subtree_q(path)).values_list("pk", flat=True))
    ids += list(ProductPage.objects.filter(subtree_q(path)).values_list("pk", flat=True))
    return index_pages(ids)


def index_category(category_id) -> int:
    """Re-index the products of a category whose name changed."""
    ids = ProductPage.objects.filter(category_id=category_id).values_list("pk", flat=True)
    return index_pages(list(ids))


def rebuild() -> int:
    """Every product and producer page indexed again, the vocabulary of names rebuilt."""
    producer_model = apps.get_model("producers", "ProducerPage")
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
        _remember_words(
            word for name in ProductCategory.objects.values_list("name", flat=True)
            for word in fold_words(name)
        )
    ids = list(producer_model.objects.values_list("pk", flat=True))
    ids += list(ProductPage.objects.values_list("pk", flat=True))
    return index_pages(ids)
