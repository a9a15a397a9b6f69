"""Site-wide middleware: the load balancer's health check, the Content-Security-Policy header,
the search engines' noindex header and the choice of language.

Django 5.2 has no built-in CSP (it arrives in 6.0), and django-csp would be a dependency for
what is one header here, so a few lines do it.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers ``/healthz`` with 200 when the database answers, 503 when it does not.

    It sits first in MIDDLEWARE so that it runs before anything reads the Host header: a load
    balancer probes by IP address, over plain HTTP, and must get neither a 400 for a host
    outside ALLOWED_HOSTS nor a redirect to HTTPS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            response = JsonResponse(
                {"status": "error", "database": "unavailable", "error": type(error).__name__},
                status=503,
            )
        else:
            response = JsonResponse({"status": "ok", "database": "ok"})
        add_never_cache_headers(response)
        return response


class ContentSecurityPolicyMiddleware:
    """Adds the strict CONTENT_SECURITY_POLICY to public pages.

    Paths in CSP_EXEMPT_PATHS (the Wagtail admin, whose pages need inline scripts and styles)
    get none; a view that sets its own header keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        self.exempt = tuple(getattr(settings, "CSP_EXEMPT_PATHS", ()))

    def __call__(self, request):
        response = self.get_response(request)
        if (
            self.policy
            and "Content-Security-Policy" not in response
            and not request.path_info.startswith(self.exempt)
        ):
            response["Content-Security-Policy"] = self.policy
        return response


class NoIndexMiddleware:
    """Adds ``X-Robots-Tag: noindex`` to responses under NOINDEX_PATH_PREFIXES: the admin,
    the portal, search results and the short-link and GS1 redirects stay out of the index even
    when a crawler reaches them through a link (robots.txt only stops crawling)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "NOINDEX_PATH_PREFIXES", ()))

    def __call__(self, request):
        response = self.get_response(request)
        if self.prefixes and request.path_info.startswith(self.prefixes):
            response.setdefault("X-Robots-Tag", "noindex")
        return response


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the visitor chose another language; the browser's wish is ignored.

    Django's LocaleMiddleware follows Accept-Language, so commune staff or a farmer whose
    phone is set to English would get an English admin, portal and site. Here the language
    comes from the language cookie (Django's ``LANGUAGE_COOKIE_NAME``) when it names one of
    LANGUAGES, else from LANGUAGE_CODE. Wagtail then applies an admin user's own preference.
    No Vary: Accept-Language, so a CDN keeps one copy per page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
