"""Settings shared by every environment; what differs per machine comes from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_env(default_sqlite_path):
    """DATABASE_URL, or the embedded SQLite file; SQLite is tuned for several workers."""
    config = dj_database_url.config(
        default=f"sqlite:///{default_sqlite_path}", conn_max_age=60, conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Django's backend, plus the planner statistics refreshed as connections close.
        config["ENGINE"] = "commune_site.sqlite3"
        # Connections are kept like PostgreSQL's (60 s): opening one costs about 1 ms, nearly
        # all of it SQLite parsing the schema on the first query, which every request paid.
        # WAL lets readers work while one worker writes; IMMEDIATE transactions take
        # the write lock up front, so busy_timeout waits instead of "database is locked".
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


INSTALLED_APPS = [
    "showcase",
    "producers",
    "products",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
]

MIDDLEWARE = [
    # First: answers the load balancer before the host check or the HTTPS redirect.
    "commune_site.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "commune_site.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the short-link redirect, so that its 302s are marked too.
    "commune_site.middleware.NoIndexMiddleware",
    # A printed code's redirect, before everything a redirect does not need (HTTPS is
    # enforced above; the middleware checks the host against ALLOWED_HOSTS itself).
    "products.middleware.ShortLinkMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "commune_site.middleware.VietnameseFirstLocaleMiddleware",
    # After the language is chosen, before authentication: a cached page costs no query.
    "commune_site.cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Needs the user: keeps one commune's staff out of admin screens listing every commune.
    "producers.middleware.AdminTenantMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commune_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "commune_site.wsgi.application"

DATABASES = {"default": database_from_env(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches shared by every worker: Redis when REDIS_URL is set, else tables in the database
# (made by a migration, showcase 0003), and page files on a one-machine SQLite install. "pages"
# holds the full-page cache (commune_site/cache.py) apart from the default one, so culling pages
# never drops Wagtail's own entries. The backends are Django's, made to log and pass over a
# failure instead of failing the request or the edit around it (commune_site/cache_backends.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "commune_site.cache_backends.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"commune-{alias}",
            # A Redis host that stopped answering costs a request one second, not minutes.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        for alias in ("default", "pages")
    }
    # Sessions read from Redis, written through to the database: a Redis restart logs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "commune_site.cache_backends.DatabaseCache",
            "LOCATION": "django_cache",
        },
        "pages": {
            "BACKEND": "commune_site.cache_backends.DatabaseCache",
            "LOCATION": "page_cache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "50000"))},
        },
    }
    PAGE_CACHE_STORE = os.environ.get("PAGE_CACHE_STORE", "") or (
        "files"
        if os.environ.get("PAGE_CACHE_DIR") or DATABASES["default"]["ENGINE"].endswith("sqlite3")
        else "database"
    )
    if PAGE_CACHE_STORE == "files":
        # SQLite means one machine: files shared by its workers serve a hit without opening
        # the database, about five times faster than the cache table (docs/benchmarks.md).
        CACHES["pages"] = {
            "BACKEND": "commune_site.cache_backends.FileBasedCache",
            # Beside the database file by default, so two instances on one machine (a test
            # server, a restored copy) never answer from each other's pages.
            "LOCATION": os.environ.get(
                "PAGE_CACHE_DIR", f"{DATABASES['default']['NAME']}-page-cache"
            ),
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "50000"))},
        }
# Wagtail keeps image renditions under the "renditions" alias when there is one, and writes
# each rendition an {% image %} tag uses back to it on every render: on the database cache that
# was six write transactions per product page, each taking SQLite's write lock. A rendition
# entry never changes under its key (image id, file hash, focal point, filter), so each worker
# keeps its own copy in memory; a page's renditions come from its prefetch anyway, so a worker
# asks the database once per image at most. Redis would cost a round trip per image per render.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 20000},
}
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "1") not in ("0", "false", "no", "")
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# After an edit, render the pages it cooled again once the editor has the answer
# (commune_site/cache_rewarm.py); at most this many pages an edit.
PAGE_CACHE_REWARM = os.environ.get("PAGE_CACHE_REWARM", "1") not in ("0", "false", "no", "")
PAGE_CACHE_REWARM_MAX_PAGES = int(os.environ.get("PAGE_CACHE_REWARM_MAX_PAGES", "50"))

# QR scans wait in each worker's memory and are written together this often (seconds); 0
# writes each before its redirect is answered. What a killed worker may lose: docs/qr-codes.md.
SCAN_FLUSH_SECONDS = float(os.environ.get("SCAN_FLUSH_SECONDS", "0.5"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first: source strings are Vietnamese, English is the translation.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# PROJECT_DIR/locale carries the Vietnamese Wagtail admin strings that Wagtail itself
# ships untranslated.
# One catalogue folder: our strings in en/ (Vietnamese source), the Wagtail admin in vi/.
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
# ASCII page slugs ("lap-xuong-ga-tan-an"): Unicode ones are percent-encoded in shared links
# (commune_site/slugs.py).
WAGTAIL_ALLOW_UNICODE_SLUGS = False

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
# Files browsers ask for at the site root (/favicon.ico, before any page names its icon):
# whitenoise serves them in every environment, production included.
WHITENOISE_ROOT = PROJECT_DIR / "root"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Django serves MEDIA_URL itself only in dev and tests; in production nginx or object storage does.
SERVE_MEDIA = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads (photos, documents) in S3-compatible object storage when a bucket is named, so every
# app server sees the same files. Keys and endpoint come from the environment (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, AWS_S3_ENDPOINT_URL for MinIO, Ceph or a Vietnamese cloud).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME") or os.environ.get(
    "MEDIA_S3_BUCKET", ""
)
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    # Plain URLs: signed ones expire, and a page in the page cache would keep dead links.
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None

# A CDN in front of the app servers: Wagtail purges a page's URLs from it when the page is
# published or unpublished. WAGTAILFRONTENDCACHE_BACKEND is "cloudflare", "cloudfront" or
# "http" (a purge-capable nginx or Varnish at FRONTEND_CACHE_PURGE_URL).
FRONTEND_CACHE_BACKENDS = {
    "cloudflare": lambda: {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"],
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
    },
    "cloudfront": lambda: {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
    },
    "http": lambda: {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    },
}
if os.environ.get("WAGTAILFRONTENDCACHE_BACKEND"):
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "default": FRONTEND_CACHE_BACKENDS[os.environ["WAGTAILFRONTENDCACHE_BACKEND"]]()
    }
# How long the CDN may keep a public page (s-maxage); 0 sends no such header.
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "0"))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = _("Sản phẩm chủ lực Tây Ninh")
# Text is folded to ASCII before indexing (products/search.py). PostgreSQL's "simple"
# configuration keeps every folded Vietnamese word: the default, English, would drop
# "do" (from "đỏ") as a stop word and stem the rest. SQLite and MySQL ignore the key.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
# Documents are private to their commune or producer until a public page uses them
# (producers.wagtail_hooks.keep_documents_to_their_tenant): always through Wagtail's view,
# never a redirect to a storage URL; /media/documents/ itself is closed (urls.py, nginx).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# HEIC (iPhone photos) is stored as JPEG on upload, in the portal and the admin alike.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic"]
# Phone photos are 5–12 MB; the portal shrinks them on upload (producers/portal/photos.py).
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp"}
# Admin uploads are stored as the portal stores them: upright, shrunk, without EXIF or GPS.
WAGTAILIMAGES_IMAGE_FORM_BASE = "producers.image_forms.ImageForm"
# Input and short formats per language: day before month (commune_site/formats/).
FORMAT_MODULE_PATH = ["commune_site.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

# Public pages load only their own scripts, styles, images and fonts. The Wagtail admin
# needs inline scripts and styles, so it is exempt (commune_site/middleware.py).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
CSP_EXEMPT_PATHS = ["/admin/", "/django-admin/"]

# Search engines: private paths are never crawled (robots.txt, every crawler); these and the
# paths that are no page of their own (search results, printed short links and GS1 paths, which
# redirect) are answered with "X-Robots-Tag: noindex" and disallowed to search crawlers
# (commune_site/views.py robots_txt, commune_site/middleware.py NoIndexMiddleware).
PRIVATE_PATH_PREFIXES = ["/admin/", "/portal/"]
NOINDEX_PATH_PREFIXES = [*PRIVATE_PATH_PREFIXES, "/tim-kiem/", "/q/", "/Q/", "/01/"]

# Port the demo and dev server speak on; links between sites carry it.
LOGIN_URL = "wagtailadmin_login"
# Wagtail's login form, with its password label translated (producers/admin_forms.py).
WAGTAILADMIN_USER_LOGIN_FORM = "producers.admin_forms.AdminLoginForm"

# Login throttling (django-axes) on every login: the portal's and the Wagtail admin's.
# Axes checks first; Django's model backend then checks the password.
AUTHENTICATION_BACKENDS = [
    "producers.portal.security.RequestLoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
# By username: farmers share mobile-carrier IP addresses, so locking an IP would lock
# out a whole village, while a username lock stops guessing one account's password.
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes warns when no IP is in the lockout key (W006); that is the choice above, on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "producers.portal.security.lockout_response"
# Django's default PBKDF2 hasher stays: argon2-cffi is not in requirements.lock.

# Scheme of the short links printed in QR codes; printed codes outlive deployments,
# so production prints https. Dev servers speak plain http.
QR_LINK_SCHEME = os.environ.get("QR_LINK_SCHEME", "https")
