"""Public non-page views: short-link redirects, QR images and GS1 Digital Link resolution."""

import hashlib

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page

from commune_site import site_root_paths
from commune_site.page_tree import subtree_q

from . import codes, gs1, qr
from .models import Batch, ProductIndexPage, ProductPage
from .selectors import code_lookup, code_target
from .services import scan_record

IMAGE_MAX_AGE = 24 * 60 * 60
# Bump when the drawing of QR images changes, so cached copies are refetched.
IMAGE_VERSION = "1"


def _not_found(request, message=None):
    return TemplateResponse(
        request,
        "products/code_not_found.html",
        {"message": message or _("Không tìm thấy sản phẩm với mã này.")},
        status=404,
    )


def _bad_request(request, message):
    return TemplateResponse(
        request, "products/code_not_found.html", {"message": message}, status=400
    )


def _gone(request, entry):
    """The product behind a printed code is withdrawn or deleted: say so, and offer a way on."""
    producer = None
    # A withdrawn product still sits under its producer; a deleted one left the last
    # producer it lived under in the code's row.
    producer_id = entry.product.get_parent().pk if entry.product else entry.producer_id
    if producer_id:
        producer = Page.objects.live().filter(pk=producer_id).specific().first()
    index = None
    if entry.commune_id:
        path = Page.objects.filter(pk=entry.commune_id).values_list("path", flat=True).first()
        if path:
            index = ProductIndexPage.objects.live().filter(subtree_q(path)).first()
    return TemplateResponse(
        request,
        "products/product_gone.html",
        {"producer": producer, "product_index": index},
        status=410,
    )


def _page_for_url(page_id, url_path):
    """The deferred ProductPage ``.only("url_path")`` would load: enough for Wagtail to build
    its URL, without a query and without filling in the page's other fields."""
    known = {"id": page_id, "page_ptr_id": page_id, "url_path": url_path}
    names = [f.attname for f in ProductPage._meta.concrete_fields if f.attname in known]
    return ProductPage.from_db(None, names, [known[name] for name in names])


def _redirect_location(target, request):
    """The product's (or batch's) full URL, or None when no site holds the page.

    When one site holds the page, as every commune page is held, the URL is put together
    here as ``Page.get_url_parts`` does (the site's root URL, then ``wagtail_serve`` reversed
    for the path below its root): building a page instance for Wagtail to do it cost a
    quarter of the redirect. Wagtail itself decides the rare cases: a page under several
    sites, localized URLs or URLs without their trailing slash.
    """
    roots = site_root_paths.site_root_paths()
    url_path = target["url_path"]
    holders = site_root_paths.holding(roots, url_path)
    plain_urls = WAGTAIL_APPEND_SLASH and not getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    if plain_urls and len({root.site_id for root in holders}) == 1:
        root = holders[0]
        url = root.root_url + reverse("wagtail_serve", args=(url_path[len(root.root_path) :],))
    else:
        product = _page_for_url(target["product_id"], url_path)
        # Wagtail reads the site root paths from here rather than from its cache.
        request._wagtail_cached_site_root_paths = roots
        url = product.get_full_url(request)
    if url is not None and target["lot_code"] is not None:
        # As ProductPage.batch_url; a deleted batch still leads to its product.
        url += ProductPage.get_resolver().reverse("batch", target["lot_code"])
    return url


