"""Full-page cache of public Wagtail pages, shared by every worker through Django's cache.

Why our own and not wagtail-cache: its latest release (3.0.0) requires ``wagtail<8.0``, so it
does not install next to Wagtail 8. What it does is small: look a page up before the view runs,
store what Wagtail served. Invalidation is by *generation*: every entry is tagged with the global
generation, its site's generation and its path's generation (host and path, any query string) at
the time it was rendered; a change bumps some of them and every older entry under them stops
matching. Which paths an edit bumps is worked out at the edit, from what each page type shows
(commune_site/cache_dependents.py); see docs/deployment.md.
"""

import hashlib
import logging
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, has_vary_header, patch_cache_control

from . import cache_rewarm

logger = logging.getLogger(__name__)

GLOBAL_KEY = "pagecache:gen:global"
SITE_KEY = "pagecache:gen:site:{}"
PATH_KEY = "pagecache:gen:path:{}"
PAGE_KEY = "pagecache:page:{}"
STATUS_HEADER = "X-Page-Cache"

# Paths that are never Wagtail pages or must run every time: the admin, the producer portal,
# QR short links in either case and GS1 Digital Link paths (each redirect records a scan),
# documents and files, the health check.
DEFAULT_EXEMPT_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/portal/",
    "/q/",
    "/Q/",
    "/01/",
    "/documents/",
    "/static/",
    "/media/",
    "/healthz",
    "/_util/",
)
# Headers the outer middleware sets again on every response; storing them would be wasted.
UNSTORED_HEADERS = {"set-cookie", "vary", "content-length"}


def page_cache():
    """The cache the pages live in: PAGE_CACHE_ALIAS when configured, else the default."""
    alias = getattr(settings, "PAGE_CACHE_ALIAS", "default")
    return caches[alias if alias in settings.CACHES else "default"]


def _hostname(host):
    return host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()


def _current_generation(cache, key, value):
    """The stored generation, or a fresh one if it was never set or was evicted."""
    if value is not None:
        return value
    token = uuid.uuid4().hex
    if cache.add(key, token, None):
        return token
    return cache.get(key) or token


def path_key(hostname, path):
    """The generation key of one path of one host: every query string of it shares it."""
    digest = hashlib.sha256(f"{hostname.lower()}\n{path}".encode()).hexdigest()[:40]
    return PATH_KEY.format(digest)


def entry_digest(scheme, host, language, full_path):
    """What a cached page is stored under: scheme, host with its port, language, the local
    date ("in season now" and "OCOP still valid" change at midnight), path and query string."""
    parts = (scheme, host.lower(), language, timezone.localdate().isoformat(), full_path)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def is_stored(url):
    """Whether the page cache holds an entry (current or outdated) for this URL in the default
    language: whether anyone asked for it within the cache's lifetime."""
    parts = urlsplit(url)
    digest = entry_digest(parts.scheme, parts.netloc, settings.LANGUAGE_CODE, parts.path)
    try:
        return page_cache().has_key(PAGE_KEY.format(digest))
    except Exception:
        return False


def bump_generations(*, hostnames=(), paths=(), everything=False):
    """Invalidate every cached page of these sites (by hostname), of these (hostname, path)
    pairs, or of all sites."""
    if everything:
        keys = [GLOBAL_KEY]
    else:
        keys = [SITE_KEY.format(h.lower()) for h in hostnames]
        keys += [path_key(hostname, path) for hostname, path in paths]
    if not keys:
        return
    try:
        page_cache().set_many({key: uuid.uuid4().hex for key in keys}, None)
    except Exception:
        # The edit itself must still succeed; the error says the cache may now be stale.
        logger.exception("Could not invalidate the page cache for %s.", keys)


def invalidate(*, hostnames=(), paths=(), everything=False):
    """Bump now and again after the surrounding transaction commits.

    The bump after commit closes the race where a request reads the old data, then tags its
    entry with a generation bumped before the commit; the bump now keeps the cache right for
    code that reads back inside the same transaction (tests, management commands).
    """
    hostnames, paths = tuple(hostnames), tuple(paths)
    bump_generations(hostnames=hostnames, paths=paths, everything=everything)
    transaction.on_commit(
        lambda: bump_generations(hostnames=hostnames, paths=paths, everything=everything)
    )


