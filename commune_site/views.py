"""Site-wide views that belong to no app."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Site

from .sitemaps import SiteSitemap

# Link-preview crawlers that read robots.txt: they may fetch printed short links and search
# pages, which others must not index, so that a /q/ link pasted in a chat still previews.
PREVIEW_AGENTS = ("facebookexternalhit", "Facebot", "Twitterbot", "TelegramBot", "WhatsApp")


def serve_media(request, path, document_root):
    """Uploaded files, when Django serves them (DJANGO_SERVE_MEDIA) instead of nginx.

    A name the file system cannot hold (too long, say) is simply not there: a 404, where
    Django's own view lets the OSError through as a 500.
    """
    try:
        return serve(request, path, document_root=document_root)
    except (OSError, ValueError) as error:
        raise Http404 from error


def _site_root_url(request):
    site = Site.find_for_request(request)
    return site.root_url if site else f"{request.scheme}://{request.get_host()}"


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    """This host's robots.txt: what stays out of the index, and this host's own sitemap."""
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in settings.NOINDEX_PATH_PREFIXES), ""]
    lines += [f"User-agent: {agent}" for agent in PREVIEW_AGENTS]
    lines += [f"Disallow: {prefix}" for prefix in settings.PRIVATE_PATH_PREFIXES]
    lines += ["", f"Sitemap: {_site_root_url(request)}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap(request):
    """This host's sitemap.xml: its own live, public pages with their last publication."""
    return wagtail_sitemap(request, sitemaps={"pages": SiteSitemap})
