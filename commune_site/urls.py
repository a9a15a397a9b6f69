from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .views import robots_txt, serve_media, sitemap

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("portal/", include("producers.portal.urls")),
    # Per host: each commune site and the showcase name their own pages (docs/sharing.md).
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("", include("showcase.urls")),
    # Printed QR codes (/q/CODE) and GS1 Digital Link (/01/GTIN) answer on every host.
    path("", include("products.urls")),
]

if settings.SERVE_MEDIA:
    # static() serves nothing unless DEBUG, and the test server runs with DEBUG off.
    # Not documents/: those are served by Wagtail's view, which checks who may read them.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?!documents/)(?P<path>.+)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail's page serving stays last: it answers every path the patterns above do not.
urlpatterns += [path("", include(wagtail_urls))]