def short_link_found(request, code):
    """The 302 of a printed code to its live page, with the scan recorded; None for any other
    code (malformed, unknown, withdrawn, or on no site), which ``short_link_redirect`` answers.

    The hot path of every printed label: one small query for the code's product (live, URL
    path) and batch (lot code), the URL built from the site root paths this worker keeps in
    memory (commune_site/site_root_paths.py), then the scan, which joins the worker's buffer
    (products/scan_buffer.py).
    ``ShortLinkMiddleware`` calls it before the session, language, CSRF and authentication
    middleware, none of which a redirect needs.
    """
    normalised = codes.normalise_code(code)
    target = code_target(normalised) if normalised else None
    if target is None or target["product_id"] is None or not target["live"]:
        return None
    location = _redirect_location(target, request)
    if location is None:
        # A site's root page moved since this worker's copy was taken: read them again.
        site_root_paths.clear()
        location = _redirect_location(target, request)
        if location is None:
            return None
    if request.method == "GET":  # a HEAD is a link checker, not a person
        scan_record(
            product_id=target["product_id"],
            batch_id=target["batch_id"],
            user_agent=request.headers.get("User-Agent", ""),
        )
    response = HttpResponseRedirect(location)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def short_link_redirect(request, code):
    """``/q/<CODE>``: 302 to the product's (or batch's) current page, recording the scan; a
    friendly 404 for a code that leads nowhere and 410 for a withdrawn or deleted product.
    Only those load the full rows, for their pages."""
    # ShortLinkMiddleware has already tried the redirect when it passes a request on.
    if not getattr(request, "short_link_tried", False):
        found = short_link_found(request, code)
        if found is not None:
            return found
    normalised = codes.normalise_code(code)
    entry = code_lookup(normalised) if normalised else None
    if entry is None:
        return _not_found(request)
    if entry.product_id is None or not entry.product.live:
        return _gone(request, entry)
    return _not_found(request)  # live, but on no site


@require_safe
def qr_image(request, code, fmt):
    """``/q/<CODE>.svg`` and ``/q/<CODE>.png?size=N``: the printed QR code, cacheable."""
    normalised = codes.normalise_code(code)
    entry = code_lookup(normalised) if normalised else None
    if entry is None or entry.product is None:
        return _not_found(request)
    size = None
    if fmt == "png":
        raw = request.GET.get("size", str(qr.PNG_DEFAULT))
        # The length check comes first: int() refuses strings of thousands of digits.
        if (
            len(raw) > 5
            or not raw.isascii()
            or not raw.isdigit()
            or not qr.PNG_MIN <= int(raw) <= qr.PNG_MAX
        ):
            return _bad_request(
                request,
                _("Kích thước ảnh phải là số nguyên từ %(min)s đến %(max)s điểm ảnh.")
                % {"min": qr.PNG_MIN, "max": qr.PNG_MAX},
            )
        size = int(raw)
    target = entry.product
    if entry.batch is not None:
        target = entry.batch
        target.product = entry.product  # already fetched with the code
    # ?gs1=1: the GS1 Digital Link URI instead, for products that carry a GTIN.
    text = qr.qr_text(target, request, digital_link=request.GET.get("gs1") == "1")
    digest = hashlib.sha256(f"{IMAGE_VERSION}|{fmt}|{size}|{text}".encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    elif fmt == "svg":
        response = HttpResponse(qr.qr_svg(text), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(text, size), content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{normalised}.{fmt}"'
    return response


@require_safe
def gs1_resolve(request, gtin, lot=None):
    """GS1 Digital Link: ``/01/<GTIN>`` to the product, ``/01/<GTIN>/10/<LOT>`` to the batch."""
    try:
        gtin14 = gs1.normalise_gtin(gtin)
    except gs1.GtinError as error:
        return _bad_request(request, str(error))
    product = ProductPage.objects.live().filter(gtin=gtin14).first()
    if product is None:
        return _not_found(
            request, _("Không tìm thấy sản phẩm có mã GTIN %(gtin)s.") % {"gtin": gtin14}
        )
    batch = None
    if lot is not None:
        # A lot code no batch can have (NUL, which PostgreSQL refuses in text) finds nothing.
        if gs1.is_valid_lot(lot):
            batch = Batch.objects.filter(product=product, lot_code__iexact=lot).first()
        if batch is None:
            return _not_found(
                request,
                _("Sản phẩm %(product)s không có lô %(lot)s.")
                % {"product": product.title, "lot": lot},
            )
    target = product.batch_url(batch, request) if batch else product.get_full_url(request)
    if request.method == "GET":
        scan_record(
            product_id=product.pk,
            batch_id=batch.pk if batch else None,
            user_agent=request.headers.get("User-Agent", ""),
        )
    return HttpResponseRedirect(target)
