"""After an edit: purge the CDN of the pages it cooled, and render them again into the cache.

The editor does not wait for either. Inside a request (the portal, the admin) both run when
the response has been sent: the page cache middleware hands the work to the response's close,
which the WSGI server calls after the last byte went out. Outside a request (a management
command, the shell) they run after the transaction commits. Either way the work is a
django-tasks task (``rewarm_pages``): with django-tasks' default backend (immediate, the one
this project uses) it runs there and then, in the same worker; a project that configures a
queue backend in ``TASKS`` gets it run by its task workers instead.

Only the bare path of each cooled page is rendered again, in the default language, for the
scheme and port of the request that made the edit (of the site's own root URL outside a
request): that is the copy most buyers get; and only if the cache held a copy of it (someone
asked for it within ``PAGE_CACHE_SECONDS``). Other query strings (page 2 of an index, a
category filter) and English are rendered by their next visitor. A whole site that was cooled
(a commune's own page edited) has its home page rendered again; everything else of it waits
for visitors, so one edit never queues hundreds of renders.
"""

import contextvars
import io
import logging
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)

_collector = contextvars.ContextVar("pagecache_rewarm", default=None)
_handler = None


def enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", True) and getattr(
        settings, "PAGE_CACHE_REWARM", True
    )


def cdn_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


class Collector:
    """What the edits of one request cooled, and how that request reached the server."""

    def __init__(self, request=None):
        self.scheme = request.scheme if request is not None else None
        self.port = None
        if request is not None:
            try:
                self.port = urlsplit(f"//{request.get_host()}").port
            except Exception:  # a host the request was refused for: no port to copy
                self.port = None
        self.cooling = None

    def add(self, cooling):
        self.cooling = cooling if self.cooling is None else self.cooling | cooling

    def targets(self):
        return targets_for(self.cooling, scheme=self.scheme, port=self.port)


@contextmanager
def collecting(request):
    """Collect what the edits made while handling ``request`` cool."""
    token = _collector.set(Collector(request))
    try:
        yield _collector.get()
    finally:
        _collector.reset(token)


def after_response(response, collector):
    """Run the collected work when the server closes ``response`` (after sending it)."""
    if collector.cooling is None:
        return
    page_urls, cdn_urls = collector.targets()
    if page_urls or cdn_urls:
        response._resource_closers.append(lambda: enqueue(page_urls, cdn_urls))


def schedule(cooling):
    """Called for every change: purge and re-render what ``cooling`` names, after the editor's
    response or, outside a request, after the commit."""
    if not (enabled() or cdn_configured()):
        return
    collector = _collector.get()
    if collector is not None:
        collector.add(cooling)
        return
    transaction.on_commit(lambda: enqueue(*targets_for(cooling)))


def targets_for(cooling, *, scheme=None, port=None):
    """(URLs to render again, URLs to purge from the CDN) for what ``cooling`` names."""
    from wagtail.models import Page

    from .site_root_paths import site_root_paths

    if cooling.everything:
        return [], []  # a Site changed: too much to render or purge; visitors refill
    roots = {root.site_id: root for root in site_root_paths()}
    page_urls, cdn_urls = [], []
    limit = getattr(settings, "PAGE_CACHE_REWARM_MAX_PAGES", 50)
    for site_id, path in sorted(cooling.paths) + [(site_id, "/") for site_id in cooling.sites]:
        root = roots.get(site_id)
        if root is None:
            continue
        site_url = urlsplit(root.root_url)
        url = _url(scheme or site_url.scheme, site_url.hostname, port or site_url.port, path)
        if url not in page_urls and len(page_urls) < limit:
            page_urls.append(url)
        cdn_url = root.root_url + path
        if cdn_url not in cdn_urls:
            cdn_urls.append(cdn_url)
    if cdn_configured():
        # A whole site cooled: every live page of it goes from the CDN.
        for site_id in cooling.sites:
            root = roots.get(site_id)
            if root is None:
                continue
            for url_path in (
                Page.objects.live()
                .filter(url_path__startswith=root.root_path)
                .values_list("url_path", flat=True)
            ):
                cdn_url = root.root_url + "/" + url_path[len(root.root_path) :]
                if cdn_url not in cdn_urls:
                    cdn_urls.append(cdn_url)
    return (page_urls if enabled() else []), (cdn_urls if cdn_configured() else [])


def _url(scheme, hostname, port, path):
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = hostname if port in (None, default) else f"{hostname}:{port}"
    return f"{scheme}://{netloc}{path}"


def enqueue(page_urls, cdn_urls):
    try:
        rewarm_pages.enqueue(page_urls=page_urls, cdn_urls=cdn_urls)
    except Exception:
        # The edit is done and answered; a re-render that failed costs its next visitor a render.
        logger.exception("Could not re-render or purge %s.", page_urls)


@task()
def rewarm_pages(page_urls, cdn_urls):
    """Purge these URLs from the CDN, then render these pages into the page cache."""
    from .cache import is_stored  # cache.py imports this module

    if cdn_urls and cdn_configured():
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        purge_urls_from_cache(cdn_urls)
    for url in page_urls:
        # A page nobody asked for within the cache's lifetime waits for its first visitor:
        # rendering it now would cost as much and might serve no one.
        if is_stored(url):
            render_into_cache(url)


def render_into_cache(url):
    """Render one page as an anonymous visitor would ask for it, through every middleware, so
    the page cache stores it. Returns the response."""
    global _handler
    from django.core.handlers.wsgi import WSGIHandler, WSGIRequest

    if _handler is None:
        _handler = WSGIHandler()
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        # WSGI carries the path as UTF-8 bytes decoded as Latin-1.
        "PATH_INFO": parts.path.encode().decode("iso-8859-1"),
        "QUERY_STRING": "",
        "SERVER_NAME": parts.hostname,
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": parts.netloc,
        "HTTP_USER_AGENT": "page-cache-rewarm",
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    if parts.scheme == "https":
        environ["HTTP_X_FORWARDED_PROTO"] = "https"
    try:
        # Not closed: closing sends request_finished, which would close the database
        # connection of the request this runs at the end of.
        return _handler.get_response(WSGIRequest(environ))
    except Exception:
        logger.exception("Could not render %s into the page cache.", url)
        return None