class PageCacheMiddleware:
    """Serves anonymous GET/HEAD requests for Wagtail pages from the shared page cache.

    Placed right after the locale middleware, so the visitor's language is part of the key, and
    before authentication and the views, so a hit costs one cache round trip (three small
    files, one Redis MGET, or one query on the cache table) and nothing else.
    The CSRF and messages middleware sit inside it, so a page that set their cookies is seen
    here and not stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 3600)
        self.exempt = tuple(
            getattr(settings, "PAGE_CACHE_EXEMPT_PREFIXES", DEFAULT_EXEMPT_PREFIXES)
        )
        self.bypass_cookies = (
            settings.SESSION_COOKIE_NAME,
            getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
        )

    def __call__(self, request):
        # Edits made by this request (the portal, the admin) cool pages; they are purged and
        # rendered again once the response has gone out (commune_site/cache_rewarm.py).
        with cache_rewarm.collecting(request) as collector:
            response = self._serve(request)
        cache_rewarm.after_response(response, collector)
        return response

    def _serve(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)

        hostname = _hostname(host)
        generation_keys = (
            GLOBAL_KEY,
            SITE_KEY.format(hostname),
            path_key(hostname, request.path_info),
        )
        page_key = PAGE_KEY.format(self._digest(request, host))
        cache = page_cache()
        try:
            found = cache.get_many([*generation_keys, page_key])
            entry = found.get(page_key)
            if entry and entry[0] == tuple(found.get(key) for key in generation_keys):
                return self._response_from(entry)
            generations = tuple(
                _current_generation(cache, key, found.get(key)) for key in generation_keys
            )
        except Exception:
            # A cache that is down or has no table yet must not take the site down with it.
            logger.exception("Page cache unavailable; serving %s uncached.", request.path)
            return self.get_response(request)

        response = self.get_response(request)
        if request.method == "GET" and self._may_store(request, response, hostname):
            cdn_seconds = getattr(settings, "PAGE_CACHE_CDN_SECONDS", 0)
            # The language comes from a cookie, which a CDN does not key on: only the default
            # language may be kept there, or Vietnamese visitors would get English.
            if cdn_seconds and request.LANGUAGE_CODE == settings.LANGUAGE_CODE:
                patch_cache_control(response, public=True, max_age=0, s_maxage=cdn_seconds)
            elif cdn_seconds:
                patch_cache_control(response, private=True)
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ]
            try:
                cache.set(
                    page_key,
                    (generations, response.status_code, headers, response.content),
                    self.timeout,
                )
            except Exception:
                logger.exception("Could not store %s in the page cache.", request.path)
            else:
                response[STATUS_HEADER] = "miss"
        return response

    def _may_use_cache(self, request):
        return (
            getattr(settings, "PAGE_CACHE_ENABLED", True)
            and request.method in ("GET", "HEAD")
            and not request.path_info.startswith(self.exempt)
            and not any(name in request.COOKIES for name in self.bypass_cookies)
        )

    @staticmethod
    def _digest(request, host):
        return entry_digest(
            request.scheme,
            host,
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.get_full_path(),
        )

    @staticmethod
    def _may_store(request, response, hostname):
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name != "wagtail_serve":
            return False
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "is_preview", False):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        cache_control = {
            part.split("=")[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if cache_control & {"private", "no-cache", "no-store"}:
            return False
        # A page that read the session or the CSRF token depends on who asked.
        if has_vary_header(response, "Cookie"):
            return False
        # Only pages served by the site of this very hostname: an unknown host falls back to the
        # default site, whose invalidation would not reach a key made from the unknown host.
        site = getattr(request, "_wagtail_site", None)
        return site is not None and site.hostname.lower() == hostname

    @staticmethod
    def _response_from(entry):
        _generations, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[STATUS_HEADER] = "hit"
        return response
