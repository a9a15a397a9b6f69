"""Product search on the showcase (every commune) and on each commune's site (its own)."""

from django.template.response import TemplateResponse
from wagtail.models import Site

from products.filters import CountedPaginator
from products.selectors import product_cards

from .models import CommuneHomePage
from .selectors import product_search, suggestions

RESULTS_PER_PAGE = 12
MAX_QUERY = 100


def search(request):
    """/tim-kiem/: products, producers and categories matching a query, with the product
    filters; with no query, every product (of the commune, or of the province) to filter."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    site = Site.find_for_request(request)
    commune = None
    if site and site.root_page.specific_class is CommuneHomePage:
        commune = site.root_page
    result = product_search(query=query, data=request.GET, commune=commune)
    paginator = CountedPaginator(result.products, RESULTS_PER_PAGE, count=result.filters.count)
    page = paginator.get_page(request.GET.get("trang"))
    products = product_cards(page.object_list)
    if result.words and not products and not result.producers:
        suggestions(result, commune=commune)
    return TemplateResponse(
        request,
        "showcase/search.html",
        {
            "query": query,
            "commune": commune,
            "result": result,
            "filters": result.filters,
            "results_page": page,
            "products": products,
        },
    )
