"""Local development: debug on, any *.localhost host, a fixed throw-away key."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-3c1b0e6a"  # noqa: F405
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Off while developing, so a template edit shows at once; PAGE_CACHE_ENABLED=1 turns it on.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "0") not in ("0", "false", "no", "")
SERVE_MEDIA = True
QR_LINK_SCHEME = os.environ.get("QR_LINK_SCHEME", "http")  # noqa: F405
