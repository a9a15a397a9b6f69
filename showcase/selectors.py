"""Reads for the search page: products, producers and categories of one commune or all."""

from dataclasses import dataclass, field

from producers.models import ProducerPage
from products.filters import ProductFilters, filter_products
from products.models import ProductCategory
from products.search import corrected_words, fold_words, match_q, query_words, ranked
from products.selectors import listable_products, product_cards

from .models import CommuneHomePage

PRODUCERS_SHOWN = 6
SUGGESTIONS_SHOWN = 4


@dataclass
class SearchResult:
    """What /tim-kiem/ shows for a query and its filters, on one commune's site or all."""

    query: str
    words: list
    filters: ProductFilters
    products: object  # ordered queryset, to paginate
    producers: list = field(default_factory=list)
    producer_count: int = 0
    categories: list = field(default_factory=list)
    suggestion: str = ""  # the query with misspelt words corrected
    suggested: list = field(default_factory=list)  # closest products when nothing matched


def _scoped(queryset, commune):
    return queryset.descendant_of(commune) if commune else queryset


def live_communes():
    """The showcase's commune choices: live commune sites with their ward codes."""
    return list(
        CommuneHomePage.objects.live()
        .public()
        .order_by("title")
        .only("id", "title", "path", "depth", "ward_code")
    )


def product_search(*, query: str, data, commune=None) -> SearchResult:
    """Products (filtered, counted per filter choice, best first), the producers and
    categories whose names match, and, when nothing matches, a corrected query and the closest
    product names. ``commune`` limits everything to one commune's site; None is the showcase.

    The number of queries does not depend on the number of products: the text match is one
    sub-select inside each query (products/search.py), the filters a fixed set of grouped
    counts (products/filters.py).
    """
    words = query_words(query)
    within = commune.path if commune else None
    scope = _scoped(listable_products(), commune)
    products = scope.filter(match_q(words, within=within)) if words else scope
    filters = filter_products(products, data, communes=None if commune else live_communes())
    ordered = (
        ranked(filters.products, words) if words else filters.products.order_by("title", "pk")
    )
    result = SearchResult(query=query, words=words, filters=filters, products=ordered)
    if not words:
        return result

    producers = _scoped(ProducerPage.objects.live().public(), commune).filter(
        match_q(words, within=within, kind="producer")
    )
    result.producer_count = producers.count()
    if result.producer_count:
        result.producers = list(
            ranked(producers, words).select_related("image")[:PRODUCERS_SHOWN]
        )
    wanted = set(words)
    result.categories = [
        category
        for category in ProductCategory.objects.all()
        if wanted <= set(fold_words(category.name))
    ]
    return result


def suggestions(result: SearchResult, *, commune=None) -> None:
    """Fill in a corrected query and the closest products, for a search that found nothing.

    A misspelt word is replaced by the closest known word of a name ("lonng" → "long"); when
    that finds nothing either, the products that have any of the words are offered.
    """
    scope = _scoped(listable_products(), commune)
    within = commune.path if commune else None
    corrected = corrected_words(result.words)
    if corrected != result.words:
        found = scope.filter(match_q(corrected, within=within))
        found = list(ranked(found, corrected)[:SUGGESTIONS_SHOWN])
        if found:
            result.suggestion = " ".join(corrected)
            result.suggested = product_cards(found)
            return
    if len(result.words) > 1:
        found = scope.filter(match_q(result.words, any_word=True, within=within))
        found = ranked(found, result.words)
        result.suggested = product_cards(list(found[:SUGGESTIONS_SHOWN]))
