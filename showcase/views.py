"""Product search on the showcase (every commune) and on each commune's site (its own)."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Site

from products.models import ProductPage
from products.search import search_pages
from products.selectors import product_cards

from .models import CommuneHomePage

RESULTS_PER_PAGE = 12


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    site = Site.find_for_request(request)
    products = ProductPage.objects.live()
    commune = None
    if site and site.root_page.specific_class is CommuneHomePage:
        commune = site.root_page
        products = products.descendant_of(commune)
    results = search_pages(products, query) if query else products.none()
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("trang"))
    return TemplateResponse(
        request,
        "showcase/search.html",
        {
            "query": query,
            "commune": commune,
            "results_page": page,
            "products": product_cards(page.object_list),
        },
    )
