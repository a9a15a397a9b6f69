"""Login throttling with django-axes for the portal and the Wagtail admin."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


def lockout_minutes() -> int:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    return int(cool_off.total_seconds() // 60) if hasattr(cool_off, "total_seconds") else 15


class RequestLoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check on every login that arrives with a request.

    Every login form (portal, Wagtail admin, Django's LoginView) passes the request.
    A login without one — the test client's ``login()``, a shell — has no client to
    throttle, and Axes would raise instead of letting the next backend decide.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer when a login is locked: a Vietnamese page, or the portal form with its error.

    The portal's login view already renders the lockout message next to the typed phone
    number, so its own response is kept; any other login (the Wagtail admin) gets a page.
    """
    status = settings.AXES_HTTP_RESPONSE_CODE
    if original_response is not None and request.path.startswith("/portal/"):
        original_response.status_code = status
        return original_response
    return render(request, "portal/locked_out.html", {"minutes": lockout_minutes()}, status=status)
