"""Printed QR codes answered before the rest of the middleware.

A scan of ``/q/CODE`` is a redirect: it needs no session, language, CSRF token, user or
message, and it is the one public URL that can never come from the page cache, since each
scan is recorded. Passing through those middleware cost about a quarter of the redirect's
time. Any code that does not lead to a live page goes on to ``short_link_redirect`` through
the full stack, which answers with the friendly 404 or 410 page.
"""

import re

from .views import short_link_found

# As products/urls.py's short_link pattern, less the .svg/.png images and codes with dots.
SHORT_LINK_PATH = re.compile(r"^/[qQ]/([^/.]+)/?$")


class ShortLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            match = SHORT_LINK_PATH.match(request.path_info)
            if match:
                request.get_host()  # a host outside ALLOWED_HOSTS gets its 400, as elsewhere
                response = short_link_found(request, match.group(1))
                if response is not None:
                    return response
                request.short_link_tried = True  # the view need not look the code up again
        return self.get_response(request)
